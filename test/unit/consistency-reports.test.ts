/**
 * The report support staff paste into a ticket never contradicts itself, over a spread of generated
 * faults (healthy, a class removed, MTU, random loss at several rates, outages, restarts, no UDP, late
 * pan, no control, reordering, ICMP, unanswered pings), many seeds each. Oracle-free invariants
 * (report-invariants.ts) on every report, redacted and not; and where the construction dictates the
 * answer (a class fully removed → that hop blocked; nothing dropped → nothing lost; n datagrams dropped →
 * at most n counted lost) it is asserted from the construction, never from the code under test.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Analyzer } from '../../src/analysis/analyzer.js';
import type { AnalysisReport, HopId } from '../../src/analysis/model.js';
import type { Endpoint, NetEvent } from '../../src/capture/types.js';
import { formatTriage } from '../../src/report/triage.js';
import { redactReport } from '../../src/report/redact.js';
import { prng } from '../helpers/prng.js';
import { allFormats, figuresSane, headlineLossAgrees, hopsAgree, streamsAgree, triageAgrees, verdictAgrees } from '../helpers/report-invariants.js';
import { type ScenarioOptions, lanScenario, sentPerStream } from '../helpers/scenario.js';

const SEEDS = 6;

/** Stream ids of lanScenario (packets.ts callers there): meter 0x700, FFT, waterfall, Opus audio. */
const STREAM_OF: Record<'meter' | 'panadapter' | 'waterfall' | 'audio', number> = { meter: 0x700, panadapter: 0x40000000, waterfall: 0x42000000, audio: 0x04000009 };

interface Case {
  family: string;
  seed: number;
  o: ScenarioOptions;
  /** A class whose every datagram the test removes from the capture (a firewall dropping that class). */
  removed?: keyof typeof STREAM_OF;
}

/** Addresses: private (kept by redaction) or documentation ranges that redaction must hide (RFC 5737). */
function endpoints(seed: number): { client: Endpoint; radio: Endpoint; public: boolean } {
  const pub = seed % 2 === 1;
  return pub
    ? { client: { ip: `203.0.113.${10 + seed}`, port: 53344 }, radio: { ip: `198.51.100.${20 + seed}`, port: 4992 }, public: true }
    : { client: { ip: '192.168.10.20', port: 53344 }, radio: { ip: '192.168.10.27', port: 4992 }, public: false };
}

function cases(): Case[] {
  const out: Case[] = [];
  for (let seed = 1; seed <= SEEDS; seed++) {
    const rnd = prng(1000 + seed);
    const { client, radio } = endpoints(seed);
    const base: ScenarioOptions = { seed, client, radio, withAudio: rnd() < 0.6, seconds: 3 + Math.floor(rnd() * 3) };
    const add = (family: string, o: ScenarioOptions, removed?: Case['removed']): void => {
      out.push({ family, seed, o: { ...base, ...o }, ...(removed ? { removed } : {}) });
    };
    add('healthy', {});
    for (const loss of [0.005, 0.02, 0.1, 0.3]) add(`loss ${loss}`, { loss });
    add('loss large', { lossLarge: 0.1 + rnd() * 0.3 });
    // 1300: every waterfall datagram (IP 1344–1464 B) is dropped, FFT (172 B), meters and Opus pass.
    add('mtu 1300', { mtu: 1300, ...(rnd() < 0.5 ? { icmpFragNeeded: 3 } : {}) });
    add('mtu 1400', { mtu: 1400 });
    for (const cls of ['meter', 'panadapter', 'waterfall'] as const) add(`no ${cls}`, {}, cls);
    add('no audio', { withAudio: true }, 'audio');
    add('no udp', { blockUdp: true });
    // The hole ends ≥ 1 s before the data does, so the data comes back (an outage, not a stop).
    add('outage', { holes: [{ atS: 0.8 + rnd(), lengthS: 0.6 + rnd() }], seconds: 5 });
    add('restart', { restarts: [{ atS: 1 + rnd(), lengthS: 0.5 + rnd() * 0.5 }] });
    add('late pan', { panFromS: 0.5 + rnd() * 1.5 });
    add('no control', { noControl: true, ...(rnd() < 0.5 ? { loss: 0.05 } : {}) });
    add('reorder', { reorderEvery: 5 + Math.floor(rnd() * 20) });
    add('icmp unreachable', { icmpUnreachable: 5 });
    add('pings unanswered', { pingsUnansweredAfter: 2 });
    add('wrong port', { sendTo: 4995 });
  }
  return out;
}

function eventsOf(c: Case): NetEvent[] {
  const ev = lanScenario(c.o);
  return c.removed === undefined ? ev : ev.filter((e) => e.type !== 'udp' || e.payload.readUInt32BE(4) !== STREAM_OF[c.removed!]);
}

/** What the radio sent, before the network's faults (loss, MTU, holes, removal, blocking): the same scenario without them. */
function sentByRadio(c: Case): NetEvent[] {
  const { loss: _l, lossLarge: _ll, mtu: _m, holes: _h, blockUdp: _b, ...sender } = c.o;
  return lanScenario(sender);
}

/**
 * Per stream id, datagrams the network dropped between the stream's first and last arrivals: those a
 * receiver can know of (a drop before the first or after the last leaves no trace in the capture).
 */
function droppedVisibly(sent: readonly NetEvent[], received: readonly NetEvent[]): Map<number, number> {
  const key = (e: NetEvent & { type: 'udp' }): string => `${e.payload.readUInt32BE(4)}@${e.ts}`;
  const got = new Set(received.flatMap((e) => (e.type === 'udp' ? [key(e)] : [])));
  const firstGot = new Map<number, number>();
  const lastGot = new Map<number, number>();
  for (const e of received) {
    if (e.type !== 'udp') continue;
    const id = e.payload.readUInt32BE(4);
    if (!firstGot.has(id)) firstGot.set(id, e.ts);
    lastGot.set(id, e.ts);
  }
  const out = new Map<number, number>();
  for (const e of sent) {
    if (e.type !== 'udp') continue;
    const id = e.payload.readUInt32BE(4);
    const first = firstGot.get(id);
    const last = lastGot.get(id);
    if (first !== undefined && last !== undefined && e.ts > first && e.ts < last && !got.has(key(e))) out.set(id, (out.get(id) ?? 0) + 1);
  }
  return out;
}

function analyze(events: NetEvent[]): AnalysisReport {
  const a = new Analyzer();
  for (const e of events) a.feed(e);
  a.finish();
  return a.report({ file: '/home/w1aw/captures/shack.pcapng', packets: a.events, bytes: 0, durationS: 0 });
}

const reproducer = (c: Case): string => `lanScenario(${JSON.stringify(c.o)})${c.removed ? ` without ${c.removed}` : ''}`;

interface Run {
  c: Case;
  events: NetEvent[];
  report: AnalysisReport;
}

let memo: Run[] | undefined;
function runs(): Run[] {
  memo ??= cases().map((c) => {
    const events = eventsOf(c);
    return { c, events, report: analyze(events) };
  });
  return memo;
}

/** Runs `check` on every report (raw and redacted); fails listing how many broke it and the first few, each with its reproducer. */
function everyReport(check: (r: AnalysisReport, run: Run) => string[]): void {
  const problems: string[] = [];
  let checked = 0;
  for (const run of runs()) {
    for (const r of [run.report, redactReport(run.report)]) {
      checked++;
      for (const p of check(r, run)) problems.push(`${run.c.family} seed ${run.c.seed}${r.redacted ? ' (redacted)' : ''}: ${p}\n    ${reproducer(run.c)}`);
    }
  }
  assert.ok(checked >= 2 * 20 * SEEDS);
  assert.deepEqual(problems.slice(0, 8), [], `${problems.length} problems`);
}

test('every format states the JSON verdict, hop, cause, rule, summary and advice', () => {
  everyReport((r) => verdictAgrees(r, allFormats(r)));
});

test('the hop table never contradicts the verdict, in any format', () => {
  everyReport((r) => hopsAgree(r, allFormats(r)));
});

test('no NaN/undefined/null and no percentage outside [0, 100] in any format', () => {
  everyReport((r) => figuresSane(allFormats(r)));
});

test('stream table, evidence lines and percentages agree with each other and with arithmetic', () => {
  everyReport((r) => streamsAgree(r, allFormats(r)));
});

test('a class hop’s "P % lost" headline agrees with its stream row', () => {
  everyReport((r) => headlineLossAgrees(r));
});

test('the triage row of a capture says what its full report says', () => {
  everyReport((r) => {
    const bad = triageAgrees(r, allFormats(r));
    const table = formatTriage([{ name: 'x.pcapng', ok: true, report: r }], 'text');
    for (const want of [r.verdict.status, r.verdict.hop ?? '', r.verdict.cause === 'healthy' ? '' : (r.verdict.cause ?? '')]) {
      if (!table.includes(want)) bad.push(`triage text lacks '${want}'`);
    }
    return bad;
  });
});

test('redaction (the default) hides the scenario’s public addresses in every format, including the triage; --no-redact shows them', () => {
  let publicRuns = 0;
  for (const { c, report } of runs()) {
    const ips = [c.o.client!.ip, c.o.radio!.ip];
    const isPublic = !c.o.client!.ip.startsWith('192.168.');
    const red = redactReport(report);
    const texts = { ...allFormats(red), triage: formatTriage([{ name: 'x', ok: true, report: red }], 'csv') };
    for (const [fmt, s] of Object.entries(texts)) {
      for (const ip of ips) {
        if (isPublic) assert.ok(!s.includes(ip), `${fmt} shows ${ip} though redacted: ${reproducer(c)}`);
      }
      assert.ok(!s.includes('w1aw') && !s.includes('/home/'), `${fmt} shows the file path though redacted`);
    }
    if (isPublic) publicRuns++;
    // The control channel's evidence names both ends (unless there is none); unredacted, they show.
    if (!c.o.noControl) for (const ip of ips) assert.ok(allFormats(report).text.includes(ip), `text lacks ${ip} unredacted: ${reproducer(c)}`);
  }
  assert.ok(publicRuns >= SEEDS * 5, `${publicRuns} runs with public addresses`);
});

/** Words the advice for a cause must hold (what a reader must be told to do), where the cause dictates them. */
const ADVICE: Partial<Record<string, RegExp>> = {
  mtu: /MTU/,
  'udp-blocked-inbound': /firewall|allow/i,
  'random-loss': /loss|lossy/i,
  outage: /drops? the link|outage/i,
  'wrong-port': /port/i,
};

test('the advice matches the cause; a failing verdict always has advice', () => {
  everyReport((r) => {
    const v = r.verdict;
    const bad: string[] = [];
    const want = v.cause === undefined ? undefined : ADVICE[v.cause];
    if (want && !v.advice.some((a) => want.test(a))) bad.push(`cause ${v.cause}, advice ${JSON.stringify(v.advice)}`);
    if (v.status !== 'healthy' && v.advice.length === 0) bad.push(`${v.status} verdict without advice`);
    // MTU advice only where MTU is the cause or named in the summary.
    if (v.cause !== 'mtu' && !/MTU|fragment/i.test(v.summary) && v.advice.some((a) => /\bMTU\b/.test(a))) bad.push(`MTU advice for cause ${v.cause}`);
    return bad;
  });
});

/** From the construction: what each family's verdict must be, whatever the code says. */
test('expected side: verdicts and counts the construction dictates', () => {
  const problems: string[] = [];
  const lossShare: Record<string, { lost: number; dropped: number; degraded: number; n: number }> = {};
  for (const { c, events, report: r } of runs()) {
    const say = (p: string): void => void problems.push(`${c.family} seed ${c.seed}: ${p}\n    ${reproducer(c)}`);
    const hop = (id: HopId): string | undefined => r.hops.find((h) => h.id === id)?.status;
    const received = sentPerStream(events);
    const radioSent = sentByRadio(c);
    const sent = sentPerStream(radioSent);
    const visible = droppedVisibly(radioSent, events);
    let dropped = 0;
    for (const s of r.streams) {
      const id = Number(s.id);
      // Every datagram the capture holds is counted; nothing is counted lost that the network did not drop.
      if (s.packets !== (received.get(id) ?? 0)) say(`${s.id}: ${s.packets} pkts reported, ${received.get(id)} in the capture`);
      const gone = (sent.get(id) ?? 0) - (received.get(id) ?? 0);
      if (s.lost > gone) say(`${s.id}: ${s.lost} lost reported, only ${gone} dropped`);
      dropped += visible.get(id) ?? 0;
    }
    const lost = r.streams.reduce((n, s) => n + s.lost, 0);
    const networkFault = c.o.loss || c.o.lossLarge || c.o.mtu || c.o.holes || c.o.blockUdp || c.removed;
    if (!networkFault && lost !== 0) say(`nothing dropped, ${lost} reported lost`);
    if (c.family === 'healthy' && r.verdict.status !== 'healthy') say(`healthy session judged ${r.verdict.status} (${r.verdict.rule})`);
    if (c.removed) {
      const id = `data:${c.removed}` as HopId;
      if (hop(id) !== 'blocked') say(`every ${c.removed} datagram removed, hop ${id} is ${hop(id)}`);
      if (r.verdict.status !== 'blocked') say(`a class removed, verdict ${r.verdict.status}`);
    }
    if (c.family === 'mtu 1300') {
      if (hop('data:waterfall') !== 'blocked') say(`every waterfall datagram above the MTU, hop data:waterfall ${hop('data:waterfall')}`);
      if (r.verdict.cause !== 'mtu') say(`small datagrams pass, every large one dropped: cause ${r.verdict.cause}`);
    }
    if (c.o.blockUdp && (r.verdict.status !== 'blocked' || hop('udp-return') !== 'blocked')) say(`no UDP at all: verdict ${r.verdict.status}, udp-return ${hop('udp-return')}`);
    if (c.family === 'outage') {
      const h = c.o.holes![0]!;
      const o = r.outages ?? [];
      // Times from the first packet: the data starts 0.5 s after it (lanScenario setupEnd). One packet period of slack (FFT 40 ms, meters 36 ms, lines 50 ms).
      if (o.length !== 1 || Math.abs(o[0]!.lengthS - h.lengthS) > 0.1 || Math.abs(o[0]!.startS - (0.5 + h.atS)) > 0.1) say(`one hole of ${h.lengthS.toFixed(2)} s at ${(0.5 + h.atS).toFixed(2)} s; outages ${JSON.stringify(o)}`);
      if (r.verdict.status === 'healthy') say('an outage judged healthy');
    }
    if (c.family.startsWith('loss ')) {
      const k = c.family;
      const t = (lossShare[k] ??= { lost: 0, dropped: 0, degraded: 0, n: 0 });
      t.lost += lost;
      t.dropped += dropped;
      t.n++;
      if (r.verdict.status === 'degraded') t.degraded++;
    }
  }
  assert.deepEqual(problems.slice(0, 8), [], `${problems.length} problems`);
  // Random loss: the counter finds every drop before a stream's last arrival (16 drops in a row, which
  // would wrap it unseen, has P ≈ 0.3^16 ≈ 4e-9 at 30 %), and 2 % or more over ≥ 3 s of ~300 pkt/s is far
  // above the 0.1 % the loss rule tests against.
  for (const [k, t] of Object.entries(lossShare)) {
    assert.equal(t.lost, t.dropped, `${k}: ${t.lost} counted lost, ${t.dropped} dropped between each stream's first and last arrivals`);
    if (Number(k.slice(5)) >= 0.02) assert.equal(t.degraded, t.n, `${k}: degraded in ${t.degraded} of ${t.n}`);
  }
});

test('a restart (counters from 0) 0.2–0.45 s long counts no loss: nothing was dropped', () => {
  const problems: string[] = [];
  for (let seed = 1; seed <= SEEDS * 2; seed++) {
    const rnd = prng(2000 + seed);
    const o: ScenarioOptions = { seed, seconds: 5, withAudio: rnd() < 0.5, restarts: [{ atS: 1 + rnd(), lengthS: 0.2 + rnd() * 0.25 }] };
    const r = analyze(lanScenario(o));
    const lost = r.streams.reduce((n, s) => n + s.lost, 0);
    if (lost !== 0) problems.push(`${lost} lost: lanScenario(${JSON.stringify(o)})`);
  }
  assert.deepEqual(problems, []);
});
