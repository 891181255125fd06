/**
 * The 4-bit counter's ambiguity at a stream's very start (sequence.ts PRE_START): a packet overtaken by
 * more than 3 before any other was seen reads, by the counter alone, as a jump. FFT and waterfall packets
 * carry their place (frame index and first bin), so there it is a late packet. Orders and counts from the
 * construction: packets built with test/helpers/packets.ts, counters as a radio sends them.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { StreamTracker } from '../../src/analysis/stream-tracker.js';
import type { UdpEvent } from '../../src/capture/types.js';
import { fftPacket, waterfallPacket } from '../helpers/packets.js';

const SRC = { ip: '192.168.10.27', port: 4993 };
const DST = { ip: '192.168.10.20', port: 4991 };
const udp = (ts: number, payload: Buffer): UdpEvent => ({ type: 'udp', ts, src: SRC, dst: DST, payload, df: true, ipLength: payload.length + 28 });

/** Sent order 0…n-1, arriving as `order` (indices into it), 1 ms apart: the tracker sees only arrival order and time. */
function track(packets: Buffer[], order: number[]): { lost: number; late: number } {
  const t = new StreamTracker();
  order.forEach((i, k) => t.push(udp(1000 + k * 0.001, packets[i]!)));
  const st = t.streams[0]!;
  return { lost: st.seq.lost, late: st.seq.outOfOrder };
}

const range = (from: number, to: number): number[] => Array.from({ length: to - from }, (_, i) => from + i);

test('FFT: the first 5 frames overtaken by the next 5 at the stream’s start are late, not lost (fails before: 11 lost)', () => {
  const frames = range(0, 30).map((i) => fftPacket(0x40000000, i & 15, i, 0, new Array(50).fill(15), 50));
  assert.deepEqual(track(frames, [...range(5, 10), ...range(0, 5), ...range(10, 30)]), { lost: 0, late: 5 });
});

test('waterfall: line 0’s 5 tiles overtaken by line 1’s at the start are late, not lost (fails before)', () => {
  const tiles = range(0, 40).map((i) => waterfallPacket(0x42000000, i & 15, Math.floor(i / 5), (i % 5) * 684, i % 5 === 4 ? 624 : 684, 3360));
  assert.deepEqual(track(tiles, [...range(5, 10), ...range(0, 5), ...range(10, 40)]), { lost: 0, late: 5 });
});

test('FFT: frames really missing at the start still count — 0…4, then 10… (5 lost, none late)', () => {
  const frames = range(0, 30).map((i) => fftPacket(0x40000000, i & 15, i, 0, new Array(50).fill(15), 50));
  assert.deepEqual(track(frames, [...range(0, 5), ...range(10, 30)]), { lost: 5, late: 0 });
});
