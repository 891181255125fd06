/**
 * Brief stops of every stream that recur (a link that flaps, a Wi-Fi client roaming back and forth, a
 * router dropping everything for 0.2 s every 2 s): each is the brief outage a single one is
 * (analysis-brief-outage), not random loss. Expected values from the scenario's construction
 * (test/helpers/scenario.ts: meters every 36 ms, FFT every 40 ms, a waterfall line of 5 tiles every 50 ms,
 * Opus every 10 ms, every datagram in a hole dropped).
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Analyzer } from '../../src/analysis/analyzer.js';
import type { AnalysisReport } from '../../src/analysis/model.js';
import { lanScenario, slots } from '../helpers/scenario.js';

/** The scenario's data starts 0.5 s after its first event. */
const DATA_START_S = 0.5;

function analyze(holes: Array<{ atS: number; lengthS: number }>): AnalysisReport {
  const a = new Analyzer();
  for (const e of lanScenario({ seconds: 12, withAudio: true, holes })) a.feed(e);
  a.finish();
  return a.report({ file: 'scenario', packets: a.events, bytes: 0, durationS: 0 });
}

function every(periodS: number, lengthS: number): Array<{ atS: number; lengthS: number }> {
  const holes: Array<{ atS: number; lengthS: number }> = [];
  for (let atS = 2; atS < 11; atS += periodS) holes.push({ atS, lengthS });
  return holes;
}

for (const [periodS, lengthS] of [[2, 0.25], [1, 0.2]] as const) {
  test(`a stop of every stream for ${lengthS} s every ${periodS} s is that many brief outages, each with its meters lost, and no random loss`, () => {
    const holes = every(periodS, lengthS);
    const r = analyze(holes);
    assert.equal(r.verdict.rule, 'data-brief-outage', r.verdict.summary);
    assert.equal(r.verdict.cause, 'outage');
    assert.doesNotMatch(r.verdict.summary, /at random/);
    const outages = r.outages ?? [];
    assert.equal(outages.length, holes.length, JSON.stringify(outages));
    holes.forEach((h, i) => {
      const o = outages[i]!;
      // From the last packet before the hole to the first after: at most the slowest stream's period (meters 36 ms) wider.
      assert.ok(o.startS <= DATA_START_S + h.atS && o.startS >= DATA_START_S + h.atS - 0.036, `outage ${i} starts at ${o.startS}`);
      assert.ok(o.lengthS >= h.lengthS && o.lengthS <= h.lengthS + 0.036, `outage ${i} lasts ${o.lengthS}`);
    });
    const meters = holes.reduce((n, h) => n + slots(36, h.atS * 1000, h.lengthS * 1000), 0);
    assert.equal(r.streams.find((s) => s.id === '0x00000700')?.lost, meters);
    // Every meter lost is lost in an outage: none outside them to call random.
    const hop = r.hops.find((h) => h.id === 'data:meter')!;
    assert.equal(hop.rule, 'data-brief-outage', hop.evidence.join(' | '));
  });
}

/**
 * The boundary as it stands (note7 "not done": recurring stops under 8 packet periods read as random loss),
 * documented, not moved: each stop is judged on its own by the brief outage's bar — every stream silent at
 * once and 16 packets or more lost together (rules.ts BRIEF_OUTAGE_MIN_LOST, arithmetic p¹⁶). Stops that each
 * lose fewer read as random loss however regularly they recur: no source names a lower bar for a pattern of
 * them (reference §7 has FlexLib count loss events, not their period), so none is made up here.
 */
for (const { noPan, lengthS } of [
  { noPan: true, lengthS: 0.08 },
  { noPan: true, lengthS: 0.1 },
  { noPan: false, lengthS: 0.04 },
  { noPan: false, lengthS: 0.08 },
]) {
  test(`stops of every stream for ${lengthS * 1000} ms every 1 s (${noPan ? 'meters and audio' : 'a pan, meters and audio'}): an outage for exactly each stop that lost 16 or more, the others random loss`, () => {
    const holes = every(1, lengthS);
    const a = new Analyzer();
    for (const e of lanScenario({ seconds: 12, withAudio: true, noPan, holes })) a.feed(e);
    a.finish();
    const r = a.report({ file: 'scenario', packets: a.events, bytes: 0, durationS: 0 });
    const lostIn = (h: { atS: number; lengthS: number }): number => {
      const [at, len] = [Math.round(h.atS * 1000), Math.round(h.lengthS * 1000)];
      return slots(36, at, len) + slots(10, at, len) + (noPan ? 0 : slots(40, at, len) + 5 * slots(50, at, len));
    };
    const big = holes.filter((h) => lostIn(h) >= 16).length;
    assert.equal((r.outages ?? []).length, big, `${holes.map(lostIn).join(' ')}: ${JSON.stringify(r.outages)}`);
    if (big === 0) assert.equal(r.verdict.cause, 'random-loss', r.verdict.summary);
    if (big === holes.length) assert.equal(r.verdict.rule, 'data-brief-outage', r.verdict.summary);
    assert.equal(r.streams.find((s) => s.id === '0x00000700')?.lost, holes.reduce((n, h) => n + slots(36, Math.round(h.atS * 1000), Math.round(h.lengthS * 1000)), 0));
  });
}
