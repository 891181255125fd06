/**
 * Audio muted by the client to the end of the run (`slice set 0 audio_mute=1`, FlexLib Slice.cs): the
 * radio sending no more Opus then is not the network (whether it stops is UNCONFIRMED, reference §3.5:
 * both ways must read healthy). The scenario (test/helpers/scenario.ts) stops the audio at the mute and
 * keeps every other stream flowing; a mute of one slice while another is unmuted is no reason.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Analyzer } from '../../src/analysis/analyzer.js';
import type { AnalysisReport } from '../../src/analysis/model.js';
import type { NetEvent } from '../../src/capture/types.js';
import { CLIENT, RADIO, lanScenario } from '../helpers/scenario.js';

function analyze(events: NetEvent[]): AnalysisReport {
  const a = new Analyzer();
  for (const e of [...events].sort((x, y) => x.ts - y.ts)) a.feed(e);
  a.finish();
  return a.report({ file: 'scenario', packets: a.events, bytes: 0, durationS: 0 });
}

/** A client command line at `ts` (seconds after the scenario's first event). */
const command = (events: NetEvent[], afterS: number, line: string): NetEvent => ({ type: 'tcp-data', ts: events[0]!.ts + afterS, src: CLIENT, dst: RADIO, data: Buffer.from(line + '\n') });
const audio = (r: AnalysisReport) => r.hops.find((h) => h.id === 'data:audio')!;

test('audio muted at 3 s and never unmuted, the radio sending no more Opus: healthy, not data-stopped', () => {
  const r = analyze(lanScenario({ seconds: 8, withAudio: true, audioMuted: { atS: 3 } }));
  assert.equal(r.verdict.status, 'healthy', JSON.stringify(r.verdict));
  assert.equal(audio(r).status, 'ok');
  // 100 Opus packets/s from the data start until the mute: 300 (construction), none lost.
  const s = r.streams.find((x) => x.id === '0x04000009')!;
  assert.equal(s.packets, 300);
  assert.equal(s.lost, 0);
});

test('the same mute with the radio still sending Opus (tolerant: UNCONFIRMED whether it stops): healthy', () => {
  const events = lanScenario({ seconds: 8, withAudio: true });
  const r = analyze([...events, command(events, 3.49, 'C90|slice set 0 audio_mute=1')]);
  assert.equal(r.verdict.status, 'healthy', JSON.stringify(r.verdict));
});

test('one slice muted while another was unmuted: the mix still has audio, so its stopping is still data-stopped', () => {
  const events = lanScenario({ seconds: 8, withAudio: true, audioMuted: { atS: 3 } });
  const r = analyze([...events, command(events, 0.3, 'C80|slice set 1 audio_mute=0')]);
  assert.equal(r.verdict.rule, 'data-stopped', JSON.stringify(r.verdict));
  assert.equal(r.verdict.hop, 'data:audio');
});

test('muted and unmuted again later in the run, the audio not coming back: data-stopped (the mute ended)', () => {
  const events = lanScenario({ seconds: 8, withAudio: true, audioMuted: { atS: 3 } });
  const r = analyze([...events, command(events, 4.5, 'C91|slice set 0 audio_mute=0')]);
  assert.equal(r.verdict.rule, 'data-stopped', JSON.stringify(r.verdict));
});
