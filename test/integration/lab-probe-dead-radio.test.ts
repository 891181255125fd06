/**
 * Lab probe: `diagnose --host` pointed at something that is not a radio answering. (1) A peer that accepts
 * TCP and never speaks (a wrong address whose port is open, a radio whose API hangs, a middlebox that
 * accepts every connection): the radio sends V and H as it accepts (reference §5.2); without them there is
 * no session, and the client must end the connection: before, the socket stayed open, and the CLI printed
 * its verdict and then never exited. (2) A port nobody listens on: the SYN is answered by a reset
 * (ECONNREFUSED), which is a refusal, not "the control channel does not answer".
 */
import assert from 'node:assert/strict';
import { once } from 'node:events';
import { mkdtempSync, rmSync } from 'node:fs';
import { type AddressInfo, createConnection, createServer, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { ApiClient } from '../../src/api/client.js';
import { analyzeCaptureFile } from '../../src/analysis/analyze-file.js';
import { readCaptureFile } from '../../src/capture/reader.js';
import { startLanDiagnosis } from '../../src/diagnose/lan.js';

/** Bound for the peer to see the connection end; the prologue wait itself is 300 ms. */
const PEER_CLOSE_BOUND_MS = 10_000;

test('a peer that accepts and stays silent: connect fails on the prologue and the connection is ended', async () => {
  const accepted: Socket[] = [];
  const server = createServer((s) => {
    s.on('error', () => undefined);
    accepted.push(s);
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  try {
    await assert.rejects(ApiClient.connect({ host: '127.0.0.1', port, timeoutMs: 300 }), /no V\/H prologue within 300 ms/);
    assert.equal(accepted.length, 1);
    const peer = accepted[0]!;
    const ended = await Promise.race([
      once(peer, 'close').then(() => true),
      new Promise<false>((resolve) => setTimeout(() => resolve(false), PEER_CLOSE_BOUND_MS).unref()),
    ]);
    assert.equal(ended, true, 'the client left the silent connection open');
  } finally {
    for (const s of accepted) s.destroy();
    server.close();
  }
});

test('diagnose at a port nobody listens on: the control hop says refused (control-refused), not a silent radio', async () => {
  const server = createServer();
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  server.close();
  await once(server, 'close');
  const r = await startLanDiagnosis({ host: '127.0.0.1', port, mode: 'probe', flexlibRange: false, dataHost: '127.0.0.1', maxSeconds: 10 }).done;
  assert.equal(r.verdict.hop, 'control', r.verdict.summary);
  const control = r.hops.find((h) => h.id === 'control');
  assert.equal(control?.rule, 'control-refused', control?.evidence.join(' | '));
  assert.match(r.verdict.summary, /refuses the control connection/);
});

/**
 * The same refusal in FlexPath's own recording (`--write`): before, a failed connect was drawn as a whole
 * handshake from 0.0.0.0 (SYN, SYN-ACK, ACK, then nothing), which `analyze` read as a control channel that
 * connected and never answered (control-silent). The recording must hold what happened: the SYN and the
 * radio's reset. Port 4992, the radio's API port (reference §0), so `analyze` knows the connection without
 * the live run's --host; 127.0.0.0/8 beyond .1, where nothing of the tests listens.
 */
test('the recording of a refused connect reads as refused too: a SYN and the reset, no handshake', async () => {
  const host = '127.77.0.1';
  const probe = createConnection({ host, port: 4992 });
  const [err] = (await once(probe, 'error').catch((e: unknown) => [e])) as [NodeJS.ErrnoException];
  assert.equal(err.code, 'ECONNREFUSED', `the test needs ${host}:4992 closed`);
  const dir = mkdtempSync(join(tmpdir(), 'flexpath-refused-'));
  const write = join(dir, 'live.pcapng');
  try {
    const live = await startLanDiagnosis({ host, port: 4992, mode: 'probe', flexlibRange: false, dataHost: '127.0.0.1', discoveryPort: false, maxSeconds: 10, write }).done;
    assert.equal(live.hops.find((h) => h.id === 'control')?.rule, 'control-refused');
    const segments: string[] = [];
    await readCaptureFile(write, (e) => {
      if (e.type === 'tcp-open' || e.type === 'tcp-reset' || e.type === 'tcp-data') segments.push(`${e.type} ${e.src.ip}:${e.src.port}`);
    });
    assert.deepEqual(segments, ['tcp-open 0.0.0.0:0', `tcp-reset ${host}:4992`], 'the SYN, then the radio’s reset');
    const rec = await analyzeCaptureFile(write);
    const control = rec.hops.find((h) => h.id === 'control');
    assert.equal(control?.rule, 'control-refused', control?.evidence.join(' | '));
    assert.equal(rec.verdict.cause, live.verdict.cause);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
