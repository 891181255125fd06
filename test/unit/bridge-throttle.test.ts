import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createThrottle } from '../../src/bridge/throttle.js';

test('throttle: first value at once, a burst collapses to the latest, at most maxPerSecond', (t) => {
  t.mock.timers.enable({ apis: ['setTimeout'] });
  let clock = 0;
  const sent: number[] = [];
  const th = createThrottle<number>({ maxPerSecond: 10, send: (v) => sent.push(v), now: () => clock });
  th.push(1);
  assert.deepEqual(sent, [1]);
  // 1000 values within the next 100 ms: only the last may go out, and only when 100 ms have passed.
  for (let i = 2; i <= 1001; i++) th.push(i);
  assert.deepEqual(sent, [1]);
  clock = 99;
  t.mock.timers.tick(99);
  assert.deepEqual(sent, [1]);
  clock = 100;
  t.mock.timers.tick(1);
  assert.deepEqual(sent, [1, 1001]);
});

test('throttle: a push every ms for one simulated second is sent at most maxPerSecond, yet keeps up', (t) => {
  t.mock.timers.enable({ apis: ['setTimeout'] });
  for (const rate of [10, 25]) {
    let clock = 0;
    const times: number[] = [];
    const th = createThrottle<number>({ maxPerSecond: rate, send: () => times.push(clock), now: () => clock });
    for (let ms = 0; ms < 1000; ms++) {
      th.push(ms);
      clock++;
      t.mock.timers.tick(1);
    }
    th.close();
    const gaps = times.slice(1).map((x, i) => x - (times[i] ?? 0));
    assert.ok(gaps.every((g) => g >= 1000 / rate), `gaps ${gaps.join(',')} at ${rate}/s`);
    // a busy source still gets its full share: sends at 0, 1000/rate, … up to 1000 ms
    assert.equal(times.length, rate + 1);
  }
});

test('throttle: merge keeps what the latest-wins rule would lose; flush sends now; discard drops', (t) => {
  t.mock.timers.enable({ apis: ['setTimeout'] });
  let clock = 0;
  const sent: number[][] = [];
  const th = createThrottle<number[]>({ maxPerSecond: 25, send: (v) => sent.push(v), now: () => clock, merge: (p, n) => [...p, ...n] });
  th.push([1]);
  th.push([2]);
  th.push([3]);
  th.flush();
  assert.deepEqual(sent, [[1], [2, 3]]);
  th.push([4]);
  th.discard();
  clock = 1000;
  t.mock.timers.tick(1000);
  assert.deepEqual(sent, [[1], [2, 3]]);
  th.push([5]);
  assert.deepEqual(sent, [[1], [2, 3], [5]]);
  th.close();
  th.push([6]);
  th.flush();
  assert.equal(sent.length, 3);
});
