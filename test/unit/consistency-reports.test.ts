/**
 * The report support staff paste into a ticket never contradicts itself, over a spread of generated
 * faults (healthy, a class removed, MTU, random loss at several rates, outages, restarts, no UDP, late
 * pan, no control, reordering, ICMP, unanswered pings), many seeds each. Oracle-free invariants
 * (report-invariants.ts) on every report, redacted and not; and where the construction dictates the
 * answer (a class fully removed → that hop blocked; nothing dropped → nothing lost; n datagrams dropped →
 * at most n counted lost) it is asserted from the construction, never from the code under test.
 */
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { Analyzer } from '../../src/analysis/analyzer.js';
import { analyzeCaptureFile, sniOf } from '../../src/analysis/analyze-file.js';
import type { AnalysisReport, HopId } from '../../src/analysis/model.js';
import type { Endpoint, NetEvent } from '../../src/capture/types.js';
import { formatTriage } from '../../src/report/triage.js';
import { redactReport } from '../../src/report/redact.js';
import { rewriteFrames, writeEventsCapture } from '../helpers/capture-files.js';
import { ipv4Fragments } from '../helpers/fragments.js';
import { prng } from '../helpers/prng.js';
import { allFormats, figuresSane, headlineLossAgrees, hopsAgree, streamsAgree, triageAgrees, verdictAgrees } from '../helpers/report-invariants.js';
import { SERIAL, type ScenarioOptions, lanScenario, secondClient } from '../helpers/scenario.js';

const SEEDS = 6;
/** Seeds of the SmartLink, DAX, two-client and fragment families (fewer: the suite's time budget). */
const NEW_SEEDS = 3;

/** Stream ids of lanScenario (packets.ts callers there): meter 0x700, FFT, waterfall, Opus audio, DAX audio, DAX IQ. */
const STREAM_OF = { meter: 0x700, panadapter: 0x40000000, waterfall: 0x42000000, audio: 0x04000009, 'dax-audio': 0x04000008, 'dax-iq': 0x20000000 } as const;
/** The hop that judges each class (DESIGN §2: both DAX kinds are data:dax). */
const HOP_OF: Record<keyof typeof STREAM_OF, HopId> = { meter: 'data:meter', panadapter: 'data:panadapter', waterfall: 'data:waterfall', audio: 'data:audio', 'dax-audio': 'data:dax', 'dax-iq': 'data:dax' };

/**
 * Datagrams larger than `fitsIp` (IP bytes) cross a hop that fragments them into `pieceIp`-byte IPv4
 * fragments (RFC 791 §2.3); of the k-th such datagram (0-based, in capture order) only the first fragment
 * arrives when `lose(k)`.
 */
interface Fragmenting {
  fitsIp: number;
  pieceIp: number;
  lose: (k: number) => boolean;
}

interface Case {
  family: string;
  seed: number;
  o: ScenarioOptions;
  /** A class whose every datagram the test removes from the capture (a firewall dropping that class). */
  removed?: keyof typeof STREAM_OF;
  /** A second GUI client's session in the same capture (scenario.ts secondClient). */
  other?: ScenarioOptions & { client: Endpoint };
  fragmenting?: Fragmenting;
}

/** Addresses: private (kept by redaction) or documentation ranges that redaction must hide (RFC 5737). */
function endpoints(seed: number): { client: Endpoint; radio: Endpoint; public: boolean } {
  const pub = seed % 2 === 1;
  return pub
    ? { client: { ip: `203.0.113.${10 + seed}`, port: 53344 }, radio: { ip: `198.51.100.${20 + seed}`, port: 4992 }, public: true }
    : { client: { ip: '192.168.10.20', port: 53344 }, radio: { ip: '192.168.10.27', port: 4992 }, public: false };
}

/** A SmartLink session's ends: the client behind its NAT (private) or not, the radio and the server always public (RFC 5737). */
function wanEnds(seed: number): Pick<ScenarioOptions, 'client' | 'radio' | 'wan'> {
  const client = seed % 2 === 1 ? { ip: `203.0.113.${10 + seed}`, port: 53344 } : { ip: '192.168.1.20', port: 53344 };
  return { client, radio: { ip: `198.51.100.${20 + seed}`, port: 4994 }, wan: { brokerIp: '192.0.2.5', clientPublicIp: `203.0.113.${40 + seed}`, encrypted: seed % 3 === 0 } };
}

/** The Ethernet frame of an IP datagram of `ip` bytes (capture/build.ts: IPv4, no options). */
const FRAME = 14;

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
  for (let seed = 1; seed <= NEW_SEEDS; seed++) {
    const rnd = prng(3000 + seed);
    const { client, radio } = endpoints(seed);
    const base: ScenarioOptions = { seed, client, radio, withAudio: rnd() < 0.5, seconds: 3 + Math.floor(rnd() * 2) };
    const add = (family: string, o: ScenarioOptions, more: Partial<Case> = {}): void => void out.push({ family, seed, o: { ...base, ...o }, ...more });
    const dax = { rx: true, iq: true };
    add('dax healthy', { dax });
    add('dax loss 0.05', { dax, loss: 0.05 });
    // IQ's Don't-Fragment is clear: a 1300-byte path fragments it (whole at the capture) and drops the waterfall.
    add('dax mtu 1300', { dax, mtu: 1300 });
    add('no dax-iq', { dax }, { removed: 'dax-iq' });
    add('no dax-audio', { dax }, { removed: 'dax-audio' });
    add('dax outage', { dax, holes: [{ atS: 0.8 + rnd() * 0.5, lengthS: 0.6 + rnd() * 0.5 }], seconds: 5 });
    const wan = wanEnds(seed);
    add('smartlink healthy', { ...wan });
    add('smartlink loss 0.1', { ...wan, loss: 0.1 });
    add('smartlink mtu 1300', { ...wan, mtu: 1300 });
    add('smartlink no udp', { ...wan, blockUdp: true });
    add('smartlink outage', { ...wan, holes: [{ atS: 0.8 + rnd() * 0.5, lengthS: 0.6 + rnd() * 0.5 }], seconds: 5 });
    add('smartlink dax', { ...wan, dax });
    // This client (with audio: the busier session) and a second GUI client on another computer or this one.
    const b = { ip: seed === 2 ? client.ip : `${client.ip.split('.').slice(0, 3).join('.')}.31`, port: 50123 };
    const bOpts = { seed: seed + 100, seconds: base.seconds!, client: b, ...(seed === 2 ? { udpport: 4995 } : {}) };
    add('two clients, other lossy', { withAudio: true }, { other: { ...bOpts, loss: 0.2 } });
    add('two clients, this lossy', { withAudio: true, loss: 0.05 }, { other: bOpts });
    add('two clients, this blocked', { withAudio: true, blockUdp: true }, { other: bOpts });
    // Fragments: DAX IQ (4152-byte IP datagrams) over Ethernet in 1480-byte pieces, all of them or the first only;
    // a 1380-byte VPN (lab-captures-fragments) cutting the waterfall (1464 B) in two, one in `every` losing its tail.
    add('frag iq whole', { dax }, { fragmenting: { fitsIp: 1500, pieceIp: 1500, lose: () => false } });
    add('frag iq first only', { dax }, { fragmenting: { fitsIp: 1500, pieceIp: 1500, lose: () => true } });
    const every = [3, 10, 40][seed - 1]!;
    add(`frag vpn 1380 1 in ${every}`, {}, { fragmenting: { fitsIp: 1380, pieceIp: 1372, lose: (k) => k % every === 0 } });
    add('frag smartlink iq 1 in 10', { ...wan, dax }, { fragmenting: { fitsIp: 1500, pieceIp: 1500, lose: (k) => k % 10 === 5 } });
  }
  return out;
}

const isLarge = (f: Fragmenting, e: NetEvent): boolean => e.type === 'udp' && (e.ipLength ?? e.payload.length + 28) > f.fitsIp;

/**
 * The datagrams that reach the capture whole, as events: the scenario (both clients' when there are two),
 * less a removed class and less the fragmented datagrams that lost a fragment.
 */
function eventsOf(c: Case): NetEvent[] {
  let ev = lanScenario(c.o);
  if (c.other) ev = [...ev, ...secondClient(c.other)].sort((a, b) => a.ts - b.ts);
  if (c.removed !== undefined) ev = ev.filter((e) => e.type !== 'udp' || e.payload.readUInt32BE(4) !== STREAM_OF[c.removed!]);
  const f = c.fragmenting;
  if (f) {
    let k = 0;
    ev = ev.filter((e) => !isLarge(f, e) || !f.lose(k++));
  }
  return ev;
}

/** What the radio sent, before the network's faults (loss, MTU, holes, removal, blocking): the same scenario without them. */
function sentByRadio(c: Case): NetEvent[] {
  const { loss: _l, lossLarge: _ll, mtu: _m, holes: _h, blockUdp: _b, ...sender } = c.o;
  const other = c.other && (({ loss: _x, ...o }) => o)(c.other);
  return other ? [...lanScenario(sender), ...secondClient(other)] : lanScenario(sender);
}

/** A stream as the report tells streams apart: its id and its destination (two clients share the meters' id). */
const keyOf = (e: NetEvent & { type: 'udp' }): string => `0x${e.payload.readUInt32BE(4).toString(16).padStart(8, '0')} ${e.dst.ip}:${e.dst.port}`;

function perStream(events: readonly NetEvent[]): Map<string, number> {
  const m = new Map<string, number>();
  for (const e of events) if (e.type === 'udp' && e.payload.toString('latin1', 0, 7) !== 'client ') m.set(keyOf(e), (m.get(keyOf(e)) ?? 0) + 1);
  return m;
}

/**
 * Per stream, datagrams the network dropped between the stream's first and last arrivals: those a
 * receiver can know of (a drop before the first or after the last leaves no trace in the capture).
 */
function droppedVisibly(sent: readonly NetEvent[], received: readonly NetEvent[]): Map<string, number> {
  const at = (e: NetEvent & { type: 'udp' }): string => `${keyOf(e)}@${e.ts}`;
  const got = new Set(received.flatMap((e) => (e.type === 'udp' ? [at(e)] : [])));
  const firstGot = new Map<string, number>();
  const lastGot = new Map<string, number>();
  for (const e of received) {
    if (e.type !== 'udp') continue;
    if (!firstGot.has(keyOf(e))) firstGot.set(keyOf(e), e.ts);
    lastGot.set(keyOf(e), e.ts);
  }
  const out = new Map<string, number>();
  for (const e of sent) {
    if (e.type !== 'udp') continue;
    const first = firstGot.get(keyOf(e));
    const last = lastGot.get(keyOf(e));
    if (first !== undefined && last !== undefined && e.ts > first && e.ts < last && !got.has(at(e))) out.set(keyOf(e), (out.get(keyOf(e)) ?? 0) + 1);
  }
  return out;
}

const SOURCE = '/home/w1aw/captures/shack.pcapng';

function analyze(events: NetEvent[]): AnalysisReport {
  const a = new Analyzer({ sniOf });
  for (const e of events) a.feed(e);
  a.finish();
  return a.report({ file: SOURCE, packets: a.events, bytes: 0, durationS: 0 });
}

const dir = mkdtempSync(join(tmpdir(), 'fp-consistency-'));

/**
 * A fragmenting case as support staff get it: the scenario written as a capture (EventCaptureWriter), each
 * frame above the hop's MTU replaced by its fragments (those that arrive), read by the product's reader.
 */
async function analyzeFragmented(c: Case, n: number): Promise<AnalysisReport> {
  const f = c.fragmenting!;
  let ev = lanScenario(c.o);
  if (c.removed !== undefined) ev = ev.filter((e) => e.type !== 'udp' || e.payload.readUInt32BE(4) !== STREAM_OF[c.removed!]);
  const plain = join(dir, `${n}.plain.pcapng`);
  await writeEventsCapture(plain, ev);
  const file = join(dir, `${n}.pcapng`);
  let k = 0;
  await rewriteFrames(plain, file, (frame) => {
    if (frame.length - FRAME <= f.fitsIp) return [frame];
    const pieces = ipv4Fragments(frame, f.pieceIp - 20);
    return f.lose(k++) ? pieces.slice(0, 1) : pieces;
  }, 1000n);
  const r = await analyzeCaptureFile(file, { name: SOURCE });
  return { ...r, source: { ...r.source, file: SOURCE } };
}

const reproducer = (c: Case): string =>
  `lanScenario(${JSON.stringify(c.o)})${c.removed ? ` without ${c.removed}` : ''}${c.other ? ` + secondClient(${JSON.stringify(c.other)})` : ''}${c.fragmenting ? ` fragmented at ${c.fragmenting.fitsIp}` : ''}`;

interface Run {
  c: Case;
  events: NetEvent[];
  report: AnalysisReport;
}

let memo: Promise<Run[]> | undefined;
function runs(): Promise<Run[]> {
  memo ??= Promise.all(
    cases().map(async (c, n) => {
      const events = eventsOf(c);
      return { c, events, report: c.fragmenting ? await analyzeFragmented(c, n) : analyze(events) };
    }),
  );
  return memo;
}

/** Runs `check` on every report (raw and redacted); fails listing how many broke it and the first few, each with its reproducer. */
async function everyReport(check: (r: AnalysisReport, run: Run) => string[]): Promise<void> {
  const problems: string[] = [];
  let checked = 0;
  for (const run of await runs()) {
    for (const r of [run.report, redactReport(run.report)]) {
      checked++;
      for (const p of check(r, run)) problems.push(`${run.c.family} seed ${run.c.seed}${r.redacted ? ' (redacted)' : ''}: ${p}\n    ${reproducer(run.c)}`);
    }
  }
  assert.ok(checked >= 2 * (20 * SEEDS + 15 * NEW_SEEDS));
  assert.deepEqual(problems.slice(0, 8), [], `${problems.length} problems`);
}

test('every format states the JSON verdict, hop, cause, rule, summary and advice', async () => {
  await everyReport((r) => verdictAgrees(r, allFormats(r)));
});

test('the hop table never contradicts the verdict, in any format', async () => {
  await everyReport((r) => hopsAgree(r, allFormats(r)));
});

test('no NaN/undefined/null and no percentage outside [0, 100] in any format', async () => {
  await everyReport((r) => figuresSane(allFormats(r)));
});

test('stream table, evidence lines and percentages agree with each other and with arithmetic', async () => {
  await everyReport((r) => streamsAgree(r, allFormats(r)));
});

test('a class hop’s "P % lost" headline agrees with its stream row', async () => {
  await everyReport((r) => headlineLossAgrees(r));
});

test('the triage row of a capture says what its full report says', async () => {
  await everyReport((r) => {
    const bad = triageAgrees(r, allFormats(r));
    const table = formatTriage([{ name: 'x.pcapng', ok: true, report: r }], 'text');
    for (const want of [r.verdict.status, r.verdict.hop ?? '', r.verdict.cause === 'healthy' ? '' : (r.verdict.cause ?? '')]) {
      if (!table.includes(want)) bad.push(`triage text lacks '${want}'`);
    }
    return bad;
  });
});

/** RFC 1918 private ranges as the scenarios use them: redaction keeps these (they identify nobody). */
const isPrivate = (ip: string): boolean => ip.startsWith('192.168.');

/** What identifies someone in a case's capture: its public addresses and, on SmartLink, the radio's and account's identities. */
function identities(c: Case): { hidden: string[]; shown: string[] } {
  const ips = [c.o.client!.ip, c.o.radio!.ip, ...(c.other ? [c.other.client.ip] : []), ...(c.o.wan ? [c.o.wan.brokerIp, c.o.wan.clientPublicIp] : [])];
  const wan = c.o.wan ? [SERIAL, 'W1AW', 'eyJhbGciOiJSUzI1NiJ9', '5DB1AF2C'] : [];
  return { hidden: [...ips.filter((ip) => !isPrivate(ip)), ...wan], shown: [c.o.client!.ip, c.o.radio!.ip] };
}

test('redaction (the default) hides the scenario’s public addresses and identities in every format, including the triage; --no-redact shows them', async () => {
  let publicRuns = 0;
  for (const { c, report } of await runs()) {
    const { hidden, shown } = identities(c);
    const red = redactReport(report);
    const texts = { ...allFormats(red), triage: formatTriage([{ name: 'x', ok: true, report: red }], 'csv') };
    for (const [fmt, s] of Object.entries(texts)) {
      for (const x of hidden) assert.ok(!s.toLowerCase().includes(x.toLowerCase()), `${fmt} shows ${x} though redacted: ${reproducer(c)}`);
      assert.ok(!s.includes('w1aw') && !s.includes('/home/'), `${fmt} shows the file path though redacted`);
    }
    if (hidden.length > 0) publicRuns++;
    // The control channel's evidence names both ends (unless there is none); unredacted, they show.
    if (!c.o.noControl) for (const ip of shown) assert.ok(allFormats(report).text.includes(ip), `text lacks ${ip} unredacted: ${reproducer(c)}`);
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

test('the advice matches the cause; a failing verdict always has advice', async () => {
  await everyReport((r) => {
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

type LossShare = Record<string, { lost: number; dropped: number; degraded: number; n: number }>;

/** What the construction dictates of one run's report: the problems found (loss tallied into `lossShare`). */
function expectedSide({ c, events, report: r }: Run, lossShare: LossShare): string[] {
  const problems: string[] = [];
  const say = (p: string): void => void problems.push(`${c.family} seed ${c.seed}: ${p}\n    ${reproducer(c)}`);
  const hop = (id: HopId): string | undefined => r.hops.find((h) => h.id === id)?.status;
  const received = perStream(events);
  const radioSent = sentByRadio(c);
  const sent = perStream(radioSent);
  const visible = droppedVisibly(radioSent, events);
  const toMe = `${c.o.dataTo ?? c.o.client!.ip}:${c.o.sendTo ?? c.o.udpport ?? 4991}`;
  let dropped = 0;
  for (const s of r.streams) {
    const key = `${s.id} ${s.dst}`;
    // Every datagram the capture holds is counted; nothing is counted lost that the network did not drop.
    if (s.packets !== (received.get(key) ?? 0)) say(`${key}: ${s.packets} pkts reported, ${received.get(key)} in the capture`);
    const gone = (sent.get(key) ?? 0) - (received.get(key) ?? 0);
    if (s.lost > gone) say(`${key}: ${s.lost} lost reported, only ${gone} dropped`);
    if (s.dst === toMe) dropped += visible.get(key) ?? 0;
  }
  const lost = r.streams.filter((s) => s.dst === toMe).reduce((n, s) => n + s.lost, 0);
  const fragmentsLost = c.fragmenting !== undefined && events.length < lanScenario(c.o).length;
  const networkFault = c.o.loss || c.o.lossLarge || c.o.mtu || c.o.holes || c.o.blockUdp || c.removed || fragmentsLost;
  if (!networkFault && lost !== 0) say(`nothing dropped on this client's path, ${lost} reported lost`);
  const healthy = c.family.endsWith('healthy') || c.family === 'two clients, other lossy' || c.family === 'frag iq whole';
  // An encrypted control channel (SmartSDR's own SmartLink session) cannot show what was requested: inconclusive is honest there.
  const unreadable = c.o.wan?.encrypted === true && r.verdict.rule === 'verdict-no-control';
  if (healthy && r.verdict.status !== 'healthy' && !unreadable) say(`healthy session judged ${r.verdict.status} (${r.verdict.rule}: ${r.verdict.summary})`);
  if (c.o.wan && r.mode !== 'smartlink') say(`a SmartLink session reported as mode ${r.mode}`);
  if (c.removed) {
    const id = HOP_OF[c.removed];
    if (hop(id) !== 'blocked') say(`every ${c.removed} datagram removed, hop ${id} is ${hop(id)}`);
    if (r.verdict.status !== 'blocked') say(`a class removed, verdict ${r.verdict.status}`);
  }
  if (c.family === 'frag iq first only') {
    // Not one IQ datagram completes, DAX audio flows: the class is blocked (DESIGN §2: no usable unit arrives).
    if (hop('data:dax') !== 'blocked' || r.verdict.hop !== 'data:dax') say(`no IQ datagram whole: data:dax ${hop('data:dax')}, verdict at ${r.verdict.hop}`);
  }
  if (c.o.mtu === 1300) {
    if (hop('data:waterfall') !== 'blocked') say(`every waterfall datagram above the MTU, hop data:waterfall ${hop('data:waterfall')}`);
    if (r.verdict.cause !== 'mtu') say(`small datagrams pass, every large one dropped: cause ${r.verdict.cause}`);
    // DAX IQ (DF clear) crosses fragmented and arrives whole: its hop is no failure.
    if (c.o.dax?.iq && hop('data:dax') !== 'ok') say(`DAX IQ arrives whole (fragmented on the way), data:dax ${hop('data:dax')}`);
  }
  if (c.o.blockUdp && !c.o.wan?.encrypted) {
    // On SmartLink the first failing hop may be the radio's router (its forwarded UDP port): either way blocked.
    if (r.verdict.status !== 'blocked' || (hop('udp-return') !== 'blocked' && hop('radio-forwarding') !== 'blocked')) say(`no UDP at all: verdict ${r.verdict.status}, udp-return ${hop('udp-return')}`);
  }
  // The hop table shows the TLS control channel and the registrations: the verdict may not say there is no session.
  if (c.o.wan && hop('control') === 'ok' && /No FlexRadio session/.test(r.verdict.summary)) say(`control channel OK, verdict: ${r.verdict.summary}`);
  if (c.o.holes) {
    const h = c.o.holes[0]!;
    const o = r.outages ?? [];
    // Times from the first packet (the SmartLink server's session starts 1 s before the radio's): the data
    // starts 0.5 s after the radio's. One packet period of slack (FFT 40 ms, meters 36 ms, lines 50 ms).
    const at = (c.o.wan ? 1.5 : 0.5) + h.atS;
    if (o.length !== 1 || Math.abs(o[0]!.lengthS - h.lengthS) > 0.1 || Math.abs(o[0]!.startS - at) > 0.1) say(`one hole of ${h.lengthS.toFixed(2)} s at ${at.toFixed(2)} s; outages ${JSON.stringify(o)}`);
    if (r.verdict.status === 'healthy') say('an outage judged healthy');
  }
  if (c.other) {
    // The report is this client's (the busier session): its control channel, and the other client named in a warning.
    if (!(r.hops.find((h) => h.id === 'control')?.evidence[0] ?? '').startsWith(`${c.o.client!.ip}:`)) say(`control judged for another client: ${r.hops.find((h) => h.id === 'control')?.evidence[0]}`);
    if (!c.o.blockUdp && !c.o.loss && r.verdict.status !== 'healthy') say(`this client healthy, the other lossy: ${r.verdict.status} (${r.verdict.rule})`);
  }
  if (c.family.startsWith('frag vpn') || c.family.startsWith('frag smartlink') || c.family.startsWith('loss ') || c.family.includes('loss 0.')) {
    const k = c.family;
    const t = (lossShare[k] ??= { lost: 0, dropped: 0, degraded: 0, n: 0 });
    t.lost += lost;
    t.dropped += dropped;
    t.n++;
    if (r.verdict.status !== 'healthy') t.degraded++;
  }
  return problems;
}

/** From the construction: what each family's verdict must be, whatever the code says. */
test('expected side: verdicts and counts the construction dictates', async () => {
  const problems: string[] = [];
  const lossShare: LossShare = {};
  for (const run of await runs()) problems.push(...expectedSide(run, lossShare));
  assert.deepEqual(problems.slice(0, 8), [], `${problems.length} problems`);
  // Random loss: the counter finds every drop before a stream's last arrival (16 drops in a row, which
  // would wrap it unseen, has P ≈ 0.3^16 ≈ 4e-9 at 30 %), and 2 % or more over ≥ 3 s of ~300 pkt/s is far
  // above the 0.1 % the loss rule tests against (SmartLink: 2 %, FlexLib, reference §7.2; its family loses 10 %).
  // A fragment lost every 3rd–40th fragmented datagram drops those datagrams alone: each counted.
  for (const [k, t] of Object.entries(lossShare)) {
    assert.equal(t.lost, t.dropped, `${k}: ${t.lost} counted lost, ${t.dropped} dropped between each stream's first and last arrivals`);
    if (!/0\.005/.test(k)) assert.equal(t.degraded, t.n, `${k}: judged healthy in ${t.n - t.degraded} of ${t.n}`);
  }
});

test('a stop of every stream in DAX IQ’s first second is one outage, the IQ datagrams dropped in it counted lost (was random loss: IQ had no rate yet)', () => {
  const problems: string[] = [];
  for (const noPan of [false, true]) {
    for (const [atS, lengthS] of [[0.3, 0.3], [0.5, 0.8], [0.7, 0.45]] as const) {
      const o: ScenarioOptions = { seed: 5, seconds: 4, noPan, dax: { iq: true }, holes: [{ atS, lengthS }] };
      const events = lanScenario(o);
      const r = analyze(events);
      const iq = r.streams.find((x) => Number(x.id) === STREAM_OF['dax-iq']);
      const dropped = droppedVisibly(lanScenario({ ...o, holes: [] }), events).get(`${iq?.id} ${iq?.dst}`);
      if ((r.outages ?? []).length !== 1 || r.verdict.cause !== 'outage') problems.push(`${JSON.stringify(o)}: ${r.verdict.cause}, outages ${JSON.stringify(r.outages)}`);
      if (iq?.lost !== dropped) problems.push(`${JSON.stringify(o)}: IQ lost ${iq?.lost}, ${dropped} dropped in the hole`);
    }
  }
  assert.deepEqual(problems, []);
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
