/**
 * The panadapter's own reassemblers (StreamTracker taps, what the UI paints): a pan made anew under the same
 * stream ID after a silence (its FFT frame index / waterfall timecode from 0 again) is painted, not dropped
 * as frames older than the old object's newest. Packets from test/helpers/packets.ts; counts from the construction.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { StreamTracker } from '../../src/analysis/stream-tracker.js';
import type { UdpEvent } from '../../src/capture/types.js';
import { fftPacket, waterfallPacket } from '../helpers/packets.js';

const SRC = { ip: '192.168.10.27', port: 4993 };
const DST = { ip: '192.168.10.20', port: 4991 };
const udp = (ts: number, payload: Buffer): UdpEvent => ({ type: 'udp', ts, src: SRC, dst: DST, payload, df: true, ipLength: payload.length + 28 });

// Object 1 for 2 s, silent 1 s, object 2 for 1 s: long enough for the tracker to measure the rate (1 s) before the silence.
const FIRST_S = 2;
const GAP_S = 1;
const SECOND_S = 1;

test('FFT: the frames of a pan made anew after a silence reach the tap, each once (fails before: the new object’s frames 0… were stale)', () => {
  const t = new StreamTracker();
  const frames: number[] = [];
  t.setTaps((_st, f) => frames.push(f.frameIndex), undefined);
  const fps = 25;
  let count = 0;
  const send = (startS: number, n: number): void => {
    for (let i = 0; i < n; i++) t.push(udp(startS + i / fps, fftPacket(0x40000000, count++ & 15, i, 0, new Array(50).fill(15), 50)));
  };
  const n1 = FIRST_S * fps;
  const n2 = SECOND_S * fps;
  send(0, n1);
  count = 0;
  send(FIRST_S + GAP_S, n2);
  assert.equal(frames.length, n1 + n2);
  assert.deepEqual(frames.slice(n1), Array.from({ length: n2 }, (_, i) => i));
});

test('waterfall: the lines of a pan made anew after a silence reach the tap, each once (fails before)', () => {
  const t = new StreamTracker();
  const lines: number[] = [];
  t.setTaps(undefined, (_st, l) => lines.push(l.timecode));
  const lps = 20;
  let count = 0;
  const send = (startS: number, n: number): void => {
    for (let i = 0; i < n; i++) {
      // 3360 bins as 4 × 684 + 624 (reference §3.2), the tiles 0.1 ms apart.
      for (let tile = 0; tile < 5; tile++) t.push(udp(startS + i / lps + tile * 0.0001, waterfallPacket(0x42000000, count++ & 15, i, tile * 684, tile === 4 ? 624 : 684, 3360)));
    }
  };
  const n1 = FIRST_S * lps;
  const n2 = SECOND_S * lps;
  send(0, n1);
  count = 0;
  send(FIRST_S + GAP_S, n2);
  assert.equal(lines.length, n1 + n2);
  assert.deepEqual(lines.slice(n1), Array.from({ length: n2 }, (_, i) => i));
});
