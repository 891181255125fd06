/**
 * When a live run may end (walk.ts `decided`): a hop blocked by a rule with its own bar of evidence ends
 * it as soon as the rule calls it; another blocked hop only after COUNTED_BLOCK_AFTER_S of stream setup; a
 * flowing path after the settle time. Hops are written by hand; no clock is read.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Hop, HopId } from '../../src/analysis/model.js';
import { COUNTED_BLOCK_AFTER_S, decided } from '../../src/diagnose/walk.js';

const hop = (id: HopId, status: Hop['status'], rule: string): Hop => ({ id, plane: 'data', status, rule, evidence: [] });
const flowing = [hop('udp-return', 'ok', 'udp-return-ok'), hop('data:meter', 'ok', 'data-arrives')];

test('a hop blocked on silence, or on the MTU signature, ends the run at once (regression: the old fixed 2-s grace held every verdict back)', () => {
  for (const [id, rule] of [
    ['udp-return', 'udp-return-no-data'],
    ['udp-return', 'udp-return-nat'],
    ['data:waterfall', 'data-missing-large'],
    // A listener that sees a session's MTU steps: silence plus the steps.
    ['data:waterfall', 'data-missing-any-size'],
    ['data:panadapter', 'data-missing'],
    // MTU_MIN_FRAMES broken frames without one first fragment: a bar of its own.
    ['data:waterfall', 'data-first-fragments-missing'],
  ] as const) {
    assert.equal(decided([...flowing, hop(id, 'blocked', rule)], 0.6, 10), true, rule);
  }
});

test('a hop blocked by counted frames or ports waits for COUNTED_BLOCK_AFTER_S', () => {
  const frames = [...flowing, hop('data:waterfall', 'blocked', 'data-frames-lost')];
  assert.equal(decided(frames, COUNTED_BLOCK_AFTER_S - 0.01, 10), false);
  assert.equal(decided(frames, COUNTED_BLOCK_AFTER_S, 10), true);
  const port = [hop('udp-return', 'blocked', 'udp-return-other-port')];
  assert.equal(decided(port, COUNTED_BLOCK_AFTER_S - 0.01, 10), false);
  assert.equal(decided(port, COUNTED_BLOCK_AFTER_S, 10), true);
});

test('a flowing path, or one still too early to judge, runs until the settle time', () => {
  assert.equal(decided(flowing, 9.99, 10), false);
  assert.equal(decided(flowing, 10, 10), true);
  const early = [hop('udp-return', 'unknown', 'udp-return-too-early'), hop('data:meter', 'unknown', 'data-too-early')];
  assert.equal(decided(early, 3, 10), false);
});

// Data that flowed and went silent for STOPPED_AFTER_S (3 s, rules.ts) may come back: then the silence
// was an outage. Regression (issue 11): a 3-s or 5-s drop ended a live run at 2 s of setup + 3 s of
// silence with 'stopped', while the capture of the same session, where the data comes back, said outage.
const stopped = [hop('udp-return', 'blocked', 'udp-return-stopped'), hop('data:meter', 'ok', 'data-arrives')];
const classStopped = [...flowing, hop('data:panadapter', 'blocked', 'data-stopped')];

test('a hop stopped after it flowed does not end the run before the settle time: the data may come back', () => {
  for (const hops of [stopped, classStopped]) {
    // 5 s into a 10-s run, 3 s after the data stopped: before the fix this was the end of the run.
    assert.equal(decided(hops, 5, 10, 3), false, hops.map((h) => h.rule).join());
    assert.equal(decided(hops, 9.99, 10, 7.99), false);
    // At the settle time a stop that lasted the whole wait stands: the run does not go on for ever.
    assert.equal(decided(hops, 10, 10, 8), true);
  }
});

test('a blocked hop of another kind still ends the run at once beside a stopped one', () => {
  assert.equal(decided([...stopped, hop('data:waterfall', 'blocked', 'data-frames-lost')], COUNTED_BLOCK_AFTER_S, 10, 3), true);
});

test('at the settle time a silence in progress holds the run until the data comes back or has stopped', () => {
  // 0.5 s (OUTAGE_MIN_S) to 3 s (STOPPED_AFTER_S) of silence: neither a flowing path nor a stopped one yet.
  assert.equal(decided(flowing, 10, 10, 0.5), false);
  assert.equal(decided(flowing, 12.5, 10, 2.99), false);
  // Back (the silence in progress is again one packet period): the outage is in the evidence, the run ends.
  assert.equal(decided(flowing, 12.6, 10, 0.04), true);
  // Not back after 3 s: stopped, and that stands.
  assert.equal(decided(stopped, 13, 10, 3), true);
  // A gap shorter than an outage does not hold the run.
  assert.equal(decided(flowing, 10, 10, 0.49), true);
});
