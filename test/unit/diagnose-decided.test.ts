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
