/**
 * What a flood of TCP connections costs the heap (issue 13, many-sessions family): past maxDirections each
 * new connection forgets the oldest, and the forgotten direction's object serves the new one. Made afresh,
 * each lived through maxDirections others, long enough to reach V8's old generation, and died there: the
 * largest share of what the sessions family promoted (sampling heap profiler: 67 of 240 MB per 200 MB).
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { DEFAULT_TCP_LIMITS, TCP_FLAG, TcpReassembler } from '../../src/capture/tcp.js';
import type { NetEvent } from '../../src/capture/types.js';

test('a flood of TCP connections makes no more direction objects than the table holds, each connection reassembled as before', () => {
  const maxDirections = 256;
  const counts = { open: 0, data: 0, gap: 0, close: 0 };
  const sink = (e: NetEvent): void => {
    if (e.type === 'tcp-open') counts.open++;
    else if (e.type === 'tcp-data') counts.data += e.data.length;
    else if (e.type === 'tcp-gap') counts.gap++;
    else if (e.type === 'tcp-close') counts.close++;
  };
  const tcp = new TcpReassembler(sink, { ...DEFAULT_TCP_LIMITS, maxDirections });
  const radio = { ip: '192.168.1.20', port: 4992 };
  const text = Buffer.from('C1|ping\nC2|sub slice all\n');
  const all = 10_000;
  for (let i = 0; i < all; i++) {
    const c = { ip: `10.0.${(i >> 8) & 255}.${i & 255}`, port: 1024 + (i % 60_000) };
    const isn = Math.imul(i, 0x9e3779b1) >>> 0;
    tcp.segment(i * 1e-3, c, radio, isn, TCP_FLAG.SYN, Buffer.alloc(0));
    // Every third connection: its text in two segments, the second first (held behind a hole, then
    // drained); every second ends with a FIN. A reused direction inherits neither.
    const fin = i % 2 === 1 ? TCP_FLAG.FIN : 0;
    if (i % 3 === 0) {
      tcp.segment(i * 1e-3, c, radio, (isn + 1 + 10) >>> 0, TCP_FLAG.ACK | fin, text.subarray(10));
      tcp.segment(i * 1e-3, c, radio, (isn + 1) >>> 0, TCP_FLAG.ACK, text.subarray(0, 10));
    } else tcp.segment(i * 1e-3, c, radio, (isn + 1) >>> 0, TCP_FLAG.ACK | fin, text);
  }
  tcp.finish(all);
  // One per place in the table; 10 000 before (one per connection).
  assert.equal(tcp.directionsMade, maxDirections);
  assert.equal(counts.open, all);
  assert.equal(counts.data, all * text.length, 'every byte of every connection, once');
  assert.equal(counts.gap, 0, 'each held segment was drained, no hole given up');
  assert.equal(counts.close, all / 2, 'each FIN closed its own connection');
});
