import assert from 'node:assert/strict';
import { test } from 'node:test';
import { FftFrameAssembler, WaterfallLineAssembler, decodePacket } from '../../src/vita/index.js';
import { fftPacket, waterfallPacket } from '../helpers/packets.js';

function fftPayload(buf: Buffer) {
  const p = decodePacket(buf).packet;
  assert.equal(p.kind, 'panadapter');
  if (p.kind !== 'panadapter') throw new Error('unreachable');
  return p.payload;
}

function wfPayload(buf: Buffer) {
  const p = decodePacket(buf).packet;
  if (p.kind !== 'waterfall') throw new Error('not a waterfall tile');
  return p.payload;
}

test('FFT frame of 1030 bins in 3 fragments completes once, in any order', () => {
  const total = 1030;
  const bins = Array.from({ length: total }, (_, i) => i % 497);
  const frags = [
    fftPacket(0x40000000, 0, 5, 0, bins.slice(0, 400), total),
    fftPacket(0x40000000, 1, 5, 400, bins.slice(400, 800), total),
    fftPacket(0x40000000, 2, 5, 800, bins.slice(800), total),
  ];
  const a = new FftFrameAssembler();
  assert.equal(a.push(fftPayload(frags[2]!)), undefined);
  assert.equal(a.push(fftPayload(frags[0]!)), undefined);
  const frame = a.push(fftPayload(frags[1]!));
  assert.ok(frame);
  assert.equal(frame.frameIndex, 5);
  assert.deepEqual(Array.from(frame.bins), bins);
  assert.equal(a.completed, 1);
  assert.equal(a.broken, 0);
});

test('a new frame index while the previous frame is incomplete counts one broken frame (FlexLib rule)', () => {
  const a = new FftFrameAssembler();
  a.push(fftPayload(fftPacket(0x40000000, 0, 1, 0, [1, 2], 4)));
  a.push(fftPayload(fftPacket(0x40000000, 1, 2, 0, [1, 2], 4)));
  const f = a.push(fftPayload(fftPacket(0x40000000, 2, 2, 2, [3, 4], 4)));
  assert.deepEqual(Array.from(f?.bins ?? []), [1, 2, 3, 4]);
  // Straggler of the old frame is ignored, not counted twice.
  assert.equal(a.push(fftPayload(fftPacket(0x40000000, 3, 1, 2, [3, 4], 4))), undefined);
  a.push(fftPayload(fftPacket(0x40000000, 4, 3, 0, [9], 4)));
  a.finish();
  assert.equal(a.completed, 1);
  assert.equal(a.broken, 2);
});

test('waterfall line of 3360 bins from 4 × 684 + 624 tiles (reference §3.2); a lost tile breaks the line', () => {
  const a = new WaterfallLineAssembler();
  const starts = [0, 684, 1368, 2052, 2736];
  let line;
  for (const s of starts) line = a.push(wfPayload(waterfallPacket(0x42000000, 0, 77, s, s === 2736 ? 624 : 684, 3360))) ?? line;
  assert.ok(line);
  assert.equal(line.bins.length, 3360);
  assert.equal(line.timecode, 77);
  assert.equal(line.binBandwidthHz, 46.875);
  assert.equal(line.firstBinHz, 14_000_000);
  // Next line misses its last tile; 11 timecodes later it is stale and counted broken.
  for (const s of starts.slice(0, 4)) a.push(wfPayload(waterfallPacket(0x42000000, 0, 78, s, 684, 3360)));
  for (let tc = 79; tc <= 90; tc++) for (const s of starts) a.push(wfPayload(waterfallPacket(0x42000000, 0, tc, s, s === 2736 ? 624 : 684, 3360)));
  assert.equal(a.broken, 1);
  assert.equal(a.completed, 13);
});

test('waterfall pending lines stay bounded under a flood of distinct timecodes', () => {
  const a = new WaterfallLineAssembler();
  for (let tc = 0; tc < 5000; tc++) a.push(wfPayload(waterfallPacket(0x42000000, 0, tc, 0, 10, 20)));
  a.finish();
  // Every line was started and none completed: all 5000 are broken, none silently forgotten.
  assert.equal(a.broken, 5000);
  assert.equal(a.completed, 0);
});
