import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createReplayCollector, narrowBins, REPLAY_MAX_BINS, REPLAY_MAX_FRAMES } from '../../src/bridge/replay.js';

test('narrowBins keeps the pick of each group: 8 bins into 4 columns', () => {
  assert.deepEqual(narrowBins([5, 1, 7, 3, 9, 9, 0, 2], 4, Math.min), [1, 3, 9, 0]);
  assert.deepEqual(narrowBins([5, 1, 7, 3, 9, 9, 0, 2], 4, Math.max), [5, 7, 9, 2]);
  assert.deepEqual(narrowBins([1, 2], 4, Math.max), [1, 2]);
});

test('an hour of 25-fps frames stays within the frame bound, evenly spread over the capture', () => {
  const c = createReplayCollector();
  const bins = new Uint16Array(4096).fill(7);
  const n = 25 * 3600;
  for (let i = 0; i < n; i++) c.fft('0x40000000', 1000 + i / 25, bins);
  const { replay } = c.result(1000, 1000 + (n - 1) / 25, false);
  assert.ok(replay);
  assert.ok(replay.fft.length <= REPLAY_MAX_FRAMES && replay.fft.length > REPLAY_MAX_FRAMES / 2, `${replay.fft.length} frames`);
  assert.equal(replay.fft[0]!.t, 0);
  // Evenly spread: the last kept frame is in the last 1/ (kept frames) of the hour, give or take one stride.
  const last = replay.fft.at(-1)!.t;
  assert.ok(last > 3600 * (1 - 2 / replay.fft.length), `last kept frame at ${last} s`);
  assert.equal(replay.fft[0]!.bins.length, REPLAY_MAX_BINS);
});

test('a second panadapter does not mix into the first; series points come once per capture second', () => {
  const c = createReplayCollector();
  c.fft('0x40000000', 10, [1, 2, 3]);
  c.fft('0x40000001', 10.1, [9, 9, 9]);
  let reads = 0;
  const totals = () => {
    reads++;
    return new Map([['meter', { packets: reads * 28, lost: 0 }]] as const);
  };
  for (let k = 0; k <= 500; k++) c.tick(10 + k / 100, totals);
  const { replay, series } = c.result(10, 15, false);
  assert.equal(replay!.fft.length, 1);
  assert.deepEqual(replay!.fft[0]!.bins, [1, 2, 3]);
  assert.equal(series.length, 5);
  assert.equal(reads, 5);
  assert.ok(series.every((p) => Math.abs((p.rate.meter ?? 0) - 28) < 0.5), JSON.stringify(series.map((p) => p.rate.meter)));
});
