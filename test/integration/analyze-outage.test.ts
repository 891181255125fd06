/**
 * Outages in a capture (issue 11 class 8): a LAN session built by the scenario (meters every 36 ms, one
 * FFT frame every 40 ms, a waterfall line of 5 tiles every 50 ms) with every datagram dropped in a 3.0-s
 * and a 0.6-s hole, written as pcapng and analysed like a customer's file. What went missing is counted
 * from the construction — the send slots that fall in the holes — never from the analyzer.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { analyzeCaptureFile } from '../../src/analysis/analyze-file.js';
import type { AnalysisReport } from '../../src/analysis/model.js';
import type { NetEvent } from '../../src/capture/types.js';
import { formatHtml, formatMarkdown, formatText } from '../../src/report/format.js';
import { writeEventsCapture } from '../helpers/capture-files.js';
import { lanScenario, slots } from '../helpers/scenario.js';

const dir = mkdtempSync(join(tmpdir(), 'flexpath-outage-'));
after(() => rmSync(dir, { recursive: true, force: true }));

async function analyze(name: string, events: NetEvent[]): Promise<AnalysisReport> {
  const file = join(dir, `${name}.pcapng`);
  await writeEventsCapture(file, events);
  return analyzeCaptureFile(file);
}

const stream = (r: AnalysisReport, id: string): AnalysisReport['streams'][number] => {
  const s = r.streams.find((x) => x.id === id);
  assert.ok(s, `stream ${id} in the report`);
  return s;
};

/** The scenario's data starts 0.5 s after its first event (the control connection). */
const DATA_START_S = 0.5;
const HOLES = [
  { atS: 4.1, lengthS: 3.0 },
  { atS: 8.3, lengthS: 0.6 },
];

test('a 3.0-s and a 0.6-s outage in every stream: loss from frame index and time × rate, not the 4-bit counter; verdict outage', async () => {
  const r = await analyze('holes', lanScenario({ seconds: 10.5, holes: HOLES }));
  const missing = (periodMs: number, perSlot = 1): number => HOLES.reduce((n, h) => n + perSlot * slots(periodMs, h.atS * 1000, h.lengthS * 1000), 0);
  // 3.0 s at 36 ms is 84 meter packets (84 mod 16 = 4 is all the counter sees); 0.6 s is 15 FFT frames,
  // which the counter reads as a repeat of the last count (a duplicate).
  assert.equal(stream(r, '0x00000700').lost, missing(36), 'meters: time × rate, fixed to the counter’s residue');
  assert.equal(stream(r, '0x40000000').lost, missing(40), 'FFT: frame index');
  assert.equal(stream(r, '0x42000000').lost, missing(50, 5), 'waterfall: timecode × 5 tiles per line');
  for (const s of r.streams) assert.equal(s.duplicates, 0, `${s.id}: a wrapped counter is no duplicate`);
  // The honest loss: 3.6 s of 10 s of meters (the counter alone said a few per cent).
  const m = stream(r, '0x00000700');
  assert.ok(Math.abs(m.lost / (m.lost + m.packets) - 0.36) < 0.01, `meter loss ${m.lost} of ${m.lost + m.packets}`);

  assert.equal(r.verdict.status, 'degraded');
  assert.equal(r.verdict.cause, 'outage');
  assert.equal(r.verdict.rule, 'data-outage');
  const outages = r.outages ?? [];
  assert.equal(outages.length, 2, JSON.stringify(outages));
  for (const [i, h] of HOLES.entries()) {
    const o = outages[i]!;
    // Every stream is silent from its last packet before the hole to its first after: the outage is
    // their intersection, the hole widened by less than one FFT period (40 ms, the slowest stream).
    assert.ok(o.startS <= DATA_START_S + h.atS && o.startS >= DATA_START_S + h.atS - 0.04, `outage ${i} starts at ${o.startS}`);
    assert.ok(o.lengthS >= h.lengthS && o.lengthS <= h.lengthS + 0.04, `outage ${i} lasts ${o.lengthS}`);
    assert.deepEqual([...o.streams].sort(), ['0x00000700', '0x40000000', '0x42000000']);
  }
  assert.equal(outages[0]!.lost, slots(36, 4100, 3000) + slots(40, 4100, 3000) + 5 * slots(50, 4100, 3000));
  // The meters' own silence: from their last slot before the hole (4068 ms) to their first after (7128 ms).
  const meterHop = r.hops.find((h) => h.id === 'data:meter')!;
  const line = `stream 0x00000700: no packets for ${(3.06).toFixed(1)} s from t=${(DATA_START_S + 4.068).toFixed(1)} s (≈ ${slots(36, 4100, 3000)} packets lost, estimated from time × rate)`;
  assert.ok(meterHop.evidence.includes(line), `${line} in ${meterHop.evidence.join(' | ')}`);
  // Every human format lists both outages with their start and length.
  for (const [name, text] of [['text', formatText(r)], ['md', formatMarkdown(r)], ['html', formatHtml(r)]] as const) {
    assert.match(text, /Outages/, name);
    for (const o of outages) assert.ok(text.includes(`at ${o.startS.toFixed(1)} s for ${o.lengthS.toFixed(1)} s`), `${name}: outage at ${o.startS}`);
  }
});

test('a pan whose fps drops from 25 to 2 mid-session is no outage: the frame index says no frame is missing', async () => {
  const r = await analyze('fps-change', lanScenario({ seconds: 10.5, fftSlowAfterS: 4 }));
  assert.equal(stream(r, '0x40000000').lost, 0);
  assert.equal(stream(r, '0x00000700').lost, 0, 'the meters’ counter wraps every 16 packets, in order');
  assert.deepEqual(r.outages, []);
  assert.notEqual(r.verdict.cause, 'outage');
});

test('a pause of sender or capture with nothing lost is no outage: the FFT frame index lost no frame, so the meters’ counter stands', async () => {
  // Every datagram from 4 s on arrives 0.8 s later, counters and frame indices unbroken: a stalled
  // sender that skipped nothing, or a receiver that delivered its queue late.
  const shifted = lanScenario({ seconds: 10.5 }).map((e) => (e.type === 'udp' && e.ts >= 1_700_000_000 + DATA_START_S + 4 ? { ...e, ts: e.ts + 0.8 } : e));
  const r = await analyze('pause', shifted.sort((a, b) => a.ts - b.ts));
  for (const s of r.streams) assert.equal(s.lost, 0, `${s.id} lost nothing`);
  assert.deepEqual(r.outages, []);
  assert.equal(r.verdict.status, 'healthy', JSON.stringify(r.verdict));
});

test('an outage that starts 0.4 s into the streams is found: until a stream’s own rate is measured (1 s), the session’s announced rate reads its silence', async () => {
  // Announced in the scenario's status lines: pan fps=25, waterfall line_duration=50 (5 tiles a line),
  // Opus audio (100/s, reference §3.5), meters defined (≈ 28/s, reference §3.3).
  const hole = { atS: 0.4, lengthS: 1.0 };
  const r = await analyze('early-hole', lanScenario({ seconds: 6, holes: [hole], withAudio: true }));
  const at = hole.atS * 1000;
  const len = hole.lengthS * 1000;
  assert.equal(stream(r, '0x00000700').lost, slots(36, at, len), 'meters: 27 missing, not the counter’s 11');
  assert.equal(stream(r, '0x40000000').lost, slots(40, at, len), 'FFT: frame index');
  assert.equal(stream(r, '0x42000000').lost, 5 * slots(50, at, len), 'waterfall: timecode × 5 tiles per line');
  assert.equal(stream(r, '0x04000009').lost, slots(10, at, len), 'Opus: 100 missing, not the counter’s 4');
  const outages = r.outages ?? [];
  assert.equal(outages.length, 1, JSON.stringify(outages));
  const o = outages[0]!;
  assert.ok(o.startS <= DATA_START_S + hole.atS && o.startS >= DATA_START_S + hole.atS - 0.04, `outage starts at ${o.startS}`);
  assert.ok(o.lengthS >= hole.lengthS && o.lengthS <= hole.lengthS + 0.04, `outage lasts ${o.lengthS}`);
  assert.equal(r.verdict.cause, 'outage', JSON.stringify(r.verdict));
});

test('meters at a lower rate after the client unsubscribed some are no loss: the FFT and waterfall flowed across every gap', async () => {
  // From 3 s on the meters come in bunches of 7 (40 ms apart) every 0.84 s: 0.6-s gaps, 16 periods of the
  // 28/s before. The counters are unbroken, so nothing was lost.
  const r = await analyze('meters-slower', lanScenario({ seconds: 10.5, metersAfter: { atS: 3, periodsMs: [40, 40, 40, 40, 40, 40, 40, 600] } }));
  for (const s of r.streams) assert.equal(s.lost, 0, `${s.id} lost nothing`);
  assert.deepEqual(r.outages, []);
  assert.equal(r.verdict.status, 'healthy', JSON.stringify(r.verdict));
});

test('Opus audio that stops while the slice is muted and comes back when it is unmuted is no loss and no outage', async () => {
  const r = await analyze('audio-muted', lanScenario({ seconds: 10.5, withAudio: true, audioMuted: { atS: 3, lengthS: 2 } }));
  // The construction: 0.1-s Opus slots outside [3, 5) s only, counter unbroken.
  assert.equal(stream(r, '0x04000009').packets, slots(10, 0, 10_000) - slots(10, 3000, 2000));
  for (const s of r.streams) assert.equal(s.lost, 0, `${s.id} lost nothing`);
  assert.deepEqual(r.outages, []);
  assert.equal(r.verdict.status, 'healthy', JSON.stringify(r.verdict));
});

test('a capture whose slice stays muted from 6 s to its end (the radio sending no Opus after it) is healthy, not data-stopped', async () => {
  const r = await analyze('audio-muted-to-end', lanScenario({ seconds: 10.5, withAudio: true, audioMuted: { atS: 6 } }));
  assert.equal(stream(r, '0x04000009').packets, slots(10, 0, 6000));
  assert.equal(r.verdict.status, 'healthy', JSON.stringify(r.verdict));
  assert.ok(r.hops.find((h) => h.id === 'data:audio')!.evidence.some((l) => l.includes('audio_mute=1')), 'the mute is named');
});

test('a capture that ends 1.0 s into a silence of every stream (the session still open) is undecided: silent at the end, may be an outage', async () => {
  // Data from 0.5 s after the first event, all of it dropped from 7.5 s after that; the last event is
  // the radio's answer to the ping at 9 s (+ 4 ms): 9.004 − (0.5 + 7.5 − the slowest period) ≈ 1.0 s.
  const r = await analyze('silent-at-end', lanScenario({ seconds: 10, holes: [{ atS: 7.5, lengthS: 5 }] }));
  assert.equal(r.verdict.status, 'inconclusive', JSON.stringify(r.verdict));
  assert.equal(r.verdict.rule, 'verdict-silent-at-end');
  assert.match(r.verdict.summary, /silent for the last 1\.0 s of the run/);
});

test('a 95-ms pause of the audio sender with nothing lost is no loss, in the first second and later: 100/s Opus cannot lose 16 in 9.5 periods', async () => {
  // The simulator's audio started this way (lab-probe): its first packet, 95 ms of nothing while the pan
  // was set up, then steady, counter unbroken. Here the pan's streams start 0.5 s after the audio, so no
  // larger stream flows across the pause; the meters are smaller than Opus packets and prove nothing.
  // At 100/s (reference §3.5) the pause holds 9.5 periods: past HALF_COUNTER, so it is read by time, but
  // 16 lost would need 17 periods.
  for (const atS of [0.01, 5]) {
    const r = await analyze(`pause-${atS}`, lanScenario({ seconds: 8, withAudio: true, panFromS: 0.5, pauses: [{ atS, lengthS: 0.095, audioOnly: true }] }));
    assert.equal(stream(r, '0x04000009').packets, slots(10, 0, 7500), `pause at ${atS} s: every Opus slot of the construction arrived`);
    for (const s of r.streams) assert.equal(s.lost, 0, `pause at ${atS} s: ${s.id} lost nothing`);
    assert.deepEqual(r.outages, [], `pause at ${atS} s`);
    assert.equal(r.verdict.status, 'healthy', `pause at ${atS} s: ${JSON.stringify(r.verdict)}`);
  }
});

test('a 170-ms hole in 100/s Opus is 17 lost although the counter sees 1: a whole cycle the time can hold is still counted', async () => {
  const hole = { atS: 5, lengthS: 0.17 };
  const r = await analyze('opus-hole', lanScenario({ seconds: 8, withAudio: true, holes: [hole] }));
  assert.equal(stream(r, '0x04000009').lost, slots(10, hole.atS * 1000, hole.lengthS * 1000), 'Opus: the 17 slots in the hole');
});
