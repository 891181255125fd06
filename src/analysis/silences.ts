/**
 * Silences in the streams (stream-tracker.ts) → the loss they hid and the outages of the path (issue 11
 * class 8). Counting, no judging: the rule (rules.ts `data-outage`) decides what length is an outage.
 *
 * A stream without a frame index (meters, audio) can only estimate a silence's loss from time × rate, and
 * a silence is also what a stalled sender or receiver makes: packets not sent at all, or delivered late in
 * a burst, and none lost. Where an FFT or waterfall stream of the same radio to the same client was
 * silent over the same stretch, its frame index tells which: no frame missing means nothing was lost on
 * the path, and the counter's own figure stands. And a silence of one stream while another stream of the
 * same link, its packets no smaller, kept flowing across it is no path fault either: the path carried
 * that stream then, so this one's sender sent less — meters the client unsubscribed, audio of a slice
 * muted or removed (issue 11: a real rate drop is not loss).
 */
import type { Remade } from './control-tracker.js';
import type { SessionGap } from './session-gaps.js';
import { HALF_COUNTER, type StreamSilence, type TrackedStream, jumpFitsTime } from './stream-tracker.js';

interface ResolvedSilence extends StreamSilence {
  /** The loss this report counts for it: the estimate, or the counter's figure where an index stream showed no loss. */
  lost: number;
  /**
   * Time-based, and not shown to be loss: the packets after it came in a burst (a backlog), too few came
   * yet to tell, an index stream over the same stretch lost no frame — a pause of sender or receiver —
   * or another stream of the link flowed across it (this stream's sender sent less).
   */
  paused: boolean;
}

export interface StreamLoss {
  /** Packets lost per the counter and, across silences, per frame index or time × rate. */
  lost: number;
  silences: ResolvedSilence[];
  /**
   * The stream's silences that were a restart, whole (from its last packet before to its first after), no
   * loss: across a session boundary (session-gaps.ts), or streams made anew with no control change (dataRestarts).
   */
  restarts: StreamRestart[];
  /** Its brief silences (under HALF_COUNTER periods, the counter's figure exact) that are neither a restart's nor a session boundary's. */
  brief: ResolvedSilence[];
}

/** How the evidence shows a stream was made anew within its session (dataRestarts, remadeSilences). */
export type RestartMark = 'index' | 'counter' | 'control' | 'ids';

type StreamRestart = { startTs: number; endTs: number } & ({ by: 'session'; gap: SessionGap } | { by: 'data'; mark: RestartMark });

const linkOf = (st: TrackedStream): string => `${st.src.ip}>${st.dst.ip}`;

/**
 * Stretches in which an FFT or waterfall stream was silent and its frame index says no frame went
 * missing, per link (radio → client address), sorted by start, with the running maximum of their ends:
 * "does any overlap [a, b]" is then one binary search, however many streams and silences a capture holds.
 */
function pausesByLink(streams: readonly TrackedStream[]): Map<string, { starts: number[]; maxEnds: number[] }> {
  const raw = new Map<string, Array<{ startTs: number; endTs: number }>>();
  for (const st of streams) {
    for (const h of st.silences) {
      if (h.basis !== 'index' || h.restarted || h.estimate !== 0) continue;
      const list = raw.get(linkOf(st)) ?? [];
      list.push(h);
      raw.set(linkOf(st), list);
    }
  }
  const out = new Map<string, { starts: number[]; maxEnds: number[] }>();
  for (const [link, list] of raw) out.set(link, sortedSpans(list));
  return out;
}

/**
 * Streams that can show a link was open: per link, its MAX_WITNESSES busiest data streams, each with its
 * own silences (sorted, with the running maximum of their ends, as in pausesByLink).
 */
interface Witness {
  stream: TrackedStream;
  pps: number;
  silences: { starts: number[]; maxEnds: number[] };
}

/**
 * Witnesses kept per link: a radio sends a client a handful of data streams (meters, a pan's FFT and
 * waterfall, an audio stream or two); the busiest few tell whether the link carried packets, and a
 * hostile capture with hundreds of streams per link costs no more.
 */
const MAX_WITNESSES = 8;

function witnessesByLink(streams: readonly TrackedStream[]): Map<string, Witness[]> {
  const out = new Map<string, Witness[]>();
  for (const st of streams) {
    if (st.classKind === 'discovery' || st.packets < 2) continue;
    const list = out.get(linkOf(st)) ?? [];
    list.push({ stream: st, pps: streamPps(st), silences: sortedSpans(st.silences) });
    out.set(linkOf(st), list);
  }
  for (const [link, list] of out) out.set(link, list.sort((a, b) => b.stream.packets - a.stream.packets).slice(0, MAX_WITNESSES));
  return out;
}

function sortedSpans(list: ReadonlyArray<{ startTs: number; endTs: number }>): { starts: number[]; maxEnds: number[] } {
  const sorted = [...list].sort((a, b) => a.startTs - b.startTs);
  let max = -Infinity;
  return { starts: sorted.map((h) => h.startTs), maxEnds: sorted.map((h) => (max = Math.max(max, h.endTs))) };
}

/**
 * Another stream of the link, with packets at least as large (small meters passing show nothing about
 * large audio packets a rate limit drops), flowed before, across and after `g` — at least HALF_COUNTER of
 * its packets were due in it, and it had no silence of its own there.
 */
function flowedAcross(ws: Witness[] | undefined, st: TrackedStream, g: { startTs: number; endTs: number }): boolean {
  return (ws ?? []).some(
    (w) =>
      w.stream !== st &&
      w.stream.maxSize >= st.maxSize &&
      w.stream.firstTs < g.startTs &&
      w.stream.lastTs > g.endTs &&
      w.pps * (g.endTs - g.startTs) >= HALF_COUNTER &&
      !pausedDuring(w.silences, g),
  );
}

function pausedDuring(p: { starts: number[]; maxEnds: number[] } | undefined, g: { startTs: number; endTs: number }): boolean {
  if (!p) return false;
  // The last pause starting before g ends; any pause up to it that ends after g starts overlaps g.
  let lo = 0;
  let hi = p.starts.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (p.starts[mid]! < g.endTs) lo = mid + 1;
    else hi = mid;
  }
  return lo > 0 && p.maxEnds[lo - 1]! > g.startTs;
}

/**
 * Each stream's loss with its silences resolved (index streams are exact; the others as said above). A
 * silence across a session boundary (session-gaps.ts) is lost only up to the earlier session's end: the
 * packets due until then, by time × rate, when they were HALF_COUNTER or more (a silence by itself, then an
 * outage candidate of the earlier session); after it the radio sent nothing and the counter started afresh.
 */
export function streamLosses(streams: readonly TrackedStream[], gaps: readonly SessionGap[] = [], objects: (st: TrackedStream) => readonly Remade[] = () => []): Map<TrackedStream, StreamLoss> {
  const out = new Map<TrackedStream, StreamLoss>();
  const pauses = pausesByLink(streams);
  const witnesses = witnessesByLink(streams);
  const acrossGap = (st: TrackedStream, g: StreamSilence): SessionGap | undefined => gaps.find((x) => x.clients.has(st.dst.ip) && g.startTs < x.toTs && g.endTs > x.fromTs);
  const remade = remadeSilences(streams, acrossGap, objects);
  for (const [g, mark] of dataRestarts(streams, (st, g) => acrossGap(st, g) ?? remade.get(g))) remade.set(g, mark);
  for (const st of streams) {
    let lost = st.seq.lost + st.moreSilences.extraLost;
    const across = (g: StreamSilence): SessionGap | undefined => acrossGap(st, g);
    const restarts: StreamRestart[] = [];
    const silences = st.silences.flatMap((g): ResolvedSilence[] => {
      const mark = remade.get(g);
      if (mark) {
        // The counter (and frame index) started afresh: its jump across counts nothing, and nothing was due.
        lost -= g.counted;
        restarts.push({ by: 'data', mark, startTs: g.startTs, endTs: g.endTs });
        return [];
      }
      const gap = across(g);
      if (gap) {
        // Packets due strictly between the last one and the end (which is no packet): Δ·rate − ½ on average.
        // Under HALF_COUNTER periods the time says nothing (a waterfall line's tiles come together, the
        // last one just before the end) and the counter, restarted, nothing either.
        const due = (gap.fromTs - g.startTs) * g.pps - 0.5;
        if (due < HALF_COUNTER) return (lost -= g.counted), [];
        lost += Math.round(due) - g.counted;
        return [{ ...g, endTs: gap.fromTs, counted: 0, estimate: Math.round(due), basis: 'time', lost: Math.round(due), paused: false }];
      }
      const paused = g.basis === 'time' && (g.resumed !== 'steady' || pausedDuring(pauses.get(linkOf(st)), g) || flowedAcross(witnesses.get(linkOf(st)), st, g));
      const n = paused ? g.counted : g.estimate;
      lost += n - g.counted;
      return [{ ...g, lost: n, paused }];
    });
    for (const g of [...st.silences, ...st.briefSilences]) {
      const gap = across(g);
      if (gap) restarts.push({ by: 'session', gap, startTs: g.startTs, endTs: g.endTs });
      // A brief silence across a boundary: the counter's jump there is the restart's too.
      if (gap && g.basis === 'counter') lost -= g.counted;
    }
    const brief: ResolvedSilence[] = [];
    for (const g of st.briefSilences) {
      const mark = remade.get(g);
      if (across(g)) continue;
      if (!mark) {
        brief.push({ ...g, lost: g.counted, paused: false });
        continue;
      }
      lost -= g.counted;
      restarts.push({ by: 'data', mark, startTs: g.startTs, endTs: g.endTs });
    }
    out.set(st, { lost, silences, restarts, brief });
  }
  return out;
}

/**
 * Streams of one radio to one client made anew while the control connection stayed up (no control line
 * says so: a radio that restarted its streams, the control channel not in the capture): every silent
 * stream of the link silent at once, then back with what a new object starts with. Which data marks that:
 * - An FFT/waterfall frame index that went back or leapt (StreamSilence.restarted): a new pan. One that
 *   went on across the silence says the same objects kept sending and the path lost them: no restart.
 * - Without a frame index (meters, audio): the 4-bit counter of every silent stream back at 0, on
 *   MIN_COUNTER_STREAMS streams or more. FlexRadio's own sender code starts its sequences at 0
 *   (waveform-sdk vita.c: data_sequence = meter_sequence = 0 when its VITA engine starts); that the radio's
 *   firmware does the same for its streams is UNCONFIRMED, so a restart whose counters do not start at 0
 *   stays an outage (the old reading), never the other way round.
 * Not a mark: the streams resuming together (an outage's end does that too), nor the VITA-49 timestamps —
 * the integer one is the sender's UTC seconds and the fractional one 0 on the radio's streams (reference
 * §1.5; waveform-sdk vita.c: time(NULL), 0), so both read the same across an outage and a restart.
 * Returns the silences (and the brief ones of the link's slow streams within the stretch) that are such a restart.
 */
function dataRestarts(streams: readonly TrackedStream[], resolved: (st: TrackedStream, g: StreamSilence) => unknown): Map<StreamSilence, RestartMark> {
  const byLink = new Map<string, Array<{ stream: TrackedStream; g: StreamSilence }>>();
  for (const st of streams) {
    if (st.classKind === 'discovery') continue;
    // A brief silence whose counter came back at 0 may be a member too: a restart shorter than
    // HALF_COUNTER periods of every stream (90 ms of meters and audio) leaves no other silence.
    for (const g of [...st.silences, ...st.briefSilences.filter((b) => b.countAfter === 0)]) {
      if (resolved(st, g)) continue;
      const list = byLink.get(linkOf(st)) ?? [];
      list.push({ stream: st, g });
      byLink.set(linkOf(st), list);
    }
  }
  const out = new Map<StreamSilence, RestartMark>();
  for (const [link, list] of byLink) {
    list.sort((a, b) => a.g.startTs - b.g.startTs);
    for (let i = 0; i < list.length; ) {
      let end = list[i]!.g.endTs;
      let j = i + 1;
      for (; j < list.length && list[j]!.g.startTs < end; j++) end = Math.max(end, list[j]!.g.endTs);
      const cluster = list.slice(i, j);
      i = j;
      const from = Math.max(...cluster.map((m) => m.g.startTs));
      const to = Math.min(...cluster.map((m) => m.g.endTs));
      // Every stream of it silent at once, each once: one stretch, not silences that merely chain.
      if (to <= from || new Set(cluster.map((m) => m.stream)).size < cluster.length) continue;
      // The link's slower streams were silent across it by a brief silence (under HALF_COUNTER periods):
      // their counters came back too, so they are members as well (a 0.2-s restart is 5.6 meter periods).
      const members = new Set(cluster.map((m) => m.stream));
      const brief = streams.flatMap((st) => (members.has(st) || linkOf(st) !== link ? [] : st.briefSilences.filter((b) => b.startTs < to && b.endTs > from).slice(0, 1)));
      const mark = restartMark([...cluster.map((m) => m.g), ...brief]) ?? idsMark(streams, link, cluster, from, to);
      if (!mark) continue;
      for (const m of cluster) out.set(m.g, mark);
      for (const st of streams) {
        if (linkOf(st) !== link) continue;
        for (const b of st.briefSilences) if (b.startTs < to && b.endTs > from) out.set(b, mark);
      }
    }
  }
  return out;
}

/**
 * Silences (and brief ones) in which the control text removed the stream's object and announced its ID
 * again (control-tracker.ts Remade, reference §5.8, §5.9): the radio had nothing to send under it then, and
 * the new object's counter starts afresh. Only when the removal came within HALF_COUNTER periods of the
 * stream's last packet: the time before it then says nothing (as at a session's end, streamLosses); a
 * longer wait before the removal may be loss, and the old reading stands.
 */
function remadeSilences(
  streams: readonly TrackedStream[],
  acrossGap: (st: TrackedStream, g: StreamSilence) => SessionGap | undefined,
  objects: (st: TrackedStream) => readonly Remade[],
): Map<StreamSilence, RestartMark> {
  const out = new Map<StreamSilence, RestartMark>();
  for (const st of streams) {
    const lives = objects(st);
    if (lives.length === 0) continue;
    for (const g of [...st.silences, ...st.briefSilences]) {
      if (acrossGap(st, g)) continue;
      if (lives.some((r) => r.removedTs < g.endTs && r.ts > g.startTs && (r.removedTs - g.startTs) * g.pps < HALF_COUNTER)) out.set(g, 'control');
    }
  }
  return out;
}

/**
 * Streams whose counters all came back at 0 before a silence counts as a restart: under an outage each
 * stream's first count after it is (last + 1 + lost) mod 16, any of 16 values, so k streams at 0 by chance
 * is 16^-k — 0.4 % for two (arithmetic); one stream alone (1 in 16) says nothing.
 */
const MIN_COUNTER_STREAMS = 2;

/**
 * Counters at 0 mark a restart only when one of them cannot be an outage's: its jump is no count of
 * packets the silence's time had room for (jumpFitsTime). Counters at 0 alone, 1 in 256 for two streams
 * by chance, made a real outage a restart (0 lost, no outage) as often as that: meters and audio started
 * together land on 0 together every 2.88 s (16 × 36 ms and 16 × 10 ms), and a 0.88-s hole at 2.0 s did. A
 * restart whose counters all land where an outage's would stays an outage: the data cannot tell them apart.
 */
function restartMark(members: readonly StreamSilence[]): RestartMark | undefined {
  const index = members.filter((g) => g.basis === 'index');
  if (index.some((g) => !g.restarted)) return undefined;
  if (index.length > 0) return 'index';
  if (members.length < MIN_COUNTER_STREAMS || !members.every((g) => g.countAfter === 0)) return undefined;
  return members.some((g) => !jumpFitsTime(g)) ? 'counter' : undefined;
}

/**
 * Streams made anew under new stream IDs (reference §2.4, §5.8: an object made again gets an ID of its
 * own): on the link, a stream that flowed up to the silence and never sent again, and one of the same kind
 * whose ID the capture had never seen, starting as the silence ends — the audio and pan of a radio that
 * re-made its objects while the meters (one fixed stream ID, §3.3) were all that stayed. A path outage
 * changes no stream ID, so then the silence is no outage whatever the new streams' own counters say (their
 * first packet after may be lost). The silent streams' counters must still be back at 0: a client that
 * swapped its audio stream while the path was down (the same picture) leaves the meters' counter running.
 * Within HALF_COUNTER of a stream's periods of the silence's edges: what the tracker calls no silence.
 */
function idsMark(streams: readonly TrackedStream[], link: string, cluster: ReadonlyArray<{ stream: TrackedStream; g: StreamSilence }>, from: number, to: number): RestartMark | undefined {
  if (!cluster.every((m) => m.g.countAfter === 0)) return undefined;
  const start = Math.min(...cluster.map((m) => m.g.startTs));
  const end = Math.max(...cluster.map((m) => m.g.endTs));
  const members = new Set(cluster.map((m) => m.stream));
  const near = (st: TrackedStream, ts: number, a: number, b: number): boolean => {
    const slack = HALF_COUNTER / Math.max(streamPps(st), 1e-9);
    return ts >= a - slack && ts <= b + slack;
  };
  const others = streams.filter((st) => !members.has(st) && st.classKind !== 'discovery' && linkOf(st) === link && st.packets > 1);
  const ended = others.filter((st) => st.lastTs < to && near(st, st.lastTs, start, from));
  const began = others.filter((st) => st.firstTs > from && near(st, st.firstTs, to, end) && !streams.some((x) => x !== st && x.streamId === st.streamId && x.firstTs < st.firstTs));
  return ended.length > 0 && ended.every((o) => began.some((n) => n.classKind === o.classKind && n.streamId !== o.streamId)) ? 'ids' : undefined;
}

interface OutageStream {
  stream: TrackedStream;
  /** This stream's own silence: it starts at its last packet before the outage and ends at its first after. */
  silence: ResolvedSilence;
}

export interface Outage {
  /** When every stream alive across it was silent: the intersection of their silences. */
  startTs: number;
  endTs: number;
  streams: OutageStream[];
  lost: number;
  /**
   * Every stream that flowed before and after, with a packet due in it, was silent in it: those too
   * slow for a silence of HALF_COUNTER periods by a brief one (StreamSilence basis 'counter').
   */
  everyStream: boolean;
}

/**
 * Streams an outage is looked for across. A radio sends a few dozen streams to a client; a capture with
 * more (hostile or broken) is judged over its busiest ones, so the work stays bounded.
 */
const MAX_OUTAGE_STREAMS = 64;

/**
 * Stretches in which every data stream that flowed before and after was silent, within [from, to] (the
 * client's data socket open: a gap across its hang-up, or before it asked for data, is no outage). A
 * stream too slow for HALF_COUNTER packets to fall in the stretch says nothing either way, unless a brief
 * silence of its own overlaps it (then the stretch is where that one overlaps: `everyStream`). Silences
 * that overlap, chained, form one candidate; its outage is the intersection of each stream's longest one.
 */
export function pathOutages(streams: readonly TrackedStream[], losses: Map<TrackedStream, StreamLoss>, from: number, to: number): Outage[] {
  const judged = streams.length <= MAX_OUTAGE_STREAMS ? streams : [...streams].sort((a, b) => b.packets - a.packets).slice(0, MAX_OUTAGE_STREAMS);
  const of = (pick: (l: StreamLoss) => ResolvedSilence[]): OutageStream[] =>
    judged.flatMap((stream) => { const l = losses.get(stream); return l ? pick(l).map((silence) => ({ stream, silence })) : []; }).sort((a, b) => a.silence.startTs - b.silence.startTs);
  const out: Outage[] = [];
  const spans: Array<{ startTs: number; endTs: number }> = [];
  for (const cluster of clusters(of((l) => l.silences))) {
    spans.push({ startTs: cluster[0]!.silence.startTs, endTs: Math.max(...cluster.map((m) => m.silence.endTs)) });
    const o = outageIn(cluster, judged, from, to);
    if (o) out.push(o);
  }
  // A stop too short for any stream's silence to reach HALF_COUNTER periods (60 ms of a pan, meters and
  // 100/s audio: 2 + 2 + 10 + 6 packets lost) is seen by the brief silences alone: every stream's, at once.
  // Before, only a stream reaching that bar (the audio at 9 periods) made a candidate, so the brief
  // outage's bar (BRIEF_OUTAGE_MIN_LOST with every stream silent, rules.ts) began wherever the audio's did.
  // Brief silences that meet a silence's cluster are that cluster's (everyStreamSilent), not chained here.
  const alone = of((l) => l.brief).filter((m) => !spans.some((x) => m.silence.startTs < x.endTs && m.silence.endTs > x.startTs));
  for (const cluster of clusters(alone)) {
    const o = outageIn(cluster, judged, from, to);
    if (o) out.push(o);
  }
  return out.sort((a, b) => a.startTs - b.startTs);
}

/** Silences sorted by start, chained while each starts before the running end of those before it. */
function clusters(all: readonly OutageStream[]): OutageStream[][] {
  const out: OutageStream[][] = [];
  for (let i = 0; i < all.length; ) {
    let end = all[i]!.silence.endTs;
    let j = i + 1;
    for (; j < all.length && all[j]!.silence.startTs < end; j++) end = Math.max(end, all[j]!.silence.endTs);
    out.push(all.slice(i, j));
    i = j;
  }
  return out;
}

function outageIn(cluster: OutageStream[], streams: readonly TrackedStream[], from: number, to: number): Outage | undefined {
  const longest = new Map<TrackedStream, ResolvedSilence>();
  for (const { stream, silence: g } of cluster) {
    const h = longest.get(stream);
    if (!h || g.endTs - g.startTs > h.endTs - h.startTs) longest.set(stream, g);
  }
  let start = from;
  let end = to;
  for (const g of longest.values()) {
    start = Math.max(start, g.startTs);
    end = Math.min(end, g.endTs);
  }
  if (end <= start) return undefined;
  const slow: TrackedStream[] = [];
  for (const st of streams) {
    if (longest.has(st) || st.firstTs >= start || st.lastTs <= end) continue;
    // Fast enough that a silence across the stretch would be one of HALF_COUNTER periods, yet none: it
    // flowed — unless a brief silence of its own lies across the stretch. The stretch comes from the other
    // streams' silences, whose edges are only as sharp as their own units (a waterfall line's tiles come
    // together every 50 ms): a stream whose gap fell just under the tracker's bar (meters 9.0 periods
    // apart, 8.0 due inside) across a 0.29-s stop whose stretch held 8.3 of its periods broke the outage,
    // while a 0.28-s stop made one; 60–80 ms of every stream lost (20 packets) was no outage because the
    // waterfall's silence began 40 ms before the audio's.
    const pps = streamPps(st);
    if (pps * (end - start) >= HALF_COUNTER && !st.briefSilences.some((b) => across(b, pps, start, end))) return undefined;
    slow.push(st);
  }
  const members = [...longest].map(([stream, silence]) => ({ stream, silence }));
  const lostIn = (list: OutageStream[]): number => list.reduce((n, m) => n + m.silence.lost, 0);
  const every = everyStreamSilent(slow, start, end);
  if (every) {
    const all = [...members, ...every.streams];
    return { startTs: every.startTs, endTs: every.endTs, streams: all, lost: lostIn(all), everyStream: true };
  }
  return { startTs: start, endTs: end, streams: members, lost: lostIn(members), everyStream: false };
}

/**
 * A stream's brief silence lies across [start, end]: it overlaps it, and fewer than HALF_COUNTER of the
 * stream's periods of the stretch lie outside it — the bar under which the tracker calls no gap a silence.
 */
function across(b: StreamSilence, pps: number, start: number, end: number): boolean {
  return b.startTs < end && b.endTs > start && (Math.max(0, b.startTs - start) + Math.max(0, end - b.endTs)) * pps < HALF_COUNTER;
}

/**
 * The slow streams' brief silences that overlap [start, end], one per stream, and the stretch in which
 * they all overlap it — or undefined when a stream with a packet due in it (at its rate) had none there:
 * something of it arrived, so not every stream was silent.
 */
function everyStreamSilent(slow: readonly TrackedStream[], start: number, end: number): { startTs: number; endTs: number; streams: OutageStream[] } | undefined {
  const streams: OutageStream[] = [];
  let s = start;
  let e = end;
  for (const st of slow) {
    const overlap = (g: StreamSilence): number => Math.min(end, g.endTs) - Math.max(start, g.startTs);
    const g = st.briefSilences.reduce<StreamSilence | undefined>((best, x) => (overlap(x) > 0 && (!best || overlap(x) > overlap(best)) ? x : best), undefined);
    if (!g) {
      if (streamPps(st) * (end - start) >= 1) return undefined;
      continue;
    }
    streams.push({ stream: st, silence: { ...g, lost: g.counted, paused: false } });
    s = Math.max(s, g.startTs);
    e = Math.min(e, g.endTs);
  }
  return e > s ? { startTs: s, endTs: e, streams } : undefined;
}

/** Packets per second over the stream's life, its silences left out. */
function streamPps(st: TrackedStream): number {
  const silent = st.silences.reduce((n, g) => n + (g.endTs - g.startTs), 0);
  const d = st.lastTs - st.firstTs - silent;
  return d > 0 ? (st.packets - 1 - st.silences.length) / d : 0;
}
