import assert from 'node:assert/strict';
import { test } from 'node:test';
import { runCli } from '../helpers/cli.js';

test('flexpath sim prints its ports, runs for --seconds, then says what it sent', async () => {
  const r = await runCli(['sim', '--port-base', '0', '--seconds', '1.5', '--discovery', 'off', '--fault', 'loss=5'], { timeoutMs: 15_000 });
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /SIMULATED/);
  assert.match(r.stdout, /API tcp \d+ {3}data udp \d+ {3}WAN tls \d+/);
  assert.match(r.stdout, /faults: loss=5/);
  assert.match(r.stdout, /^sent: 0 beacons$/m);
});

test('flexpath sim: a bad fault or option is a usage error (exit 2) that names it', async () => {
  const bad = await runCli(['sim', '--fault', 'mtu']);
  assert.equal(bad.code, 2);
  assert.match(bad.stderr, /fault "mtu" needs a value/);
  const unknown = await runCli(['sim', '--fault', 'gremlins']);
  assert.equal(unknown.code, 2);
  assert.match(unknown.stderr, /unknown fault "gremlins"/);
  const model = await runCli(['sim', '--model', 'FLEX-1']);
  assert.equal(model.code, 2);
});

test('flexpath sim: a port already taken is a clear error, exit 1', async () => {
  const { createServer } = await import('node:net');
  const s = createServer();
  await new Promise<void>((resolve) => s.listen(0, '127.0.0.1', () => resolve()));
  const port = (s.address() as { port: number }).port;
  try {
    const r = await runCli(['sim', '--port-base', String(port), '--seconds', '1', '--discovery', 'off']);
    assert.equal(r.code, 1);
    assert.match(r.stderr, /cannot start: .*EADDRINUSE/);
  } finally {
    s.close();
  }
});

test('flexpath sim piped into a reader that stops early (| head -1) still exits 0', async () => {
  const { spawn } = await import('node:child_process');
  const { cliPath } = await import('../helpers/paths.js');
  const child = spawn(process.execPath, [cliPath, 'sim', '--port-base', '0', '--seconds', '1', '--discovery', 'off'], { stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  // Read the first chunk, then close our end of the pipe, as `head -1` does.
  await new Promise<void>((resolve) => child.stdout.once('data', () => resolve()));
  child.stdout.destroy();
  const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
  assert.equal(code, 0, stderr);
  assert.doesNotMatch(stderr, /EPIPE|internal error/);
});
