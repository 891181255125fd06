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

/**
 * Object 1 for FIRST_S, silent GAP_S, object 2 for SECOND_S, `perS` units a second, each unit's packets
 * from `unit(index, nextCount)` with the counter from 0 for each object; asserts the tap got every unit
 * of both, the second object's from index 0 in order.
 */
function remade(perS: number, tap: (t: StreamTracker, got: number[]) => void, unit: (index: number, next: () => number) => Buffer[]): void {
  const t = new StreamTracker();
  const got: number[] = [];
  tap(t, got);
  const send = (startS: number, n: number): void => {
    let count = 0;
    const next = (): number => count++ & 15;
    for (let i = 0; i < n; i++) unit(i, next).forEach((p, k) => t.push(udp(startS + i / perS + k * 0.0001, p)));
  };
  const [n1, n2] = [FIRST_S * perS, SECOND_S * perS];
  send(0, n1);
  send(FIRST_S + GAP_S, n2);
  assert.equal(got.length, n1 + n2);
  assert.deepEqual(got.slice(n1), Array.from({ length: n2 }, (_, i) => i));
}

test('FFT: the frames of a pan made anew after a silence reach the tap, each once (fails before: 50 of 75, the new object’s frames 0… were stale)', () => {
  remade(
    25,
    (t, got) => t.setTaps((_st, f) => got.push(f.frameIndex), undefined),
    (i, next) => [fftPacket(0x40000000, next(), i, 0, new Array(50).fill(15), 50)],
  );
});

test('waterfall: the lines of a pan made anew after a silence reach the tap, each once (fails before: 40 of 60)', () => {
  // 3360 bins as 4 × 684 + 624 (reference §3.2), the tiles 0.1 ms apart.
  remade(
    20,
    (t, got) => t.setTaps(undefined, (_st, l) => got.push(l.timecode)),
    (i, next) => [0, 1, 2, 3, 4].map((tile) => waterfallPacket(0x42000000, next(), i, tile * 684, tile === 4 ? 624 : 684, 3360)),
  );
});
