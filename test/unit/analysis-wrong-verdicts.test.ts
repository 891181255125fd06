/**
 * Regression tests for the wrong-verdict classes an independent lab found (issue 11 §2, classes 5, 7, 8,
 * 9). Each builds the evidence of the lab's path from the scenario helper, changed the way that path
 * changes it, and states the verdict a correct analysis gives; each failed before its fix.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Analyzer } from '../../src/analysis/analyzer.js';
import type { AnalysisReport } from '../../src/analysis/model.js';
import type { NetEvent } from '../../src/capture/types.js';
import { lanScenario } from '../helpers/scenario.js';

function analyze(events: NetEvent[]): AnalysisReport {
  const a = new Analyzer();
  for (const e of [...events].sort((x, y) => x.ts - y.ts)) a.feed(e);
  a.finish();
  return a.report({ file: 'scenario', packets: a.events, bytes: 0, durationS: 0 });
}

const text = (e: NetEvent): string => (e.type === 'tcp-data' ? e.data.toString('latin1') : '');
const pcc = (e: NetEvent): number | undefined => (e.type === 'udp' ? e.payload.readUInt16BE(14) : undefined);
const hop = (r: AnalysisReport, id: string) => r.hops.find((h) => h.id === id);

test('class 9: a session that only ever carried small packets (meters) is not healthy: the path MTU is untested', () => {
  // What an observer records: the API session and the meters, no panadapter or waterfall of its own.
  const events = lanScenario({ seconds: 6 }).filter((e) => !/display (panafall|pan|waterfall)|R5\|/.test(text(e)) && (pcc(e) === undefined || pcc(e) === 0x8002));
  const r = analyze(events);
  assert.equal(hop(r, 'data:meter')?.status, 'ok');
  assert.equal(r.verdict.status, 'inconclusive', JSON.stringify(r.verdict));
  assert.equal(r.verdict.rule, 'verdict-no-large-packets');
  assert.match(r.verdict.summary, /no packet of 1000 B or more/);
});

test('class 5: joining a running session on an MTU black hole — the pan names its waterfall, which never comes → blocked, mtu', () => {
  // The waterfall's own status went by before the capture started; the pan's status (waterfall=0x42000000)
  // is repeated and seen. Every 1316–1436-byte tile exceeds the 1340-byte path; no ICMP reaches the client.
  const events = lanScenario({ seconds: 6, mtu: 1340 }).filter((e) => !text(e).includes('display waterfall'));
  const r = analyze(events);
  assert.equal(r.streams.filter((s) => s.kind === 'waterfall').length, 0, 'no tile arrives');
  assert.equal(r.verdict.status, 'blocked', JSON.stringify(r.verdict));
  assert.equal(r.verdict.hop, 'data:waterfall');
  assert.equal(r.verdict.cause, 'mtu');
  assert.match(hop(r, 'data:waterfall')!.evidence.join('\n'), /waterfall=0x42000000/);
});

test('class 5: joining after the pan was made, with no status of it since — its FFT arriving implies the waterfall, which never comes → blocked', () => {
  // What `listen` sees when it joins late and the radio repeats no pan status: the FFT (PCC 0x8003) flows,
  // not one waterfall tile (PCC 0x8004, reference §2.2) arrives, and nothing on the control channel names
  // either object. Before the FFT implied its waterfall this was 'inconclusive: no packet of 1000 B'.
  const events = lanScenario({ seconds: 6 }).filter((e) => !/display (panafall|pan|waterfall)|R5\|/.test(text(e)) && pcc(e) !== 0x8004);
  const r = analyze(events);
  assert.equal(hop(r, 'data:panadapter')?.status, 'ok');
  assert.equal(r.streams.filter((s) => s.kind === 'waterfall').length, 0, 'no tile arrives');
  assert.equal(r.verdict.status, 'blocked', JSON.stringify(r.verdict));
  assert.equal(r.verdict.hop, 'data:waterfall');
  assert.match(hop(r, 'data:waterfall')!.evidence.join('\n'), /FFT stream 0x40000000 arriving/);
});

test('class 7: a 120 ms round trip with every ping answered is latency, not a dead radio: no control fault, the RTT in the evidence', () => {
  // Every reply 116 ms later than the scenario's 4 ms: a fixed-latency relay, nothing lost.
  const events = lanScenario({ seconds: 6, withAudio: true }).map((e) => (e.type === 'tcp-data' && /^R\d+\|/.test(text(e)) ? { ...e, ts: e.ts + 0.116 } : e));
  const r = analyze(events);
  assert.equal(hop(r, 'control')?.status, 'ok', hop(r, 'control')?.evidence.join('\n'));
  assert.notEqual(r.verdict.cause, 'control-timeout');
  assert.match(hop(r, 'control')!.evidence.join('\n'), /RTT min\/avg\/max 120\/120\/120 ms/);
});
