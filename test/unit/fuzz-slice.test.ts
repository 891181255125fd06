/**
 * The CI slice of `npm run fuzz`: the same category functions with small counts and a fixed seed (a few
 * seconds), plus the watchdog that the full run relies on to catch hangs and memory growth.
 * FLEXPATH_FUZZ_SEED tries another seed.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Worker } from 'node:worker_threads';
import { fuzzCaptures } from '../fuzz/captures.js';
import { fuzzCodec, fuzzTracker } from '../fuzz/datagrams.js';
import type { FuzzResult } from '../fuzz/harness.js';
import { fuzzHostile } from '../fuzz/hostile.js';
import { fuzzLines } from '../fuzz/lines.js';
import { DEFAULT_LIMITS, RssMeter, runWatched, watch } from '../fuzz/watchdog.js';

const seed = Number(process.env.FLEXPATH_FUZZ_SEED ?? 0x5eed1);
/** Only a hang guard here: a slice input normally takes well under 10 ms. */
const slowMs = 30_000;

function count(r: FuzzResult, prefix: string): number {
  return Object.entries(r.outcomes).reduce((n, [k, v]) => (k.startsWith(prefix) ? n + v : n), 0);
}

test(`codec: 100 000 mutated and truncated datagrams → only DecodeError; scan, decode and encode agree (seed ${seed})`, () => {
  const r = fuzzCodec({ seed, count: 100_000, slowMs });
  assert.deepEqual(r.failures, []);
  assert.equal(r.inputs, 100_000);
  assert.ok(count(r, 'DecodeError') > 3000, 'mutations reach the error paths');
  assert.ok(count(r, 'decoded') > 3000, 'mutations reach the decode paths');
  for (const kind of ['panadapter', 'waterfall', 'meter', 'discovery', 'audio', 'dax-iq']) assert.ok(count(r, `decoded: ${kind}`) > 0, kind);
});

test(`tracker: 20 000 datagrams through Analyzer.feed never throw; every scanned packet is counted (seed ${seed})`, () => {
  const r = fuzzTracker({ seed, count: 20_000, slowMs });
  assert.deepEqual(r.failures, []);
  assert.equal(r.outcomes['snapshot report ok'], 4);
  assert.equal(r.outcomes['final report ok'], 1);
  assert.ok(count(r, 'fed: VITA-49') > 2000 && count(r, 'fed: not VITA-49') > 2000);
  assert.ok(count(r, 'malformed payloads') > 0, 'payload checks in the tracker are reached');
});

test(`captures: 40 mutated pcap/pcapng files → a report or a DecodeError with an offset (seed ${seed})`, async () => {
  const r = await fuzzCaptures({ seed, count: 40, slowMs });
  assert.deepEqual(r.failures, []);
  assert.equal(r.inputs, 40);
  assert.ok(count(r, 'report with warnings') > 0 && count(r, 'report') > count(r, 'report with warnings'));
});

test(`lines: 5000 mutated API and broker lines → parseLine throws only DecodeError; the control tracker never throws (seed ${seed})`, () => {
  const r = fuzzLines({ seed, count: 5000, slowMs });
  assert.deepEqual(r.failures, []);
  assert.equal(r.outcomes['snapshot report ok'], 5);
  assert.equal(r.outcomes['final report ok'], 1);
  assert.ok(count(r, 'parsed') > 500 && count(r, 'DecodeError') > 500);
});

test(`hostile: 8 captures of fragment floods, TCP holes, many sessions, many stream IDs → a sound report within the bounds (seed ${seed})`, async () => {
  const r = await fuzzHostile({ seed, count: 8, slowMs });
  assert.deepEqual(r.failures, []);
  assert.equal(count(r, 'report: '), 8);
});

test('the watched runner returns a worker\'s result', async () => {
  const w = await runWatched('codec', { seed, count: 2000, slowMs }, DEFAULT_LIMITS, new RssMeter());
  assert.equal(w.failure, undefined);
  assert.equal(w.result?.inputs, 2000);
});

test('the watchdog stops a worker stuck in an input and names the input; and one past the memory limit', async () => {
  const beat = new SharedArrayBuffer(4);
  const stuck = new Worker("const { workerData } = require('node:worker_threads'); Atomics.store(new Int32Array(workerData), 0, 7); for (;;) {}", { eval: true, workerData: beat });
  const hang = await watch(stuck, new Int32Array(beat), 'selftest', { hangMs: 300, maxRssMb: 1e6 }, new RssMeter(), (i) => `replay ${i}`);
  assert.equal(hang.result, undefined);
  assert.match(hang.failure ?? '', /^selftest input 7: still running after 300 ms, stopped \(hang\)\n {4}replay: replay 7$/);

  const idle = new Worker('setTimeout(() => {}, 60000)', { eval: true });
  const mem = await watch(idle, new Int32Array(new SharedArrayBuffer(4)), 'selftest', { hangMs: 1e6, maxRssMb: 1 }, new RssMeter(), (i) => `replay ${i}`);
  assert.match(mem.failure ?? '', /^selftest input 0: process RSS \d+ MB passed 1 MB, stopped/);
});
