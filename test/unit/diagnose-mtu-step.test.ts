/**
 * The live MTU steps run after a judged run only when a step-down could carry the large packets: not when
 * the waterfall's loss is a rate limit's. Reports are judged from hand-made facts (test/helpers/facts.ts).
 */
import assert from 'node:assert/strict';
import { EventEmitter } from 'node:events';
import { test } from 'node:test';
import type { PathFacts } from '../../src/analysis/facts.js';
import { judge } from '../../src/analysis/judge.js';
import type { AnalysisReport } from '../../src/analysis/model.js';
import type { LiveEvidence } from '../../src/diagnose/live.js';
import { stepAfterRun } from '../../src/diagnose/mtu-step.js';
import type { DataPath } from '../../src/diagnose/walk.js';
import { flowingClass, healthyLan } from '../helpers/facts.js';

function reportOf(f: PathFacts): AnalysisReport {
  const { hops, verdict } = judge(f);
  return { source: { file: 'live', packets: 0, bytes: 0, durationS: 0 }, radios: [], streams: [], hops, verdict, warnings: [] };
}

/** Runs stepAfterRun against a radio that answers no command; returns the client MTUs it asked for. */
async function stepsAsked(report: AnalysisReport): Promise<string[]> {
  const asked: string[] = [];
  const ev = { pause: () => undefined, step: () => undefined, analyzer: { mtuStepsTried: () => undefined }, report: () => report } as unknown as LiveEvidence;
  const data = { socket: { socket: new EventEmitter() } } as unknown as DataPath;
  const cmd = (c: string): Promise<never> => {
    asked.push(c);
    return Promise.reject(new Error('no radio in this test'));
  };
  await stepAfterRun(ev, cmd, data, report, { mtu: 1450, signal: new AbortController().signal, closed: () => false, say: () => undefined });
  return asked;
}

test('no MTU steps when the waterfall is blocked by a rate limit (cause bandwidth); steps when it is blocked by the MTU', async () => {
  // The figures of a 6.5-s netlab session through a 100 kbit/s tbf (as the rule table's test): the
  // waterfall 18 of 186 tiles, no line whole, beside meters 60/18, FFT 10/54, Opus 155/122 — loss grows
  // with rate, the waterfall's hop blocked with cause bandwidth.
  const s = 6.5;
  const limited = healthyLan();
  limited.data['data:meter'] = { ...limited.data['data:meter'], packets: 60, lost: 18, bytesPerS: (60 * 60) / s };
  limited.data['data:panadapter'] = { ...limited.data['data:panadapter'], packets: 10, lost: 54, bytesPerS: (10 * 244) / s, framesComplete: 10, framesBroken: 0, framesSent: 64 };
  limited.data['data:audio'] = { ...flowingClass('audio', undefined, 100, 120), packets: 155, lost: 122, bytesPerS: (155 * 120) / s };
  limited.data['data:waterfall'] = { ...limited.data['data:waterfall'], packets: 18, lost: 168, bytesPerS: (18 * 1000) / s, framesComplete: 0, framesBroken: 9, framesSent: 14 };
  const r = reportOf(limited);
  const wf = r.hops.find((h) => h.id === 'data:waterfall')!;
  assert.equal(wf.status, 'blocked');
  assert.equal(wf.cause, 'bandwidth');
  assert.deepEqual(await stepsAsked(r), []);
  // The waterfall black-holed by the MTU (21 tail fragments, no first one; the others whole): the first step is asked.
  const mtu = healthyLan();
  mtu.data['data:waterfall'] = { ...mtu.data['data:waterfall'], packets: 21, lost: 1060, framesComplete: 0, framesBroken: 21, neverFirstFragment: true };
  assert.equal(reportOf(mtu).verdict.cause, 'mtu');
  assert.deepEqual(await stepsAsked(reportOf(mtu)), ['client set enforce_network_mtu=1 network_mtu=1500']);
});
