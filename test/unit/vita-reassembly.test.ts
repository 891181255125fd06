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

test('an incomplete frame is broken once a frame two indices newer starts; one reordered packet is tolerated', () => {
  const a = new FftFrameAssembler();
  const p = (count: number, frame: number, start: number, bins: number[]) => fftPayload(fftPacket(0x40000000, count, frame, start, bins, 4));
  a.push(p(0, 1, 0, [1, 2]));
  a.push(p(1, 2, 0, [5, 6]));
  // The second half of frame 1 arrives after frame 2 began: still completes frame 1.
  assert.deepEqual(Array.from(a.push(p(2, 1, 2, [3, 4]))?.bins ?? []), [1, 2, 3, 4]);
  assert.deepEqual(Array.from(a.push(p(3, 2, 2, [7, 8]))?.bins ?? []), [5, 6, 7, 8]);
  // Frame 3 loses its second half; frame 5 starting makes it stale; frames 5 and 6 stay open at the end.
  a.push(p(4, 3, 0, [1, 1]));
  a.push(p(5, 5, 0, [1, 1]));
  assert.equal(a.broken, 1);
  a.push(p(6, 6, 0, [1, 1]));
  // A duplicate of a completed frame neither completes it again nor breaks anything.
  assert.equal(a.push(p(7, 2, 2, [7, 8])), undefined);
  a.finish();
  assert.equal(a.completed, 2);
  assert.equal(a.broken, 3);
});

test('counting mode keeps no bins but gives the same completed/broken figures', () => {
  const keep = new FftFrameAssembler();
  const count = new FftFrameAssembler({ keepBins: false });
  for (let f = 0; f < 50; f++) {
    for (const start of [0, 400, 800]) {
      if (f % 7 === 3 && start === 400) continue;
      const frag = fftPayload(fftPacket(0x40000000, 0, f, start, new Array(start === 800 ? 230 : 400).fill(f), 1030));
      keep.push(frag);
      const { bins: _bins, ...noBins } = frag;
      count.push(noBins);
    }
  }
  keep.finish();
  count.finish();
  // 50 frames, every 7th from frame 3 (3, 10, 17, 24, 31, 38, 45) misses its middle fragment.
  assert.equal(keep.completed, 43);
  assert.equal(keep.broken, 7);
  assert.equal(count.completed, 43);
  assert.equal(count.broken, 7);
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

test('count(), the analysis path, takes plain header fields and completes/breaks exactly what push() does', () => {
  // Waterfall: 30 lines of 4 × 684 + 624 tiles. Line 4 loses its middle tile, line 9 arrives in reverse,
  // line 12's first tile comes again after the line completed, line 20 is a two-row tile (not reassembled).
  const starts = [0, 684, 1368, 2052, 2736];
  const tiles: Array<{ timecode: number; firstBin: number; width: number; height: number; totalBins: number }> = [];
  for (let tc = 0; tc < 30; tc++) {
    const order = tc === 9 ? [...starts].reverse() : starts;
    for (const s of order) {
      if (tc === 4 && s === 1368) continue;
      tiles.push({ timecode: tc, firstBin: s, width: s === 2736 ? 624 : 684, height: tc === 20 ? 2 : 1, totalBins: 3360 });
    }
    if (tc === 12) tiles.push({ timecode: 12, firstBin: 0, width: 684, height: 1, totalBins: 3360 });
  }
  const byPush = new WaterfallLineAssembler({ keepBins: false });
  const byCount = new WaterfallLineAssembler({ keepBins: false });
  const completedAt: number[] = [];
  for (const [i, t] of tiles.entries()) {
    const pushed = byPush.push(t) !== undefined;
    const counted = byCount.count(t.timecode, t.firstBin, t.width, t.height, t.totalBins);
    assert.equal(counted, pushed, `tile #${i}`);
    if (counted) completedAt.push(t.timecode);
  }
  // 30 lines less line 4 (a tile lost) and line 20 (two rows); line 4 goes stale once line 15 starts.
  assert.deepEqual(completedAt, [...Array(30).keys()].filter((tc) => tc !== 4 && tc !== 20));
  assert.equal(byCount.completed, 28);
  assert.equal(byCount.broken, 1);

  // FFT: 20 frames of 3 × 684 bins; frame 5 loses its middle fragment; frame 8's last fragment comes
  // after frame 9's first (tolerated: a frame stays open until one two indices newer starts).
  const frags: Array<[number, number]> = [];
  for (let f = 0; f < 20; f++) for (const s of [0, 684, 1368]) if (!(f === 5 && s === 684)) frags.push([f, s]);
  const late = frags.findIndex(([f, s]) => f === 8 && s === 1368);
  const [moved] = frags.splice(late, 1);
  frags.splice(late + 1, 0, moved!);
  const fftPush = new FftFrameAssembler({ keepBins: false });
  const fftCount = new FftFrameAssembler({ keepBins: false });
  for (const [f, s] of frags) {
    assert.equal(fftCount.count(f, s, 684, 2052), fftPush.push({ frameIndex: f, startBin: s, numBins: 684, totalBins: 2052 }) !== undefined);
  }
  fftCount.finish();
  assert.equal(fftCount.completed, 19);
  assert.equal(fftCount.broken, 1);
});
