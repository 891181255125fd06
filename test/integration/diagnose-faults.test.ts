/**
 * `flexpath diagnose` survives what real networks do to it (issue 8 item 4): the radio going away, a
 * reset control connection, a missing broker, a TLS handshake that fails, data that stops mid-session.
 * Each ends in a verdict or a partial report, never a crash; the CLI exits on its own with status 0.
 * The simulator runs in this process, the CLI as a child, so the radio's side can be checked after —
 * including after a Ctrl-C: no FlexPath client, pan or stream may be left on the radio.
 */
import assert from 'node:assert/strict';
import { createServer, type Server, type Socket } from 'node:net';
import { test } from 'node:test';
import type { AnalysisReport, HopId } from '../../src/analysis/model.js';
import type { SimFaults } from '../../src/sim/faults.js';
import type { Simulator } from '../../src/sim/radio-sim.js';
import { type CliResult, startCli } from '../helpers/cli.js';
import { withSim } from '../helpers/sim.js';
import { sleep } from '../helpers/udp-sink.js';

/** Hard bound on any run here: the longest one asks for at most 20 s. */
const EXIT_WITHIN_MS = 45_000;

async function freePort(): Promise<number> {
  const s = createServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', () => r()));
  const port = (s.address() as { port: number }).port;
  await new Promise<void>((r) => s.close(() => r()));
  return port;
}

/** A beacon port nobody sends to, so other tests' simulated radios never show up in these reports. */
async function quietDiscovery(): Promise<string[]> {
  return ['--discovery-port', String(await freePort())];
}

function lanArgs(sim: Simulator, ...more: string[]): string[] {
  return ['diagnose', '--host', `127.0.0.1:${sim.ports.api}`, '--probe', '--format', 'json', '--no-redact', ...more];
}

function parsed(r: CliResult): AnalysisReport {
  assert.equal(r.signal, null, r.stderr);
  assert.equal(r.code, 0, r.stderr);
  assert.doesNotMatch(r.stderr, /at .+\.js:\d+|TypeError|ReferenceError|Unhandled/, 'no stack trace');
  assert.doesNotMatch(r.stderr, /Warning:/, 'no runtime warnings for the user');
  return JSON.parse(r.stdout) as AnalysisReport;
}

const hop = (r: AnalysisReport, id: HopId): AnalysisReport['hops'][number] => {
  const h = r.hops.find((x) => x.id === id);
  assert.ok(h, id);
  return h;
};

/** What FlexPath left on the simulated radio. */
function leftovers(sim: Simulator): { clients: string[]; pans: number; streams: number } {
  return { clients: [...sim.core.clients.values()].map((c) => c.program || `0x${c.handle.toString(16)}`), pans: sim.core.pans.size, streams: sim.core.streams.size };
}

/** Resolves once the probe's panafall and audio stream exist on the radio (bounded). */
async function probeIsUp(sim: Simulator): Promise<void> {
  for (let i = 0; i < 200; i++) {
    const flexpath = [...sim.core.clients.values()].some((c) => c.program === 'FlexPath');
    if (flexpath && sim.core.pans.size > 0 && sim.core.streams.size > 0) return;
    await sleep(50);
  }
  throw new Error(`the probe never set up its streams: ${JSON.stringify(leftovers(sim))}`);
}

async function lanRun(faults: SimFaults, args: string[]): Promise<{ report: AnalysisReport; stderr: string; after: ReturnType<typeof leftovers> }> {
  return withSim({ faults }, async (sim) => {
    const r = await startCli(lanArgs(sim, ...args, ...(await quietDiscovery())), { timeoutMs: EXIT_WITHIN_MS }).done;
    return { report: parsed(r), stderr: r.stderr, after: leftovers(sim) };
  });
}

test('the radio goes away mid-run: a report on what was seen, the lost control channel in evidence', async () => {
  const quiet = await quietDiscovery();
  await withSim({}, async (sim) => {
    const run = startCli(lanArgs(sim, '--settle', '20', '--seconds', '30', ...quiet), { timeoutMs: EXIT_WITHIN_MS });
    await probeIsUp(sim);
    await sleep(500);
    await sim.stop();
    const report = parsed(await run.done);
    const control = hop(report, 'control');
    assert.equal(control.status, 'blocked', control.evidence.join('\n'));
    assert.ok(control.evidence.some((e) => /the radio closed the connection/.test(e)), control.evidence.join('\n'));
    assert.equal(report.verdict.status, 'blocked');
    // Data had flowed before the radio went: the partial report keeps it.
    assert.ok(report.streams.some((s) => s.kind === 'waterfall' && s.packets > 0));
  });
});

test('TCP reset by the radio: verdict on the control hop, the CLI exits on its own', async () => {
  const { report } = await lanRun({ tcpResetAfterS: 2 }, ['--settle', '10', '--seconds', '20']);
  assert.equal(report.verdict.status, 'blocked');
  assert.equal(report.verdict.hop, 'control');
  assert.ok(hop(report, 'control').evidence.some((e) => /reset/.test(e)));
});

test('UDP stops mid-session (NAT expiry): the data hops are blocked with "data stopped", the radio tidied up', async () => {
  const { report, after } = await lanRun({ udpStopAfterS: 2 }, ['--settle', '10', '--seconds', '20']);
  assert.equal(report.verdict.status, 'blocked');
  assert.ok(report.hops.filter((h) => h.plane === 'data' && h.status === 'blocked').some((h) => h.evidence.some((e) => /data stopped/.test(e))));
  assert.ok(report.streams.some((s) => s.kind === 'waterfall' && s.packets > 0), 'data flowed before it stopped');
  assert.deepEqual(after, { clients: [], pans: 0, streams: 0 });
});

async function smartLinkRun(broker: string, extra: string[] = []): Promise<{ report: AnalysisReport; stderr: string }> {
  const r = await startCli(['diagnose', '--smartlink', '--broker', broker, '--format', 'json', '--no-redact', '--seconds', '20', ...extra], {
    timeoutMs: EXIT_WITHIN_MS,
    env: { FLEXPATH_SMARTLINK_TOKEN: 'fault-test-token' },
  }).done;
  return { report: parsed(r), stderr: r.stderr };
}

test('SmartLink broker down: the smartlink-server hop is blocked, connection refused in evidence', async () => {
  await withSim({ broker: true, faults: { brokerDown: true } }, async (sim) => {
    assert.equal(sim.ports.broker, undefined);
    const { report } = await smartLinkRun(`127.0.0.1:${await freePort()}`, ['--broker-test-ca']);
    assert.equal(report.verdict.hop, 'smartlink-server');
    assert.equal(report.verdict.cause, 'smartlink-unreachable');
    assert.ok(hop(report, 'smartlink-server').evidence.some((e) => /refused/.test(e)));
  });
});

async function withServer(onConnection: (socket: Socket) => void, fn: (port: number) => Promise<void>): Promise<void> {
  const sockets = new Set<Socket>();
  const server: Server = createServer((s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
    onConnection(s);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  try {
    await fn((server.address() as { port: number }).port);
  } finally {
    for (const s of sockets) s.destroy();
    await new Promise<void>((r) => server.close(() => r()));
  }
}

test('the broker port answers in plain TCP, not TLS: a blocked smartlink-server hop naming the TLS failure', async () => {
  let received = 0;
  await withServer(
    (socket) => {
      socket.on('data', (d: Buffer) => (received += d.length));
      socket.on('error', () => undefined);
      socket.end('HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\n\r\n');
    },
    async (port) => {
      const { report } = await smartLinkRun(`127.0.0.1:${port}`, ['--broker-test-ca']);
      assert.equal(report.verdict.status, 'blocked');
      assert.equal(report.verdict.hop, 'smartlink-server');
      assert.ok(hop(report, 'smartlink-server').evidence.some((e) => /no TLS session/.test(e)));
      assert.ok(received > 0, 'a TLS ClientHello was sent');
    },
  );
});

test('the broker’s certificate is not trusted: SmartLink server blocked, the evidence names the refused certificate, no login is sent', async () => {
  await withSim({ broker: true }, async (sim) => {
    // Without --broker-test-ca the simulator's test CA is not trusted, as on a user's computer.
    const { report, stderr } = await smartLinkRun(`127.0.0.1:${sim.ports.broker}`);
    assert.equal(report.verdict.status, 'blocked');
    assert.equal(report.verdict.hop, 'smartlink-server');
    assert.equal(report.verdict.cause, 'smartlink-unreachable');
    assert.ok(hop(report, 'smartlink-server').evidence.some((e) => /certificate/.test(e) && /no login/.test(e)));
    assert.doesNotMatch(stderr, /logged in|radio .* at /);
    assert.equal(hop(report, 'radio-registration').status, 'unknown');
  });
});

test('Ctrl-C mid-run: the CLI tidies up, prints a report and exits 0; the radio keeps no FlexPath client, pan or stream', async () => {
  const quiet = await quietDiscovery();
  await withSim({}, async (sim) => {
    const run = startCli(lanArgs(sim, '--settle', '60', '--seconds', '90', ...quiet), { timeoutMs: EXIT_WITHIN_MS });
    await probeIsUp(sim);
    assert.ok(run.child.kill('SIGINT'));
    const report = parsed(await run.done);
    assert.ok(report.warnings.some((w) => /stopped by the user/.test(w)), report.warnings.join('\n'));
    // What it created was removed over the live connection, each removal answered.
    assert.ok(hop(report, 'stream-setup').evidence.some((e) => /^afterwards: .*display pan remove 0x40000000: done.*disconnected$/.test(e)), hop(report, 'stream-setup').evidence.join('\n'));
    // The radio drops a client when its TCP close arrives, which may trail the CLI's exit a little.
    for (let i = 0; i < 100 && sim.core.clients.size > 0; i++) await sleep(20);
    assert.deepEqual(leftovers(sim), { clients: [], pans: 0, streams: 0 });
  });
});
