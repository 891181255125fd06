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
import { CLIENT, RADIO, lanScenario, sentPerStream, slots } from '../helpers/scenario.js';

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

/** The last datagram before the cut and the first after the reconnect: the data's real silence, from the construction. */
function dataSilence(events: NetEvent[]): { fromS: number; lengthS: number } {
  const t0 = events.reduce((m, e) => Math.min(m, e.ts), Infinity);
  const udp = events.filter((e) => e.type === 'udp').map((e) => e.ts);
  const last = Math.max(...udp.filter((ts) => ts < t0 + CUT_S));
  const first = Math.min(...udp.filter((ts) => ts >= t0 + CUT_S));
  return { fromS: last - t0, lengthS: first - last };
}

test('a radio restart loses no packet: the streams are whole (each as sent, lost 0), no outage, and the control evidence names the data’s silence as constructed (fails before: 329 lost in a 0.4-s "brief outage")', () => {
  const events = restart('tcp-close', 'radio', 2);
  const r = analyze(events);
  const sent = sentPerStream(events);
  for (const st of r.streams) {
    assert.equal(st.packets, sent.get(Number(st.id)), st.id);
    assert.equal(st.lost, 0, st.id);
  }
  assert.deepEqual(r.outages, []);
  // Each stream's rate leaves the silence across the sessions out: the construction's spacing (meters 36 ms,
  // audio 10 ms, FFT frames 40 ms), as the report rounds it (fails before: the 2.5 s counted as its life).
  for (const [kind, periodMs] of [['meter', 36], ['audio', 10], ['panadapter', 40]] as const) {
    assert.equal(r.streams.find((s) => s.kind === kind)?.ratePps, Math.round((1000 / periodMs) * 100) / 100, kind);
  }
  for (const h of r.hops.filter((x) => x.id.startsWith('data:') && x.id !== 'data:dax')) assert.equal(h.status, 'ok', `${h.id} ${h.rule}`);
  // 2.5 s: the data stops at the cut (3.5 s) and comes back with the new session's streams 0.5 s after it opened (6.0 s).
  const { fromS, lengthS } = dataSilence(events);
  assert.ok(Math.abs(lengthS - 2.5) < 0.02);
  const line = r.hops.find((h) => h.id === 'control')!.evidence.find((e) => /silent for/.test(e));
  assert.equal(line?.startsWith(`4 data stream(s) silent for ${lengthS.toFixed(1)} s from t=${fromS.toFixed(1)} s`), true, line);
});

test('a reconnect that announces another UDP port: the earlier port’s streams are this client’s too, whole, and no other client is named (fails before: read as another client’s data)', () => {
  const first = lanScenario({ seconds: 8, withAudio: true });
  const t0 = first[0]!.ts;
  const cut = t0 + CUT_S;
  const before = [...first.filter((e) => e.ts < cut), { type: 'tcp-reset', ts: cut, src: RADIO, dst: CLIENT } as NetEvent];
  const after = lanScenario({ seconds: 5, withAudio: true, udpport: 4992, client: { ...CLIENT, port: CLIENT.port + 1 } }).map((e) => ({ ...e, ts: e.ts + CUT_S + 1 }));
  const r = analyze([...before, ...after]);
  assert.equal(r.verdict.rule, 'control-ended-earlier');
  assert.equal(r.streams.length, 8);
  for (const st of r.streams) assert.equal(st.lost, 0, st.id);
  assert.ok(!r.warnings.some((w) => /other clients/.test(w)), r.warnings.join('\n'));
  for (const h of r.hops.filter((x) => x.id.startsWith('data:') && x.id !== 'data:dax')) assert.equal(h.status, 'ok', `${h.id} ${h.rule}`);
});

test('loss before the radio ends the session still counts: every stream silent from 2.0 s to the cut is an outage of the earlier session, the meters’ loss as many as were due in it', () => {
  // The hole covers 1.5 s to the cut (data starts 0.5 s in, so 1.5 s of data time is t = 2.0 s); meters every 36 ms.
  const first = lanScenario({ seconds: 8, withAudio: true, holes: [{ atS: 1.5, lengthS: 2 }] });
  const t0 = first[0]!.ts;
  const cut = t0 + CUT_S;
  const before = [...first.filter((e) => e.ts < cut), { type: 'tcp-close', ts: cut, src: RADIO, dst: CLIENT } as NetEvent];
  const after = lanScenario({ seconds: 5, withAudio: true, client: { ...CLIENT, port: CLIENT.port + 1 } }).map((e) => ({ ...e, ts: e.ts + CUT_S + 2 }));
  const r = analyze([...before, ...after]);
  const meters = r.streams.find((s) => s.kind === 'meter')!;
  assert.equal(meters.lost, slots(36, 1500, 1500));
  const outages = r.outages ?? [];
  assert.equal(outages.length, 1);
  assert.ok(Math.abs(outages[0]!.lengthS - 1.5) < 0.05, String(outages[0]!.lengthS));
});

test('the pan made again after the restart counts its frames afresh: every waterfall line and FFT frame of both sessions complete, as constructed (fails before: the new lines 0…59, behind the old newest index, were ignored as stale)', () => {
  const r = analyze(restart('tcp-close', 'radio', 2));
  // Lines every 50 ms and FFT frames every 40 ms of data time: session 1 sends until the cut (3.0 s of
  // data), session 2 for 4.5 s (5 s less its 0.5-s setup).
  const lines = slots(50, 0, 3000) + slots(50, 0, 4500);
  const frames = slots(40, 0, 3000) + slots(40, 0, 4500);
  assert.ok(r.hops.find((h) => h.id === 'data:waterfall')!.evidence.includes(`${lines} complete lines, 0 broken`));
  assert.ok(r.hops.find((h) => h.id === 'data:panadapter')!.evidence.includes(`${frames} complete frames, 0 broken`));
});

/** The restart of `restart()` with the control over IPv6 and the data over IPv4 (a dual-stack client, reference §12 #15). */
function dualStackRestart(holes: Array<{ atS: number; lengthS: number }> = []): NetEvent[] {
  const client6 = { ip: '2001:db8::20', port: CLIENT.port };
  const radio6 = { ip: '2001:db8::27', port: RADIO.port };
  const data = { dataTo: CLIENT.ip, dataFrom: RADIO.ip };
  const first = lanScenario({ seconds: 8, withAudio: true, client: client6, radio: radio6, holes, ...data });
  const t0 = first[0]!.ts;
  const cut = t0 + CUT_S;
  const before = [...first.filter((e) => e.ts < cut), { type: 'tcp-close', ts: cut, src: radio6, dst: client6 } as NetEvent];
  const after = lanScenario({ seconds: 5, withAudio: true, client: { ...client6, port: client6.port + 1 }, radio: radio6, ...data }).map((e) => ({ ...e, ts: e.ts + CUT_S + 2 }));
  return [...before, ...after];
}

test('a dual-stack client (control over IPv6, data over IPv4): the restart across its sessions loses nothing and the control evidence names the data’s silence (fails before: the boundary matched the control’s address only)', () => {
  const events = dualStackRestart();
  const r = analyze(events);
  assert.equal(r.verdict.rule, 'control-ended-earlier');
  const sent = sentPerStream(events);
  assert.equal(r.streams.length, 4);
  for (const st of r.streams) {
    assert.equal(st.dst.split(':')[0], CLIENT.ip);
    assert.equal(st.packets, sent.get(Number(st.id)), st.id);
    assert.equal(st.lost, 0, st.id);
  }
  assert.deepEqual(r.outages, []);
  const { lengthS } = dataSilence(events);
  assert.ok(r.hops.find((h) => h.id === 'control')!.evidence.some((e) => e.startsWith(`4 data stream(s) silent for ${lengthS.toFixed(1)} s`)));
});

test('a dual-stack client: loss before the radio ends the session still counts — every stream silent from 2.0 s to the cut, the meters’ loss as many as were due in it (fails before: the whole silence read as streams made anew)', () => {
  const r = analyze(dualStackRestart([{ atS: 1.5, lengthS: 2 }]));
  assert.equal(r.streams.find((s) => s.kind === 'meter')!.lost, slots(36, 1500, 1500));
  const outages = r.outages ?? [];
  assert.equal(outages.length, 1);
  assert.ok(Math.abs(outages[0]!.lengthS - 1.5) < 0.05, String(outages[0]!.lengthS));
});
