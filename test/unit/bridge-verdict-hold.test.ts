import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { AnalysisReport, Cause, HopStatus, VerdictStatus } from '../../src/analysis/model.js';
import { createVerdictHold } from '../../src/bridge/verdict-hold.js';

/** A report whose panadapter hop and verdict are what the test says. */
function report(pan: HopStatus, v: VerdictStatus, cause?: Cause): AnalysisReport {
  return {
    source: { file: 'live', packets: 1, bytes: 1, durationS: 1 },
    radios: [],
    streams: [],
    hops: [{ id: 'data:panadapter', plane: 'data', status: pan, rule: 'hand-made', evidence: [`pan ${pan}`] } as AnalysisReport['hops'][number]],
    verdict: { status: v, ...(v === 'healthy' ? {} : { hop: 'data:panadapter' as const }), ...(cause ? { cause } : {}), rule: 'hand-made', summary: v, advice: [] } as AnalysisReport['verdict'],
    warnings: [],
  };
}

const HOLD = 5000;

test('the first judgement shows at once; a change shows only after it held the whole hold time', () => {
  const h = createVerdictHold(HOLD);
  assert.equal(h.apply(report('unknown', 'inconclusive'), 0).verdict.status, 'inconclusive');
  // From nothing judged to a judgement: no wait.
  let r = h.apply(report('ok', 'healthy', 'healthy'), 100);
  assert.equal(r.verdict.status, 'healthy');
  assert.equal(r.hops[0]!.status, 'ok');
  // Degraded from t = 1000 ms: still healthy on screen until 1000 + HOLD.
  r = h.apply(report('degraded', 'degraded', 'jitter'), 1000);
  assert.equal(r.verdict.status, 'healthy');
  assert.equal(r.hops[0]!.status, 'ok');
  assert.match(r.hops[0]!.evidence.at(-1)!, /changing to degraded/);
  r = h.apply(report('degraded', 'degraded', 'jitter'), 1000 + HOLD - 1);
  assert.equal(r.verdict.status, 'healthy');
  r = h.apply(report('degraded', 'degraded', 'jitter'), 1000 + HOLD);
  assert.equal(r.verdict.status, 'degraded');
  assert.equal(r.verdict.cause, 'jitter');
  assert.equal(r.hops[0]!.status, 'degraded');
  assert.deepEqual(r.hops[0]!.evidence, ['pan degraded']);
});

test('a judgement that flips faster than the hold time never reaches the screen', () => {
  const h = createVerdictHold(HOLD);
  h.apply(report('ok', 'healthy', 'healthy'), 0);
  let changes = 0;
  let last = 'healthy';
  // Flips every 2 s for 30 s, like the jitter demo did.
  for (let t = 100; t <= 30_000; t += 100) {
    const bad = Math.floor(t / 2000) % 2 === 1;
    const r = h.apply(bad ? report('degraded', 'degraded', 'random-loss') : report('ok', 'healthy', 'healthy'), t);
    if (r.verdict.status !== last) changes++;
    last = r.verdict.status;
  }
  assert.equal(changes, 0);
});

test('a cause change on the same hop is held too, and a pending change resets when the old one returns', () => {
  const h = createVerdictHold(HOLD);
  h.apply(report('degraded', 'degraded', 'jitter'), 0);
  assert.equal(h.apply(report('degraded', 'degraded', 'random-loss'), 1000).verdict.cause, 'jitter');
  // Back to jitter at 3 s, then loss again from 4 s: the hold restarts at 4 s.
  h.apply(report('degraded', 'degraded', 'jitter'), 3000);
  h.apply(report('degraded', 'degraded', 'random-loss'), 4000);
  assert.equal(h.apply(report('degraded', 'degraded', 'random-loss'), 4000 + HOLD - 1).verdict.cause, 'jitter');
  assert.equal(h.apply(report('degraded', 'degraded', 'random-loss'), 4000 + HOLD).verdict.cause, 'random-loss');
});
