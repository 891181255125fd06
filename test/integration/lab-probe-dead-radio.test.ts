/**
 * Lab probe: `diagnose --host` pointed at something that accepts TCP and never speaks (a wrong address
 * whose port 4992 is open, a radio whose API hangs, a middlebox that accepts every connection). The radio
 * sends V and H as it accepts (reference §5.2); without them there is no session, and the client must
 * give up and end the connection: before, the socket stayed open, and the CLI printed its verdict and
 * then never exited.
 */
import assert from 'node:assert/strict';
import { once } from 'node:events';
import { type AddressInfo, createServer, type Socket } from 'node:net';
import { test } from 'node:test';
import { ApiClient } from '../../src/api/client.js';

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
