/**
 * What a flood of fragmented datagrams costs the heap (issue 13, fragment-flood family): the record of a
 * finished datagram (completed, dropped incomplete, evicted) serves a later one with its tables. Made
 * afresh, a record left incomplete lived through maxPending newer datagrams, reached V8's old generation
 * and died there (fragments family, sampling heap profiler: most of the 58 MB it promoted per 200 MB).
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { DEFAULT_DEFRAG_LIMITS, Defragmenter } from '../../src/capture/ip.js';

test('a flood of fragmented datagrams makes about as many reassembly records as wait at once, each datagram whole and right', () => {
  const maxPending = 16;
  const defrag = new Defragmenter({ ...DEFAULT_DEFRAG_LIMITS, maxPending });
  const datagrams = 6000;
  let complete = 0;
  let correct = 0;
  let expected = 0;
  for (let id = 0; id < datagrams; id++) {
    const size = 1600 + ((id * 7919) % 9000);
    // One in ten cut into 8-byte pieces (a datagram of hundreds of runs), the rest at 1480 or 512.
    const piece = id % 10 === 0 ? 8 : id % 2 === 0 ? 1480 : 512;
    const payload = Buffer.alloc(size, id & 0xff);
    const offs: number[] = [];
    for (let off = 0; off < size; off += piece) offs.push(off);
    // Reversed, or every other one first; one datagram in three misses a piece (left waiting until
    // maxPending newer ones push it out).
    const order = id % 2 === 0 ? offs.reverse() : [...offs.filter((_, i) => i % 2 === 1), ...offs.filter((_, i) => i % 2 === 0)];
    if (id % 3 === 1) order.splice(id % order.length, 1);
    else expected++;
    for (const off of order) {
      const whole = defrag.add(`d${id}`, id * 1e-4, off, off + piece < size, payload.subarray(off, Math.min(size, off + piece)));
      if (whole !== undefined) {
        complete++;
        if (whole.length === size && whole.every((b) => b === (id & 0xff))) correct++;
      }
    }
  }
  defrag.finish();
  assert.equal(complete, expected, 'every datagram with all its pieces came out');
  assert.equal(correct, complete, 'each whole and right');
  assert.equal(defrag.counters.incomplete, datagrams - expected);
  // At most maxPending wait incomplete, plus the one coming in: 6000 records before (one per datagram).
  assert.ok(defrag.recordsMade <= maxPending + 1, `${defrag.recordsMade} records made`);
});
