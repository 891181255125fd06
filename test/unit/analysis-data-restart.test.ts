/**
 * A radio whose streams are made anew while the client's control connection stays up (no control line
 * about it): every stream silent for the same stretch, then back with its counter (and frame index) from 0.
 * Beside each, a real outage of the same stretch with the same streams (the path drops everything, the
 * radio's counters go on): that must stay an outage with the loss the construction says, so no silence is
 * called a restart for being a silence. Scenario: test/helpers/scenario.ts (`restarts`, `holes`).
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Analyzer } from '../../src/analysis/analyzer.js';
import type { AnalysisReport } from '../../src/analysis/model.js';
import type { NetEvent } from '../../src/capture/types.js';
import { type ScenarioOptions, lanScenario, sentPerStream, slots } from '../helpers/scenario.js';

function analyze(events: NetEvent[]): AnalysisReport {
  const a = new Analyzer();
  for (const e of events) a.feed(e);
  a.finish();
  return a.report({ file: 'scenario', packets: a.events, bytes: 0, durationS: 0 });
}

// Data time 2.0 s to 3.5 s (the data starts 0.5 s into the capture); 8 s of capture.
const SILENCE = { atS: 2, lengthS: 1.5 };
const KIND_PERIOD_MS = { meter: 36, audio: 10, panadapter: 40 } as const;

const variants: Array<{ name: string; o: ScenarioOptions }> = [
  { name: 'meters, pan and audio', o: { seconds: 8, withAudio: true } },
  { name: 'meters and audio, no pan (no frame index anywhere)', o: { seconds: 8, withAudio: true, noPan: true } },
];

for (const { name, o } of variants.slice(0, 1)) {
  test(`${name}: streams made anew with the control up lose nothing — each stream whole as sent, no outage (fails before: an outage with the silence's time × rate lost)`, () => {
    const events = lanScenario({ ...o, restarts: [SILENCE] });
    const r = analyze(events);
    const sent = sentPerStream(events);
    assert.ok(r.streams.length >= 2);
    for (const st of r.streams) {
      assert.equal(st.packets, sent.get(Number(st.id)), st.id);
      assert.equal(st.lost, 0, st.id);
    }
    assert.deepEqual(r.outages, []);
    for (const h of r.hops.filter((x) => x.id.startsWith('data:') && x.id !== 'data:dax')) assert.ok(h.status === 'ok' || h.status === 'unknown', `${h.id} ${h.status} ${h.rule}`);
    // The meters' last packet before: the last 36-ms slot before 2.0 s of data time (0.5 s into the capture); first after: 3.5 s.
    const lastMs = Math.floor((SILENCE.atS * 1000 - 1) / 36) * 36;
    const silentS = ((SILENCE.atS + SILENCE.lengthS) * 1000 - lastMs) / 1000;
    const how = 'a pan’s frame index started again';
    const line = `0x00000700 silent for ${silentS.toFixed(1)} s from t=${(0.5 + lastMs / 1000).toFixed(1)} s, then made anew (${how}`;
    const evidence = r.hops.find((h) => h.id === 'data:meter')!.evidence;
    assert.ok(evidence.some((e) => e.startsWith(line)), `${line}\n${evidence.join('\n')}`);
  });

}

for (const { name, o } of variants) {
  test(`${name}: the same stretch lost on the path (counters going on) stays an outage, each stream's loss as many as were due in it`, () => {
    const r = analyze(lanScenario({ ...o, holes: [SILENCE] }));
    const outages = r.outages ?? [];
    assert.equal(outages.length, 1);
    assert.ok(Math.abs(outages[0]!.lengthS - SILENCE.lengthS) < 0.05, String(outages[0]!.lengthS));
    const [fromMs, lengthMs] = [SILENCE.atS * 1000, SILENCE.lengthS * 1000];
    for (const [kind, periodMs] of Object.entries(KIND_PERIOD_MS)) {
      const st = r.streams.find((s) => s.kind === kind);
      if (kind === 'panadapter' && o.noPan) {
        assert.equal(st, undefined);
        continue;
      }
      assert.equal(st?.lost, slots(periodMs, fromMs, lengthMs), kind);
    }
  });
}

// Without a pan, the 0.3-s restart below: its audio counter cannot be an outage's.
for (const { name, o } of variants) {
  test(`${name}: each stream's rate leaves the restart's silence out — the construction's spacing, meters every 36 ms, audio every 10, FFT frames every 40 (fails before: the restart's silence counted as the stream's life)`, () => {
    const r = analyze(lanScenario({ ...o, restarts: [o.noPan ? { atS: 2, lengthS: 0.3 } : SILENCE] }));
    for (const [kind, periodMs] of Object.entries(KIND_PERIOD_MS)) {
      const st = r.streams.find((s) => s.kind === kind);
      if (kind === 'panadapter' && o.noPan) continue;
      // The report rounds to 0.01/s.
      assert.equal(st?.ratePps, Math.round((1000 / periodMs) * 100) / 100, kind);
    }
  });
}

test('a 0.3-s restart, meters and audio only: the meters’ silence is a brief one (under 8 periods), their counter back at 0 all the same — nothing lost (fails before: 8 meters and 24 audio packets lost)', () => {
  const short = { atS: 2, lengthS: 0.3 };
  const o = { seconds: 8, withAudio: true, noPan: true };
  const r = analyze(lanScenario({ ...o, restarts: [short] }));
  for (const st of r.streams) assert.equal(st.lost, 0, st.id);
  // The same 0.3 s lost on the path: each stream's loss as constructed (the meters’ counter, exact for a short
  // silence; the audio's time × rate), however the rules name it.
  const h = analyze(lanScenario({ ...o, holes: [short] }));
  assert.equal(h.streams.find((s) => s.kind === 'meter')?.lost, slots(36, 2000, 300));
  assert.equal(h.streams.find((s) => s.kind === 'audio')?.lost, slots(10, 2000, 300));
});

test('the control text removes the audio stream and announces its ID again 1.5 s later while the rest flows: no audio lost, healthy (fails before: the waterfall flowing across made it a pause with the counter’s 8 "lost", degraded data-loss)', () => {
  const r = analyze(lanScenario({ seconds: 8, withAudio: true, audioRemade: SILENCE }));
  assert.equal(r.verdict.rule, 'verdict-healthy');
  for (const st of r.streams) assert.equal(st.lost, 0, st.id);
  // The audio's last packet before: 1990 ms of data time (every 10 ms, before 2.0 s); first after: 3.5 s.
  const line = `0x04000009 silent for ${((3500 - 1990) / 1000).toFixed(1)} s from t=${(0.5 + 1.99).toFixed(1)} s, then made anew (the control text removed its object and announced the ID again)`;
  const evidence = r.hops.find((h) => h.id === 'data:audio')!.evidence;
  assert.ok(evidence.some((e) => e.startsWith(line)), evidence.join('\n'));
  assert.ok(!evidence.some((e) => /removed later/.test(e)), evidence.join('\n'));
});

test('a removal that comes long after the stream went silent is no cover for the loss before it: every stream silent 2.0–3.5 s on the path, the audio removed at 2.5 s and back at 3.5 s — still an outage, the meters’ loss as constructed', () => {
  const r = analyze(lanScenario({ seconds: 8, withAudio: true, holes: [SILENCE], audioRemade: { atS: 2.5, lengthS: 1 } }));
  assert.equal((r.outages ?? []).length, 1);
  assert.equal(r.streams.find((s) => s.kind === 'meter')?.lost, slots(36, 2000, 1500));
  assert.ok(!r.hops.find((h) => h.id === 'data:audio')!.evidence.some((e) => /made anew/.test(e)));
});

test('meters and audio only, made anew 1.5 s after 2.0 s: each counter lands where a 1.5-s outage would have put it, so the data cannot tell the restart from one and it stays an outage — never the other way round', () => {
  // The meters' last packet before is slot 55 (count 7), the audio's slot 199 (count 7): both jump 8 (mod 16)
  // to their 0. A 1.5-s outage there loses slots(36, 2000, 1500) = 42 meters, counter jump 42 mod 16 = 10, and
  // 150 audio packets, jump 6: a count ≡ 8 lies 2 away from each (40, 152), within a packet or two at each edge
  // and a few per cent of rate.
  assert.equal(slots(36, 2000, 1500), 42);
  const r = analyze(lanScenario({ seconds: 8, withAudio: true, noPan: true, restarts: [SILENCE] }));
  assert.equal((r.outages ?? []).length, 1);
  assert.equal(r.verdict.cause, 'outage', r.verdict.summary);
  assert.ok(!r.hops.some((h) => h.evidence.some((e) => /made anew/.test(e))));
});

test('meters and audio only, made anew 0.2 s after 2.0 s: nothing lost, no outage (fails before: the meters’ jump of 8 had no room in 6 periods, so no brief silence joined the audio’s, and 8 meters and 24 audio packets read as random loss)', () => {
  // Meters: last slot 55 (1980 ms, count 7), first after 2200 ms at count 0: 8 "lost" in 220 ms = 6.1 periods.
  const r = analyze(lanScenario({ seconds: 8, withAudio: true, noPan: true, restarts: [{ atS: 2, lengthS: 0.2 }] }));
  for (const st of r.streams) assert.equal(st.lost, 0, st.id);
  assert.deepEqual(r.outages, []);
  assert.notEqual(r.verdict.cause, 'random-loss', r.verdict.summary);
});

test('a pan, meters and audio made anew after 0.1–0.5 s: nothing lost, no outage, whatever the length (fails before: under 0.33 s the FFT’s and meters’ counters jumped to 0 with no room in the time and left no brief silence: 14 FFT and 8 meter packets lost, random loss)', () => {
  for (let ms = 100; ms <= 500; ms += 50) {
    const events = lanScenario({ seconds: 8, withAudio: true, restarts: [{ atS: 2, lengthS: ms / 1000 }] });
    const r = analyze(events);
    const sent = sentPerStream(events);
    for (const st of r.streams) {
      assert.equal(st.packets, sent.get(Number(st.id)), `${ms} ms: ${st.id}`);
      assert.equal(st.lost, 0, `${ms} ms: ${st.id}`);
    }
    assert.deepEqual(r.outages, [], `${ms} ms`);
  }
});

test('meters and audio only, made anew after 0.05–3 s: never read as random loss — either nothing lost and no outage, or an outage; told whenever the meters’ counter jumped further than the silence had slots for (fails before: under 0.27 s, 8 meters and 8–24 audio packets of random loss)', () => {
  let told = 0;
  for (let ms = 50; ms <= 3000; ms += ms < 600 ? 10 : 100) {
    const r = analyze(lanScenario({ seconds: 8, withAudio: true, noPan: true, restarts: [{ atS: 2, lengthS: ms / 1000 }] }));
    const whole = r.streams.every((st) => st.lost === 0) && (r.outages ?? []).length === 0;
    assert.ok(whole || r.verdict.cause === 'outage', `${ms} ms: ${r.verdict.rule}: ${r.verdict.summary}`);
    // The meters' last packet before is slot 55 (1980 ms, count 7) and the first after comes at 2000 + ms
    // with count 0: a jump of 8. Packets due strictly between: ⌈gap / 36⌉ − 1; with 8 above that and an
    // edge slot, no count of loss explains the jump.
    const due = Math.ceil((2000 + ms - 1980) / 36) - 1;
    if (8 > due + 1) assert.ok(whole, `${ms} ms: meters jump 8 with ${due} due, yet ${r.verdict.rule}`);
    if (whole) told++;
  }
  assert.ok(told > 0);
});

for (const { name, o } of variants) {
  test(`${name}: made anew under new stream IDs (audio and pan; the meters keep theirs) after 0.2–3 s: every stream whole as sent, nothing lost, no outage, the meters named made anew (fails before: the meters alone silent, an outage with their time × rate lost)`, () => {
    for (const lengthS of [0.2, 0.5, 1.5, 3]) {
      const events = lanScenario({ ...o, restarts: [{ atS: 2, lengthS, newIds: true }] });
      const r = analyze(events);
      const sent = sentPerStream(events);
      assert.equal(r.streams.length, o.noPan ? 3 : 7, `${lengthS} s`);
      for (const st of r.streams) {
        assert.equal(st.packets, sent.get(Number(st.id)), `${lengthS} s: ${st.id}`);
        assert.equal(st.lost, 0, `${lengthS} s: ${st.id}`);
      }
      assert.deepEqual(r.outages, [], `${lengthS} s`);
      const evidence = r.hops.find((h) => h.id === 'data:meter')!.evidence;
      assert.ok(evidence.some((e) => /^0x00000700 silent for .* then made anew \(the link’s other streams ended with it and came back under new stream IDs/.test(e)), `${lengthS} s: ${evidence.join('\n')}`);
    }
  });
}

test('every stream silent 2.0–3.5 s on the path while the client swapped its audio to a new stream ID: the meters’ counter ran on, so it stays one outage with the meters’ loss as constructed', () => {
  // The meters' first packet after the hole is slot 98 (3528 ms), count 98 mod 16 = 2: not 0.
  assert.equal(Math.ceil(3500 / 36) % 16, 2);
  const r = analyze(lanScenario({ seconds: 8, withAudio: true, noPan: true, holes: [SILENCE], audioNewIdAtS: 3.5 }));
  assert.equal((r.outages ?? []).length, 1);
  assert.equal(r.streams.find((s) => s.id === '0x00000700')?.lost, slots(36, 2000, 1500));
  assert.ok(!r.hops.some((h) => h.evidence.some((e) => /made anew/.test(e))));
});
