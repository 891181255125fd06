/**
 * A radio that restarts mid-session (or drops the client): its side ends the control connection, and the
 * client reconnects from the same address a while later, with a new session and new streams. The
 * scenario (test/helpers/scenario.ts): session 1 from the first event, cut 3.5 s in with the radio's (or
 * the client's) FIN or RST; session 2, the same LAN scenario, opening `gap` seconds after the cut.
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

const CUT_S = 3.5;

function restart(end: NetEvent['type'] & ('tcp-close' | 'tcp-reset'), by: 'radio' | 'client', gapS: number): NetEvent[] {
  const first = lanScenario({ seconds: 8, withAudio: true });
  const t0 = first[0]!.ts;
  const cut = t0 + CUT_S;
  const [src, dst] = by === 'radio' ? [RADIO, CLIENT] : [CLIENT, RADIO];
  const before = [...first.filter((e) => e.ts < cut), { type: end, ts: cut, src, dst } as NetEvent];
  // The reconnect: a new TCP connection from the same address (another source port).
  const after = lanScenario({ seconds: 5, withAudio: true, client: { ...CLIENT, port: CLIENT.port + 1 } }).map((e) => ({ ...e, ts: e.ts + CUT_S + gapS }));
  return [...before, ...after];
}

test('the radio closes the control connection 3.5 s in and the client reconnects 2 s later: the verdict names the radio ending the session (fails before: a data-plane brief outage)', () => {
  const r = analyze(restart('tcp-close', 'radio', 2));
  assert.equal(r.verdict.hop, 'control');
  assert.equal(r.verdict.rule, 'control-ended-earlier');
  assert.match(r.verdict.summary, /^The radio closed this client’s control connection after 3\.5 s and the client reconnected 2\.0 s later: the radio restarted or dropped the client/);
  assert.ok(r.verdict.advice.some((a) => /restarted/.test(a)));
});

test('a reset from the radio’s side, the client back 0.5 s later: "reset"', () => {
  const r = analyze(restart('tcp-reset', 'radio', 0.5));
  assert.equal(r.verdict.rule, 'control-ended-earlier');
  assert.match(r.verdict.summary, /^The radio reset this client’s control connection after 3\.5 s and the client reconnected 0\.5 s later/);
});

test('the client itself closing and reconnecting is not the radio ending the session', () => {
  const r = analyze(restart('tcp-close', 'client', 2));
  assert.notEqual(r.hops.find((h) => h.id === 'control')!.rule, 'control-ended-earlier');
});
