/**
 * Meters unsubscribed by the client to the end of the run (`unsub meter all`; reference §3.3: meter data
 * follows `sub meter all`): the radio sending no more meter packets then is not the network. The
 * simulator stops them (src/sim/radio-core.ts); whether a real radio does is UNCONFIRMED, so meters that
 * go on flowing must read healthy too. The scenario (test/helpers/scenario.ts) sends meters every 36 ms
 * from the data start (0.5 s after its first event); these tests drop the ones after the unsubscription.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Analyzer } from '../../src/analysis/analyzer.js';
import type { AnalysisReport } from '../../src/analysis/model.js';
import type { NetEvent } from '../../src/capture/types.js';
import { CLIENT, RADIO, lanScenario, slots } from '../helpers/scenario.js';

function analyze(events: NetEvent[]): AnalysisReport {
  const a = new Analyzer();
  for (const e of [...events].sort((x, y) => x.ts - y.ts)) a.feed(e);
  a.finish();
  return a.report({ file: 'scenario', packets: a.events, bytes: 0, durationS: 0 });
}

const DATA_START_S = 0.5;
const UNSUB_AT_S = 3;
const METER_ID = 0x700;

/** The 8-s scenario with audio; meter packets sent from UNSUB_AT_S after the data start on left out when `stop`. */
function session(stop: boolean): NetEvent[] {
  const events = lanScenario({ seconds: 8, withAudio: true });
  const cut = events[0]!.ts + DATA_START_S + UNSUB_AT_S;
  return stop ? events.filter((e) => !(e.type === 'udp' && e.payload.readUInt32BE(4) === METER_ID && e.ts >= cut)) : events;
}
/** A client command line `afterS` seconds after the data start. */
const command = (events: NetEvent[], afterS: number, line: string): NetEvent => ({ type: 'tcp-data', ts: events[0]!.ts + DATA_START_S + afterS, src: CLIENT, dst: RADIO, data: Buffer.from(line + '\n') });

test('every meter unsubscribed at 3 s, the radio sending no more meter packets: healthy, not data-stopped (fails before)', () => {
  const events = session(true);
  const r = analyze([...events, command(events, UNSUB_AT_S - 0.01, 'C95|unsub meter all')]);
  assert.equal(r.verdict.status, 'healthy', JSON.stringify(r.verdict));
  const meter = r.hops.find((h) => h.id === 'data:meter')!;
  assert.equal(meter.status, 'ok');
  assert.ok(meter.evidence.some((l) => /unsub meter all/.test(l)), meter.evidence.join(' | '));
  // Every 36 ms from the data start to the unsubscription: the construction's count, none lost.
  const s = r.streams.find((x) => x.id === '0x00000700')!;
  assert.equal(s.packets, slots(36, 0, UNSUB_AT_S * 1000));
  assert.equal(s.lost, 0);
});

test('the same unsubscription with the meters still flowing (tolerant: UNCONFIRMED whether a radio stops them): healthy', () => {
  const events = session(false);
  const r = analyze([...events, command(events, UNSUB_AT_S - 0.01, 'C95|unsub meter all')]);
  assert.equal(r.verdict.status, 'healthy', JSON.stringify(r.verdict));
});

test('the meters stopping with no unsubscription: still data-stopped at the meters', () => {
  const r = analyze(session(true));
  assert.equal(r.verdict.rule, 'data-stopped', JSON.stringify(r.verdict));
  assert.equal(r.verdict.hop, 'data:meter');
});

test('unsubscribed, then subscribed again at 4 s with no meters coming back: data-stopped (the subscription is back)', () => {
  const events = session(true);
  const r = analyze([...events, command(events, UNSUB_AT_S - 0.01, 'C95|unsub meter all'), command(events, 4, 'C96|sub meter all')]);
  assert.equal(r.verdict.rule, 'data-stopped', JSON.stringify(r.verdict));
  assert.equal(r.verdict.hop, 'data:meter');
});
