/**
 * Lab on live sessions seen by `flexpath listen --capture lo` (tcpdump: both planes of another client's
 * session), and `analyze` of the capture that run wrote. The sessions are driven here against the
 * simulator; expected values come from their construction and the simulator's own drop counts.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { type Socket, createSocket } from 'node:dgram';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import type { AnalysisReport } from '../../src/analysis/model.js';
import type { ApiClient } from '../../src/api/client.js';
import type { SimFaults } from '../../src/sim/faults.js';
import type { Simulator } from '../../src/sim/radio-sim.js';
import { runCli, startCli } from '../helpers/cli.js';
import { guiSession, withSim } from '../helpers/sim.js';
import { freeUdpPort, sleep } from '../helpers/udp-sink.js';

const dir = mkdtempSync(join(tmpdir(), 'fp-lab-listen-'));
const root = process.getuid?.() === 0;

async function haveTcpdump(): Promise<boolean> {
  const which = spawn('tcpdump', ['--version'], { stdio: 'ignore' });
  return new Promise<boolean>((r) => {
    which.on('error', () => r(false));
    which.on('close', (code) => r(code === 0));
  });
}

async function sinks(n: number): Promise<{ ports: number[]; close(): void }> {
  const socks: Socket[] = [];
  const ports: number[] = [];
  for (let i = 0; i < n; i++) {
    const port = await freeUdpPort();
    const s = createSocket('udp4');
    await new Promise<void>((r) => s.bind(port, '127.0.0.1', () => r()));
    socks.push(s);
    ports.push(port);
  }
  return { ports, close: () => socks.forEach((s) => s.close()) };
}

/** listen --capture lo for `seconds` while `drive` runs sessions against the simulator; then analyze of its capture. */
async function listenWhile(name: string, faults: SimFaults | ((ports: number[]) => SimFaults), clients: number, seconds: number, drive: (sim: Simulator, ports: number[]) => Promise<void>): Promise<{ live: AnalysisReport; capture: AnalysisReport; sim: ReturnType<Simulator['streamStats']>; ports: number[] }> {
  const file = join(dir, `${name}.pcapng`);
  const s = await sinks(clients);
  try {
    return await withSim({ portBase: 0, faults: typeof faults === 'function' ? faults(s.ports) : faults }, async (sim) => {
      // Only this session: other programs on this machine may be talking over loopback too.
      const l = startCli(['listen', '--capture', 'lo', '--api-port', String(sim.ports.api), '--filter', `port ${sim.ports.api} or port ${sim.ports.data}`, '--seconds', String(seconds), '--format', 'json', '--no-redact', '--write', file], { timeoutMs: 60_000 });
      await sleep(1200);
      await drive(sim, s.ports);
      const r = await l.done;
      assert.equal(r.code, 0, r.stderr);
      const a = await runCli(['analyze', file, '--format', 'json', '--no-redact'], { timeoutMs: 60_000 });
      assert.equal(a.code, 0, a.stderr);
      return { live: JSON.parse(r.stdout) as AnalysisReport, capture: JSON.parse(a.stdout) as AnalysisReport, sim: sim.streamStats(), ports: s.ports };
    });
  } finally {
    s.close();
  }
}

/** A GUI client pinging once a second (reference §5.5) for `ms`. */
async function keepUp(clients: ApiClient[], ms: number): Promise<void> {
  for (const c of clients) await c.command('keepalive enable');
  const end = performance.now() + ms;
  while (performance.now() < end) {
    for (const c of clients) c.send('ping ms_timestamp=1');
    await sleep(1000);
  }
}

const tcpdumpSkip = async (): Promise<string | false> => (!root ? 'capturing needs root' : (await haveTcpdump()) ? false : 'tcpdump is not installed');

test('two GUI clients on one computer, 5 % loss on the second one’s port only: the first (primary) session is healthy, live and from the capture; the loss stays in the second’s streams', async (t) => {
  const skip = await tcpdumpSkip();
  if (skip) return t.skip(skip);
  const { live, capture, sim, ports } = await listenWhile('two-clients', (p) => ({ lossPct: 5, lossPort: p[1]! }), 2, 7, async (simr, p) => {
    // The first client makes an audio stream too: more streams created, so it is the primary session.
    const a = await guiSession(simr, p[0]!, { audio: true });
    const b = await guiSession(simr, p[1]!, { audio: false });
    await keepUp([a, b], 4000);
    await a.close();
    await b.close();
  });
  const droppedB = sim.filter((s) => s.dst.port === ports[1]).reduce((n, s) => n + s.dropped.loss, 0);
  assert.equal(sim.filter((s) => s.dst.port === ports[0]).reduce((n, s) => n + s.dropped.loss, 0), 0, 'the construction: no loss to the first');
  assert.ok(droppedB > 0, 'the construction: loss to the second');
  for (const [how, r] of [['live', live], ['capture', capture]] as const) {
    assert.match(r.hops.find((h) => h.id === 'stream-setup')!.evidence.join(' '), new RegExp(`client udpport ${ports[0]}: accepted`), how);
    assert.equal(r.verdict.status, 'healthy', `${how}: ${r.verdict.summary}`);
    assert.ok(r.streams.some((s) => s.dst.endsWith(`:${ports[1]}`) && s.lost > 0), `${how}: the second client's loss is listed`);
  }
});

test('every meter unsubscribed mid-session (the simulator stops them): healthy live and from the capture, not data-stopped', async (t) => {
  const skip = await tcpdumpSkip();
  if (skip) return t.skip(skip);
  const { live, capture } = await listenWhile('meters-unsub', {}, 1, 8, async (simr, p) => {
    const c = await guiSession(simr, p[0]!, { audio: true });
    await keepUp([c], 2000);
    assert.equal((await c.command('unsub meter all')).code, 0);
    // The meters then silent for 4 s: past STOPPED_AFTER_S (3 s), while the other streams flow.
    await keepUp([c], 4000);
    await c.close();
  });
  for (const [how, r] of [['live', live], ['capture', capture]] as const) {
    assert.equal(r.verdict.status, 'healthy', `${how}: ${r.verdict.summary}`);
    assert.ok(r.hops.find((h) => h.id === 'data:meter')!.evidence.some((l) => /unsub meter all/.test(l)), how);
  }
});

test('a client that reconnects and announces a new UDP port (client udpport) gets its data there: healthy live and from the capture, both ports’ streams listed whole', async (t) => {
  const skip = await tcpdumpSkip();
  if (skip) return t.skip(skip);
  const { live, capture, ports } = await listenWhile('reconnect-new-port', {}, 2, 8, async (simr, p) => {
    const first = await guiSession(simr, p[0]!, { audio: true });
    await keepUp([first], 2500);
    await first.close();
    await sleep(300);
    const second = await guiSession(simr, p[1]!, { audio: true });
    await keepUp([second], 3500);
    await second.close();
  });
  for (const [how, r] of [['live', live], ['capture', capture]] as const) {
    assert.equal(r.verdict.status, 'healthy', `${how}: ${r.verdict.summary}`);
    for (const port of ports) assert.ok(r.streams.some((s) => s.dst.endsWith(`:${port}`) && s.kind === 'waterfall' && s.packets > 100 && s.lost === 0), `${how}: port ${port}`);
  }
});
