/**
 * The rule table: facts (facts.ts) → hop statuses. `flexpath rules` prints it; every report names the
 * rule that decided each hop and the verdict ("decided by <id> (<source>)"; JSON `hops[].rule`,
 * `verdict.rule`).
 *
 * How a hop is decided (judge.ts): its rules — those with `hop` equal to it, or 'data:*' for every data
 * class — are tried in table order, blocked and degraded ones first, then `hop-not-tested` (a hop a live
 * diagnosis could not exercise is never ok), then ok/unknown ones. The first whose `when` holds decides.
 * The evidence is the rule's `summary` (the deciding fact), its `evidence`, then the hop's own facts in
 * words (describe.ts). Nothing changes a hop after it is decided: a judgement across classes (loss that
 * grows with the rate) is a rule of its own that reads the other classes' facts.
 *
 * To add a rule:
 *  1. Its facts. If the facts it needs are not in `PathFacts` (facts.ts), add them there: plain data
 *     (numbers, strings, booleans, arrays, records; no Maps, no tracker objects), counted in
 *     `deriveFacts` from the trackers (or, for facts about this computer, from their own module that the
 *     caller passes in). Facts count; they never compare with a threshold.
 *  2. The rule. Add an entry below, in the group of its hop, before the rules it must take precedence
 *     over: a unique kebab-case `id` (reports and tests refer to it), `hop`, `status`, `cause` (every
 *     blocked or degraded rule names one from model.ts CAUSES, with advice in advice.ts), `thresholds`
 *     (every number it compares with, as a named constant declared just above it), `source` ("reference
 *     §…", "FlexLib <file>", or "empirical: <why, with the data that set it>"), `when` (a pure function
 *     of the facts, complete on its own: do not rely on an earlier rule having failed), `summary` (the
 *     deciding fact in one line, or undefined when the hop's facts say it all) and `evidence` (further
 *     lines the rule relied on).
 *  3. Boundary tests in test/unit/analysis-rule-table.test.ts: hand-made facts just below and just
 *     above every threshold. The table test fails for a rule without them.
 */
import { REPLY, formatCode } from '../api/codes.js';
import { REPLY_RTT_FACTOR, replyWait } from '../api/reply-wait.js';
import { linkTypeText } from '../capture/link.js';
import { ADVICE } from './advice.js';
import { localRules } from './rules-local.js';
import { LARGE_PACKET_BYTES, LOSS_POOR, PING_TIMEOUT_S, RTT_THRESHOLDS } from './expected.js';
import { type ClassFacts, type DataHopId, type MtuStepsFact, type OutageFact, type PathFacts, type Unreachable, isDataHop, lossFraction } from './facts.js';
import { type IncompleteFact, sumIncomplete } from './fragments.js';
import { type MtuStep, datagramBytesAt, largeAt } from './mtu-phases.js';
import { pct, secs } from './describe.js';
import type { Cause, Hop, HopId, HopStatus, VerdictStatus } from './model.js';

export interface Rule {
  id: string;
  /** The hop it decides; 'data:*' decides each data class (data:meter … data:dax) on its own facts; '*' any hop. */
  hop: HopId | 'data:*' | '*';
  status: HopStatus;
  /** Required for blocked and degraded rules. */
  cause?: Cause;
  /** Every number `when` compares with, by name. */
  thresholds: Readonly<Record<string, number>>;
  source: string;
  when(f: PathFacts, hop: HopId): boolean;
  summary(f: PathFacts, hop: HopId): string | undefined;
  evidence(f: PathFacts, hop: HopId): string[];
  /**
   * The verdict's headline when this rule decides the first failing hop, where the cause's own title
   * (advice.ts) would say more than the evidence does (one class missing is not "no data at all").
   * `hops`: every hop as judged, for a headline that names the other hops it speaks of.
   */
  title?(f: PathFacts, hop: HopId, hops: readonly Hop[]): string;
  /** Advice for the verdict instead of the cause's, where this rule knows better (an outbound rule). */
  advice?: readonly string[];
}

const none = (): string[] => [];
/** A SmartLink hop outside a SmartLink session: unused on a LAN session, and nothing to say without any session. */
/** The SmartLink server sees this computer at the radio's public address: both are behind the radio's NAT. */
const behindRadioNat = (f: PathFacts): boolean => f.broker.publicIp !== undefined && f.broker.publicIp === f.forwarding.radio?.publicIp;
const notUsed = (f: PathFacts): string => (f.hasSession ? 'not used: LAN session' : 'no FlexRadio session in the evidence');
const silent = (): undefined => undefined;

/** The facts of the data class a 'data:*' rule is deciding. */
function cls(f: PathFacts, hop: HopId): ClassFacts {
  if (!isDataHop(hop)) throw new Error(`${hop} is not a data class`);
  return f.data[hop];
}

/** Data classes that were requested or arrived, for rules that compare classes. */
function classesOf(f: PathFacts): Array<[DataHopId, ClassFacts]> {
  return Object.entries(f.data) as Array<[DataHopId, ClassFacts]>;
}

// ─── shared thresholds ───────────────────────────────────────────────────────────────────────────────

/**
 * "Nothing arrives" is called on evidence, not after a fixed wait (issue 11 §3). A requested class is
 * expected to deliver λ = rate × time units by now (facts `requested.expected`, at the reference's low-end
 * rates, expected.ts silenceRate); were the path open, P(0 arrivals) = e^−λ under Poisson — an upper
 * bound for the radio's evenly paced streams, which deliver their first unit within one period. The class
 * (or the whole return path, with the classes' λ summed) is called missing once that is below
 * SILENCE_ALPHA.
 *
 * SILENCE_ALPHA = 10⁻⁶: a blocked verdict sends the user to change a firewall, router or VPN, so its false
 * alarm is held far below the loss rules' 1 %; the first look at which the bar is met decides, and since
 * P(0 by t) only falls with t, later looks add no false alarms (per class: ≤ 6 tests, ≤ 6 × 10⁻⁶). At the
 * reference rates the bar needs λ ≥ 13.8: meters (28/s) 0.49 s, FFT (25 fps) 0.55 s, a 50-ms waterfall
 * 0.69 s — inside the issue's 1 s — and a 100-ms waterfall 1.4 s.
 *
 * FIRST_PACKET_FLOOR_S: the reference gives no start-up latency for a new stream (§3.9 lists rates only) and
 * the simulator sends its first unit one period after the request, so neither shows a floor; it is
 * empirical: `npm run bench -- verdicts` measured the first packet of a class 0.06–0.08 s (median) and up
 * to 0.16 s and 0.42 s after its request (two runs of 40 classes, load average 22 and 19, 2026-11-30) —
 * event-loop stalls of a loaded machine — while Opus at 100/s would meet the bar at 0.14 s and the meters
 * at 0.49 s. 0.75 s is 1.8 times the worst seen and keeps every class inside the issue's 1 s.
 */
const SILENCE_ALPHA = 1e-6;
export const FIRST_PACKET_FLOOR_S = 0.75;
const SILENCE_THRESHOLDS = { SILENCE_ALPHA, FIRST_PACKET_FLOOR_S };

/** P(0 arrivals) when λ = `expected` were due: e^−λ. */
function pNothing(expected: number): number {
  return Math.exp(-expected);
}

/**
 * Silent long enough that an open path would have delivered something (P < SILENCE_ALPHA). `deadS`: time
 * at the start of the wait in which nothing can arrive yet, taken off the wait and its λ alike.
 */
function silentTooLong(expected: number, waitedS: number, deadS = 0): boolean {
  const live = waitedS - deadS;
  return live >= FIRST_PACKET_FLOOR_S && pNothing(waitedS > 0 ? (expected * live) / waitedS : 0) < SILENCE_ALPHA;
}

/**
 * On a LAN the clock of a request starts at the radio's own answer (the `client udpport` reply, the
 * object's status line), which travels with the data: the path's delay cancels. On SmartLink the meters'
 * clock starts at the client's first `udp_register` (reference §5.7), so a whole round trip passes
 * before the radio's first datagram can arrive: the longest measured round trip (any command's reply,
 * `wan validate` and `client ip` included, which come before the registrations) is dead time.
 */
function deadTime(f: PathFacts): number {
  const s = f.control.session;
  return f.mode === 'wan' ? Math.max(s?.pings.maxMs ?? 0, s?.maxReplyMs ?? 0) / 1000 : 0;
}

/** "P < 1e-10": the chance as an upper bound at the next power of ten (or its value when ≥ 1e-3). */
function pWords(p: number): string {
  if (p >= 1e-3) return `P = ${p.toPrecision(2)}`;
  return `P < 1e${Math.ceil(Math.log10(Math.max(p, Number.MIN_VALUE)))}`;
}

/** "0 of ≈ 25 expected FFT frames in 1.0 s; P < 1e-10 if the path were open". */
function silenceLine(expected: number, unit: string, waitedS: number): string {
  return `0 of ≈ ${expected >= 10 ? expected.toFixed(0) : expected.toFixed(1)} expected ${unit} in ${secs(waitedS)}; ${pWords(pNothing(expected))} if the path were open`;
}

/**
 * Blocked rules whose call carries its own bar of evidence, so the verdict stands as soon as it is made (a
 * live run may end on it at once): the silence rules (P(0 | λ) < SILENCE_ALPHA) and the MTU signature of
 * MTU_MIN_FRAMES broken frames without one first fragment. Other blocked rules (no frame complete after
 * one broken frame, data at another port) cannot be settled by the first moments of a run.
 */
export const FINAL_WHEN_CALLED: ReadonlySet<string> = new Set(['udp-return-nat', 'udp-return-no-data', 'data-missing-any-size', 'data-missing-large', 'data-missing', 'data-first-fragments-missing']);
/** Silence after which a stream that was flowing, and is still requested, counts as stopped. */
export const STOPPED_AFTER_S = 3;
/**
 * Blocked rules about data that flowed and went silent: the data may yet come back, and then the same
 * silence is an outage (data-outage), as the capture of the session says. A live run keeps watching
 * when one of these calls a hop (walk.ts `decided`).
 */
export const MAY_COME_BACK: ReadonlySet<string> = new Set(['udp-return-stopped', 'data-stopped']);
/**
 * Random loss. FlexLib on a LAN marks a second lossy on any counted error (reference §7.2), so a strict
 * reading calls every lost packet a fault; on SmartLink it marks it when the cumulative error fraction
 * passes 2 %. FlexPath asks whether the loss is significantly above what a path may lose and still work:
 * a one-sided Poisson test of the lost packets against LOSS_TOLERATED_* × packets sent, at LOSS_ALPHA.
 *
 * LAN: tolerated 0.1 % (the issue's "not a fault" level; one datagram in a thousand is a Wi-Fi link at
 * its best). SmartLink: 0.5 %, a quarter of FlexLib's 2 % bar, so that a path at 2 % is found (miss
 * ≤ 5 % from ~1000 packets). Empirical, measured by `npm run bench -- loss` over seeded 6-s sessions
 * (meters, FFT, waterfall, Opus ≈ 1400 packets): see README "How often loss is called".
 */
const LOSS_TOLERATED_LAN = 0.001;
const LOSS_TOLERATED_WAN = 0.005;
const LOSS_ALPHA = 0.01;

/** P(X ≥ k) for X ~ Poisson(λ). */
function poissonTail(k: number, lambda: number): number {
  return k <= 0 ? 1 : Math.max(0, 1 - poissonCdf(k - 1, lambda));
}

/** Is losing `lost` of `lost + packets` significantly more than this kind of path may lose? */
function lossDegrades(lost: number, packets: number, mode: PathFacts['mode']): boolean {
  const tolerated = mode === 'wan' ? LOSS_TOLERATED_WAN : LOSS_TOLERATED_LAN;
  return lost > 0 && poissonTail(lost, tolerated * (lost + packets)) < LOSS_ALPHA;
}
/** A class stopped on its own, not with the whole path: the others flowed at least this much longer. */
const STOPPED_ALONE_S = 1;
/** Out-of-order packets at or above this fraction: delay variation. */
const REORDER_DEGRADED_FRACTION = 0.01;
/** Out-of-order packets at or above this fraction make a class's counter loss unreliable. */
const HEAVY_REORDER_FRACTION = 0.1;
/** RFC 3550-style smoothed inter-arrival variation above which audio stutters (a 10 ms frame cadence). */
const JITTER_DEGRADED_S = 0.02;
/**
 * Meters have no cadence to vary from: the radio sends a packet when any meter of the set is due, and
 * the set mixes 10, 20 and 40 fps meters (reference §3.3: "no fixed 'every 100 ms' rule"), so their
 * inter-arrival spread is the set's, not the path's. Under a loaded sender the 20 ms bar called healthy
 * LAN paths degraded on meters alone (netlab lan-healthy, 2026-11-30). Reordering and loss still judge them.
 */
const JITTER_EXEMPT: ReadonlySet<HopId> = new Set<HopId>(['data:meter']);
/** Broken frames without a single first fragment before that pattern is called MTU rather than loss. */
const MTU_MIN_FRAMES = 5;
/**
 * The smallest path MTU an MTU cause stands for: 1280 B, Tailscale's tunnel MTU and IPv6's minimum link MTU,
 * the smallest of the tunnel MTUs reference §12 lists (PPPoE 1492, WireGuard 1420, Meraki SD-WAN 1400/1300,
 * Tailscale 1280; RFC 8200 §5). A client MTU step whose largest datagrams fit it (network_mtu 1300: 1264 B,
 * mtu-phases.ts datagramBytesAt) and still carried no large waterfall packet refutes the MTU — as does a
 * session already at such a setting whose waterfall never arrives: the waterfall is dropped whatever its size. Whether a step passed (MTU_STEP_MIN_LARGE large packets) is a fact (mtu-phases.ts).
 */
const MTU_FLOOR_BYTES = 1280;
const MTU_STEP_SOURCE =
  'reference §5.6 (client set enforce_network_mtu=1 network_mtu=N re-sizes the radio’s large packets), §8 #8 and §12 #3 (an MTU hole drops the large packets and is fixed by a lower setting), §12 “typical tunnel MTUs” (none below 1280; RFC 8200 §5); a step passes with MTU_STEP_MIN_LARGE large waterfall packets (mtu-phases.ts: empirical, one stray tile can slip through before the radio applies the new size, three cannot)';

/** At client network_mtu `mtu` the radio's largest datagrams fit every path an MTU cause stands for. */
const fitsFloor = (mtu: number): boolean => datagramBytesAt(mtu) <= MTU_FLOOR_BYTES;

/**
 * The MTU is refuted: no step carried the large packets, and the judged run's own setting or a step was at a
 * size every MTU-limited path carries (a session already at network_mtu 1300 is its own step).
 */
function mtuRefuted(f: PathFacts): boolean {
  const steps = f.mtuSteps?.steps ?? [];
  return !steps.some((s) => s.passed) && ((f.clientMtu !== undefined && fitsFloor(f.clientMtu)) || steps.some((s) => fitsFloor(s.mtu)));
}

/** The smallest client MTU the refutation rests on: the run's own setting or a step. */
function smallestTried(f: PathFacts): number {
  return Math.min(...[...(f.clientMtu !== undefined ? [f.clientMtu] : []), ...(f.mtuSteps?.steps ?? []).map((s) => s.mtu)]);
}

/** The first step below the judged run's setting that carried the large packets: the setting to use. */
function workingStep(f: PathFacts): MtuStep | undefined {
  const m = f.mtuSteps;
  return m?.steps.find((s) => s.passed && (m.tested === undefined || s.mtu < m.tested));
}

/**
 * A step at the judged run's own setting or above carried the large packets (and none below did, the probe
 * stopping at its first pass): datagrams as large as the run's, or larger, crossed the path, so the MTU
 * does not explain the run's missing ones.
 */
function passedAtOrAbove(f: PathFacts): MtuStep | undefined {
  const m = f.mtuSteps;
  const tested = m?.tested ?? f.clientMtu;
  return tested === undefined || workingStep(f) ? undefined : m?.steps.find((s) => s.passed && s.mtu >= tested);
}

/** A step at the run's own setting or above carried the large packets: what held the waterfall back is no MTU. */
const SIZE_PASSED_ADVICE = [
  'Lowering SmartSDR’s MTU is not the fix: packets at least as large as the run’s got through at the step.',
  'Something held the waterfall back during the run only: a filter or IPS/DPI policy that drops by rate, DSCP or stream and lets a short burst through, a VPN that reconnected, or a pan the radio set up late. Run the diagnosis again and watch whether the waterfall arrives; if it stays away, capture on each side of a router (`tcpdump -w side.pcap udp port 4993`) to find the box that drops it.',
];

/**
 * Where packets as large as any the radio sends at the run's setting crossed the path, for a class other
 * than the waterfall: a waterfall step at that setting or above that passed, or the run's own waterfall
 * lines arriving whole with tiles as large as the steps count large (largeAt: within LARGE_MARGIN of
 * network_mtu − 64, empirical, mtu-phases.ts). The radio caps every data packet at network_mtu − 64 bytes
 * (reference §5.6, §8 #8), the FFT's too (its bins per packet at a setting are not observed, reference §3.1:
 * the cap is all that is assumed), so an MTU limit those crossed drops none of that class's packets.
 */
function largeCarried(f: PathFacts): string | undefined {
  const p = passedAtOrAbove(f);
  if (p) return `${f.mtuSteps!.where} at network_mtu ${p.mtu} ${p.large} large waterfall packets arrived (${datagramBytesAt(p.mtu)}-byte datagrams)`;
  const wf = f.data['data:waterfall'];
  if (f.clientMtu === undefined || wf.framesComplete === 0 || !largeAt(f.clientMtu, wf.maxSize)) return undefined;
  return `in the same run at network_mtu ${f.clientMtu} ${wf.framesComplete} waterfall lines arrived whole, with tiles up to ${wf.maxSize} B of UDP payload`;
}

const LARGE_CARRIED_SOURCE = `reference §5.6, §8 #8 (the radio caps its packets at network_mtu − 64, the waterfall's tiles reach the cap); a waterfall step at the run's setting or above that passed, or the run's own whole waterfall lines with large tiles (largeAt, LARGE_MARGIN: empirical, mtu-phases.ts), carried packets as large as the class's: ${MTU_STEP_SOURCE}`;

const LARGE_CARRIED_ADVICE = [
  'Lowering SmartSDR’s MTU is not the fix: the radio’s waterfall packets, as large as these or larger, crossed the same path.',
  'A router, firewall or VPN between the radio and this computer drops this stream by a rule of its own — by VITA-49 stream ID or class, rate or DSCP, an IPS/“application control” or DPI policy. To find the box, capture on each side of a router (`tcpdump -w side.pcap udp port 4993`) and open both in FlexPath: the side where the stream is missing is behind the filter.',
];

/** Not one waterfall packet, of any size, at any step. */
const noneArrived = (m: MtuStepsFact): boolean => m.steps.every((s) => s.largest === 0);
/** What the failed steps carried: "not one waterfall packet", "no large waterfall packet", "at most 2 large waterfall packets". */
function stepsCarried(m: MtuStepsFact): string {
  const most = Math.max(...m.steps.map((s) => s.large));
  if (noneArrived(m)) return 'not one waterfall packet arrived';
  return most === 0 ? 'no large waterfall packet arrived' : `at most ${most} large waterfall packet${most === 1 ? '' : 's'} arrived (too few to pass)`;
}

/** The settings tried, for a sentence: "1500, 1450, 1400 and 1300". */
function mtuList(m: MtuStepsFact): string {
  const mtus = m.steps.map((s) => String(s.mtu));
  return mtus.length > 1 ? `${mtus.slice(0, -1).join(', ')} and ${mtus[mtus.length - 1]}` : mtus.join('');
}

/** The classes that arrived, for "smaller classes did (meters, panadapter (FFT))". */
const arrivedLabels = (f: PathFacts): string =>
  classesOf(f)
    .filter(([, c]) => c.packets > 0)
    .map(([, c]) => c.label)
    .join(', ');

/**
 * The MTU cause confirmed by a step (a smaller setting carried the large packets): the setting leads the
 * verdict's advice (judge.ts), and the deciding rule's evidence says so.
 */
export function workingMtuAdvice(f: PathFacts): string[] {
  const pass = workingStep(f);
  if (!pass) return [];
  const tested = f.mtuSteps?.tested;
  return [`set SmartSDR’s MTU to ${pass.mtu} (its network MTU setting; the same in Maestro): large packets at ${tested ?? 'the first setting'} did not arrive, at ${pass.mtu} they did`];
}
const mtuConfirmedLines = (f: PathFacts): string[] => {
  const pass = workingStep(f);
  return pass ? [`confirmed by an MTU step ${f.mtuSteps!.where}: at network_mtu ${pass.mtu} (${datagramBytesAt(pass.mtu)}-byte datagrams) ${pass.large} large waterfall packets arrived`] : [];
};

/** Frames broken at or above this fraction of those started: the display visibly drops frames. */
const BROKEN_FRAMES_FRACTION = 0.05;
/** Frames sent at least, and complete at least this share of them, for "every frame completes". */
const WHOLE_MIN_FRAMES = 10;
const WHOLE_FRACTION = 0.99;


/**
 * FFT frames and waterfall lines carry 32-bit indices; when (nearly) every one completes, nothing was
 * lost, whatever gaps the 4-bit packet counter shows — those are packets too late for it to place.
 */
function framesWhole(c: Pick<ClassFacts, 'framesSent' | 'framesComplete'>): boolean {
  return c.framesSent >= WHOLE_MIN_FRAMES && c.framesComplete >= WHOLE_FRACTION * c.framesSent;
}

/** P(X ≤ k) for X ~ Poisson(λ): the chance of at most k events where λ were expected. */
export function poissonCdf(k: number, lambda: number): number {
  let term = Math.exp(-lambda);
  let sum = term;
  for (let i = 1; i <= k; i++) {
    term *= lambda / i;
    sum += term;
    // Past the mode the terms only shrink: once they no longer change the sum, the rest cannot either
    // (a loss estimated across a long silence may be millions; the loop must not run that often).
    if (i > lambda && term < sum * Number.EPSILON) break;
  }
  return Math.min(1, sum);
}

// ─── control ─────────────────────────────────────────────────────────────────────────────────────────

/**
 * Pings sent at least, more of them than this unanswered, and one waiting at least max(PING_WAIT_S,
 * REPLY_RTT_FACTOR × the measured round trip).
 */
const PINGS_MIN = 3;
const PINGS_MISSING_MORE_THAN = 2;
const PING_WAIT_S = 3;
/** After `keepalive enable` the radio drops a client silent this long (reference §11; FlexLib's 17 s is its own give-up). */
const RADIO_KEEPALIVE_S = 15;
/** A command other than ping without a reply for max(this, REPLY_RTT_FACTOR × the measured round trip) is late. */
const REPLY_WAIT_S = 5;

/** The measured round trip, s: the average answered ping (FlexLib's figure, reference §7.3); 0 before any. */
const rttS = (f: PathFacts): number => (f.control.session?.pings.avgMs ?? 0) / 1000;
/** A reply counts as missing only after max(base, 3 × RTT) (api/reply-wait.ts, RFC 6298 §2.2). */
const missingAfter = (f: PathFacts, baseS: number): number => replyWait(baseS, rttS(f));

// ─── loss that grows with the rate (a judgement across classes) ──────────────────────────────────────

/**
 * Classes with fewer packets sent (arrived + lost) say nothing about a rate. Sent, not arrived: a class
 * that loses 90 % arrives with a tenth of its packets because its loss is heavy (netlab 100 kbit/s tbf:
 * the waterfall's 186 tiles arrived as 18, and the comparison ran without it).
 */
const RATE_MIN_PACKETS = 20;
/** The heavy class loses at least this much (the jitter-free loss that audio concealment stops hiding) … */
const RATE_HEAVY_LOSS = 0.01;
/** … at least this many times the light class's loss … */
const RATE_LOSS_RATIO = 3;
/** … on at least this many times its byte rate … */
const RATE_BYTES_RATIO = 4;
/** … and the light class's few losses are this improbable under the heavy class's loss rate. */
const RATE_UNIFORM_P = 0.001;
const RATE_THRESHOLDS = { RATE_MIN_PACKETS, RATE_HEAVY_LOSS, RATE_LOSS_RATIO, RATE_BYTES_RATIO, RATE_UNIFORM_P };
const RATE_SOURCE =
  'empirical: a token bucket drops the large packets of the heavy classes first (netlab routed-rate-limit); under uniform 1 % loss, 150 meter packets lose none one time in five, so "lighter class lost less" alone is chance — the Poisson bound at 0.1 % keeps uniform 5 % loss random-loss for 25 of 25 seeds';

/**
 * Loss that grows with the stream's byte rate points at a bandwidth limit; loss spread evenly is random.
 * Compares the heaviest class by byte rate with the lightest; a class whose frames all complete lost
 * nothing and takes no part, nor does one whose first fragments never arrive (the MTU signature,
 * data-first-fragments-missing, or firstNeverArrived while its frames are in flight: its loss is the size
 * of its packets, not the rate — beside it, random loss on the other classes read as "loss grows with
 * rate", simulator mtu=1400 loss=2).
 */
function rateLimit(f: PathFacts): string | undefined {
  return rateComparison(f)?.line;
}

/** The comparison rateLimit makes, when it finds a limit: its line, and the lightest class with its loss. */
function rateComparison(f: PathFacts): { line: string; light: ClassFacts; lightHop: DataHopId; lightCount: RateLoss } | undefined {
  const usable = classesOf(f)
    .filter(([, c]) => c.packets > 0 && !framesWhole(c) && !firstFragmentsMissing(f, c) && !firstNeverArrived(c))
    .map(([h, c]) => ({ h, c, loss: rateLoss(c) }))
    .filter((x): x is { h: DataHopId; c: ClassFacts; loss: RateLoss } => x.loss !== undefined && x.loss.sent >= RATE_MIN_PACKETS)
    .map((x) => ({ ...x, sentBytesPerS: sentRate(x.c, x.loss) }));
  if (usable.length < 2) return undefined;
  usable.sort((a, b) => a.sentBytesPerS - b.sentBytesPerS);
  const { c: light, loss: lightCount, sentBytesPerS: lightRate } = usable[0]!;
  const { h: heavyHop, c: heavy, loss: heavyCount, sentBytesPerS: heavyRate } = usable[usable.length - 1]!;
  const lightLoss = lightCount.lost / lightCount.sent;
  const heavyLoss = heavyCount.lost / heavyCount.sent;
  const pUniform = poissonCdf(Math.round(lightCount.lost), heavyLoss * lightCount.sent);
  // The heavy class's loss is loss, not the shadow of reordering the 4-bit counter cannot place.
  const heavyLoses = noFrameCompletes(heavy) || (!heavyReorder(heavy) && (lossy(f, heavyHop, heavy) || manyBroken(f, heavy)));
  const limited = heavyLoses && heavyLoss >= RATE_HEAVY_LOSS && heavyLoss >= RATE_LOSS_RATIO * lightLoss && heavyRate >= RATE_BYTES_RATIO * lightRate && pUniform < RATE_UNIFORM_P;
  if (!limited) return undefined;
  return { line: `loss ${pct(heavyLoss)} on ${(heavyRate * 8e-3).toFixed(0)} kbit/s vs ${pct(lightLoss)} on ${(lightRate * 8e-3).toFixed(0)} kbit/s: loss grows with rate`, light, lightHop: usable[0]!.h, lightCount };
}

/**
 * Whether a limit the rate comparison found leaves the lighter classes room: every class but the heaviest,
 * at the rate it was sent (sentRate), sends less than all the classes together delivered — a saturated
 * token bucket or queue passes its own rate, so what arrives is the limit's rate. Arithmetic, no
 * threshold: a bucket refilled at R (sim/shaper.ts takeTokens, nft `limit rate`) that the lighter classes
 * alone overrun must drop their packets whatever else it does; one they fit under drops mainly the heavy
 * class's, whose packets wait for a bucket that holds their size (simulator rate=800: meters 0 of 108).
 */
function limitLeavesRoom(f: PathFacts): boolean {
  const sending = classesOf(f).filter(([, c]) => c.packets > 0).map(([, c]) => sentRate(c, { lost: c.lost, sent: c.packets + c.lost }));
  const delivered = classesOf(f).reduce((n, [, c]) => n + (c.packets > 0 ? c.bytesPerS : 0), 0);
  return sending.reduce((n, x) => n + x, 0) - Math.max(0, ...sending) < delivered;
}

/**
 * A class's rate as sent, B/s: what arrived scaled by sent / arrived. The rate the loss grows with is the
 * sender's; the rate that arrives is what the limit left (a 100 kbit/s limit let a tenth of the waterfall
 * through, which then weighed less than the audio and the light class lost as much as the "heavy" one).
 */
const sentRate = (c: ClassFacts, loss: RateLoss): number => (c.bytesPerS * loss.sent) / c.packets;

/**
 * A rate limit's headline when the lightest class loses significantly too (the loss test against the
 * tolerated loss, on its loss outside the shown stops of every stream, as data-loss counts): a limit that
 * leaves the light classes room drops the heavy classes' packets, and random loss besides it reaches the
 * light ones. Empirical: simulator rate=800 alone, meters 0 of 108 lost (audio 2 %, waterfall no line
 * whole); rate=800 with loss=2, meters 1.8 % lost. But a limit below what the classes besides the
 * heaviest send leaves them no room (limitLeavesRoom): it drops their packets too, and their loss is the
 * limit's, not evidence of random loss besides (netlab policer at 128 kbit/s, meters ≈ 24 % lost).
 */
function rateLimitTitle(f: PathFacts): string {
  const r = rateComparison(f);
  const lost = r ? Math.min(r.lightCount.lost, lostOutside(f, r.lightHop, r.light)) : 0;
  const besides = r && limitLeavesRoom(f) && lossDegrades(lost, r.lightCount.sent - r.lightCount.lost, f.mode) ? `; besides, the ${r.light.label} lose ${pct(lost / r.lightCount.sent)} at random` : '';
  const stops = outagesSeen(f);
  return `${ADVICE.bandwidth.title}${besides}${stops.length > 0 ? `; and, a second fault, ${stopsWords(stops)}` : ''}`;
}

/** "a stop of every stream (0.1 s at t=5.9 s)", or how many and the longest. */
const stopsWords = (o: readonly OutageFact[]): string =>
  o.length === 1 ? `a stop of every stream (${secs(o[0]!.lengthS)} at t=${secs(o[0]!.atS)})` : `${o.length} stops of every stream (longest ${secs(Math.max(...o.map((x) => x.lengthS)))})`;

interface RateLoss {
  lost: number;
  sent: number;
}

/**
 * A class's loss as the rate comparison reads it. On a path that reorders, the 4-bit counter cannot place
 * a packet late by 8 or more (reference §10) and counts it lost — the more packets a class sends within
 * the delay spread, the more: its "loss" grows with the rate by construction (netlab relay-jitter, nothing
 * lost: waterfall 52 %, meters 12 % by the counter). There a reassembled class counts by its frames
 * instead (reference §3.1–3.2: frame_index and timecode number them exactly), as the per-packet loss that
 * leaves that share of them incomplete; a class without frames cannot be placed and takes no part.
 */
function rateLoss(c: ClassFacts): RateLoss | undefined {
  if (!reordered(c)) return { lost: c.lost, sent: c.packets + c.lost };
  const frames = c.framesComplete + c.framesBroken;
  if (c.unit === undefined || c.framesSent < WHOLE_MIN_FRAMES || frames === 0) return undefined;
  const perFrame = Math.max(1, c.packets / frames);
  const p = 1 - Math.min(1, c.framesComplete / c.framesSent) ** (1 / perFrame);
  const sent = c.packets / (1 - Math.min(p, 0.99));
  return { lost: sent - c.packets, sent };
}

/** The data's silence across each of the client's reconnects: the restart's, counted as no loss (facts.ts restarts). */
const restartLines = (f: PathFacts): string[] =>
  f.restarts.map(
    (r) =>
      `${r.streams} data stream(s) silent for ${secs(r.silentS)} from t=${secs(r.atS)}, across the session’s end (t=${secs(r.sessionEndS)}) and the next one (t=${secs(r.nextSessionS)}): the radio sends a client’s streams only while its session lives, so that silence is not counted as loss`,
  );

// ─── outages: every data stream silent for a stretch, then back ──────────────────────────────────────

/**
 * A silence across every data stream of at least this long, in which packets were lost, is an outage.
 * Empirical, from arithmetic on the reference §3.9 rates: half a second is ≥ 14 meter packets (≈ 28/s),
 * 12 FFT frames and 50 waterfall tiles in a row. For random loss to empty even a meters-only session
 * (observer mode) that long takes p¹⁴ per start: at 20 % loss, < 10⁻⁹, over the ~280 starts of a 10-s
 * session < 10⁻⁷. A healthy path's longest silence across the streams is one FFT/meter period (≤ 40 ms at
 * the reference rates); a sender or receiver that stalls loses nothing and is no outage (`lost` > 0).
 */
export const OUTAGE_MIN_S = 0.5;
const OUTAGE_SOURCE =
  'reference §1.1, §10 (the 4-bit counter wraps every 16 packets: a silence is counted by frame index, §3.1–3.2, or time × rate); empirical: 0.5 s of silence across every stream is ≥ 14 meter packets in a row, which random loss produces with P < 10⁻⁷ per session even at 20 %';

/**
 * A shorter silence across every data stream is an outage when at least this many packets, the streams
 * together, were lost in it and every stream lost some: a Wi-Fi client roaming between access points, a
 * link that flaps (a 0.2-s gap is 5–6 meter packets, 5 FFT frames, 20 waterfall tiles, 20 Opus packets at
 * the reference §3.9 rates: no stream alone reaches HALF_COUNTER periods but the meters' 28/s).
 * Arithmetic: independent random loss at rate p empties a given run of k due packets with p^k; k = 16
 * (one 4-bit counter cycle, reference §1.1) at 20 % loss is 6.6·10⁻¹², over the ~10⁶ packets (starts) of
 * an hour's session < 10⁻⁵; at the 1–5 % of a lossy Wi-Fi link < 10⁻¹⁴. Every stream silent (not only the
 * fast ones) and every one short of packets is what tells it from loss spread over streams.
 */
const BRIEF_OUTAGE_MIN_LOST = 16;
const BRIEF_OUTAGE_SOURCE =
  'reference §1.1, §10 (a silence under 8 periods is counted exactly by the 4-bit counter), §3.9 rates; arithmetic: random loss at p empties 16 due packets in a row with p¹⁶ (< 10⁻¹¹ at 20 %), so 16 lost with nothing of any stream received between is no random loss';

/** Long enough to be an outage whatever the streams, with packets lost in it. */
const longOutage = (o: OutageFact): boolean => o.lengthS >= OUTAGE_MIN_S && o.lost > 0;
/**
 * The arithmetic's own bar: 16 due packets emptied by random loss at 20 %, 0.2¹⁶ = 6.6·10⁻¹². It holds
 * where the streams lose little besides; a class that loses 90 % (a rate limit: netlab policer at
 * 128 kbit/s, waterfall 91 %, FFT 82 %) empties its share of any window by itself (0.9²⁹ = 0.05), and a
 * coincidence with one lost meter packet made a 0.0-s "stop of every stream" and "51 % lost at random".
 */
const BRIEF_OUTAGE_CHANCE = 0.2 ** BRIEF_OUTAGE_MIN_LOST;
/** The chance that each stream's own loss rate (its class's, the outage's own loss included) lost what it lost in the outage. */
function outageByChance(f: PathFacts, o: OutageFact): number {
  return o.streams.reduce((p, x) => {
    const c = f.data[x.hop];
    return p * (c.lost / Math.max(1, c.lost + c.packets)) ** x.lost;
  }, 1);
}
/** Shorter, but every stream silent across it and short of packets, BRIEF_OUTAGE_MIN_LOST together, more than the streams' own loss explains. */
const briefOutage = (o: OutageFact, f: PathFacts): boolean =>
  !longOutage(o) && o.everyStream && o.lost >= BRIEF_OUTAGE_MIN_LOST && o.streams.every((x) => x.lost > 0) && outageByChance(f, o) < BRIEF_OUTAGE_CHANCE;

/** A silence in progress at the end of the evidence, of data that flowed: long enough to be an outage, too short to be stopped. */
function silentAtEnd(f: PathFacts): { silentS: number; flowedS: number } | undefined {
  const s = f.udpReturn.stopped;
  return f.udpReturn.streamsToClient > 0 && s !== undefined && s.silentS >= OUTAGE_MIN_S && s.silentS < STOPPED_AFTER_S ? s : undefined;
}

/** An outage the report shows: long enough, or brief across every stream, with packets lost in it. */
const shownOutage = (o: OutageFact, f: PathFacts): boolean => longOutage(o) || briefOutage(o, f);
export function outagesSeen(f: PathFacts): OutageFact[] {
  return f.outages.filter((o) => shownOutage(o, f));
}

/**
 * Data that came back this soon after the client sent the radio a UDP datagram (beyond the control
 * channel's round trip) came back because of it: the datagram reopened a NAT mapping or firewall state
 * that had expired — on SmartLink the client's `client ping` every 5 s keeps it open (reference §5.7).
 * Empirical: netlab smartlink-nat-timeout (a 0.5-s mapping) saw the data back 0.6 and 9 ms after the
 * ping; 0.1 s covers one period of the slowest stream (FFT, 40 ms) and the receiver's scheduling. A
 * real outage ends this close after a 5-s ping by chance with P ≈ (0.1 s + RTT) / 5 s.
 */
const REOPEN_WITHIN_S = 0.1;
const REOPEN_SOURCE =
  'reference §5.7 (FlexLib sends `client ping` over UDP every 5 s "to maintain the NAT rule"); empirical: netlab smartlink-nat-timeout, data back 0.6–9 ms after the ping, within 0.1 s + the control round trip';
function reopened(f: PathFacts): OutageFact | undefined {
  const within = REOPEN_WITHIN_S + (f.control.session?.pings.maxMs ?? 0) / 1000;
  return outagesSeen(f).find((o) => o.reopenedS !== undefined && o.reopenedS <= within);
}
const outageListLines = (f: PathFacts): string[] =>
  outagesSeen(f).map((o) => `no data for ${secs(o.lengthS)} from t=${secs(o.atS)}${o.reopenedS !== undefined ? `; back ${(o.reopenedS * 1000).toFixed(0)} ms after this computer’s UDP datagram to the radio` : ''}`);

const outagesOf = (f: PathFacts, h: HopId, kind: (o: OutageFact, f: PathFacts) => boolean = longOutage): OutageFact[] => f.outages.filter((o) => kind(o, f) && o.streams.some((x) => x.hop === h));

const BASIS_WORDS = {
  index: 'counted from the frame index',
  time: 'estimated from time × rate',
  counter: 'per the packet counter: an FFT/waterfall stream lost no frame then',
  brief: 'per the packet counter, exact for a silence this short',
} as const;

function outageLines(f: PathFacts, h: HopId): string[] {
  return outagesOf(f, h, shownOutage).flatMap((o) =>
    o.streams.filter((x) => x.hop === h).map((x) => `stream ${x.id}: no packets for ${secs(x.silentS)} from t=${secs(x.atS)} (≈ ${x.lost} packets lost, ${BASIS_WORDS[x.basis]})`),
  );
}

// ─── data classes: predicates the rules share ────────────────────────────────────────────────────────

const waited = (c: ClassFacts): number => c.requested?.waitedS ?? 0;
/** Requested, nothing of it arrived, and an open path would have delivered by now. */
const classSilent = (f: PathFacts, c: ClassFacts): boolean => c.packets === 0 && c.requested !== undefined && silentTooLong(c.requested.expected, c.requested.waitedS, deadTime(f));
/** The class's requested objects silent long enough that an open path would have delivered something of each. */
const missingObjects = (f: PathFacts, c: ClassFacts): NonNullable<ClassFacts['silentObjects']> => (c.silentObjects ?? []).filter((o) => silentTooLong(o.expected, o.waitedS, deadTime(f)));
const classSilenceLine = (c: ClassFacts): string => silenceLine(c.requested?.expected ?? 0, c.requested?.expectedUnit ?? 'packets', waited(c));
/** Nothing at all reached this computer, and the requested classes together would have delivered by now. */
const pathSilent = (f: PathFacts): boolean => f.udpReturn.streamsToClient === 0 && f.udpReturn.requestedClasses > 0 && silentTooLong(f.udpReturn.expected, f.udpReturn.waitedS, deadTime(f));
/**
 * Evidence with no UDP at all. From a capture, the data's absence may be the capture's own (libpcap filter
 * `tcp port 4992` keeps no UDP); FlexPath's own socket (a live run) has no capture filter: nothing reached it.
 */
const noUdpLine = (f: PathFacts): string =>
  f.ownSocket
    ? 'no UDP datagram of any kind reached FlexPath’s socket: the radio’s data never arrived at this computer’s data port'
    : 'the capture holds no UDP datagram of any kind: if it was taken with a capture filter that keeps TCP only, capture again with one that keeps UDP (`udp or tcp port 4992`) before acting on this';
const pathSilenceLine = (f: PathFacts): string => silenceLine(f.udpReturn.expected, 'datagrams of the requested classes', f.udpReturn.waitedS);
const unitWord = (c: ClassFacts): string => (c.unit === 'line' ? 'line' : 'frame');
/** Reassembled classes (FFT, waterfall) where not one frame completed although fragments came. */
const noFrameCompletes = (c: ClassFacts): boolean => c.unit !== undefined && c.framesComplete === 0 && c.framesBroken > 0;
/**
 * Reassembled classes whose packets arrive but not one frame's first (full-size) packet, nor a whole frame:
 * what they lose may be the size of their packets (the MTU signature), before any frame of theirs is settled
 * as broken — judged live, a waterfall line is in flight until later lines show it will not complete, so in
 * a run's first half second (the UI demo's first readings) the MTU's dropped tiles are not yet broken lines.
 */
const firstNeverArrived = (c: ClassFacts): boolean => c.unit !== undefined && c.packets > 0 && c.framesComplete === 0 && c.neverFirstFragment;
/** Small packets get through: the meters arrive (a lossy link may still drop some of them). */
const smallOk = (f: PathFacts): boolean => f.data['data:meter'].packets > 0;
const fragNeededLines = (f: PathFacts): string[] =>
  f.fragNeeded.map((i) => `ICMP fragmentation needed from ${i.from}${i.mtu ? `: next-hop MTU ${i.mtu}` : ''} for ${i.src} → ${i.dst}`);
const FIRST_FRAGMENTS_SOURCE =
  'reference §3.1–3.2, §8 #8: a split frame’s first fragment is a full-size packet (the remainder comes last); if first fragments never arrive while later, smaller ones and the meters do, the largest packets are dropped every time. Empirical: 5 broken frames without one first fragment is no accident of random loss (P < 10⁻⁵ at 10 % loss)';
const firstFragmentsMissing = (f: PathFacts, c: ClassFacts): boolean => noFrameCompletes(c) && ((smallOk(f) && c.neverFirstFragment && c.framesBroken >= MTU_MIN_FRAMES) || f.fragNeeded.length > 0);
/** Every packet the class's counter shows lost is one of its datagrams the capture saw in fragments that never completed. */
const fragmentsExplainLoss = (c: ClassFacts): boolean => c.ipFragments !== undefined && c.lost > 0 && c.ipFragments.datagrams >= c.lost;
const noFrameWhy = (c: ClassFacts): string =>
  'no frame is ever complete: ' + (c.neverFirstFragment ? 'the first (full-size) packet of a frame never arrives, only later, smaller ones' : 'its packets arrive but too many are lost for any frame to complete');
/**
 * data-frames-lost's headline: what the class's own frames show. The cause's title ("lost at a steady rate
 * on every stream, whatever their size") would contradict a class whose first, full-size packets never
 * arrive while the other classes lose nothing — under MTU_MIN_FRAMES broken frames (a live run's first
 * tenths of a second) too few to call an MTU limit, and no sign of loss everywhere either.
 */
function framesLostTitle(f: PathFacts, h: HopId): string {
  const c = cls(f, h);
  const few = c.neverFirstFragment && smallOk(f) && c.framesBroken < MTU_MIN_FRAMES ? ` — ${c.framesBroken} broken so far, too few to tell a path MTU below those packets from loss` : '';
  return `No ${unitWord(c)} of the radio’s ${c.label} has completed: ${c.neverFirstFragment ? 'its first (full-size) packets never arrive, only later, smaller ones' : 'its packets arrive but too many are lost for any to complete'}${few}`;
}
/** The class's own counter loss is significant. */
const ownLoss = (f: PathFacts, c: ClassFacts): boolean => c.packets > 0 && lossDegrades(c.lost, c.packets, f.mode);
/**
 * Packets of this class lost inside the outages the report shows (long, or brief across every stream):
 * those are the outage's, a fault of their own (data-outage, data-brief-outage), not random loss. The
 * loss tests read what is left outside them, so an outage alone is no random loss, and random loss
 * beside an outage is not swallowed by it.
 */
const lostInOutages = (f: PathFacts, h: HopId): number =>
  outagesSeen(f).reduce((n, o) => n + o.streams.reduce((m, x) => m + (x.hop === h ? x.lost : 0), 0), 0);
/** The class's loss outside the shown outages (its silences' estimates may exceed the counter's total: at least 0). */
const lostOutside = (f: PathFacts, h: HopId, c: ClassFacts): number => Math.max(0, c.lost - lostInOutages(f, h));
/**
 * Random loss hits every class of the path alike, so the classes' losses are pooled into one test (one
 * test, not one per class: five tests at α would raise false alarms fivefold): a class that lost packets
 * on a path whose pooled loss is significant is lossy, even when its own few packets prove nothing.
 * Classes whose frames all complete, or whose counter gaps are the shadow of heavy reordering, lost
 * nothing and stay out of the pool; a class no frame of which completes is blocked on its own (MTU, frames
 * lost), and its loss — every first fragment, under an MTU black hole — is that finding's, not the other
 * classes', as is the loss of one whose first fragments never arrived while its frames are still in flight
 * (firstNeverArrived). Loss inside the shown outages is not random loss (lostOutside).
 */
const lossy = (f: PathFacts, h: HopId, c: ClassFacts): boolean => c.packets > 0 && lostOutside(f, h, c) > 0 && !framesWhole(c) && pathLossy(f);
/**
 * An outage rule's headline when the path also loses packets at random outside the outages, and the hop
 * it decides (the first in path order) lost none of them: the loss outside is shown all the same.
 */
function lossBesideOutages(f: PathFacts): string | undefined {
  if (!pathLossy(f)) return undefined;
  const it = outagesSeen(f).length === 1 ? 'it' : 'them';
  // The pool's loss under a rate limit is the limit's, not random (data-loss-rate-limit's reading).
  const limit = rateLimit(f);
  return limit ? `and besides ${it} a rate limit: ${limit}` : `and besides ${it} ${pct(lossFraction(pooledLoss(f)))} of the packets are lost at random at other times`;
}
/**
 * An MTU rule's headline. It names the classes that lost their large packets — the data hops an MTU rule
 * decided, no others: a 50-bin pan's 144-B packets cross a 1400-B path while the waterfall's 1464-B tiles
 * do not — and those that arrive. When the other classes also lose packets at random (the pooled loss
 * test, the black-holed class out of the pool) it says so: the MTU explains only the large packets, the
 * rest is a second fault.
 */
function mtuTitle(f: PathFacts, h: HopId, hops: readonly Hop[]): string {
  const c = cls(f, h);
  // Fragments that name no stream (their first never arrived) are the class's when it has none of its own.
  const frag = c.ipFragments ?? f.ipFragmentsUnplaced;
  const what = frag
    ? `The radio’s ${c.ipFragments ? c.label : 'large'} datagrams${frag.datagramBytes > 0 ? ` (${frag.datagramBytes} B)` : ''} are fragmented on the way and never arrive whole: ${fragmentsArrived(frag)} — a hop drops or loses IP fragments, and the path MTU is below the radio’s packets`
    : `${largeDropped(f, hops)}: the path MTU is too small${dataOverIpv6(f, c) ? ' (IPv6: routers never fragment; a link too small drops the packet and can only answer with ICMPv6 Packet Too Big)' : dontFragmentClearedWords(f)}`;
  return `${what}${pathLossy(f) ? `; besides, ${pct(lossFraction(pooledLoss(f)))} of the other classes’ packets are lost at random` : ''}`;
}

/**
 * The size of the radio's large packets: at the run's client network_mtu the radio sizes them to it
 * (datagramBytesAt: 1300 → 1264 B, reference §5.6, §8 #8); with no setting in the evidence, ~1.4 kB — 1464 B
 * at the radio's 1500, 1414 B at SmartSDR's 1450 (reference §8 #8, "Client MTU").
 */
function largeSize(f: PathFacts): string {
  const mtu = f.mtuSteps?.tested ?? f.clientMtu;
  return mtu === undefined ? '~1.4 kB' : `${datagramBytesAt(mtu)}-byte datagrams at network_mtu ${mtu}`;
}

/** "Small packets (meter, audio) arrive but the large ones of the waterfall (~1.4 kB, Don’t-Fragment set) are dropped". */
function largeDropped(f: PathFacts, hops: readonly Hop[]): string {
  const data = hops.filter((x) => isDataHop(x.id));
  const hit = data.filter((x) => x.cause === 'mtu');
  const arrive = data.filter((x) => x.cause !== 'mtu' && f.data[x.id as DataHopId].packets > 0);
  const large = `the large ones of the ${names(hit)} (${largeSize(f)}${!dataOverIpv6(f) && dontFragment(f) === 'set' ? ', Don’t-Fragment set' : ''}) are dropped`;
  return arrive.length > 0 ? `Small packets (${names(arrive)}) arrive but ${large}` : `${large[0]!.toUpperCase()}${large.slice(1)}`;
}

/**
 * The radio's Don't-Fragment bit as the capture shows it (facts.ts dontFragment; the radio sets it on every
 * data packet, reference §1.6): 'set' when a large packet that arrived carries it (or, none arriving, a
 * smaller one does), 'cleared' when large ones arrived and not one carries it — a hop cleared it, so a path
 * MTU below the radio's packets fragments them instead of dropping them (RFC 791 §2.3) and their fragments
 * are lost on the way —, 'unseen' when the source shows no DF bit (a live socket, or the bit nowhere set).
 */
function dontFragment(f: PathFacts): 'set' | 'cleared' | 'unseen' {
  const d = f.dontFragment;
  if (d === undefined) return 'unseen';
  if (d.largeSet > 0) return 'set';
  if (d.large > 0) return 'cleared';
  return d.set > 0 ? 'set' : 'unseen';
}

/** The headline's words when the large packets that arrived carry no DF bit. */
function dontFragmentClearedWords(f: PathFacts): string {
  if (dontFragment(f) !== 'cleared') return '';
  return `, and not one of the ${f.dontFragment!.large} large packets that arrive carries the radio’s Don’t-Fragment bit: a hop clears it, so the larger ones are fragmented on the way and their fragments are lost`;
}

/** Evidence of the DF bit on the radio's data, for the MTU rules. */
function dontFragmentLines(f: PathFacts): string[] {
  const d = f.dontFragment;
  if (d === undefined || dataOverIpv6(f)) return [];
  if (d.large > 0) return [`${d.large} datagram(s) of ${LARGE_PACKET_BYTES} B or more arrived, ${d.largeSet} of them with Don’t-Fragment set (the radio sets it on all its data, reference §1.6)`];
  return d.set > 0 ? [`no datagram of ${LARGE_PACKET_BYTES} B or more arrived; ${d.set} smaller ones from the radio carry Don’t-Fragment`] : [];
}

function fragmentsArrived(x: IncompleteFact): string {
  if (x.firstArrived === x.datagrams) return 'their first fragments arrive, later ones do not';
  return x.firstArrived === 0 ? 'later fragments arrive, their first ones do not' : 'some of their fragments are lost';
}

/** The radio's data reaches this computer over IPv6: the class's own streams, else any stream to it. */
const dataOverIpv6 = (f: PathFacts, c?: ClassFacts): boolean => (c?.streams[0]?.src ?? f.udpReturn.sources[0] ?? '').startsWith('[');

/**
 * How the class's large packets are lost, as far as the capture shows it: fragments that arrived (their DF
 * bit was clear, or IPv6's sender fragmented them) and never completed, IPv6 (no DF bit, RFC 8200 §5), the
 * radio's DF bit where the capture shows it kept (reference §8 #8), or cleared on the way (dontFragment).
 */
function largeLostWords(f: PathFacts, c: ClassFacts): string {
  const frag = c.ipFragments ?? f.ipFragmentsUnplaced;
  if (frag) return `${frag.datagrams} ${c.ipFragments ? 'of its' : 'of the radio’s'} datagrams${frag.datagramBytes > 0 ? ` of ${frag.datagramBytes} B` : ''} arrived only as IP fragments (of at most ${frag.fragmentBytes} B), never whole`;
  if (dataOverIpv6(f, c)) return `its packets are ≥ ${LARGE_PACKET_BYTES} B and IPv6 routers never fragment`;
  const df = dontFragment(f);
  if (df === 'cleared') return `its packets are ≥ ${LARGE_PACKET_BYTES} B, and the large packets that arrive carry no Don't-Fragment bit: fragmented on the way, their fragments lost`;
  return `its packets are ≥ ${LARGE_PACKET_BYTES} B${df === 'set' ? " with Don't-Fragment set" : ''}`;
}

function pathLossy(f: PathFacts): boolean {
  const { lost, packets } = pooledLoss(f);
  return lossDegrades(lost, packets, f.mode);
}
/** The pooled classes' loss outside the shown outages, and their packets received. */
function pooledLoss(f: PathFacts): { lost: number; packets: number } {
  const pool = classesOf(f).filter(([, c]) => c.packets > 0 && !framesWhole(c) && !heavyReorder(c) && !noFrameCompletes(c) && !firstNeverArrived(c));
  return { lost: pool.reduce((n, [h, c]) => n + lostOutside(f, h, c), 0), packets: pool.reduce((n, [, c]) => n + c.packets, 0) };
}
const reordered = (c: ClassFacts): boolean => c.packets > 0 && c.outOfOrder / c.packets >= REORDER_DEGRADED_FRACTION;
const wholeButGaps = (f: PathFacts, c: ClassFacts): boolean => c.packets > 0 && framesWhole(c) && (ownLoss(f, c) || reordered(c));
const heavyReorder = (c: ClassFacts): boolean => c.packets > 0 && c.outOfOrder >= c.lost && c.outOfOrder / c.packets >= HEAVY_REORDER_FRACTION;
const brokenShare = (c: ClassFacts): number => (c.framesComplete + c.framesBroken > 0 ? c.framesBroken / (c.framesComplete + c.framesBroken) : 0);
/**
 * A visible share of frames broken, and more of them than the tolerated loss breaks by chance: a frame of
 * n packets breaks with q = 1 − (1 − p)^n when each packet is lost with p (same Poisson test as loss).
 */
const manyBroken = (f: PathFacts, c: ClassFacts): boolean => {
  const frames = c.framesComplete + c.framesBroken;
  if (frames === 0 || brokenShare(c) < BROKEN_FRAMES_FRACTION) return false;
  const perFrame = Math.max(1, c.packets / frames);
  const q = 1 - (1 - (f.mode === 'wan' ? LOSS_TOLERATED_WAN : LOSS_TOLERATED_LAN)) ** perFrame;
  return poissonTail(c.framesBroken, q * frames) < LOSS_ALPHA;
};
const jittery = (h: HopId, c: ClassFacts): boolean => !JITTER_EXEMPT.has(h) && c.packets > 0 && c.jitterS >= JITTER_DEGRADED_S;
/** Delay variation is what the class shows first: before loss when frames complete or reordering is heavy, else after it. */
/** A hold-up of S raises the jitter estimate by up to S × this (two deviations of S at the estimator's gain 1/16). */
const STALL_JITTER_GAIN = 2 / 16;
/** Live: a hold-up of FlexPath's own process long enough to make all of the class's measured jitter. */
const ownStallExplains = (f: PathFacts, c: ClassFacts): boolean => (f.ownStallMaxS ?? 0) * STALL_JITTER_GAIN >= c.jitterS;
const jitterDecides = (f: PathFacts, h: HopId, c: ClassFacts): boolean =>
  wholeButGaps(f, c) || heavyReorder(c) || (!lossy(f, h, c) && !manyBroken(f, c) && (reordered(c) || (jittery(h, c) && !ownStallExplains(f, c))));
/** Flowing, requested, and not stopped or cut to pieces: the classes whose quality the later rules grade. */
const flowing = (c: ClassFacts): boolean => c.packets > 0 && !(c.requested && c.stopped && c.stopped.silentS >= STOPPED_AFTER_S) && !noFrameCompletes(c);
/** This class went silent while still requested, and the path went on without it. */
function classStoppedAlone(f: PathFacts, c: ClassFacts): boolean {
  const silent = c.stopped?.silentS ?? 0;
  return c.packets > 0 && c.requested !== undefined && silent >= STOPPED_AFTER_S && silent - (f.udpReturn.stopped?.silentS ?? 0) >= STOPPED_ALONE_S;
}
/**
 * data-loss's headline. Random loss hits every class alike; when the classes that lost nothing would, at
 * the pooled rate, have lost some with P(0 lost) = e^−λ below LOSS_ALPHA, the loss is confined to the
 * others (IP fragments lost: only the datagrams that travel in pieces lose), and the headline says which
 * instead of "every stream, whatever their size".
 */
function lossTitle(f: PathFacts): string {
  const { lost, packets } = pooledLoss(f);
  const seen = classesOf(f).filter(([, c]) => flowing(c) && !heavyReorder(c));
  const hit = seen.filter(([h, c]) => lostOutside(f, h, c) > 0 && !framesWhole(c));
  const spared = seen.filter(([h]) => !hit.some(([x]) => x === h));
  const due = packets > 0 ? (lost / packets) * spared.reduce((n, [, c]) => n + c.packets, 0) : 0;
  const p = Math.exp(-due);
  if (hit.length === 0 || spared.length === 0 || p >= LOSS_ALPHA) return ADVICE['random-loss'].title;
  const labels = (xs: Array<[DataHopId, ClassFacts]>): string => xs.map(([, c]) => c.label).join(', ');
  return `Packets of the ${labels(hit)} are lost (${pct(lossFraction({ lost, packets }))} of the data packets), while the ${labels(spared)} arrive whole (${pWords(p)} if the loss hit every class alike)`;
}
const lossSummary = (c: ClassFacts): string => {
  const loss = lossFraction(c);
  return `${pct(loss)} lost${loss >= LOSS_POOR ? " (FlexLib's Poor band)" : ''}`;
};
const jitterSummary = (f: PathFacts, c: ClassFacts): string => {
  if (wholeButGaps(f, c)) return `every ${unitWord(c)} completes although the packet counter shows ${c.lost} gap(s) and ${c.outOfOrder} out of order: packets arrive reordered, not lost`;
  if (heavyReorder(c)) return `${pct(c.outOfOrder / c.packets)} out of order${c.lost > 0 ? ` (the ${c.lost} counted lost are likely packets later than the 4-bit counter can place)` : ''}`;
  if (reordered(c)) return `${pct(c.outOfOrder / c.packets)} out of order`;
  return `inter-arrival jitter ${(c.jitterS * 1000).toFixed(0)} ms`;
};

const LOSS_SOURCE =
  'reference §7.2 (FlexLib Radio.cs: on a LAN any loss within a 1-s tick lowers the quality; SmartLink tolerates 2 %); empirical: one-sided Poisson test against 0.1 % (LAN) / 0.5 % (SmartLink) at α = 1 %, pooled over the classes — measured false-alarm and miss rates in README';

const SILENCE_SOURCE =
  'reference §8 #5–7, §8.1 checkpoint 6; λ at the reference §3.3–3.9 rates (≈ 28 meter packets/s, 25 FFT frames/s, 1000/line_duration waterfall lines/s, 100 Opus packets/s): called when P(0 | λ) = e^−λ < SILENCE_ALPHA, not before FIRST_PACKET_FLOOR_S (see their comment)';
const STOPPED_SOURCE =
  'reference §5.7 (FlexLib pings every 5 s "to maintain the NAT rule"): data that flowed and stopped while the session went on is a NAT mapping or firewall state timing out'+ '; empirical: 3 s of silence is 80 meter packets missing in a row';

/**
 * A control connection the radio's side ended after the session was up (control-silent takes the ones it
 * never answered): the cause's own title ("does not answer") would deny the replies the evidence shows.
 */
const tlsWords = (f: PathFacts): string => (f.control.session?.tls ? ' (TLS, SmartLink)' : '');
const sessionUpWords = (f: PathFacts): string => `after ${secs(f.control.session?.durationS ?? 0)}, with the session up (${f.control.session?.replies ?? 0} replies)`;
const ENDED_ADVICE = [
  'See whether the radio restarted or was switched off then (its front panel, its uptime); a radio also drops a client whose pings stop or whose GUI slot another client took.',
  'If the radio stayed up, something on the way ends long-lived connections: a firewall or NAT with a short TCP timeout, a VPN reconnecting, a security appliance inspecting TLS.',
];

/** What a live TLS connect's error code says about the far end (Node: errno names; OpenSSL: ERR_SSL_… codes). */
function tlsFailureWords(code: string): string {
  if (code === 'ECONNRESET' || code === 'EPIPE') return 'the far end reset the connection during the handshake (nothing there accepts TLS, or a firewall cuts it)';
  if (/WRONG_VERSION_NUMBER|PACKET_LENGTH_TOO_LONG|HTTP_REQUEST|UNEXPECTED_MESSAGE/.test(code)) return `what answers at that port does not speak TLS (${code}): another service or device, not the radio`;
  return `the handshake failed (${code})`;
}

const OUTBOUND_TITLE = 'This computer’s firewall blocks outbound UDP to the radio, so the radio never learns where to send its data';
const OUTBOUND_ADVICE = [
  'Allow outbound UDP from SmartSDR/FlexPath to the radio’s UDP port (its public port on SmartLink) in this computer’s firewall: an outbound rule, not an inbound one.',
  'Security software that filters outbound traffic (a corporate endpoint agent, a VPN client’s kill switch) must let the radio’s UDP port out.',
];
const SEND_REFUSED_SOURCE = 'reference §5.7 (on SmartLink the client’s UDP registration must leave this computer first); a send refused with EPERM is this computer’s own outbound rule';

// ─── the table ───────────────────────────────────────────────────────────────────────────────────────

export const RULES: readonly Rule[] = [
  // This computer's side first: each refines its hop's network-level rule with the local fact behind it.
  ...localRules((id) => RULES.find((r) => r.id === id)),
  // discovery
  {
    id: 'discovery-beacons',
    hop: 'discovery',
    status: 'ok',
    thresholds: {},
    source: 'reference §4.1 (beacons are LAN broadcasts on UDP 4992)',
    when: (f) => f.discovery.beacons.length > 0,
    summary: silent,
    evidence: none,
  },
  {
    id: 'discovery-none',
    hop: 'discovery',
    status: 'unknown',
    thresholds: {},
    source: 'reference §8 #9 (beacons do not cross routers, VPNs or SmartLink)',
    when: () => true,
    summary: () => 'no discovery beacons seen: normal across routers, VPNs and SmartLink (beacons are LAN broadcasts)',
    evidence: none,
  },

  // smartlink-server
  {
    id: 'broker-certificate-refused',
    hop: 'smartlink-server',
    status: 'blocked',
    cause: 'smartlink-unreachable',
    thresholds: {},
    source: 'reference §6.1 (the broker is TLS to smartlink.flexradio.com:443)',
    when: (f) => f.broker.certificateRefused !== undefined,
    summary: (f) => `the server’s TLS certificate was refused (${f.broker.certificateRefused ?? ''}): FlexPath sent it no login`,
    evidence: none,
  },
  {
    id: 'broker-login-refused',
    hop: 'smartlink-server',
    status: 'blocked',
    cause: 'smartlink-unreachable',
    thresholds: {},
    source: 'reference §6.2 (`application registration_invalid`)',
    when: (f) => f.broker.registrationInvalid,
    summary: () => 'server answered `application registration_invalid`: the login token was refused',
    evidence: none,
  },
  {
    id: 'broker-silent',
    hop: 'smartlink-server',
    status: 'blocked',
    cause: 'smartlink-unreachable',
    thresholds: {},
    source: 'reference §8.1 checkpoint 1',
    when: (f) => f.broker.sessions.length > 0 && f.broker.sessions.every((x) => x.bytesToClient === 0),
    summary: () => 'the SmartLink server never answered',
    evidence: none,
  },
  {
    id: 'broker-not-used',
    hop: 'smartlink-server',
    status: 'unknown',
    thresholds: {},
    source: 'reference §6.1',
    when: (f) => f.broker.sessions.length === 0 && f.broker.registerSent === 0,
    summary: (f) => (f.mode === 'wan' ? 'no SmartLink server connection in the evidence' : notUsed(f)),
    evidence: none,
  },
  {
    id: 'broker-answers',
    hop: 'smartlink-server',
    status: 'ok',
    thresholds: {},
    source: 'reference §8.1 checkpoint 1',
    when: () => true,
    summary: silent,
    evidence: (f) => [...(f.broker.radios.length > 0 ? [`radio list: ${f.broker.radios.join(', ')}`] : []), ...(f.broker.publicIp ? [`server sees this client at ${f.broker.publicIp}`] : [])],
  },

  // radio-registration
  {
    id: 'registration-radio-not-connected',
    hop: 'radio-registration',
    status: 'blocked',
    cause: 'radio-not-registered',
    thresholds: {},
    source: 'reference §6.6 (`wan server_connected`, `radio_authenticated`); every radio reports it, also to LAN clients, so it counts on SmartLink only',
    when: (f) => f.mode === 'wan' && (f.registration.radioWan?.serverConnected === false || f.registration.radioWan?.radioAuthenticated === false),
    summary: () => 'the radio reports it is not connected to, or not authenticated with, the SmartLink server',
    evidence: none,
  },
  {
    id: 'registration-not-listed',
    hop: 'radio-registration',
    status: 'blocked',
    cause: 'radio-not-registered',
    thresholds: {},
    source: 'reference §6.2 (`radio list` after `application register`)',
    when: (f) => f.registration.brokerRadios === 0 && f.registration.registerSent > 0 && !f.registration.registrationInvalid,
    summary: () => 'the SmartLink server accepted the login but lists no radio for this account',
    evidence: none,
  },
  {
    id: 'registration-beacon-offline',
    hop: 'radio-registration',
    status: 'blocked',
    cause: 'radio-not-registered',
    thresholds: {},
    source: 'reference §4.2 (discovery `wan_connected`)',
    when: (f) =>
      f.mode === 'wan' &&
      !(f.registration.radioWan?.serverConnected && f.registration.radioWan.radioAuthenticated) &&
      f.registration.brokerRadios === 0 &&
      f.registration.beacons.some((b) => !b.wanConnected),
    summary: () => 'a beacon says the radio is not connected to SmartLink (wan_connected=0)',
    evidence: none,
  },
  {
    id: 'registration-lan',
    hop: 'radio-registration',
    status: 'unknown',
    thresholds: {},
    source: 'reference §6.6',
    when: (f) => f.mode === 'lan',
    summary: notUsed,
    evidence: none,
  },
  {
    id: 'registration-ok',
    hop: 'radio-registration',
    status: 'ok',
    thresholds: {},
    source: 'reference §6.6, §8.1 checkpoint 2',
    when: (f) => Boolean(f.registration.radioWan?.serverConnected && f.registration.radioWan.radioAuthenticated) || f.registration.brokerRadios > 0,
    summary: silent,
    evidence: none,
  },
  {
    id: 'registration-no-facts',
    hop: 'radio-registration',
    status: 'unknown',
    thresholds: {},
    source: 'reference §8.1 checkpoint 2',
    when: () => true,
    summary: (f) => (f.registration.radioWan || f.registration.beacons.length > 0 || f.registration.registerSent > 0 ? undefined : 'no radio registration facts in the evidence'),
    evidence: none,
  },

  // radio-forwarding
  {
    id: 'forwarding-double-nat',
    hop: 'radio-forwarding',
    status: 'blocked',
    cause: 'double-nat',
    thresholds: {},
    source: 'reference §8 #1 (FlexRadio helpdesk: one NAT only; CGNAT 100.64.0.0/10, 192.0.0.0/29)',
    when: (f) => f.forwarding.publicIpPrivate,
    summary: (f) => `${f.forwarding.radio?.publicIp ?? '?'} is a private or carrier-grade NAT address: more than one NAT sits in front of the radio`,
    evidence: none,
  },
  {
    id: 'forwarding-tcp-only',
    hop: 'radio-forwarding',
    status: 'blocked',
    cause: 'router-no-forwarding',
    thresholds: {},
    source: 'reference §6.7 (FlexLib WanTestConnectionResults.cs); one router passing the TLS port but not the UDP one (a second NAT would stop TCP too)',
    when: (f) => {
      const t = f.forwarding.test;
      return t !== undefined && !pairWorks(t) && Boolean(t.forwardTcp || t.upnpTcp) && !(t.forwardUdp || t.upnpUdp) && !t.holePunch;
    },
    summary: () => 'TCP reaches the radio but UDP does not: the router forwards the TLS port but not the UDP port',
    evidence: none,
  },
  {
    id: 'forwarding-unreachable',
    hop: 'radio-forwarding',
    status: 'blocked',
    cause: 'router-no-forwarding',
    thresholds: {},
    source: 'reference §6.4, §6.7, §8 #3',
    when: (f) => f.forwarding.test !== undefined && !pairWorks(f.forwarding.test) && !f.forwarding.test.holePunch,
    summary: () => 'neither forwarding, UPnP nor hole punching can reach the radio',
    evidence: none,
  },
  {
    id: 'forwarding-registrations-refused',
    hop: 'radio-forwarding',
    status: 'blocked',
    cause: 'router-no-forwarding',
    thresholds: {},
    source:
      'reference §5.7 (the client’s `client udp_register` goes to the radio’s public UDP port) and §8 #3: ICMP port-unreachable for it from that address means nothing there takes it — the radio’s router forwards no UDP to the radio, or to another inside port',
    when: (f) => (f.udpReturn.registrationsRefused?.count ?? 0) > 0,
    summary: (f) => {
      const r = f.udpReturn.registrationsRefused;
      return `${r?.count ?? 0} of the client’s udp_register datagrams to ${r?.to ?? '?'} were answered with ICMP port-unreachable from ${r?.from ?? '?'}: the radio’s router forwards no UDP to the radio`;
    },
    evidence: none,
  },
  {
    id: 'forwarding-ok',
    hop: 'radio-forwarding',
    status: 'ok',
    thresholds: {},
    source: 'reference §6.7 (K3TZR: the forward pair or the UPnP pair)',
    when: (f) => f.forwarding.test !== undefined && pairWorks(f.forwarding.test),
    summary: silent,
    evidence: none,
  },
  {
    id: 'forwarding-hole-punch',
    hop: 'radio-forwarding',
    status: 'ok',
    thresholds: {},
    source: 'reference §6.4 (FlexLib falls back to hole punching)',
    when: (f) => Boolean(f.forwarding.test?.holePunch),
    summary: () => 'no forwarded or UPnP ports: relying on hole punching',
    evidence: none,
  },
  {
    id: 'forwarding-no-test',
    hop: 'radio-forwarding',
    status: 'unknown',
    thresholds: {},
    source: 'reference §6.7',
    when: (f) => f.forwarding.radio !== undefined,
    summary: () => 'no test_connection result in the evidence',
    evidence: none,
  },
  {
    id: 'forwarding-no-facts',
    hop: 'radio-forwarding',
    status: 'unknown',
    thresholds: {},
    source: 'reference §6.3',
    when: () => true,
    summary: (f) => (f.mode === 'wan' ? 'no port-forwarding facts in the evidence' : notUsed(f)),
    evidence: none,
  },

  // control
  {
    id: 'control-no-hairpin',
    hop: 'control',
    status: 'blocked',
    cause: 'router-no-forwarding',
    thresholds: {},
    source:
      'RFC 4787 §6 and RFC 5382 §6 (hairpinning: a NAT should pass a connection from inside to its own public address back inside; many home routers do not); reference §6.7 (the server’s test_connection reaches the radio’s TLS port from the internet)',
    when: (f) => {
      const s = f.control.session;
      const failed = s ? s.version === undefined && s.replies === 0 : f.control.attempts.length > 0;
      return f.mode === 'wan' && failed && behindRadioNat(f) && Boolean(f.forwarding.test?.forwardTcp || f.forwarding.test?.upnpTcp);
    },
    summary: (f) =>
      `this computer reaches the internet from ${f.broker.publicIp ?? '?'}, the radio’s own public address: it sits behind the radio’s router, and the radio’s TLS port, open to the SmartLink server’s test from the internet, does not answer from inside`,
    evidence: none,
    title: () => 'This computer is on the radio’s side of its router: the router does not pass a connection to its own public address back inside (no NAT loopback, “hairpinning”)',
    advice: [
      'Connect on the local network instead of SmartLink: SmartSDR lists the radio under its LAN radios (or `flexpath diagnose --host` with the radio’s LAN address).',
      'To use SmartLink from inside anyway, enable NAT loopback / hairpinning on the router, where it offers it.',
    ],
  },
  {
    id: 'control-unreachable',
    hop: 'control',
    status: 'blocked',
    cause: 'unreachable',
    thresholds: {},
    source:
      'RFC 792 / RFC 4443 destination unreachable (host, network) about the client’s SYN to the radio, or the kernel’s EHOSTUNREACH / ENETUNREACH for it (Linux connect(2)): no route or no host there — not a refusal (RST) and not a silence (issue 11 class 7)',
    when: (f) => {
      const s = f.control.session;
      if (s) return s.unreachable !== undefined && s.replies === 0 && s.version === undefined;
      return f.control.attempts.some((x) => x.unreachable !== undefined && x.bytesToClient === 0);
    },
    summary: (f) => {
      const s = f.control.session;
      return s?.unreachable ? unreachableLine(s.id, s.unreachable) : attemptLines(f).find((l) => l.includes('unreachable'));
    },
    evidence: (f) => (f.control.session ? [] : attemptLines(f).filter((l) => !l.includes('unreachable'))),
  },
  {
    id: 'control-no-answer',
    hop: 'control',
    status: 'blocked',
    cause: 'control-timeout',
    thresholds: {},
    source: 'reference §5.2 (the radio sends its V/H prologue on connect)',
    when: (f) => !f.control.session && f.control.attempts.some((x) => x.bytesToClient === 0),
    summary: (f) => attemptLines(f)[0],
    evidence: (f) => attemptLines(f).slice(1),
  },
  {
    id: 'control-wan-refused',
    hop: 'control',
    status: 'blocked',
    cause: 'radio-not-registered',
    thresholds: {},
    source: 'reference §8 #15 (`client … wan_validation_failed=1`), §6.5 (`wan validate`)',
    when: (f) => {
      const s = f.control.session;
      return s !== undefined && (s.wanValidationFailed || (s.wanValidate?.code !== undefined && s.wanValidate.code !== 0));
    },
    summary: () => 'the radio refused the brokered session (wan_validation_failed)',
    evidence: none,
  },
  {
    id: 'control-refused',
    hop: 'control',
    status: 'blocked',
    cause: 'control-timeout',
    thresholds: {},
    source:
      'RFC 9293 §3.10.7.3 (a SYN to a port nobody listens on is answered by a reset); Linux connect(2) ECONNREFUSED for it; reference §0 (the radio listens on TCP 4992): a refusal is an answer, not a silence (issue 11 class 7)',
    when: (f) => {
      const s = f.control.session;
      return s !== undefined && s.replies === 0 && s.version === undefined && s.resetBy === 'server' && s.bytesToServer === 0;
    },
    summary: () => REFUSED_WORDS,
    evidence: none,
    title: () => 'The radio’s address refuses the control connection (a TCP reset): nothing listens on that port there, or a firewall rejects it',
    advice: [
      'Check the address and port: a FlexRadio listens on TCP 4992 on the LAN (SmartLink: the radio’s forwarded TLS port); the radio may still be starting, or the address may be another device’s.',
      'A firewall between this computer and the radio can reject the connection the same way: allow TCP to the radio’s port.',
    ],
  },
  {
    id: 'control-tls-failed',
    hop: 'control',
    status: 'blocked',
    cause: 'control-timeout',
    thresholds: {},
    source:
      'reference §6.5 (SmartLink’s control channel to the radio is TLS on its forwarded port); RFC 8446 §5 (a record that is not TLS ends the handshake: OpenSSL ‘wrong version number’); RFC 9293 §3.10.7.4 (a reset during the handshake)',
    when: (f) => f.control.session?.tlsHandshakeError !== undefined && f.control.session.replies === 0,
    summary: (f) => `TLS handshake failed: ${f.control.session?.tlsHandshakeError ?? ''}`,
    evidence: none,
    // The session id is 'client → radio'; a connect that failed never had a local address to show.
    title: (f) => `The TLS handshake with the radio’s control port ${f.control.session?.id.split(' → ')[1] ?? ''} failed: ${tlsFailureWords(f.control.session?.tlsHandshakeError ?? '')}`,
    advice: [
      'Check the router’s port forward for the radio’s TLS port (public_tls_port in the SmartLink radio list): it must lead to the radio’s LAN address, not to another device or service.',
      'A firewall, VPN or TLS-inspecting proxy between this computer and the radio’s router can reset or answer the handshake itself: try from another network.',
    ],
  },
  {
    id: 'control-silent',
    hop: 'control',
    status: 'blocked',
    cause: 'control-timeout',
    thresholds: {},
    source: 'reference §5.2',
    when: (f) => f.control.session !== undefined && f.control.session.replies === 0 && f.control.session.version === undefined,
    summary: (f) => `${f.control.session?.bytesToServer ?? 0} B sent, the radio never answered`,
    evidence: none,
  },
  {
    id: 'control-ping-lost',
    hop: 'control',
    status: 'blocked',
    cause: 'ping-timeout',
    thresholds: { PING_TIMEOUT_S },
    source: 'reference §5.5 (FlexLib drops the session when a ping is outstanding > 17 s)',
    when: (f) => (f.control.session?.pings.longestWaitS ?? 0) > PING_TIMEOUT_S,
    summary: () => `a ping went unanswered for more than ${PING_TIMEOUT_S} s: FlexLib drops the session`,
    evidence: none,
  },
  {
    id: 'control-pings-stopped',
    hop: 'control',
    status: 'blocked',
    cause: 'ping-timeout',
    thresholds: { RADIO_KEEPALIVE_S },
    source:
      'reference §11 (wiki TCPIP-keepalive: after `keepalive enable` the radio drops a client that sends no ping for 15 s; a client that never enabled it is not dropped for silence); a ping after the gap answered on the same connection shows the radio kept the client (a capture whose clock stepped forward shows such a gap)',
    when: (f) => f.control.session?.keepaliveEnabled === true && f.control.session.pings.maxGapS > RADIO_KEEPALIVE_S && !f.control.session.pings.answeredAfterLongestGap,
    summary: () => `the client enabled the radio’s keepalive, then sent no ping for more than ${RADIO_KEEPALIVE_S} s: the radio drops it`,
    evidence: none,
  },
  {
    id: 'control-ping-waiting',
    hop: 'control',
    status: 'blocked',
    cause: 'ping-timeout',
    thresholds: { PING_TIMEOUT_S },
    source: 'reference §5.5; live sessions judge while commands are in flight, whose age counts as much as a late reply',
    when: (f) => (f.control.session?.pings.waitingNowS ?? 0) > PING_TIMEOUT_S,
    summary: (f) => `a ping has waited ${secs(f.control.session?.pings.waitingNowS ?? 0)} for its reply: FlexLib drops the session after ${PING_TIMEOUT_S} s`,
    evidence: none,
  },
  {
    id: 'control-pings-unanswered',
    hop: 'control',
    status: 'degraded',
    cause: 'ping-timeout',
    thresholds: { PINGS_MIN, PINGS_MISSING_MORE_THAN, PING_WAIT_S, REPLY_RTT_FACTOR },
    source: 'empirical: FlexLib pings once a second (reference §5.5); more than 2 of ≥ 3 pings unanswered, one waiting ≥ max(3 s, 3 × RTT — RFC 6298 §2.2), is not a reply merely in flight',
    when: (f) => {
      const p = f.control.session?.pings;
      return p !== undefined && p.sent >= PINGS_MIN && p.answered < p.sent - PINGS_MISSING_MORE_THAN && Math.max(p.longestWaitS, p.waitingNowS) >= missingAfter(f, PING_WAIT_S);
    },
    summary: () => 'pings are going unanswered while the session is up',
    evidence: none,
  },
  {
    id: 'control-reset-by-radio',
    hop: 'control',
    status: 'blocked',
    cause: 'control-timeout',
    thresholds: {},
    source: 'reference §5.1 (one TCP connection per session)',
    when: (f) => f.control.session?.resetBy === 'server',
    summary: (f) => `connection reset by the radio after ${secs(f.control.session?.durationS ?? 0)}`,
    evidence: none,
    title: (f) => `The control connection${tlsWords(f)} was reset from the radio’s side ${sessionUpWords(f)}: the radio dropped the session, or a firewall, NAT or VPN on the way cut it`,
    advice: ENDED_ADVICE,
  },
  {
    id: 'control-closed-by-radio',
    hop: 'control',
    status: 'blocked',
    cause: 'control-timeout',
    thresholds: {},
    source: 'reference §5.1; a radio ends a client’s session itself only when it restarts, is switched off or drops the client',
    when: (f) => f.control.session?.closedBy === 'server',
    summary: (f) => `the radio closed the connection after ${secs(f.control.session?.durationS ?? 0)}`,
    evidence: none,
    title: (f) => `The radio closed the control connection${tlsWords(f)} ${sessionUpWords(f)}: it restarted, was switched off or dropped this client`,
    advice: ENDED_ADVICE,
  },
  {
    id: 'control-ended-earlier',
    hop: 'control',
    status: 'degraded',
    cause: 'control-timeout',
    thresholds: {},
    source: 'reference §5.1 (one TCP connection per session; a radio ends a client’s session itself only when it restarts, is switched off or drops the client); the client’s new connection from the same address is its reconnect',
    when: (f) => f.control.session?.endedBefore !== undefined,
    summary: (f) => {
      const e = f.control.session!.endedBefore!;
      return `the radio ${e.how} this client’s previous control connection after ${secs(e.lastedS)}; the client reconnected ${secs(e.reconnectedAfterS)} later`;
    },
    evidence: restartLines,
    title: (f) => {
      const e = f.control.session!.endedBefore!;
      return `The radio ${e.how} this client’s control connection after ${secs(e.lastedS)} and the client reconnected ${secs(e.reconnectedAfterS)} later: the radio restarted or dropped the client`;
    },
    advice: ENDED_ADVICE,
  },
  {
    id: 'control-rtt-rate-limit',
    hop: 'control',
    status: 'degraded',
    cause: 'bandwidth',
    thresholds: { LAN_POOR_MS: RTT_THRESHOLDS.lan.poor, WAN_POOR_MS: RTT_THRESHOLDS.wan.poor, ...RATE_THRESHOLDS },
    source: `reference §7.3 (FlexLib RTT Poor) and ${RATE_SOURCE}: a bottleneck queues what it does not drop, so the pings wait behind the radio’s data`,
    when: (f) => slowRoundTrip(f) && rateLimit(f) !== undefined,
    summary: (f) => rttSummary(f),
    evidence: (f) => [`${rateLimit(f) ?? ''}; the pings wait in the same queue as the radio's data`],
  },
  {
    // One command left unanswered by a radio that answers the ones after it: not a dead control channel.
    id: 'control-command-ignored',
    hop: 'control',
    status: 'degraded',
    cause: 'control-timeout',
    thresholds: { REPLY_WAIT_S, REPLY_RTT_FACTOR },
    source:
      'RFC 9293 §3.4 (TCP hands a connection’s bytes over whole and in order): a reply missing while commands sent after it were answered on the same connection was never sent by the radio; empirical: missing after REPLY_WAIT_S (or 3 × the measured round trip, RFC 6298 §2.2), as for control-commands-unanswered',
    when: (f) => lateCommands(f).some((u) => u.laterAnswered),
    summary: (f) => `${ignoredWords(f)}, while the radio answered the commands sent after it`,
    evidence: none,
    title: (f) => `The radio never answered ${ignoredWords(f)}, yet answered the commands sent after it on the same connection (${f.control.session?.replies ?? 0} replies in all): the control channel works, and the radio left this command unanswered`,
    advice: [
      'Not the network: TCP delivers the radio’s lines whole and in order, and the replies to later commands arrived, so the radio never sent this reply.',
      'Restart the radio (one of its command handlers may be stuck) and try again; if the same command goes unanswered again, report it to FlexRadio with the radio’s firmware version and this report.',
    ],
  },
  {
    id: 'control-commands-unanswered',
    hop: 'control',
    status: 'degraded',
    cause: 'control-timeout',
    thresholds: { REPLY_WAIT_S, REPLY_RTT_FACTOR },
    source:
      'empirical: the radio answers a command within milliseconds on a LAN (reference §5.6 sequences); 5 s leaves room for a slow path, and a path slower still gets 3 × its measured round trip (RFC 6298 §2.2: TCP’s retransmission bar after one measurement; issue 11 class 7)',
    when: (f) => lateCommands(f).length > 0,
    summary: (f) => `${lateCommands(f).length} command(s) never answered, e.g. "${lateCommands(f)[0]?.command ?? ''}"`,
    evidence: none,
  },
  {
    id: 'control-tls-unreadable',
    hop: 'control',
    status: 'ok',
    thresholds: {},
    source: 'reference §6.5 (the WAN control channel is TLS)',
    when: (f) => !f.control.session && f.control.attempts.some((x) => x.tls),
    summary: silent,
    evidence: (f) =>
      f.control.attempts.filter((x) => x.tls).map((x) => `TLS ${x.id}: ${x.bytesToServer} B sent, ${x.bytesToClient} B received (encrypted: replies not readable)`),
  },
  {
    id: 'control-not-seen',
    hop: 'control',
    status: 'unknown',
    thresholds: {},
    source: 'reference §0 (TCP 4992 on the LAN, TLS to the radio remotely)',
    when: (f) => !f.control.session,
    summary: () => 'no control channel (TCP 4992 or TLS to the radio) in the evidence',
    evidence: none,
  },
  {
    id: 'control-slow-answers',
    hop: 'control',
    status: 'ok',
    thresholds: { LAN_POOR_MS: RTT_THRESHOLDS.lan.poor, WAN_POOR_MS: RTT_THRESHOLDS.wan.poor },
    source: 'reference §7.3 (FlexLib Radio.cs: LAN Poor ≥ 100 ms, SmartLink Poor ≥ 500 ms); issue 11 class 7: a long round trip with every reply coming is latency, not a dead radio — replies are judged by whether they come',
    when: (f) => f.control.session !== undefined && slowRoundTrip(f),
    summary: (f) => `every command answered; ${rttSummary(f)}: SmartSDR will show Poor network quality, but the radio answers`,
    evidence: none,
  },
  {
    id: 'control-ok',
    hop: 'control',
    status: 'ok',
    thresholds: {},
    source: 'reference §8.1 checkpoint 4',
    when: () => true,
    summary: silent,
    evidence: none,
  },

  // stream-setup
  {
    id: 'setup-port-in-use',
    hop: 'stream-setup',
    status: 'blocked',
    cause: 'port-in-use',
    thresholds: {},
    source: 'reference §8 #10 (`client udpport` → 0x500000A9 "Port/IP pair already in use")',
    when: (f) => f.setup.udpport?.code === REPLY.portInUse,
    summary: () => 'port/IP pair already in use: another client on this computer holds that port',
    evidence: none,
  },
  {
    id: 'setup-no-destination-send-refused',
    hop: 'stream-setup',
    status: 'blocked',
    cause: 'host-firewall',
    thresholds: {},
    source: `reference §8 #11 (\`stream create\` → 0x50000064 "No IP or PORT"); ${SEND_REFUSED_SOURCE}`,
    when: (f) => noDestination(f) && f.udpReturn.sendRefused !== undefined,
    summary: (f) =>
      `the radio has no UDP destination for this client ("No IP or PORT"): this computer refused to send its UDP registrations to ${f.udpReturn.sendRefused?.to ?? '?'} (${f.udpReturn.sendRefused?.code ?? '?'})`,
    evidence: none,
    title: () => OUTBOUND_TITLE,
    advice: OUTBOUND_ADVICE,
  },
  {
    id: 'setup-no-destination-registered',
    hop: 'stream-setup',
    status: 'degraded',
    cause: 'udp-blocked-inbound',
    thresholds: {},
    source: 'reference §8 #11 (`stream create` → 0x50000064 "No IP or PORT"), §5.7: on SmartLink the client did tell the radio, by UDP, so the registrations are what got lost',
    when: (f) => noDestination(f) && f.setup.registrations.some((r) => r.registers > 0),
    summary: () => 'the radio has no UDP destination for this client ("No IP or PORT") although UDP registrations were sent',
    evidence: none,
  },
  {
    id: 'setup-no-destination',
    hop: 'stream-setup',
    status: 'blocked',
    cause: 'udp-blocked-inbound',
    thresholds: {},
    source: 'reference §8 #11',
    when: (f) => noDestination(f),
    summary: () => 'the radio has no UDP destination for this client ("No IP or PORT")',
    evidence: none,
  },
  {
    // Which code a firmware gives a create form it does not know is UNCONFIRMED: any of the four wrong-syntax codes.
    id: 'setup-create-not-understood',
    hop: 'stream-setup',
    status: 'blocked',
    cause: 'radio-refused',
    thresholds: {},
    source:
      'reference §5.4 (0x50000015 / 0x50000016 unknown / malformed command, 0x5000002C / 0x5000002D parameter count / bad field: wrong syntax, not a refusal of the request) and §5.8 (the create commands differ between API versions: `display panf c freq=…` in older documents)',
    when: (f) => refused(f).length > 0 && refused(f).length === f.setup.creates.length && refused(f).every((c) => SYNTAX_CODES.has(c.code ?? 0)),
    summary: (f) => `the radio did not accept the create command${refused(f).length > 1 ? 's' : ''} as written: ${refusalCodes(f)}`,
    evidence: none,
    title: (f) => `The radio did not understand FlexPath’s create command (${refusalCodes(f)}): its firmware speaks another form of the API — not a network fault`,
    advice: [
      'The radio answered, so the path works: it rejected the form of the command, not the request. Note the radio’s firmware version and report it to FlexPath with this report.',
      'Meanwhile `flexpath listen --capture IFACE` during your own SmartSDR session watches the data path without creating anything on the radio.',
    ],
  },
  {
    id: 'setup-all-refused',
    hop: 'stream-setup',
    status: 'blocked',
    cause: 'radio-refused',
    thresholds: {},
    source: 'reference §5.4 and §11 (create refusals are resource/licence answers — 0x50000001, 0x50000003, 0x50000007, 0x5000008E — not network faults: the radio answered)',
    when: (f) => refused(f).length > 0 && refused(f).length === f.setup.creates.length,
    summary: (f) => `every stream or pan create (${refused(f).length}) was refused: ${refusalCodes(f)}`,
    evidence: none,
    title: (f) => `The radio refused to create what was asked (${refusalCodes(f)}): not a network fault`,
  },
  {
    id: 'setup-some-refused',
    hop: 'stream-setup',
    status: 'degraded',
    cause: 'radio-refused',
    thresholds: {},
    source: 'reference §5.4',
    when: (f) => refused(f).length > 0,
    summary: (f) => `${refused(f).length} of ${f.setup.creates.length} stream or pan creates refused by the radio: ${refusalCodes(f)}`,
    evidence: none,
  },
  {
    id: 'setup-no-session',
    hop: 'stream-setup',
    status: 'unknown',
    thresholds: {},
    source: 'reference §5.7, §5.8',
    when: (f) => !f.setup.hasSession,
    summary: () => 'no readable control session: stream setup not in the evidence',
    evidence: none,
  },
  {
    id: 'setup-no-destination-told',
    hop: 'stream-setup',
    status: 'unknown',
    thresholds: {},
    source: 'reference §5.7 (`client udpport` on a LAN, `client udp_register` on SmartLink)',
    when: (f) => !f.setup.udpport && f.setup.registrations.length === 0 && f.setup.announced.length === 0,
    summary: () => 'the client never told the radio where to send UDP in this evidence',
    evidence: none,
  },
  {
    id: 'setup-ok',
    hop: 'stream-setup',
    status: 'ok',
    thresholds: {},
    source: 'reference §8.1 checkpoints 5–6',
    when: () => true,
    summary: silent,
    evidence: none,
  },

  // udp-return
  {
    id: 'udp-return-host-rejects',
    hop: 'udp-return',
    status: 'blocked',
    cause: 'host-firewall',
    thresholds: {},
    source: 'reference §8 #6 (a host firewall answers the radio’s unsolicited datagrams)',
    when: (f) => {
      const a = f.udpReturn.aboutData;
      return a.count > 0 && (a.adminProhibited || f.udpReturn.announcedPort === undefined || a.port === f.udpReturn.announcedPort);
    },
    summary: (f) => `this computer answered the radio's data to port ${f.udpReturn.aboutData.port ?? '?'} with ICMP errors`,
    evidence: none,
  },
  {
    id: 'udp-return-icmp-other-port',
    hop: 'udp-return',
    status: 'blocked',
    cause: 'wrong-port',
    thresholds: {},
    source: 'reference §8 #10 (data to a port nobody listens on comes back as port-unreachable)',
    when: (f) => f.udpReturn.aboutData.count > 0,
    summary: (f) => `data sent to port ${f.udpReturn.aboutData.port ?? '?'}, the client announced ${f.udpReturn.announcedPort ?? '?'}`,
    evidence: none,
  },
  {
    id: 'udp-return-other-port',
    hop: 'udp-return',
    status: 'blocked',
    cause: 'wrong-port',
    thresholds: {},
    source: 'reference §5.7 (the radio sends to the announced port)',
    when: (f) => f.udpReturn.announcedPort !== undefined && f.udpReturn.streamsToClient > 0 && !f.udpReturn.dstPorts.includes(f.udpReturn.announcedPort),
    summary: (f) => `data goes to port(s) ${f.udpReturn.dstPorts.join(', ')} but the client announced ${f.udpReturn.announcedPort ?? '?'}`,
    evidence: none,
  },
  {
    id: 'udp-return-send-refused',
    hop: 'udp-return',
    status: 'blocked',
    cause: 'host-firewall',
    thresholds: {},
    source: SEND_REFUSED_SOURCE,
    when: (f) => f.udpReturn.sendRefused !== undefined && f.udpReturn.streamsToClient === 0,
    summary: (f) => `this computer refused to send UDP to ${f.udpReturn.sendRefused?.to ?? '?'} (${f.udpReturn.sendRefused?.code ?? '?'}, ${f.udpReturn.sendRefused?.count ?? 0} times): the radio never learns where to send`,
    evidence: none,
    title: () => OUTBOUND_TITLE,
    advice: OUTBOUND_ADVICE,
  },
  {
    id: 'udp-return-nat',
    hop: 'udp-return',
    status: 'blocked',
    cause: 'nat',
    thresholds: SILENCE_THRESHOLDS,
    source: `reference §5.7 (on a LAN the radio sends to the address the control connection comes from) and §5.10 (\`client ip\` answers that address): another than this computer’s is a NAT between them, where the radio’s unsolicited data finds no mapping; ${SILENCE_SOURCE}`,
    when: (f) => f.mode === 'lan' && f.udpReturn.radioSeesClientAt !== undefined && f.udpReturn.requestedClasses > 0 && pathSilent(f),
    summary: (f) => `the radio sees this client at ${f.udpReturn.radioSeesClientAt ?? '?'} (\`client ip\`) and sends its data there; no VITA-49 datagram reached this computer in ${secs(f.udpReturn.waitedS)}`,
    evidence: (f) => [pathSilenceLine(f)],
  },
  {
    id: 'udp-return-no-data',
    hop: 'udp-return',
    status: 'blocked',
    cause: 'udp-blocked-inbound',
    thresholds: SILENCE_THRESHOLDS,
    source: SILENCE_SOURCE,
    when: (f) => pathSilent(f),
    summary: (f) => `no VITA-49 datagram from the radio in ${secs(f.udpReturn.waitedS)} after stream setup`,
    evidence: (f) => [
      pathSilenceLine(f),
      ...(f.udpReturn.noDestinationDespiteRegistrations ? ['the radio answered "No IP or PORT": none of the registrations reached it, or the radio ignored them'] : []),
      ...(f.udpReturn.noUdp ? [noUdpLine(f)] : []),
    ],
  },
  {
    id: 'udp-return-stopped',
    hop: 'udp-return',
    status: 'blocked',
    cause: 'udp-blocked-inbound',
    thresholds: { STOPPED_AFTER_S },
    source: STOPPED_SOURCE,
    when: (f) => f.udpReturn.streamsToClient > 0 && (f.udpReturn.stopped?.silentS ?? 0) >= STOPPED_AFTER_S,
    summary: (f) => stoppedLine(f.udpReturn.stopped),
    evidence: none,
    title: (f) => stoppedTitle(f.udpReturn.stopped),
  },
  {
    id: 'udp-return-reopened',
    hop: 'udp-return',
    status: 'blocked',
    cause: 'udp-blocked-inbound',
    thresholds: { OUTAGE_MIN_S, REOPEN_WITHIN_S },
    source: REOPEN_SOURCE,
    when: (f) => reopened(f) !== undefined,
    summary: (f) => {
      const o = reopened(f)!;
      return `data stopped for ${secs(o.lengthS)} and came back ${((o.reopenedS ?? 0) * 1000).toFixed(0)} ms after this computer sent the radio a UDP datagram (its keep-open ping or a registration): a NAT mapping or firewall state expires between them`;
    },
    evidence: outageListLines,
    title: () => 'The radio’s data stops between this computer’s keep-open datagrams and comes back only when one is sent: a NAT mapping or firewall state expires too soon',
  },
  {
    id: 'udp-return-outbound-loss',
    hop: 'udp-return',
    status: 'degraded',
    cause: 'random-loss',
    thresholds: { LOSS_TOLERATED_LAN, LOSS_TOLERATED_WAN, LOSS_ALPHA },
    source: `reference §0 (the client's transmit audio and DAX TX go to the radio on the data socket) and §2.4 (0x84… transmit streams); ${LOSS_SOURCE}`,
    when: (f) => f.outbound !== undefined && lossDegrades(f.outbound.lost, f.outbound.packets, f.mode),
    summary: (f) => {
      const o = f.outbound!;
      return `${o.lost} of ${o.packets + o.lost} (${pct(o.lost / (o.packets + o.lost))}) of the audio this computer sends the radio (${o.streams.join(', ')}) missing where the capture saw it, by its packet counter`;
    },
    evidence: none,
    title: () => 'Audio this computer sends the radio (transmit audio, DAX TX) has gaps: it is lost between the sending program and where the capture was taken',
    // The capture point decides which side lost it: a capture on the radio's side sees the path's loss, one on
    // this computer sees every datagram the program handed the network, so its gaps are the program's.
    advice: [
      'Captured on the radio’s side (a mirror port, the radio’s router): the loss is on the way out from this computer: look for a lossy or saturated uplink at this end (Wi-Fi, a busy upload).',
      'Captured on this computer: the sending program skipped those packets (a busy computer or audio device), not the network.',
      'The radio’s own streams to this computer are judged in the other hops.',
    ],
  },
  {
    id: 'udp-return-nothing-requested',
    hop: 'udp-return',
    status: 'unknown',
    thresholds: {},
    source: 'reference §5.8',
    when: (f) => f.udpReturn.streamsToClient === 0 && f.udpReturn.requestedClasses === 0 && f.setup.registrations.length === 0,
    summary: () => 'no data stream was set up in the evidence',
    evidence: none,
  },
  {
    id: 'udp-return-too-early',
    hop: 'udp-return',
    status: 'unknown',
    thresholds: SILENCE_THRESHOLDS,
    source: SILENCE_SOURCE,
    when: (f) => f.udpReturn.streamsToClient === 0,
    summary: (f) => `streams set up ${secs(f.udpReturn.waitedS)} before the end of the evidence: too early to judge`,
    evidence: (f) => [`≈ ${f.udpReturn.expected.toFixed(1)} datagrams expected so far; ${pWords(pNothing(f.udpReturn.expected))} that none came on an open path, not yet below ${SILENCE_ALPHA}`],
  },
  {
    id: 'udp-return-ok',
    hop: 'udp-return',
    status: 'ok',
    thresholds: {},
    source: 'reference §8.1 checkpoint 8',
    when: () => true,
    summary: silent,
    evidence: none,
  },

  // data:* — each data class on its own facts
  {
    id: 'data-missing-any-size',
    hop: 'data:waterfall',
    status: 'blocked',
    cause: 'udp-blocked-inbound',
    thresholds: { ...SILENCE_THRESHOLDS, MTU_FLOOR_BYTES },
    source: `${MTU_STEP_SOURCE}; ${SILENCE_SOURCE}`,
    when: (f, h) => classSilent(f, cls(f, h)) && f.anyData && mtuRefuted(f),
    summary: (f) => {
      const m = f.mtuSteps;
      const fits = `${datagramBytesAt(smallestTried(f))}-byte datagrams, which fit a ${MTU_FLOOR_BYTES}-byte path MTU (the smallest tunnel’s)`;
      const what =
        m && m.steps.length > 0
          ? `network_mtu ${mtuList(m)} ${m.where}: ${stepsCarried(m)} at any step${f.clientMtu !== undefined ? ` nor in the run at ${f.clientMtu}` : ''}, not even in ${fits}`
          : `the client’s network_mtu is ${f.clientMtu}, so the radio’s largest packets are ${fits}, and not one waterfall packet arrived`;
      return `${what}; smaller classes did (${arrivedLabels(f)})`;
    },
    evidence: (f, h) => [classSilenceLine(cls(f, h))],
    title: (f) =>
      `The radio’s waterfall is dropped on the way whatever its size, while its other data arrives: not even at network_mtu ${smallestTried(f)} did ${!f.mtuSteps || noneArrived(f.mtuSteps) ? 'one waterfall packet' : 'its large packets'} get through — a filter on the path, not the MTU`,
    advice: [
      'A router, firewall or VPN between the radio and this computer drops the waterfall’s datagrams by a rule of its own — by VITA-49 stream ID (0x42…), by packet size, rate or DSCP, an IPS/“application control” or DPI policy — while it passes the radio’s other data from the same UDP port 4993. Find that rule and let the radio’s UDP from port 4993 through whole.',
      'Lowering SmartSDR’s MTU does not help here: at a setting whose packets fit every tunnel, still no waterfall packet arrived.',
      'To find the box that drops it, capture on each side of a router (`tcpdump -w side.pcap udp port 4993`) and open both in FlexPath: the side where the waterfall stream (0x42…) is missing is behind the filter.',
    ],
  },
  {
    id: 'data-missing-size-passed',
    hop: 'data:waterfall',
    status: 'blocked',
    cause: 'udp-blocked-inbound',
    thresholds: SILENCE_THRESHOLDS,
    source: `${MTU_STEP_SOURCE}; a step at the run’s own setting or above that passes carried datagrams as large as the run’s or larger, which an MTU limit would drop too; ${SILENCE_SOURCE}`,
    when: (f, h) => classSilent(f, cls(f, h)) && f.anyData && passedAtOrAbove(f) !== undefined,
    summary: (f) => {
      const p = passedAtOrAbove(f)!;
      return `no waterfall packet in the run at network_mtu ${f.mtuSteps?.tested ?? f.clientMtu}, yet ${f.mtuSteps!.where} at network_mtu ${p.mtu} ${p.large} large waterfall packets arrived (${datagramBytesAt(p.mtu)}-byte datagrams)`;
    },
    evidence: (f, h) => [classSilenceLine(cls(f, h))],
    title: (f) => {
      const p = passedAtOrAbove(f)!;
      return `The radio’s waterfall never arrived in the run, yet at network_mtu ${p.mtu} — the run’s own setting or larger — its large packets did: the path carries packets that size, so the MTU does not explain the run`;
    },
    advice: SIZE_PASSED_ADVICE,
  },
  {
    id: 'data-missing-large-carried',
    hop: 'data:*',
    status: 'blocked',
    cause: 'udp-blocked-inbound',
    thresholds: { ...SILENCE_THRESHOLDS, LARGE_PACKET_BYTES },
    source: `${LARGE_CARRIED_SOURCE}; ${SILENCE_SOURCE}`,
    when: (f, h) => h !== 'data:waterfall' && classSilent(f, cls(f, h)) && f.anyData && cls(f, h).expectsLarge && f.fragNeeded.length === 0 && largeCarried(f) !== undefined,
    summary: (f, h) => `${classSilenceLine(cls(f, h))}, yet ${largeCarried(f)!}`,
    evidence: none,
    title: (f, h) => `The radio’s ${cls(f, h).label} never reaches this computer, though its packets are no larger than the waterfall’s that do: the path carries packets that size, so the MTU does not explain it`,
    advice: LARGE_CARRIED_ADVICE,
  },
  {
    id: 'data-missing-large',
    hop: 'data:*',
    status: 'blocked',
    cause: 'mtu',
    thresholds: { ...SILENCE_THRESHOLDS, LARGE_PACKET_BYTES, MTU_FLOOR_BYTES },
    source: `reference §8 #8 (the radio sets DF; tunnels drop its ≥ 1 kB packets while small meters pass), §8.1 checkpoint 6; ${SILENCE_SOURCE}; not when the waterfall's MTU steps or the session's own small network_mtu refute it (data-missing-any-size), nor when a step at the run's setting or above passed (data-missing-size-passed): ${MTU_STEP_SOURCE}`,
    when: (f, h) => {
      const c = cls(f, h);
      return classSilent(f, c) && f.anyData && c.expectsLarge && !(h === 'data:waterfall' && (mtuRefuted(f) || passedAtOrAbove(f) !== undefined));
    },
    summary: (f, h) => `${largeLostWords(f, cls(f, h))}, while smaller classes arrive`,
    evidence: (f, h) => [classSilenceLine(cls(f, h)), ...mtuConfirmedLines(f), ...fragNeededLines(f), ...dontFragmentLines(f)],
    title: mtuTitle,
  },
  {
    id: 'data-missing',
    hop: 'data:*',
    status: 'blocked',
    cause: 'udp-blocked-inbound',
    thresholds: SILENCE_THRESHOLDS,
    source: `reference §8.1 checkpoint 6 (the first announced-but-silent stream localises the block); ${SILENCE_SOURCE}`,
    when: (f, h) => classSilent(f, cls(f, h)),
    summary: (f, h) => classSilenceLine(cls(f, h)),
    evidence: none,
    title: (f, h) => `The radio’s ${cls(f, h).label} never reaches this computer${f.anyData ? ', while its other data does' : ''}`,
  },
  {
    id: 'data-stream-missing',
    hop: 'data:*',
    status: 'blocked',
    cause: 'udp-blocked-inbound',
    thresholds: SILENCE_THRESHOLDS,
    source: `reference §2.4 and §5.9 (each pan, waterfall and audio/DAX stream is sent with its own stream id, named by its status): one the client asked for of which nothing arrives, while the class's other streams do, is blocked on its own (a DAX IQ stream beside DAX audio, a second pan); ${SILENCE_SOURCE}`,
    when: (f, h) => cls(f, h).packets > 0 && missingObjects(f, cls(f, h)).length > 0,
    summary: (f, h) =>
      missingObjects(f, cls(f, h))
        .map((o) => `${o.by}: ${silenceLine(o.expected, o.expectedUnit, o.waitedS)}`)
        .join('; '),
    evidence: none,
    title: (f, h) => {
      const missing = missingObjects(f, cls(f, h));
      const cut = missing.filter((o) => o.ipFragments !== undefined);
      // Its first fragments arrive: the datagrams are cut on the way, not the stream blocked whole.
      if (cut.length === missing.length) {
        const n = cut.reduce((k, o) => k + o.ipFragments!.datagrams, 0);
        return `The radio’s ${cls(f, h).label} ${cut.map((o) => o.id).join(', ')} never arrives whole, while the class’s other streams do: ${n} of its datagrams arrived as IP fragments and never completed (${fragmentsArrived(sumIncomplete(cut.map((o) => o.ipFragments!))!)}) — a hop drops or loses IP fragments`;
      }
      return `The radio’s ${cls(f, h).label} ${missing.map((o) => o.id).join(', ')} never reaches this computer, while the class’s other streams do`;
    },
  },
  {
    id: 'data-stopped-rate-limit',
    hop: 'data:*',
    status: 'blocked',
    cause: 'bandwidth',
    thresholds: { STOPPED_AFTER_S, STOPPED_ALONE_S, ...RATE_THRESHOLDS },
    source: `${RATE_SOURCE}; a class stopped on its own (as data-stopped) while the others lose in proportion to their rate: a queue or policer that the small packets keep full never has room for a large one (netlab 100 kbit/s tbf: the waterfall starved after 1 s, meters 22 %, Opus 47 % lost). No NAT mapping or firewall state: those are per flow (RFC 4787 §4), and the classes that went on share it`,
    when: (f, h) => classStoppedAlone(f, cls(f, h)) && rateLimit(f) !== undefined,
    summary: (f, h) => `${cls(f, h).label} stopped ${secs(cls(f, h).stopped?.silentS ?? 0)} ago after flowing for ${secs(cls(f, h).stopped?.flowedS ?? 0)}, while the other classes went on losing packets in proportion to their rate`,
    evidence: (f) => [rateLimit(f) ?? ''],
    title: (f, h) => `${ADVICE.bandwidth.title}: the radio’s ${cls(f, h).label} stopped after ${secs(cls(f, h).stopped?.flowedS ?? 0)}, starved by the lighter streams that fill the limit`,
  },
  {
    id: 'data-stopped',
    hop: 'data:*',
    status: 'blocked',
    cause: 'udp-blocked-inbound',
    thresholds: { STOPPED_AFTER_S, STOPPED_ALONE_S },
    source: `${STOPPED_SOURCE}; a class stopped on its own only when the others went on for another ${STOPPED_ALONE_S} s — when the whole path stops, the classes fall silent within tens of ms of each other (sim udp-stop), and that is udp-return-stopped. Worded as no expiry when every stream shares one radio port and one client port: NAT mappings and firewall states are per flow (RFC 4787 §4)`,
    when: (f, h) => classStoppedAlone(f, cls(f, h)),
    summary: (f, h) => (oneFlow(f) ? classStoppedLine(f, cls(f, h)) : stoppedLine(cls(f, h).stopped)),
    evidence: none,
    title: (f, h) => (oneFlow(f) ? classStoppedTitle(f, cls(f, h)) : stoppedTitle(cls(f, h).stopped, cls(f, h).label)),
  },
  {
    id: 'data-first-fragments-size-passed',
    hop: 'data:waterfall',
    status: 'blocked',
    cause: 'udp-blocked-inbound',
    thresholds: { MTU_MIN_FRAMES },
    source: `${FIRST_FRAGMENTS_SOURCE}; but a step at the run’s own setting or above that passes carried datagrams as large as the run’s first fragments or larger, which an MTU limit would drop too (as data-missing-size-passed): ${MTU_STEP_SOURCE}`,
    when: (f, h) => firstFragmentsMissing(f, cls(f, h)) && passedAtOrAbove(f) !== undefined,
    summary: (f, h) => {
      const p = passedAtOrAbove(f)!;
      return `${noFrameWhy(cls(f, h))} in the run at network_mtu ${f.mtuSteps?.tested ?? f.clientMtu}, yet ${f.mtuSteps!.where} at network_mtu ${p.mtu} ${p.large} large waterfall packets arrived (${datagramBytesAt(p.mtu)}-byte datagrams)`;
    },
    evidence: (f) => fragNeededLines(f),
    title: (f) => {
      const p = passedAtOrAbove(f)!;
      return `No waterfall line completed in the run — its first, full-size tiles never arrived — yet at network_mtu ${p.mtu}, the run’s own setting or larger, its large packets did: the path carries packets that size, so the MTU does not explain the run`;
    },
    advice: SIZE_PASSED_ADVICE,
  },
  {
    id: 'data-first-fragments-carried',
    hop: 'data:*',
    status: 'blocked',
    cause: 'udp-blocked-inbound',
    thresholds: { MTU_MIN_FRAMES },
    source: `${FIRST_FRAGMENTS_SOURCE}; but not the MTU when ${LARGE_CARRIED_SOURCE}`,
    when: (f, h) => h !== 'data:waterfall' && firstFragmentsMissing(f, cls(f, h)) && f.fragNeeded.length === 0 && largeCarried(f) !== undefined,
    summary: (f, h) => `${noFrameWhy(cls(f, h))}, yet ${largeCarried(f)!}`,
    evidence: none,
    title: (f, h) => `No ${cls(f, h).unit ?? 'frame'} of the radio’s ${cls(f, h).label} completes — its first, full-size packets never arrive — though the waterfall’s packets as large do: the path carries packets that size, so the MTU does not explain it`,
    advice: LARGE_CARRIED_ADVICE,
  },
  {
    id: 'data-first-fragments-missing',
    hop: 'data:*',
    status: 'blocked',
    cause: 'mtu',
    thresholds: { MTU_MIN_FRAMES },
    source: `${FIRST_FRAGMENTS_SOURCE}; not for the waterfall when a step at the run’s setting or above passed (data-first-fragments-size-passed)`,
    when: (f, h) => firstFragmentsMissing(f, cls(f, h)) && !(h === 'data:waterfall' && passedAtOrAbove(f) !== undefined),
    summary: (f, h) => noFrameWhy(cls(f, h)),
    evidence: (f) => [...mtuConfirmedLines(f), ...fragNeededLines(f), ...dontFragmentLines(f)],
    title: mtuTitle,
  },
  {
    id: 'data-fragments-lost',
    hop: 'data:*',
    status: 'blocked',
    cause: 'mtu',
    thresholds: {},
    source:
      'RFC 791 §3.2 and RFC 8200 §4.5 (a fragmented datagram is delivered whole or not at all: losing any fragment loses it); the class’s counted loss is no more than its datagrams the capture saw in fragments that never completed, so every lost packet is accounted for by a lost fragment (arithmetic, no threshold); reference §5.6 and §8 #8 (a lower client network_mtu makes the radio’s packets small enough to cross whole)',
    when: (f, h) => noFrameCompletes(cls(f, h)) && fragmentsExplainLoss(cls(f, h)),
    summary: (f, h) => {
      const c = cls(f, h);
      return `no frame is ever complete: ${c.ipFragments!.datagrams} of its datagrams arrived as IP fragments and never completed, and its counter shows ${c.lost} packets lost: the lost packets are those`;
    },
    evidence: none,
    title: (f, h) => {
      const c = cls(f, h);
      const x = c.ipFragments!;
      return `The radio’s ${c.label} datagrams (${x.datagramBytes} B) are fragmented on the way (pieces of at most ${x.fragmentBytes} B) and ${x.datagrams} of them lost a fragment, which loses the whole datagram: a hop loses IP fragments, and the path MTU is below the radio’s packets`;
    },
    advice: [
      'Lower the radio’s packet size for this client so its packets cross whole: SmartSDR Settings → Network → reduce MTU (e.g. 1300), which sends `client set enforce_network_mtu=1 network_mtu=<n>`.',
      'Or find the hop that loses fragments — a firewall or NAT that limits or times out fragments, a lossy tunnel — or raise the MTU of the VPN/tunnel/PPPoE link so nothing is fragmented.',
    ],
  },
  {
    id: 'data-frames-lost-rate-limit',
    hop: 'data:*',
    status: 'blocked',
    cause: 'bandwidth',
    thresholds: RATE_THRESHOLDS,
    source: RATE_SOURCE,
    when: (f, h) => noFrameCompletes(cls(f, h)) && rateLimit(f) !== undefined,
    summary: (f, h) => noFrameWhy(cls(f, h)),
    evidence: (f) => [rateLimit(f) ?? ''],
    title: rateLimitTitle,
  },
  {
    id: 'data-frames-lost',
    hop: 'data:*',
    status: 'blocked',
    cause: 'random-loss',
    thresholds: {},
    source: 'DESIGN §2 (blocked: no complete FFT frame or waterfall line reaches the client, even if fragments do)',
    when: (f, h) => noFrameCompletes(cls(f, h)),
    summary: (f, h) => noFrameWhy(cls(f, h)),
    evidence: none,
    title: framesLostTitle,
  },
  {
    id: 'data-loss-rate-limit',
    hop: 'data:*',
    status: 'degraded',
    cause: 'bandwidth',
    thresholds: { LOSS_TOLERATED_LAN, LOSS_TOLERATED_WAN, LOSS_ALPHA, BROKEN_FRAMES_FRACTION, ...RATE_THRESHOLDS },
    source: `${RATE_SOURCE}; decided before data-loss-beside-outage: loss that grows with the rate is the limit’s, not random loss, whatever stop of every stream lies beside it`,
    // Before the outage rules: the pooled loss a stop of every stream is weighed against is the limit's
    // (netlab policer at 128 kbit/s: "51 % lost at random outside a stop of every stream"). Heavy
    // reordering's counter gaps stay data-jitter-rate-limit's, as they were with this rule after it.
    when: (f, h) => flowing(cls(f, h)) && !heavyReorder(cls(f, h)) && (lossy(f, h, cls(f, h)) || manyBroken(f, cls(f, h))) && rateLimit(f) !== undefined,
    summary: (f, h) => (lossy(f, h, cls(f, h)) ? lossSummary(cls(f, h)) : `${pct(brokenShare(cls(f, h)))} of frames broken`),
    evidence: (f) => [rateLimit(f) ?? ''],
    title: rateLimitTitle,
  },
  {
    id: 'data-loss-beside-outage',
    hop: 'data:*',
    status: 'degraded',
    cause: 'random-loss',
    thresholds: { OUTAGE_MIN_S, BRIEF_OUTAGE_MIN_LOST, LOSS_TOLERATED_LAN, LOSS_TOLERATED_WAN, LOSS_ALPHA },
    source: `${LOSS_SOURCE}; counted over the packets outside the outages that data-outage and data-brief-outage show (see their sources)`,
    when: (f, h) => flowing(cls(f, h)) && outagesOf(f, h, shownOutage).length > 0 && lossy(f, h, cls(f, h)),
    summary: (f, h) => {
      const c = cls(f, h);
      const out = lostOutside(f, h, c);
      const them = outagesOf(f, h, shownOutage).length === 1 ? ['the outage', 'it'] : ['the outages', 'them'];
      return `${pct(lossFraction({ lost: out, packets: c.packets }))} lost outside ${them[0]} (${out} of ${out + c.packets}), besides ${lostInOutages(f, h)} lost in ${them[1]}`;
    },
    evidence: (f, h) => [...outageListLines(f), ...outageLines(f, h)],
    title: (f) => {
      return `The radio’s data loses ${pct(lossFraction(pooledLoss(f)))} of its packets at random outside ${stopsWords(outagesSeen(f))}: steady loss, and an interruption besides`;
    },
    advice: [
      ...ADVICE['random-loss'].advice,
      'The stop of every stream at once is a second fault: Wi-Fi roaming between access points or a link that flaps (cable, switch port, adapter power saving); a wired connection cures both.',
    ],
  },
  {
    id: 'data-outage',
    hop: 'data:*',
    status: 'degraded',
    cause: 'outage',
    thresholds: { OUTAGE_MIN_S },
    source: OUTAGE_SOURCE,
    when: (f, h) => flowing(cls(f, h)) && outagesOf(f, h).length > 0,
    summary: (f, h) => {
      const o = outagesOf(f, h);
      const longest = o.reduce((a, b) => (b.lengthS > a.lengthS ? b : a));
      return `${o.length === 1 ? 'an outage' : `${o.length} outages`}: every data stream silent for ${secs(longest.lengthS)} from t=${secs(longest.atS)}, ${pct(lossFraction(cls(f, h)))} of this class lost in all`;
    },
    evidence: outageLines,
    title: (f) => {
      const o = outagesSeen(f);
      return `The radio’s data stopped ${o.length === 1 ? `for ${secs(o[0]!.lengthS)} at t=${secs(o[0]!.atS)}` : `${o.length} times (longest ${secs(Math.max(...o.map((x) => x.lengthS)))})`} and came back: an outage on the path, ${lossBesideOutages(f) ?? 'not steady loss'}`;
    },
  },
  {
    id: 'data-brief-outage',
    hop: 'data:*',
    status: 'degraded',
    cause: 'outage',
    thresholds: { OUTAGE_MIN_S, BRIEF_OUTAGE_MIN_LOST },
    source: BRIEF_OUTAGE_SOURCE,
    when: (f, h) => flowing(cls(f, h)) && outagesOf(f, h, briefOutage).length > 0,
    summary: (f, h) => {
      const o = outagesOf(f, h, briefOutage);
      return `every data stream silent at once for ${o.map((x) => `${secs(x.lengthS)} from t=${secs(x.atS)} (${x.lost} lost)`).join(', ')}: ${o.length === 1 ? 'a brief interruption' : `${o.length} brief interruptions`}, not random loss`;
    },
    evidence: outageLines,
    title: (f) => {
      const o = f.outages.filter((x) => briefOutage(x, f));
      const lost = o.map((x) => x.streams.map((s) => `${s.id} ${s.lost}`).join(', '));
      return `Every stream of the radio’s data stopped at once ${o.length === 1 ? `for ${secs(o[0]!.lengthS)} at t=${secs(o[0]!.atS)} (lost: ${lost[0]})` : `${o.length} times (longest ${secs(Math.max(...o.map((x) => x.lengthS)))})`} and came back: a brief interruption of the link, ${lossBesideOutages(f) ?? 'not random loss'}`;
    },
    advice: [
      'A brief stop of every stream at once is what a Wi-Fi client roaming between access points makes, or a link that flaps: a loose cable, a switch port or network adapter renegotiating, Wi-Fi power saving.',
      'Wire the computer, or fix it to one access point (disable roaming aggressiveness / band steering); check the adapter’s and switch’s logs for link down/up at those times.',
    ],
  },
  {
    // Live: the arrival times are FlexPath's own read times, and a hold-up of this process makes jitter.
    // The class arrives (every failing rule was tried first, judge.ts); its jitter is not judged.
    id: 'data-jitter-own-stall',
    hop: 'data:*',
    status: 'ok',
    thresholds: { JITTER_DEGRADED_S, STALL_JITTER_GAIN },
    source:
      'JITTER_DEGRADED_S as data-jitter’s (empirical: two of the audio’s 10-ms frames, reference §3.5); STALL_JITTER_GAIN is the estimator’s arithmetic (stream-tracker.ts: J += (|ΔIAT| − J)/16, RFC 3550 §6.4.1’s gain): a socket gives no kernel timestamp, so datagrams that arrived while the process was held up S are read in a burst after it — two inter-arrival deviations of ≈ S, J up by ≈ S/8',
    when: (f, h) => {
      const c = cls(f, h);
      // After every failing rule (judge.ts): data-jitter and data-jitter-rate-limit leave such jitter to it.
      return flowing(c) && jittery(h, c) && ownStallExplains(f, c);
    },
    summary: (f, h) =>
      `arrives; its timing is not judged: inter-arrival jitter ${(cls(f, h).jitterS * 1000).toFixed(0)} ms, but FlexPath itself was held up for ${((f.ownStallMaxS ?? 0) * 1000).toFixed(0)} ms on this computer, enough to make it (close busy programs and run again; a capture times packets in the kernel)`,
    evidence: none,
  },
  {
    id: 'data-jitter-rate-limit',
    hop: 'data:*',
    status: 'degraded',
    cause: 'bandwidth',
    thresholds: { ...RATE_THRESHOLDS, REORDER_DEGRADED_FRACTION, HEAVY_REORDER_FRACTION, JITTER_DEGRADED_S },
    source: `${RATE_SOURCE}; a bottleneck queues what it does not drop: the light classes’ late, bunched arrivals come from the same full queue`,
    when: (f, h) => {
      const c = cls(f, h);
      return flowing(c) && jitterDecides(f, h, c) && rateLimit(f) !== undefined;
    },
    summary: (f, h) => jitterSummary(f, cls(f, h)),
    evidence: (f) => [`${rateLimit(f) ?? ''}; the delay variation is the queue in front of that limit`],
  },
  {
    id: 'data-reordered-not-lost',
    hop: 'data:*',
    status: 'degraded',
    cause: 'jitter',
    thresholds: { WHOLE_MIN_FRAMES, WHOLE_FRACTION, REORDER_DEGRADED_FRACTION },
    source: 'reference §3.1–3.2 (frame_index / timecode count frames exactly); empirical: 99 % of ≥ 10 frames leaves room for the capture’s edges',
    when: (f, h) => flowing(cls(f, h)) && wholeButGaps(f, cls(f, h)),
    summary: (f, h) => jitterSummary(f, cls(f, h)),
    evidence: none,
  },
  {
    id: 'data-heavy-reorder',
    hop: 'data:*',
    status: 'degraded',
    cause: 'jitter',
    thresholds: { HEAVY_REORDER_FRACTION },
    source:
      'reference §10 (a 4-bit counter cannot tell a packet late by 8 or more from a lost one); empirical: at ≥ 10 % out of order, with no more counted lost than out of order, the loss figure is the reordering’s shadow',
    when: (f, h) => flowing(cls(f, h)) && heavyReorder(cls(f, h)),
    summary: (f, h) => jitterSummary(f, cls(f, h)),
    evidence: none,
  },
  {
    id: 'data-loss',
    hop: 'data:*',
    status: 'degraded',
    cause: 'random-loss',
    thresholds: { LOSS_TOLERATED_LAN, LOSS_TOLERATED_WAN, LOSS_ALPHA },
    source: LOSS_SOURCE,
    when: (f, h) => flowing(cls(f, h)) && lossy(f, h, cls(f, h)),
    summary: (f, h) => lossSummary(cls(f, h)),
    evidence: none,
    title: (f) => lossTitle(f),
  },
  {
    id: 'data-frames-broken',
    hop: 'data:*',
    status: 'degraded',
    cause: 'random-loss',
    thresholds: { BROKEN_FRAMES_FRACTION, LOSS_TOLERATED_LAN, LOSS_TOLERATED_WAN, LOSS_ALPHA },
    source: 'reference §7.1 (FlexLib counts an FFT frame left incomplete as one error); empirical: 1 frame in 20 broken is a visibly stuttering display, and more broken than the tolerated loss breaks by chance (Poisson, as data-loss)',
    when: (f, h) => flowing(cls(f, h)) && manyBroken(f, cls(f, h)),
    summary: (f, h) => `${pct(brokenShare(cls(f, h)))} of frames broken`,
    evidence: none,
  },
  {
    id: 'data-reordered',
    hop: 'data:*',
    status: 'degraded',
    cause: 'jitter',
    thresholds: { REORDER_DEGRADED_FRACTION },
    source: 'empirical: 1 % of packets out of order is a path that reorders (a LAN reorders none)',
    when: (f, h) => flowing(cls(f, h)) && reordered(cls(f, h)),
    summary: (f, h) => jitterSummary(f, cls(f, h)),
    evidence: none,
  },
  {
    id: 'data-jitter',
    hop: 'data:*',
    status: 'degraded',
    cause: 'jitter',
    thresholds: { JITTER_DEGRADED_S },
    source: 'RFC 3550 §6.4.1 inter-arrival jitter; empirical: 20 ms is two of the audio’s 10-ms frames (reference §3.5); not meters (reference §3.3: no fixed cadence)',
    when: (f, h) => flowing(cls(f, h)) && jittery(h, cls(f, h)) && !ownStallExplains(f, cls(f, h)),
    summary: (f, h) => jitterSummary(f, cls(f, h)),
    evidence: none,
  },
  {
    id: 'data-not-requested',
    hop: 'data:*',
    status: 'unknown',
    thresholds: {},
    source: 'reference §8.1 checkpoint 6',
    when: (f, h) => cls(f, h).packets === 0 && cls(f, h).requested === undefined,
    summary: (f, h) => `no ${cls(f, h).label} stream requested or seen`,
    evidence: none,
  },
  {
    id: 'data-too-early',
    hop: 'data:*',
    status: 'unknown',
    thresholds: SILENCE_THRESHOLDS,
    source: SILENCE_SOURCE,
    when: (f, h) => cls(f, h).packets === 0 && cls(f, h).requested !== undefined && !classSilent(f, cls(f, h)),
    summary: (f, h) => `requested ${secs(waited(cls(f, h)))} before the end: too early to judge`,
    evidence: (f, h) => {
      const r = cls(f, h).requested;
      return [`≈ ${(r?.expected ?? 0).toFixed(1)} ${r?.expectedUnit ?? 'packets'} expected so far; ${pWords(pNothing(r?.expected ?? 0))} that none came on an open path, not yet below ${SILENCE_ALPHA}`];
    },
  },
  {
    id: 'data-first-fragments-awaited',
    hop: 'data:*',
    status: 'unknown',
    thresholds: { MTU_MIN_FRAMES },
    source: `${FIRST_FRAGMENTS_SOURCE}; judged live a frame is in flight until later ones show it will not complete, so before then neither an MTU limit nor loss is settled: the counter's gaps are the full-size packets' that did not come`,
    when: (f, h) => firstNeverArrived(cls(f, h)),
    summary: (f, h) => `no ${unitWord(cls(f, h))} has completed yet and not one’s first (full-size) packet has arrived, only later, smaller ones: too early to tell a path MTU below the radio’s packets from loss`,
    evidence: none,
  },
  {
    id: 'data-arrives',
    hop: 'data:*',
    status: 'ok',
    thresholds: {},
    source: 'reference §3.9 (expected rates), §8.1 checkpoint 7',
    when: () => true,
    summary: silent,
    evidence: none,
  },
];

/** A hop a live diagnosis could not exercise (observer mode) is never ok; blocked and degraded rules go first. */
export const NOT_TESTED_RULE: Rule = {
  id: 'hop-not-tested',
  hop: '*',
  status: 'unknown',
  thresholds: {},
  source: 'DESIGN §2 (a hop the session needed but the evidence did not exercise is never ok)',
  when: (f, h) => f.notTested[h] !== undefined,
  summary: (f, h) => `not tested: ${f.notTested[h] ?? ''}`,
  evidence: none,
};

const TRUNCATED_SOURCE =
  'pcap/pcapng: a record whose captured length is below the packet\'s own length was cut by the snapshot length (tcpdump -s, Wireshark "limit each packet"); IP length field (RFC 791 / RFC 8200) > bytes captured';
const truncatedLine = (t: NonNullable<PathFacts['truncated']>): string =>
  `the capture cut ${t.packets} UDP/TCP packet(s) at ${t.snaplen} bytes (snapshot length)${t.udp === 0 ? ', none of them a UDP datagram' : ''}`;

/**
 * A capture whose packets were cut short: what a rule would read as lost, broken or unanswered may only
 * be bytes the capture left out (control lines cut mid-line, VITA-49 payloads without their ends). Tried
 * after a hop's own rules: it replaces only a decision other than unknown. When only TCP was cut (a
 * snapshot length like `tcpdump -s 1514` meets receive-offload frames of the control channel, up to 64 kB;
 * every VITA-49 datagram is at most network_mtu, reference §1.6), the data-class hops read whole datagrams:
 * counters, sizes and payloads are as sent, so they are judged. The hops that read the control text, and
 * udp-return, which pairs it with the data, are not.
 */
export const TRUNCATED_RULE: Rule = {
  id: 'hop-capture-truncated',
  hop: '*',
  status: 'unknown',
  thresholds: {},
  source: TRUNCATED_SOURCE,
  when: (f, h) => f.truncated !== undefined && (f.truncated.udp > 0 || !isDataHop(h)),
  summary: (f) => `cannot be judged: ${truncatedLine(f.truncated!)}, so its contents are partial`,
  evidence: none,
};

function pairWorks(t: NonNullable<PathFacts['forwarding']['test']>): boolean {
  return Boolean((t.forwardTcp && t.forwardUdp) || (t.upnpTcp && t.upnpUdp));
}

const UNREACHABLE_WORDS = {
  'host-unreachable': 'no host answers at that address (host unreachable)',
  'net-unreachable': 'no route to that network (network unreachable)',
} as const;

const unreachableLine = (id: string, u: Unreachable): string => `${id}: unreachable — ${UNREACHABLE_WORDS[u.reason]}, said by ${u.by}`;
const REFUSED_WORDS = "refused — the radio's address answered the connection with a TCP reset (nothing listens on that port, or a firewall rejects it)";

function attemptLines(f: PathFacts): string[] {
  return f.control.attempts
    .filter((x) => x.bytesToClient === 0)
    .map((x) =>
      x.unreachable
        ? unreachableLine(x.id, x.unreachable)
        : x.resetBy === 'server' && x.synOnly
        ? `${x.id}: ${REFUSED_WORDS}`
        : `${x.id}: ${x.synOnly ? 'connection attempts, no answer' : `${x.bytesToServer} B sent, nothing received`}${x.resetBy ? `, reset by ${x.resetBy}` : ''}`,
    );
}

function slowRoundTrip(f: PathFacts): boolean {
  const p = f.control.session?.pings;
  return p !== undefined && p.answered > 0 && p.avgMs >= RTT_THRESHOLDS[f.mode].poor;
}

function rttSummary(f: PathFacts): string {
  return `average RTT ${(f.control.session?.pings.avgMs ?? 0).toFixed(0)} ms, at or above FlexLib's ${f.mode === 'wan' ? 'SmartLink' : 'LAN'} "Poor" threshold (${RTT_THRESHOLDS[f.mode].poor} ms)`;
}

/** A `wan validate` left unanswered is not late: FlexLib and AetherSDR never wait for that reply (reference §11). */
/** `“display panafall create x=100 y=100” (no reply in 5.0 s)`, and how many more the radio left unanswered. */
function ignoredWords(f: PathFacts): string {
  const late = lateCommands(f).filter((u) => u.laterAnswered);
  const first = late[0];
  return `“${first?.command ?? ''}” (no reply in ${secs(first?.ageS ?? 0)})${late.length > 1 ? ` and ${late.length - 1} more command(s)` : ''}`;
}

/**
 * Commands whose reply is missing: unanswered past the bar, or given up on by a client whose own wait is
 * that bar (FlexPath's walk: api/client.ts replyWaitMs, the same replyWait of 5 s or 3 × RTT). The walk
 * judges the moment its wait ends, so the age it sees sits on the bar itself, and libuv's millisecond
 * timer clock can end the wait a fraction of a millisecond before it (one run in ~10 under load read a
 * create never answered as answered in time).
 */
function lateCommands(f: PathFacts): Array<{ command: string; ageS: number; laterAnswered?: boolean }> {
  return (f.control.session?.unanswered ?? []).filter((u) => (u.gaveUp === true || u.ageS > missingAfter(f, REPLY_WAIT_S)) && !u.command.startsWith('wan validate'));
}

function refused(f: PathFacts): PathFacts['setup']['creates'] {
  return f.setup.hasSession ? f.setup.creates.filter((c) => c.code !== undefined && c.code !== 0) : [];
}

/**
 * Reply codes a create is refused with, named where the reference names them (§5.4 message table, §11
 * audit): the radio's own reasons, which no network change cures.
 */
const REFUSAL_NAMES: Readonly<Record<number, string>> = {
  0x50000001: 'no receiver available',
  0x50000003: 'licence check failed / all slices in use',
  0x50000007: 'no SCU available',
  0x5000008e: 'could not create the audio client',
  0x50000015: 'unknown command',
  0x50000016: 'malformed command',
  0x5000002c: 'incorrect number of parameters',
  0x5000002d: 'bad field',
};

/** Codes that reject a command's form, not the request (reference §5.4 "wrong syntax"). */
const SYNTAX_CODES: ReadonlySet<number> = new Set([0x50000015, 0x50000016, 0x5000002c, 0x5000002d]);

function refusalCodes(f: PathFacts): string {
  const codes = [...new Set(refused(f).map((c) => c.code ?? 0))];
  return codes.map((c) => `${formatCode(c)}${REFUSAL_NAMES[c] ? ` ${REFUSAL_NAMES[c]}` : ''}`).join(', ');
}

function noDestination(f: PathFacts): boolean {
  return refused(f).some((c) => c.code === REPLY.noIpOrPort);
}

function stoppedTitle(s: PathFacts['udpReturn']['stopped'], label = 'data'): string {
  return `The radio’s ${label} flowed for ${secs(s?.flowedS ?? 0)}, then stopped while the session went on: a NAT mapping or firewall state may have expired`;
}

/**
 * Every data stream to this client comes from one radio port to one client port: one UDP flow. A NAT
 * mapping or a firewall's state is kept per flow (RFC 4787 §4: endpoint-independent or -dependent, by
 * address and port, never by what the payload carries), so one that expires stops every class in it.
 */
const oneFlow = (f: PathFacts): boolean => f.udpReturn.sources.length === 1 && f.udpReturn.dstPorts.length === 1;
const flowWords = (f: PathFacts): string => `${f.udpReturn.sources[0]} → port ${f.udpReturn.dstPorts[0]}`;
/** data-stopped's line when the class that stopped shared its flow with those that went on: no expiry. */
function classStoppedLine(f: PathFacts, c: ClassFacts): string {
  return `${c.label} stopped ${secs(c.stopped?.silentS ?? 0)} ago after flowing for ${secs(c.stopped?.flowedS ?? 0)}, while the other classes went on in the same UDP flow (${flowWords(f)}): not a NAT mapping or firewall state, which are per flow`;
}
function classStoppedTitle(f: PathFacts, c: ClassFacts): string {
  return `The radio’s ${c.label} flowed for ${secs(c.stopped?.flowedS ?? 0)}, then stopped while its other data went on in the same UDP flow (${flowWords(f)}): the radio stopped sending it, or something on the way drops it by its size or stream — not a NAT mapping or firewall state, which would stop the whole flow`;
}

function stoppedLine(s: PathFacts['udpReturn']['stopped']): string {
  return `data stopped ${secs(s?.silentS ?? 0)} ago after flowing for ${secs(s?.flowedS ?? 0)}: a NAT mapping or firewall state may have expired`;
}

// ─── the verdict, when no hop is blocked or degraded ─────────────────────────────────────────────────

/** A verdict rule: decides the verdict when no hop is blocked or degraded. */
export interface VerdictRule {
  id: string;
  status: VerdictStatus;
  cause?: Cause;
  thresholds: Readonly<Record<string, number>>;
  source: string;
  when(f: PathFacts, hops: Hop[]): boolean;
  summary(f: PathFacts, hops: Hop[]): string;
  advice(f: PathFacts, hops: Hop[]): string[];
}

/** The control channel in the evidence is TLS the capture cannot read (a SmartLink session seen from outside). */
const encryptedOnly = (f: PathFacts): boolean => !f.control.session && f.control.attempts.some((x) => x.tls);
const okData = (hops: Hop[]): Hop[] => hops.filter((h) => h.plane === 'data' && h.id !== 'udp-return' && h.status === 'ok');
const names = (hops: readonly Hop[]): string => hops.map((h) => h.id.slice(5)).join(', ');

export const VERDICT_RULES: readonly VerdictRule[] = [
  {
    id: 'verdict-capture-truncated',
    status: 'inconclusive',
    thresholds: {},
    source: TRUNCATED_SOURCE,
    when: (f) => f.truncated !== undefined,
    summary: (f) =>
      f.truncated!.udp === 0
        ? `This capture is truncated: ${truncatedLine(f.truncated!)}, so control lines are partial and replies and stream setup cannot be judged from it; the data classes, read whole, show no fault.`
        : `This capture is truncated: ${truncatedLine(f.truncated!)}, so control lines, packet sizes and payloads are partial and loss, MTU and replies cannot be judged from it.`,
    advice: () => [
      'Capture again with whole packets: `tcpdump -s 0 -w ticket.pcapng …` (tcpdump’s default is whole packets), or in Wireshark clear "Limit each packet to … bytes" in the capture options.',
    ],
  },
  {
    id: 'verdict-silent-at-end',
    status: 'inconclusive',
    thresholds: { OUTAGE_MIN_S, STOPPED_AFTER_S },
    source: `${OUTAGE_SOURCE}; ${STOPPED_SOURCE}: a silence between the two at the end of the evidence is either, as a live diagnose holds it (walk.ts decided) until the data comes back or has been silent STOPPED_AFTER_S`,
    when: (f) => silentAtEnd(f) !== undefined,
    summary: (f) => {
      const s = silentAtEnd(f)!;
      return `The radio’s data flowed for ${secs(s.flowedS)} and was silent for the last ${secs(s.silentS)} of the run: it may be an outage (data that comes back) or data that stopped (${secs(STOPPED_AFTER_S)} of silence); the evidence ends before it tells which.`;
    },
    advice: () => [
      'Watch longer (`--seconds`), or capture again: data back within seconds is an outage (Wi-Fi roaming, a link flap), data that stays away is a NAT mapping or firewall state that expired.',
    ],
  },
  {
    id: 'verdict-not-tested',
    status: 'inconclusive',
    thresholds: {},
    source: 'DESIGN §2 (a hop the session needed but the evidence did not exercise is never ok)',
    when: (f) => Object.keys(f.notTested).length > 0,
    summary: (f, hops) =>
      `No fault on the paths tested (${hops.filter((h) => h.status === 'ok').map((h) => h.id).join(', ') || 'none'}); not tested: ${Object.keys(f.notTested).join(', ')}.`,
    advice: (f) => Object.values(f.notTested).filter((v): v is string => typeof v === 'string'),
  },
  {
    id: 'verdict-no-large-packets',
    status: 'inconclusive',
    thresholds: { LARGE_PACKET_BYTES },
    source: 'reference §8 #8 (an MTU limit drops only the ≥ 1 kB panadapter/waterfall packets while the small meters pass): without a large packet the path MTU is untested (issue 11 class 9)',
    when: (f, hops) => hops.find((h) => h.id === 'control')?.status === 'ok' && okData(hops).length > 0 && !okData(hops).some((h) => isDataHop(h.id) && f.data[h.id].maxSize >= LARGE_PACKET_BYTES),
    summary: (_f, hops) =>
      `Control answers and ${names(okData(hops))} arrive, but no packet of ${LARGE_PACKET_BYTES} B or more (panadapter/waterfall) is in the evidence, so a path MTU problem cannot be ruled out.`,
    advice: () => ['Open a panadapter with its waterfall (or run `flexpath diagnose --probe`) and capture again: the waterfall’s 1.4 kB packets show whether large packets get through.'],
  },
  {
    id: 'verdict-joined-late',
    status: 'inconclusive',
    thresholds: {},
    source:
      'reference §5.2 (the radio sends its V prologue once, on connect) and §8.1 checkpoint 6 (what was requested is known only from the control plane): a capture that joined a running session holds none of the requests made before it, and a class never requested looks the same as one that never arrives',
    when: (f, hops) => f.setup.joinedLate === true && hops.find((h) => h.id === 'control')?.status === 'ok' && okData(hops).length > 0,
    summary: (f, hops) => {
      const unseen = hops.flatMap((h) => (isDataHop(h.id) && h.status === 'unknown' ? [f.data[h.id].label] : []));
      return (
        `No fault in what arrives (${names(okData(hops))}), but the capture joined the session after it was set up: the client’s stream requests are not in it, so whether every stream it asked for arrives cannot be told` +
        (unseen.length > 0 ? `; not one packet of ${unseen.join(' or ')} in it — if the client has one open, it does not arrive.` : '.')
      );
    },
    advice: () => [
      'Start the capture before SmartSDR connects (or, while it runs, close and reopen the panadapter and audio), so the requests are in it; or run `flexpath diagnose --probe`, which makes its own.',
    ],
  },
  {
    id: 'verdict-healthy',
    status: 'healthy',
    cause: 'healthy',
    thresholds: {},
    source: 'DESIGN §2 (both planes: control answers and every requested stream arrives; what was requested is read from a readable control session)',
    when: (f, hops) => f.hasSession && hops.find((h) => h.id === 'control')?.status === 'ok' && okData(hops).length > 0,
    summary: (_f, hops) => `${ADVICE.healthy.title}: ${names(okData(hops))}.`,
    advice: () => ADVICE.healthy.advice,
  },
  {
    id: 'verdict-no-control',
    status: 'inconclusive',
    thresholds: {},
    source: 'reference §8.1 checkpoint 6 (what was requested is known only from the control plane)',
    when: (f, hops) => !f.hasSession && f.anyData && okData(hops).length > 0,
    summary: (f, hops) =>
      `The data plane looks healthy (${names(okData(hops))}), but the evidence holds no readable control channel${encryptedOnly(f) ? ' (it is TLS, as SmartLink’s: encrypted)' : ''}, so whether every requested stream arrives cannot be told.`,
    advice: (f) =>
      encryptedOnly(f)
        ? ['Run `flexpath diagnose --smartlink` on this computer: it reads its own SmartLink session and judges every stream it requests.']
        : ['Capture on the client while SmartSDR connects (TCP 4992 on the LAN) to see both planes: e.g. `tcpdump -i any -w ticket.pcapng udp or tcp port 4992`.'],
  },
  {
    id: 'verdict-joined-late-no-data',
    status: 'inconclusive',
    thresholds: {},
    source:
      'reference §5.2 (the V prologue comes once, on connect), §5.8–5.9 (streams exist once requested; status lines name pans, waterfalls and streams by id, a partial update without its owner) and §8.1 checkpoint 6: a capture that joined a running session and holds no VITA-49 cannot tell an idle session from data that never reached it; one with no UDP at all may have been taken with a TCP-only capture filter (libpcap filter syntax: `tcp port 4992` keeps no UDP)',
    when: (f) => f.hasSession && !f.anyData && f.setup.joinedLate === true,
    summary: (f) => {
      const named = f.setup.named ?? [];
      return (
        'The capture joined a running session (no connect, no V prologue) and not one VITA-49 datagram from the radio reached the capture point' +
        (named.length > 0
          ? `, while its status lines name ${named.join(', ')}: if the client has those open, their data does not arrive where the capture was taken`
          : ': the client’s stream requests came before the capture, so whether it had a panadapter or audio open cannot be told') +
        (f.udpReturn.noUdp ? '. The capture holds no UDP datagram of any kind, as one taken with a TCP-only capture filter would.' : '.')
      );
    },
    advice: (f) => [
      `Capture again on the adapter that carries the radio’s traffic${f.udpReturn.noUdp ? ', with no capture filter or one that keeps UDP (`udp or tcp port 4992`)' : ''}, started before SmartSDR connects (or close and reopen the panadapter and audio while it runs), so the requests and the data are in it; or run \`flexpath diagnose --probe\`, which makes its own.`,
    ],
  },
  {
    id: 'verdict-no-streams',
    status: 'inconclusive',
    thresholds: {},
    source: 'reference §5.8 (streams exist only once requested)',
    when: (f) => f.hasSession && !f.anyData,
    summary: () => 'The control channel is up but no data stream was requested in the evidence, so the data path could not be judged.',
    advice: () => ['Capture while the panadapter and audio are open, or run `flexpath diagnose --probe`.'],
  },
  {
    id: 'verdict-link-unread',
    status: 'inconclusive',
    thresholds: {},
    source:
      'tcpdump.org LINKTYPE registry (a capture\'s link type fixes the layout of every frame; the reader decodes Ethernet, raw IP, NULL/LOOP, Linux cooked v1/v2 and PKTAP) and DESIGN §2 (inconclusive: say what to capture next)',
    // Frames the reader could not open may hold the session: "no session" would be a claim about bytes unread.
    when: (f) => !f.hasSession && !f.anyData && (f.unreadLinks?.length ?? 0) > 0,
    summary: (f) =>
      `Frames on a link type FlexPath does not decode: ${f.unreadLinks!.map((u) => `${u.frames} frame(s) on ${linkTypeText(u.linkType)}, the first at frame ${u.firstPacket}`).join('; ')}. The frames it could read hold no FlexRadio session, so whether the radio's traffic is in this capture cannot be told.`,
    advice: () => [
      'Capture on the computer running SmartSDR, on its network adapter in normal (not Wi-Fi monitor) mode: `tcpdump -i <adapter> -w ticket.pcapng udp or tcp port 4992 or tcp port 443`, or Wireshark on that adapter.',
    ],
  },
  {
    id: 'verdict-foreign-vita',
    status: 'inconclusive',
    thresholds: {},
    source: 'VITA 49.2 §5.1 class ID (OUI); reference §3 (FlexRadio streams carry OUI 0x001C2D)',
    when: (f) => !f.hasSession && !f.anyData && f.foreignVita.streams > 0,
    summary: (f) =>
      `VITA-49 streams from a non-FlexRadio source (${f.foreignVita.streams} stream(s), class ID ${f.foreignVita.ouis.join(', ')}): no FlexRadio session to judge; each stream's figures are in the stream table.`,
    advice: () => [
      'If a FlexRadio session should be in this capture, capture on the computer running SmartSDR while it connects: `tcpdump -i any -w ticket.pcapng udp or tcp port 4992 or tcp port 443`.',
      'To look inside one datagram, save its UDP payload and run `flexpath decode FILE`.',
    ],
  },
  {
    id: 'verdict-tls-no-udp',
    status: 'inconclusive',
    thresholds: {},
    source:
      'reference §6.5 steps 2 and 4 (a SmartLink client talks TLS to the radio, then sends `client udp_register` every 50 ms until data arrives) and §5.7 (the radio learns where to send only from those datagrams)',
    // An encrypted session the radio answered, and not one datagram of the client's UDP registration: the
    // capture cannot read what the radio said, but a SmartLink client that sent no registration never opened
    // its data path (this computer's outbound UDP is refused, or the capture's filter left UDP out).
    when: (f) => !f.hasSession && !f.anyData && f.setup.registrations.length === 0 && f.control.attempts.some((x) => x.tls && x.bytesToClient > 0),
    summary: (f) =>
      `An encrypted control session (${f.control.attempts.filter((x) => x.tls).map((x) => x.id).join(', ')}: TLS, as SmartLink's to the radio) was answered, but this computer sent no UDP registration (\`client udp_register\`) and no VITA-49 data arrived: the radio never learned where to send its data. What it answered is not readable.`,
    advice: () => [
      'SmartLink data flows only after this computer sends UDP to the radio’s public UDP port: look for a firewall or security software on this computer, or on its network, that blocks outbound UDP.',
      'If the capture was taken with a filter, keep UDP in it (`udp or tcp port 4994`); run `flexpath diagnose --smartlink` on this computer for a verdict that reads the session.',
    ],
  },
  {
    id: 'verdict-tls-registered-no-data',
    status: 'inconclusive',
    thresholds: {},
    source:
      'reference §6.5 step 4 (a SmartLink client sends `client udp_register` every 50 ms until a VITA-49 datagram arrives, then pings every 5 s) and §5.7: registrations to the end of the evidence mean the client never received one; what it asked the radio for is inside the TLS',
    // The evidence's own control channel and registrations are there (the hop table shows them): "no session" would contradict it.
    when: (f) => !f.hasSession && !f.anyData && f.setup.registrations.length > 0 && f.control.attempts.some((x) => x.tls && x.bytesToClient > 0),
    summary: (f) => {
      const r = f.setup.registrations;
      return `An encrypted control session (${f.control.attempts.filter((x) => x.tls).map((x) => x.id).join(', ')}: TLS, as SmartLink's to the radio) was answered and this computer kept registering for the radio's data (${r.reduce((n, x) => n + x.registers, 0)} \`client udp_register\` datagrams from ${r[0]!.client} to ${r[0]!.radio}), but not one VITA-49 datagram arrived: the radio's data does not reach this computer, or the radio was asked for none — what it was asked is not readable.`;
    },
    advice: (f) => [
      `Make sure the radio's router forwards its UDP port (${f.setup.registrations[0]!.radio.split(':').at(-1)}) or has UPnP on, and that no firewall on this side drops inbound UDP from the radio.`,
      'Run `flexpath diagnose --smartlink` on this computer: it reads its own SmartLink session and knows which streams it asked for.',
    ],
  },
  {
    id: 'verdict-no-session',
    status: 'inconclusive',
    thresholds: {},
    source: 'DESIGN §2 (inconclusive is an honest answer when evidence is missing: say what to capture next)',
    when: () => true,
    summary: (f) =>
      f.beaconModels.length > 0
        ? `Only discovery beacons (${f.beaconModels.join(', ')}) in the evidence: no control channel or data stream to judge.`
        : 'No FlexRadio session (control channel or VITA-49 data) in the evidence.',
    advice: () => ['Capture on the computer running SmartSDR while it connects: `tcpdump -i any -w ticket.pcapng udp or tcp port 4992 or tcp port 443`.'],
  },
];

/** Any rule of the table, hop or verdict, by id. */
export function ruleById(id: string): Rule | VerdictRule | undefined {
  if (id === TRUNCATED_RULE.id) return TRUNCATED_RULE;
  return id === NOT_TESTED_RULE.id ? NOT_TESTED_RULE : (RULES.find((r) => r.id === id) ?? VERDICT_RULES.find((r) => r.id === id));
}

export interface RuleRow {
  id: string;
  hop: string;
  status: string;
  cause?: Cause;
  thresholds: Readonly<Record<string, number>>;
  source: string;
}

/** The whole table as plain rows, in the order hops are tried (`flexpath rules`). */
export function ruleTable(): RuleRow[] {
  const row = (r: Rule | VerdictRule, hop: string): RuleRow => ({ id: r.id, hop, status: r.status, ...(r.cause ? { cause: r.cause } : {}), thresholds: r.thresholds, source: r.source });
  return [...RULES.map((r) => row(r, r.hop)), row(NOT_TESTED_RULE, NOT_TESTED_RULE.hop), row(TRUNCATED_RULE, TRUNCATED_RULE.hop), ...VERDICT_RULES.map((r) => row(r, 'verdict'))];
}
