/**
 * An outage within the streams' first second in a capture with no control channel (SmartSDR's session
 * encrypted, or the capture filter kept only UDP): no stream has a rate then (none announced, none
 * measured over RATE_MIN_SPAN_S), so the gap used to be no silence of any stream and read as the 4-bit
 * counter's loss modulo 16, random loss. Expected values from the construction (test/helpers/scenario.ts:
 * meters every 36 ms, FFT every 40 ms, a line of 5 tiles every 50 ms, Opus every 10 ms, all from the
 * data's start): each stream's loss is what the hole dropped, one outage as long as the hole.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Analyzer } from '../../src/analysis/analyzer.js';
import type { AnalysisReport } from '../../src/analysis/model.js';
import type { NetEvent } from '../../src/capture/types.js';
import { type ScenarioOptions, lanScenario } from '../helpers/scenario.js';

function analyze(events: NetEvent[]): AnalysisReport {
  const a = new Analyzer();
  for (const e of events) a.feed(e);
  a.finish();
  return a.report({ file: 'scenario', packets: a.events, bytes: 0, durationS: 0 });
}

/** Datagrams per stream id in the events. */
function perStream(events: NetEvent[]): Map<number, number> {
  const n = new Map<number, number>();
  for (const e of events) if (e.type === 'udp' && e.payload.length >= 8) n.set(e.payload.readUInt32BE(4), (n.get(e.payload.readUInt32BE(4)) ?? 0) + 1);
  return n;
}

test('no control channel, a hole in the first second: one outage as long as the hole, every stream’s loss what it dropped', () => {
  const problems: string[] = [];
  for (const noPan of [false, true]) {
    for (const [atS, lengthS] of [[0.2, 0.6], [0.4, 0.7], [0.1, 0.8]] as const) {
      const o: ScenarioOptions = { seed: 3, seconds: 5, withAudio: true, noControl: true, noPan, holes: [{ atS, lengthS }] };
      const events = lanScenario(o);
      const whole = perStream(lanScenario({ ...o, holes: [] }));
      const got = perStream(events);
      const r = analyze(events);
      const what = `${noPan ? 'no pan' : 'pan'}, hole ${atS}+${lengthS} s`;
      const outages = r.outages ?? [];
      if (outages.length !== 1 || Math.abs(outages[0]!.lengthS - lengthS) > 0.1) problems.push(`${what}: outages ${JSON.stringify(outages)} (${r.verdict.rule})`);
      for (const s of r.streams) {
        const dropped = (whole.get(Number(s.id)) ?? 0) - (got.get(Number(s.id)) ?? 0);
        if (s.lost !== dropped) problems.push(`${what}: ${s.id} lost ${s.lost}, ${dropped} dropped`);
        // A jump of 16 across the hole repeats the count before it: no duplicate was sent.
        if (s.duplicates !== 0) problems.push(`${what}: ${s.id} ${s.duplicates} duplicate(s)`);
      }
    }
  }
  assert.deepEqual(problems, []);
});
