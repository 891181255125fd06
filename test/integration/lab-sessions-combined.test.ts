/**
 * Lab on live sessions: `flexpath diagnose` against the simulator with faults combined the way a real
 * path combines them, then `analyze` of the capture that run wrote. Expected values come from the faults'
 * construction (the simulator's own count of what each fault dropped), never from FlexPath's output.
 */
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { type Server, type Socket, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { createServer as createTlsServer } from 'node:tls';
import type { AnalysisReport } from '../../src/analysis/model.js';
import type { SimFaults } from '../../src/sim/faults.js';
import { SIM_SERVER_CERT, SIM_SERVER_KEY } from '../../src/sim/test-cert.js';
import { type CliResult, runCli } from '../helpers/cli.js';
import { withSim } from '../helpers/sim.js';
import { freeUdpPort } from '../helpers/udp-sink.js';

const dir = mkdtempSync(join(tmpdir(), 'fp-lab-sessions-'));
/** Hard bound on one CLI run: the longest asks for 7 s of watching. */
const EXIT_WITHIN_MS = 45_000;

function parsed(r: CliResult): AnalysisReport {
  assert.equal(r.signal, null, r.stderr);
  assert.equal(r.code, 0, r.stderr);
  assert.doesNotMatch(r.stderr, /at .+\.js:\d+|TypeError|ReferenceError|Unhandled/, 'no stack trace');
  return JSON.parse(r.stdout) as AnalysisReport;
}

/** A live diagnose (probe, JSON) against a simulator with `faults`, writing its capture; then analyze of that capture. */
async function liveAndCapture(name: string, faults: SimFaults, seconds: number): Promise<{ live: AnalysisReport; capture: AnalysisReport; dropped: { outage: Map<string, number> } }> {
  const file = join(dir, `${name}.pcapng`);
  return withSim({ faults }, async (sim) => {
    // A beacon port nobody sends to: other tests' simulated radios stay out of the report.
    const quiet = ['--discovery-port', String(await freeUdpPort())];
    const live = parsed(await runCli(['diagnose', '--host', `127.0.0.1:${sim.ports.api}`, '--probe', '--seconds', String(seconds), '--format', 'json', '--no-redact', '--write', file, ...quiet], { timeoutMs: EXIT_WITHIN_MS }));
    const capture = parsed(await runCli(['analyze', file, '--format', 'json', '--no-redact'], { timeoutMs: EXIT_WITHIN_MS }));
    const outage = new Map(sim.streamStats().map((s) => [`0x${s.streamId.toString(16).padStart(8, '0').toUpperCase()}`, s.dropped.outage]));
    return { live, capture, dropped: { outage } };
  });
}

test('a 0.2-s stop of every stream plus 2 % random loss the rest of the time: live and from its capture, the headline names both faults', async () => {
  const { live, capture, dropped } = await liveAndCapture('roam-and-loss', { lossPct: 2, outages: [{ startS: 2, lengthS: 0.2 }] }, 7);
  for (const [how, r] of [['live', live], ['capture', capture]] as const) {
    assert.equal(r.verdict.status, 'degraded', `${how}: ${r.verdict.summary}`);
    // The stop is the simulator's outage window, 0.2 s, widened by at most a period of the slowest stream
    // around it (and the scheduling of a loaded machine): one outage, shown.
    const outages = r.outages ?? [];
    assert.equal(outages.length, 1, `${how}: ${JSON.stringify(outages)}`);
    assert.ok(outages[0]!.lengthS >= 0.2 && outages[0]!.lengthS < 0.5, `${how}: ${outages[0]!.lengthS}`);
    assert.match(r.verdict.summary, /every stream/i, `${how}: ${r.verdict.summary}`);
    // ≈ 2000 packets at 2 % is ≈ 40 lost outside the stop, against 0.1 % tolerated (λ ≈ 2): always significant.
    assert.match(r.verdict.summary, /\d % of (its|the) packets (are lost )?at random/, `${how}: ${r.verdict.summary}`);
    assert.doesNotMatch(r.verdict.summary, /not random loss/, how);
    // The meters' counter counts a run this short exactly: what the outage window dropped is in the outage.
    const meters = r.hops.find((h) => h.id === 'data:meter')!.evidence.find((l) => l.startsWith('stream 0x00000700: no packets'));
    const lost = Number(/≈ (\d+) packets lost/.exec(meters ?? '')?.[1]);
    assert.ok(lost >= dropped.outage.get('0x00000700')! && lost <= dropped.outage.get('0x00000700')! + 3, `${how}: ${meters} (the window dropped ${dropped.outage.get('0x00000700')})`);
  }
});

test('the radio resets the control connection 2 s into a session that answered: the headline says reset after the session was up, not "does not answer"', async () => {
  const { live, capture } = await liveAndCapture('tcp-reset', { tcpResetAfterS: 2 }, 6);
  for (const [how, r] of [['live', live], ['capture', capture]] as const) {
    assert.equal(r.verdict.status, 'blocked', how);
    assert.equal(r.verdict.hop, 'control', how);
    assert.equal(r.verdict.rule, 'control-reset-by-radio', how);
    // The reset comes 2 s after the connection opened (the simulator's timer), measured from its first packet.
    assert.match(r.verdict.summary, /^The control connection was reset from the radio’s side after 2\.\d s, with the session up \(\d+ replies\)/, `${how}: ${r.verdict.summary}`);
    assert.doesNotMatch(r.verdict.summary, /does not answer/, how);
  }
});

/**
 * SmartLink with the radio's forwarded TLS port answered by something else: the simulator's broker lists
 * the radio at 127.0.0.2 (--public-ip), where a stand-in listens on the simulator's TLS port number.
 */
async function smartLinkTo(standIn: (socket: Socket) => void): Promise<AnalysisReport> {
  return withSim({ broker: true, publicIp: '127.0.0.2' }, async (sim) => {
    const sockets = new Set<Socket>();
    const server: Server = createServer((s) => {
      sockets.add(s);
      s.on('error', () => undefined);
      s.on('close', () => sockets.delete(s));
      standIn(s);
    });
    await new Promise<void>((r) => server.listen(sim.ports.tls, '127.0.0.2', () => r()));
    try {
      const quiet = ['--discovery-port', String(await freeUdpPort())];
      const r = await runCli(['diagnose', '--smartlink', '--broker', `127.0.0.1:${sim.ports.broker}`, '--broker-test-ca', '--seconds', '10', '--format', 'json', '--no-redact', ...quiet], {
        timeoutMs: EXIT_WITHIN_MS,
        env: { FLEXPATH_SMARTLINK_TOKEN: 'lab-sessions-token' },
      });
      return parsed(r);
    } finally {
      for (const s of sockets) s.destroy();
      await new Promise<void>((r) => server.close(() => r()));
    }
  });
}

test('SmartLink: the radio’s TLS port resets the handshake — a control-plane verdict naming the TLS handshake, exit 0 (fails before: "does not answer")', async () => {
  const r = await smartLinkTo((s) => s.resetAndDestroy());
  assert.equal(r.verdict.status, 'blocked');
  assert.equal(r.verdict.hop, 'control');
  assert.equal(r.verdict.rule, 'control-tls-failed');
  assert.match(r.verdict.summary, /TLS handshake with the radio’s control port 127\.0\.0\.2:\d+ failed: the far end reset the connection/);
});

test('SmartLink: the radio’s TLS port answers in plain text (a port forward to another service) — the verdict says it does not speak TLS', async () => {
  const r = await smartLinkTo((s) => s.end('HTTP/1.1 400 Bad Request\r\n\r\n'));
  assert.equal(r.verdict.rule, 'control-tls-failed');
  assert.match(r.verdict.summary, /does not speak TLS/);
  // Node's error message is OpenSSL's, ending in a line break: the evidence quotes it on one printable line.
  const control = r.hops.find((h) => h.id === 'control')?.evidence ?? [];
  assert.ok(control.some((l) => /could not open the control channel: .*wrong version number.*:\d+:$/.test(l)), control.join('\n'));
  for (const line of [...r.hops.flatMap((h) => h.evidence), ...r.warnings]) assert.doesNotMatch(line, /[\x00-\x1f\x7f-\x9f]/, line);
});

test('SmartLink: the radio’s TLS port completes the handshake and resets 1 s into the session — reset after the session was up, not a data-plane verdict', async () => {
  let server: ReturnType<typeof createTlsServer> | undefined;
  // A TLS endpoint that sends the prologue (reference §5.2) and then resets: decrypting stand-in in front of the raw socket.
  const r = await smartLinkTo((raw) => {
    server ??= createTlsServer({ cert: SIM_SERVER_CERT, key: SIM_SERVER_KEY }, (t) => {
      t.on('error', () => undefined);
      t.write('V1.4.0.0\nH1A2B3C4D\n');
      setTimeout(() => raw.resetAndDestroy(), 1000);
    });
    server.on('tlsClientError', () => undefined);
    server.emit('connection', raw);
  });
  assert.equal(r.verdict.hop, 'control');
  assert.equal(r.verdict.rule, 'control-reset-by-radio');
  // Live, the TLS connection is FlexPath's own: its headline and evidence name TLS as a capture's would.
  assert.match(r.verdict.summary, /^The control connection \(TLS, SmartLink\) was reset from the radio’s side after 1\.\d s/);
  assert.match(r.hops.find((h) => h.id === 'control')?.evidence.join('\n') ?? '', /→ 127\.0\.0\.2:\d+ \(TLS\): V1\.4\.0\.0/);
});
