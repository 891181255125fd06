/**
 * A brief stop of every stream at once (a Wi-Fi client roaming between access points, a link flap):
 * shorter than OUTAGE_MIN_S, and for the meters (≈ 28/s) shorter than HALF_COUNTER periods, so only the
 * counter of each stream sees it. Expected values from the scenario's construction (test/helpers/scenario.ts:
 * meters every 36 ms, FFT every 40 ms or 500 ms at fps=2, a waterfall line of 5 tiles every 50 ms, Opus
 * every 10 ms, every datagram in the hole dropped); the counter-test is statistics over many seeds.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Analyzer } from '../../src/analysis/analyzer.js';
import type { AnalysisReport } from '../../src/analysis/model.js';
import type { NetEvent } from '../../src/capture/types.js';
import { type ScenarioOptions, lanScenario, slots } from '../helpers/scenario.js';

function analyze(events: NetEvent[]): AnalysisReport {
  const a = new Analyzer();
  for (const e of events) a.feed(e);
  a.finish();
  return a.report({ file: 'scenario', packets: a.events, bytes: 0, durationS: 0 });
}

/** The scenario's data starts 0.5 s after its first event. */
const DATA_START_S = 0.5;
const HOLE = { atS: 3, lengthS: 0.2 };

function expectBrief(o: ScenarioOptions, lostById: Record<string, number>): void {
  const r = analyze(lanScenario({ seconds: 8, holes: [HOLE], ...o }));
  assert.equal(r.verdict.status, 'degraded', JSON.stringify(r.verdict));
  assert.equal(r.verdict.cause, 'outage');
  assert.equal(r.verdict.rule, 'data-brief-outage');
  assert.match(r.verdict.summary, /stopped at once for 0\.2 s at t=3\.5 s/);
  assert.ok(r.verdict.advice.some((a) => /roaming/.test(a)), r.verdict.advice.join(' | '));
  assert.doesNotMatch(r.verdict.summary, /random loss at a steady rate/i);
  const outages = r.outages ?? [];
  assert.equal(outages.length, 1, JSON.stringify(outages));
  const [out] = outages;
  // Every stream is silent from its last packet before the hole to its first after: the hole widened by
  // less than the slowest stream's period around it (meters 36 ms: at most 0.036 s).
  assert.ok(out!.startS <= DATA_START_S + HOLE.atS && out!.startS >= DATA_START_S + HOLE.atS - 0.036, `starts at ${out!.startS}`);
  assert.ok(out!.lengthS >= HOLE.lengthS && out!.lengthS <= HOLE.lengthS + 0.036, `lasts ${out!.lengthS}`);
  assert.deepEqual([...out!.streams].sort(), Object.keys(lostById).sort());
  assert.equal(out!.lost, Object.values(lostById).reduce((a, b) => a + b, 0));
  for (const [id, lost] of Object.entries(lostById)) assert.equal(r.streams.find((s) => s.id === id)?.lost, lost, id);
}

const at = HOLE.atS * 1000;
const len = HOLE.lengthS * 1000;

test('a 0.2-s stop of every stream (Wi-Fi roam) is a brief outage, not random loss: 5 meters, 5 FFT frames, 20 waterfall tiles lost', () => {
  expectBrief({}, { '0x00000700': slots(36, at, len), '0x40000000': slots(40, at, len), '0x42000000': 5 * slots(50, at, len) });
});

test('the same 0.2-s stop with Opus audio and a 2-fps pan: the pan’s one frame due in it is lost too, the audio’s 20 packets by time × rate', () => {
  expectBrief(
    { withAudio: true, fftSlowAfterS: 0 },
    { '0x00000700': slots(36, at, len), '0x40000000': slots(500, at, len), '0x42000000': 5 * slots(50, at, len), '0x04000009': slots(10, at, len) },
  );
});

test('random loss of 1 % and 5 %, independent per packet, stays random loss over 40 seeds each: no brief outage', () => {
  // P(16 due packets in a row all lost) is 0.05¹⁶ ≈ 1.5·10⁻²¹ per start: over 80 sessions of ~3000
  // packets none may read as an outage; each must still be the loss it is.
  const rules = new Map<string, number>();
  for (const loss of [0.01, 0.05]) {
    for (let seed = 1; seed <= 40; seed++) {
      const r = analyze(lanScenario({ seconds: 8, withAudio: true, loss, seed }));
      assert.deepEqual(r.outages ?? [], [], `loss ${loss} seed ${seed}`);
      rules.set(r.verdict.rule, (rules.get(r.verdict.rule) ?? 0) + 1);
    }
  }
  assert.deepEqual([...rules], [['data-loss', 80]]);
});

/** The send times of one stream's data datagrams (VITA-49 word 1 = its id) among the scenario's events: its construction, not the analyzer's reading. */
function sendTimes(events: NetEvent[], streamId: number): number[] {
  return events.flatMap((e) => (e.type === 'udp' && e.payload.readUInt32BE(4) === streamId ? [e.ts] : []));
}

test('random loss of 2 % beside the 0.2-s stop is its own finding over 40 seeds: loss outside the outage counted as the construction dropped it, the outage still shown', () => {
  const meter = '0x00000700';
  // The hole alone draws no random numbers: its datagrams are what the lossy run had to send outside the hole.
  const sentOutside = sendTimes(lanScenario({ seconds: 8, withAudio: true, holes: [HOLE] }), 0x700);
  const inHole = slots(36, at, len);
  for (let seed = 1; seed <= 40; seed++) {
    const events = lanScenario({ seconds: 8, withAudio: true, holes: [HOLE], loss: 0.02, seed });
    // A counter sees the packets missing between the first and the last that arrived, not before or after them.
    const got = sendTimes(events, 0x700);
    const droppedOutside = sentOutside.filter((ts) => ts > got[0]! && ts < got[got.length - 1]!).length - (got.length - 2);
    const r = analyze(events);
    // The headline names both faults, whichever hop comes first: the meters (≈ 200 packets) lose none
    // outside the hole in ≈ e⁻⁴ of the seeds, and then their hop is the outage's alone.
    assert.equal(r.verdict.status, 'degraded', `seed ${seed}`);
    assert.match(r.verdict.summary, /stop(ped)? .*every stream|every stream .*stopped/i, `seed ${seed}: ${r.verdict.summary}`);
    assert.match(r.verdict.summary, /0\.2 s at t=3\.5 s/, `seed ${seed}: ${r.verdict.summary}`);
    assert.match(r.verdict.summary, /(\d\.\d) % of (its|the) packets (are lost )?at random/, `seed ${seed}: ${r.verdict.summary}`);
    assert.doesNotMatch(r.verdict.summary, /not random loss/, `seed ${seed}`);
    assert.equal((r.outages ?? []).length, 1, `seed ${seed}`);
    // Every meter packet missing is counted (the counter is exact for runs under 8), in the outage or out of it.
    assert.equal(r.streams.find((s) => s.id === meter)?.lost, droppedOutside + inHole, `seed ${seed}`);
    const hop = r.hops.find((h) => h.id === 'data:meter')!;
    const m = /lost outside the outage \((\d+) of (\d+)\), besides (\d+) lost in it/.exec(hop.evidence[0]!);
    // The outage's silence runs from the last packet before the hole to the first after: a random loss right
    // at its edge joins it (2 % each side), so the outage holds the hole's slots and at most a few more.
    const inside = m ? Number(m[3]) : droppedOutside + inHole;
    assert.ok(inside >= inHole && inside <= inHole + 3, `seed ${seed}: ${hop.evidence[0]}`);
    if (m) assert.equal(hop.rule, 'data-loss-beside-outage');
    else assert.ok(hop.rule === 'data-brief-outage' && droppedOutside <= 3, `seed ${seed}: ${hop.rule}, ${droppedOutside} dropped outside`);
  }
});

test('the 0.2-s stop beside loss below the tolerated 0.1 % (0.05 %) stays the brief outage alone over 40 seeds: the outage’s own packets are no random loss', () => {
  for (let seed = 1; seed <= 40; seed++) {
    const r = analyze(lanScenario({ seconds: 8, withAudio: true, holes: [HOLE], loss: 0.0005, seed }));
    assert.equal(r.verdict.rule, 'data-brief-outage', `seed ${seed}: ${r.verdict.summary}`);
  }
});
