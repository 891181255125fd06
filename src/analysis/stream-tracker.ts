/**
 * Per-stream statistics for VITA-49 over UDP, recognised by header and class, never by port
 * (reference §10: the radio's source port varies). A stream is (src, dst, stream ID, packet class,
 * packet category): VITA-49 keeps a separate 4-bit count for the data and the context packets of one
 * stream ID (VITA 49.2 §5.1.1.4, packet count "per packet stream" of each packet type), so a context
 * packet on a data stream's ID is a stream of its own, not a jump of the data counter. For senders
 * other than FlexRadio the class code is not part of the key: a DIFI or other VITA-49.2 sender that
 * puts a varying value there is still one stream (with a warning), not one row per packet.
 *
 * Hot path: one `scanPacket` per datagram into a reused struct; FFT/waterfall sub-header fields are read
 * in place for frame counting. Full payload decoding happens only for streams a tap asks for (the UI's
 * panadapter), so the tracker keeps up with a capture file read at disk speed.
 */
import type { Endpoint, UdpEvent } from '../capture/types.js';
import { u16be, u32be } from '../common/bytes.js';
import { type AudioFormat, FLEX_OUI, type FlexClass, type PacketKind, classifyCodes } from '../vita/classes.js';
import { DecodeError } from '../common/decode-error.js';
import { type VitaPacket, decodePacket } from '../vita/packet.js';
import { readBeacon, type RadioBeacon } from '../vita/payload/discovery.js';
import { FFT_BIN_SIZE, FFT_FIELD, FFT_SUBHEADER } from '../vita/payload/fft.js';
import { WATERFALL_FIELD, WATERFALL_SUBHEADER } from '../vita/payload/waterfall.js';
import { type FftFrame, FftFrameAssembler, type WaterfallLine, WaterfallLineAssembler } from '../vita/reassembly.js';
import { type PacketScan, newScan, scanPacket } from '../vita/scan.js';
import { type StreamId, streamId as toStreamId } from '../vita/stream-id.js';
import { LARGE_PACKET_BYTES } from './expected.js';
import { SequenceTracker } from './sequence.js';
import { objectArray } from '../common/arrays.js';

/** Seconds of per-second history kept per stream for the UI's charts. */
const SERIES_SECONDS = 120;
/**
 * Streams and radios tracked at most. A radio sends a few dozen streams and a LAN holds a few radios;
 * without a bound, a capture of VITA-49 datagrams that each carry a new stream ID (60 bytes apiece)
 * grew memory by ~0.9 kB per datagram. Datagrams past the bound are still counted, in `untracked`.
 */
export const MAX_STREAMS = 1024;
export const MAX_RADIOS = 256;
/**
 * A silence spanning this many packet periods or more is read from time or frame index, not from the
 * counter alone: half the 4-bit counter's 16 (reference §1.1, §10), where a count can no longer be told
 * from one late by reordering (the SequenceTracker's own bound) and, from 16 on, wraps unseen.
 */
export const HALF_COUNTER = 8;
/** Packets per block over which a stream's current rate is measured; the last whole block counts. */
const RATE_BLOCK = 32;
/**
 * …and the time it spans at least: arrivals are bunched by the sender's and the receiver's scheduling
 * (a waterfall line's tiles come back to back; under load a whole backlog lands within a millisecond),
 * so a rate over a few packets can be off a hundredfold. Empirical: over 1 s the probe's streams on a
 * loopback diagnose at load 20 measured within 15 % of their sent rates.
 */
const RATE_MIN_SPAN_S = 1;
/** How far a measured rate may be off: the 15 % of RATE_MIN_SPAN_S's measurement (the announced rates are the reference's). */
const RATE_ERROR = 0.15;
/** The packets either side of a silence may each come half a period early or late (arithmetic). */
const EDGE_SLOTS = 1;
/** Packets a first, partial block needs before its rate is trusted (with RATE_MIN_SPAN_S). */
const RATE_MIN_PACKETS = 8;
/** Silences kept per stream for the outage facts; beyond, only their estimated loss is summed. */
const MAX_SILENCES = 64;
/**
 * Brief silences (below HALF_COUNTER periods, the counter's figure exact) kept per stream: the most lost.
 * Only an outage too short for a slow stream's silence to count (a 0.2-s Wi-Fi roam is 5.6 meter periods)
 * reads them, to tell that stream was silent across it too; random loss leaves many, a stretch of
 * the path down leaves the longest, so the few with most lost are the ones that can matter.
 */
const MAX_BRIEF_SILENCES = 16;

/**
 * A stretch without packets longer than HALF_COUNTER periods at the stream's rate (issue 11 class 8: a
 * 3-s outage read from the counter alone came out as a few per cent of steady loss).
 */
export interface StreamSilence {
  /** The last packet before it and the first one after. */
  startTs: number;
  endTs: number;
  /** What the 4-bit counter says went missing: the truth modulo 16. */
  counted: number;
  /** `counted` plus the whole counter cycles nearest to the frame index's or time × rate's figure. */
  estimate: number;
  /**
   * 'index': FFT frame_index / waterfall timecode (reference §3.1, §3.2), exact; 'time': time × rate;
   * 'counter': a brief silence (briefSilences), the 4-bit counter's figure exact below HALF_COUNTER.
   */
  basis: 'index' | 'time' | 'counter';
  /** Index streams only: the index went backwards across it (a new object under the same stream ID). */
  restarted?: boolean;
  /** The stream's rate before it, packets/s: what a part of it is worth (silences.ts, a session's end inside it). */
  pps: number;
  /** The 4-bit count of the first packet after it: 0 on every stream of a radio at once marks streams made anew (silences.ts). */
  countAfter: number;
  /**
   * Time-based only, once HALF_COUNTER packets followed it: 'burst' when they came at least BURST_SPEEDUP
   * times faster than the rate before — a backlog delivered late (a stalled sender or receiver catching
   * up, a buffer on the path), so nothing was lost; 'steady' when they came at about the stream's rate.
   * Until then the counter's figure stands.
   */
  resumed?: 'burst' | 'steady';
}

/**
 * After a stall the queued packets arrive back to back (a loaded receiver's socket buffer, the
 * simulator's catch-up, an access point's queue), after an outage at the stream's own pace. Empirical:
 * a backlog lands within a few ms (loopback diagnose under load: audio packets 10 ms apart arriving
 * < 1 ms apart after a 100-ms stall), a quarter of the normal spacing leaves room for jitter.
 */
const BURST_SPEEDUP = 4;

interface SecondBucket {
  /** Whole Unix second. */
  t: number;
  packets: number;
  bytes: number;
  lost: number;
}

/** Data (types 0–3), context (4–5) or command (6–7): each counts its packets separately. */
export const PACKET_CATEGORIES = ['data', 'context', 'command'] as const;

export function categoryIndex(type: number): 0 | 1 | 2 {
  return type < 4 ? 0 : type < 6 ? 1 : 2;
}

export interface TrackedStream {
  /** streamKey() of its packets: the tracker's lookup key. */
  key: number;
  streamId: StreamId;
  /** Class code of the first packet (0 without a class ID: see hasClassId). */
  pcc: number;
  hasClassId: boolean;
  /** Packets whose class code differed from the packet before (non-FlexRadio senders only). */
  pccChanges: number;
  lastPcc: number;
  oui: number;
  informationClassCode: number;
  packetType: number;
  classKind: PacketKind;
  audioFormat?: AudioFormat;
  sampleRate?: number;
  src: Endpoint;
  dst: Endpoint;
  packets: number;
  bytes: number;
  firstTs: number;
  lastTs: number;
  minSize: number;
  maxSize: number;
  /** Datagrams whose IPv4 DF bit was set (none counted when the source cannot see IP headers: a live socket). */
  dfPackets: number;
  /**
   * Datagrams of LARGE_PACKET_BYTES or more whose IP header the source showed, and of them those with DF
   * set: whether the path kept the radio's Don't-Fragment bit (reference §1.6) on the packets an MTU hits.
   */
  large: number;
  largeDf: number;
  seq: SequenceTracker;
  /**
   * RFC 3550-style smoothed inter-arrival variation, seconds, measured between units: FFT frames and
   * waterfall lines for those classes (a frame's fragments leave the radio back to back, so per-packet
   * spacing would call every multi-packet frame jittery), packets for the others.
   */
  jitterS: number;
  /** Units (frames/lines, or packets) whose start was seen, and when the last one started. */
  units: number;
  lastUnitTs: number;
  maxGapS: number;
  /** Payloads whose class-specific structure did not decode. */
  payloadErrors: number;
  lastPayloadError?: string;
  frames?: FftFrameAssembler | WaterfallLineAssembler;
  /** Bins per frame/line seen in sub-headers (FFT total_bins, waterfall TotalBinsInFrame). */
  frameWidth?: number;
  /** Largest bins-per-packet seen: how the radio splits frames. */
  maxBinsPerPacket?: number;
  /** Lowest and highest FFT frame index / waterfall timecode seen: how many frames the radio sent. */
  firstIndex?: number;
  maxIndex?: number;
  /** Frames the objects before an index restart sent (their index spans): the span above is the current object's. */
  indicesBefore: number;
  /** FFT/waterfall: the first packet's place in the stream (framePosition), -1 before it: what came before it is late. */
  startPos: number;
  series: SecondBucket[];
  lastIat: number;
  /**
   * Rate measurement: the current block's send slots (packets arrived plus those the counter says were lost
   * between them) and its start, the rate of the last whole block (0: none yet).
   */
  blockPackets: number;
  blockStartTs: number;
  blockPps: number;
  /** FFT frame index / waterfall timecode and first bin of the last packet, for a silence's estimate. */
  lastIndex?: number;
  lastBin: number;
  silences: StreamSilence[];
  /**
   * Stretches of under HALF_COUNTER periods with nothing received and at least one packet lost per the
   * counter (exact there), the MAX_BRIEF_SILENCES with most lost: basis 'counter', estimate = counted.
   */
  briefSilences: StreamSilence[];
  /** Silences past MAX_SILENCES: how many, and their estimate minus their count. */
  moreSilences: { count: number; extraLost: number };
  /** A time-based silence waiting for the packets after it (see StreamSilence.resumed). */
  pending: { gap: StreamSilence; after: number; periodS: number } | undefined;
  /**
   * The longest gap seen before the stream had a rate (none announced: a capture without a readable
   * control channel), with the counter's jump across it: judged once the rate is known (earlySilence).
   */
  earlyGap?: {
    startTs: number;
    endTs: number;
    /** What the sequence tracker counted lost across it (a jump of 16 is a repeat to it: 0), and (count − expected) mod 16. */
    counted: number;
    jump: number;
    countAfter: number;
    /** Packets the frame index says the gap held (FFT, waterfall). */
    indexMissing?: number;
    after: number;
    resumeTs?: number;
  };
  /**
   * Brief silences of the last HALF_COUNTER packets, with the counts each reported missing: a late
   * packet with one of them takes one back (at most HALF_COUNTER entries, one per packet).
   */
  briefOpen: Array<{ gap: StreamSilence; missing: number; after: number }>;
}

export type FftTap = (stream: TrackedStream, frame: FftFrame) => void;
export type WaterfallTap = (stream: TrackedStream, line: WaterfallLine) => void;

export interface Beacon {
  ts: number;
  src: Endpoint;
  beacon: RadioBeacon;
}

export class StreamTracker {
  readonly streams: TrackedStream[] = objectArray();
  /** Streams by stream ID × 65536 + PCC; a few src/dst pairs share one key at most. */
  private readonly byKey = new Map<number, TrackedStream[]>();
  private readonly scan: PacketScan = newScan();
  private readonly tapStreams = new Map<TrackedStream, { fft: FftFrameAssembler | undefined; wf: WaterfallLineAssembler | undefined }>();
  /** Most recent beacon per radio (serial or source IP). */
  readonly beacons = new Map<string, Beacon & { count: number }>();
  beaconErrors = 0;
  /** VITA-49 datagrams of streams past MAX_STREAMS, and beacons of radios past MAX_RADIOS. */
  readonly untracked = { packets: 0, beacons: 0 };
  fftTap: FftTap | undefined;
  waterfallTap: WaterfallTap | undefined;
  /** The stream of the datagram `push` counted last. */
  last: TrackedStream | undefined;
  /** Packets/s the session announced for a stream (facts.ts announcedPps): its rate until its own is measured. */
  announced: ((st: TrackedStream) => number | undefined) | undefined;

  /** Returns true when the datagram was VITA-49 (and was counted). */
  push(e: UdpEvent): boolean {
    const buf = e.payload;
    const s = this.scan;
    if (!scanPacket(buf, s)) return false;
    const st = this.find(e, s) ?? (this.streams.length < MAX_STREAMS ? this.create(e, s) : undefined);
    if (st === undefined) {
      this.untracked.packets++;
      return true;
    }
    this.last = st;
    const size = buf.length;
    st.packets++;
    st.bytes += size;
    if (size < st.minSize) st.minSize = size;
    if (size > st.maxSize) st.maxSize = size;
    if (e.df) st.dfPackets++;
    // One branch per packet; the large ones (a few per waterfall line) count their DF bit.
    if (size >= LARGE_PACKET_BYTES && e.df !== undefined) {
      st.large++;
      if (e.df) st.largeDf++;
    }
    if (s.packetClassCode !== st.lastPcc) {
      st.pccChanges++;
      st.lastPcc = s.packetClassCode;
    }
    const gapS = e.ts - st.lastTs;
    const measured = st.packets > 1 ? currentRate(st) : 0;
    const pps = st.packets > 1 ? measured || (this.announced?.(st) ?? 0) : 0;
    // A rate announced after the gap (the control plane's status came later) is the reference's: judge it.
    if (st.earlyGap !== undefined && measured === 0 && pps > 0) earlySilence(st, pps);
    const silent = pps > 0 && gapS * pps - 1 >= HALF_COUNTER;
    const lateBefore = st.seq.outOfOrder;
    const duplicatesBefore = st.seq.duplicates;
    const early = !silent && beforeStart(st, buf, s);
    const jump = pps === 0 ? st.seq.jumpTo(s.packetCount) : 0;
    const lost = silent ? silence(st, buf, s, e.ts, gapS * pps, this.forgetTaps) : early ? st.seq.late() : st.seq.push(s.packetCount);
    // No rate yet (none announced, under RATE_MIN_SPAN_S measured): the longest gap waits for one (earlySilence).
    if (pps === 0 && st.packets > 1 && gapS > (st.earlyGap === undefined ? 0 : st.earlyGap.endTs - st.earlyGap.startTs)) {
      // The frame index counts what the gap held without a rate (FFT, waterfall); a new object's does not.
      const index = indexEstimate(st, buf, s, Infinity);
      if (index !== 'restarted') st.earlyGap = { startTs: st.lastTs, endTs: e.ts, counted: lost, jump, countAfter: s.packetCount, after: 1, ...(index !== undefined ? { indexMissing: index } : {}) };
    } else if (st.earlyGap !== undefined && st.earlyGap.after < HALF_COUNTER && ++st.earlyGap.after === HALF_COUNTER) st.earlyGap.resumeTs = e.ts;
    // Lost packets the time between the two arrivals had room for: nothing came between (a packet that
    // overtook a late one leaves its counter ahead with no time gap).
    const room = !silent && lost > 0 && gapS * pps >= lost;
    // A late packet's slot was counted when the counter jumped past it, a duplicate's with the original;
    // a jump without room is reordering's (or the counter's aliasing), no slots the sender filled.
    if (!silent) noteRate(st, e.ts, st.seq.outOfOrder > lateBefore || st.seq.duplicates > duplicatesBefore ? 0 : 1 + (room ? lost : 0));
    ageBrief(st);
    if (st.seq.outOfOrder > lateBefore && !early) takeBackBrief(st, s.packetCount);
    // A jump to 0 the time had no room for is kept too: no loss explains it, but a sender whose counter
    // started afresh does (silences.ts dataRestarts: a 0.2-s restart's meters jump 8 in 6 periods); a late
    // packet's jump is taken back as any brief silence's (takeBackBrief).
    if (room || (!silent && lost > 0 && s.packetCount === 0)) {
      const gap: StreamSilence = { startTs: st.lastTs, endTs: e.ts, counted: lost, estimate: lost, basis: 'counter', pps, countAfter: s.packetCount };
      keepBrief(st, gap);
      st.briefOpen.push({ gap, missing: countsBefore(s.packetCount, lost), after: 0 });
    }
    if (st.pending && ++st.pending.after === HALF_COUNTER) resumed(st, e.ts);
    if (st.packets > 1 && gapS > st.maxGapS) st.maxGapS = gapS;
    if (startsUnit(st, buf, s)) {
      if (st.units > 0) {
        const iat = e.ts - st.lastUnitTs;
        if (st.units > 1) st.jitterS += (Math.abs(iat - st.lastIat) - st.jitterS) / 16;
        st.lastIat = iat;
      }
      st.units++;
      st.lastUnitTs = e.ts;
    }
    st.lastTs = e.ts;
    this.bucket(st, e.ts, size, lost);
    if (st.frames) this.countFragment(st, buf, s);
    if (st.classKind === 'discovery') this.beacon(e, st);
    return true;
  }

  /** Ask for full frames/lines of FFT/waterfall streams (the UI's panadapter). */
  setTaps(fft: FftTap | undefined, wf: WaterfallTap | undefined): void {
    this.fftTap = fft;
    this.waterfallTap = wf;
  }

  finish(): void {
    for (const st of this.streams) st.frames?.finish();
  }

  /** Stops tracking the data streams (discovery stays): what follows is counted afresh. Returns them. */
  retire(): TrackedStream[] {
    const gone = this.streams.filter((st) => st.classKind !== 'discovery');
    const kept = this.streams.filter((st) => st.classKind === 'discovery');
    this.streams.splice(0, this.streams.length, ...kept);
    for (const [key, list] of this.byKey) {
      const left = list.filter((st) => st.classKind === 'discovery');
      if (left.length > 0) this.byKey.set(key, left);
      else this.byKey.delete(key);
    }
    for (const st of gone) this.tapStreams.delete(st);
    this.last = undefined;
    return gone;
  }

  private find(e: UdpEvent, s: PacketScan): TrackedStream | undefined {
    const key = streamKey(s);
    // Consecutive datagrams mostly belong to one stream (a frame's fragments, a meters-only capture):
    // the stream of the last one is tried before the map.
    const last = this.last;
    if (last !== undefined && last.key === key && sameStream(last, e, s)) return last;
    const list = this.byKey.get(key);
    if (!list) return undefined;
    for (const st of list) if (sameStream(st, e, s)) return st;
    return undefined;
  }

  private create(e: UdpEvent, s: PacketScan): TrackedStream {
    const cls: FlexClass = s.hasClassId ? classifyCodes(s.oui, s.packetClassCode) : { kind: 'other' };
    // Every stream object gets every field, in one order, from the start: one hidden class for all, so
    // the per-packet code in push() stays monomorphic (absent optional fields are undefined).
    const key = streamKey(s);
    const st: TrackedStream = {
      key,
      streamId: toStreamId(s.streamId),
      pcc: s.packetClassCode,
      hasClassId: s.hasClassId,
      pccChanges: 0,
      lastPcc: s.packetClassCode,
      oui: s.hasClassId ? s.oui : 0,
      informationClassCode: s.informationClassCode,
      packetType: s.packetType,
      classKind: cls.kind,
      audioFormat: cls.audioFormat || undefined,
      sampleRate: cls.sampleRate || undefined,
      src: { ip: e.src.ip, port: e.src.port },
      dst: { ip: e.dst.ip, port: e.dst.port },
      packets: 0,
      bytes: 0,
      firstTs: e.ts,
      lastTs: e.ts,
      minSize: Infinity,
      maxSize: 0,
      dfPackets: 0,
      large: 0,
      largeDf: 0,
      seq: new SequenceTracker(),
      jitterS: 0,
      units: 0,
      lastUnitTs: e.ts,
      maxGapS: 0,
      payloadErrors: 0,
      lastPayloadError: undefined,
      frames:
        cls.kind === 'panadapter' ? new FftFrameAssembler({ keepBins: false }) : cls.kind === 'waterfall' ? new WaterfallLineAssembler({ keepBins: false }) : undefined,
      frameWidth: undefined,
      maxBinsPerPacket: undefined,
      firstIndex: undefined,
      maxIndex: undefined,
      indicesBefore: 0,
      startPos: -1,
      series: [],
      lastIat: 0,
      blockPackets: 0,
      blockStartTs: e.ts,
      blockPps: 0,
      lastIndex: undefined,
      lastBin: 0,
      silences: [],
      briefSilences: [],
      briefOpen: [],
      moreSilences: { count: 0, extraLost: 0 },
      pending: undefined,
    };
    const list = this.byKey.get(key);
    if (list) list.push(st);
    else this.byKey.set(key, [st]);
    this.streams.push(st);
    return st;
  }

  private bucket(st: TrackedStream, ts: number, size: number, lost: number): void {
    const t = Math.floor(ts);
    let b = st.series[st.series.length - 1];
    if (!b || b.t !== t) {
      if (b && t < b.t) {
        // A timestamp going backwards (capture from several interfaces) lands in the latest bucket.
        b.packets++;
        b.bytes += size;
        b.lost += lost;
        return;
      }
      b = { t, packets: 0, bytes: 0, lost: 0 };
      st.series.push(b);
      if (st.series.length > SERIES_SECONDS) st.series.shift();
    }
    b.packets++;
    b.bytes += size;
    b.lost += lost;
  }

  /** Reads the FFT/waterfall sub-header in place; the full decode only for tapped streams. */
  private countFragment(st: TrackedStream, buf: Buffer, s: PacketScan): void {
    const p = s.payloadStart;
    const room = s.payloadEnd - p;
    const wantBins = st.classKind === 'panadapter' ? this.fftTap !== undefined : this.waterfallTap !== undefined;
    if (st.classKind === 'panadapter') {
      if (room < FFT_SUBHEADER) return this.payloadError(st, `FFT sub-header needs ${FFT_SUBHEADER} bytes, packet has ${room}`);
      const startBin = u16be(buf, p + FFT_FIELD.startBin);
      const numBins = u16be(buf, p + FFT_FIELD.numBins);
      const totalBins = u16be(buf, p + FFT_FIELD.totalBins);
      const frameIndex = u32be(buf, p + FFT_FIELD.frameIndex);
      noteIndex(st, frameIndex, startBin);
      if (u16be(buf, p + FFT_FIELD.binSize) !== FFT_BIN_SIZE || startBin + numBins > totalBins || FFT_SUBHEADER + numBins * FFT_BIN_SIZE > room) {
        return this.payloadError(st, 'FFT sub-header inconsistent with the packet');
      }
      this.noteWidth(st, totalBins, startBin, numBins);
      (st.frames as FftFrameAssembler).count(frameIndex, startBin, numBins, totalBins);
      if (!wantBins) return;
      const decoded = decodeForTap(buf);
      const frame = decoded?.kind === 'panadapter' ? this.tapFft(st).push(decoded.payload) : undefined;
      if (frame && this.fftTap) this.fftTap(st, frame);
      return;
    }
    if (room < WATERFALL_SUBHEADER) return this.payloadError(st, `waterfall tile header needs ${WATERFALL_SUBHEADER} bytes, packet has ${room}`);
    const width = u16be(buf, p + WATERFALL_FIELD.width);
    const height = u16be(buf, p + WATERFALL_FIELD.height);
    const timecode = u32be(buf, p + WATERFALL_FIELD.timecode);
    const totalBins = u16be(buf, p + WATERFALL_FIELD.totalBins);
    const firstBin = u16be(buf, p + WATERFALL_FIELD.firstBin);
    noteIndex(st, timecode, firstBin);
    if (firstBin + width > totalBins || WATERFALL_SUBHEADER + width * height * 2 > room) {
      return this.payloadError(st, 'waterfall tile header inconsistent with the packet');
    }
    this.noteWidth(st, totalBins, firstBin, width);
    (st.frames as WaterfallLineAssembler).count(timecode, firstBin, width, height, totalBins);
    if (wantBins) {
      const decoded = decodeForTap(buf);
      const line = decoded?.kind === 'waterfall' ? this.tapWf(st).push(decoded.payload) : undefined;
      if (line && this.waterfallTap) this.waterfallTap(st, line);
    }
  }

  /**
   * Only a packet that is not its frame's last shows how many bins the radio puts in each: the last one
   * holds what is left (reference §3.2: 3360 bins as 4 × 684 + 1 × 624). Read from a short last tile that
   * arrived first (reordered, or its line's others lost), the simulator's 5 × 659 + 65 made 52 tiles a
   * line, a rate 10 times too high, and 10 ms between two tiles a silence with 14 "lost".
   */
  private noteWidth(st: TrackedStream, total: number, firstBin: number, bins: number): void {
    st.frameWidth = total;
    const notLast = firstBin + bins < total || firstBin === 0;
    if (notLast && bins > (st.maxBinsPerPacket ?? 0)) st.maxBinsPerPacket = bins;
  }

  private payloadError(st: TrackedStream, message: string): void {
    st.payloadErrors++;
    st.lastPayloadError = message;
  }

  /**
   * A new object under the stream's ID (its frame index restarted): the panadapter's own assemblers start
   * afresh too, or the new object's frames, behind the old newest index, would be dropped as stale and the
   * UI's pan would stand still until the index caught up.
   */
  private readonly forgetTaps = (st: TrackedStream): void => void this.tapStreams.delete(st);

  private tapFft(st: TrackedStream): FftFrameAssembler {
    let t = this.tapStreams.get(st);
    if (!t) {
      t = { fft: undefined, wf: undefined };
      this.tapStreams.set(st, t);
    }
    t.fft ??= new FftFrameAssembler();
    return t.fft;
  }

  private tapWf(st: TrackedStream): WaterfallLineAssembler {
    let t = this.tapStreams.get(st);
    if (!t) {
      t = { fft: undefined, wf: undefined };
      this.tapStreams.set(st, t);
    }
    t.wf ??= new WaterfallLineAssembler();
    return t.wf;
  }

  private beacon(e: UdpEvent, st: TrackedStream): void {
    try {
      const { packet } = decodePacket(e.payload);
      if (packet.kind !== 'discovery') return;
      const beacon = readBeacon(packet.payload);
      const key = beacon.serial ?? e.src.ip;
      const prev = this.beacons.get(key);
      if (prev === undefined && this.beacons.size >= MAX_RADIOS) {
        this.untracked.beacons++;
        return;
      }
      this.beacons.set(key, { ts: e.ts, src: { ...e.src }, beacon, count: (prev?.count ?? 0) + 1 });
    } catch (err) {
      if (!(err instanceof DecodeError)) throw err;
      this.beaconErrors++;
      this.payloadError(st, err.message);
    }
  }
}

/**
 * One number per (stream ID, class code for FlexRadio, packet category): below 2^51, so exact. The class
 * code keys FlexRadio streams because the radio's class table gives each its meaning (reference §3).
 */
function streamKey(s: PacketScan): number {
  const flex = s.hasClassId && s.oui === FLEX_OUI;
  return (s.streamId * 65537 + (flex ? s.packetClassCode : 65536)) * 3 + categoryIndex(s.packetType);
}

/** The datagram is of `st` (its key matched already): same endpoints, same class-ID presence and OUI. */
function sameStream(st: TrackedStream, e: UdpEvent, s: PacketScan): boolean {
  return st.src.port === e.src.port && st.dst.port === e.dst.port && st.src.ip === e.src.ip && st.dst.ip === e.dst.ip && st.oui === s.oui && st.hasClassId === s.hasClassId;
}

/** Frame indices count up by one per frame (reference §3.1, §3.2); the span is how many were sent. */
function noteIndex(st: TrackedStream, index: number, bin: number): void {
  if (st.firstIndex === undefined || index < st.firstIndex) st.firstIndex = index;
  if (st.maxIndex === undefined || index > st.maxIndex) st.maxIndex = index;
  st.lastIndex = index;
  st.lastBin = bin;
}

/**
 * The stream's rate just before this packet: the last whole block of RATE_BLOCK packets, else the first
 * block once it holds RATE_MIN_PACKETS (0: not known yet). Local, not the session's average, so a pan
 * whose fps changed is measured at its new rate once a block has passed.
 */
function currentRate(st: TrackedStream): number {
  if (st.blockPps > 0) return st.blockPps;
  const d = st.lastTs - st.blockStartTs;
  return st.blockPackets >= RATE_MIN_PACKETS && d >= RATE_MIN_SPAN_S ? (st.blockPackets - 1) / d : 0;
}

/**
 * A stream that had no rate has one now (announced, or a whole block measured after its longest early
 * gap: a block holding the gap would take the gap's time as the sender's): that gap is judged as a
 * silence would have been, HALF_COUNTER periods or more, its loss from the frame index where the stream
 * has one, else from time × rate. Without it an outage in a stream's first second (no control channel
 * to announce rates, as in an encrypted SmartLink capture) was no silence of any stream and read as the
 * counter's loss modulo 16: random loss.
 */
function earlySilence(st: TrackedStream, pps: number): void {
  const g = st.earlyGap!;
  st.earlyGap = undefined;
  const slots = (g.endTs - g.startTs) * pps;
  if (slots - 1 < HALF_COUNTER) return;
  const byTime = slots - 1;
  // From the counter's jump as a silence reads it (resync): the tracker took a jump of 16 for a repeat.
  const index = g.indexMissing;
  const estimate = index === undefined ? wholeCycles(g.jump, byTime, timeBound(byTime)) : wholeCycles(g.jump, index);
  const gap: StreamSilence = { startTs: g.startTs, endTs: g.endTs, counted: g.counted, estimate, basis: index === undefined ? 'time' : 'index', pps, countAfter: g.countAfter };
  keepSilence(st, gap);
  // The count after it repeated the one before (a jump of 16): the sequence tracker took it for a duplicate.
  if (g.jump === 15 && g.counted === 0) st.seq.duplicates--;
  if (gap.basis === 'index') return;
  // How it resumed, as for any time-based silence: read now if HALF_COUNTER packets followed, else when they have.
  if (g.resumeTs !== undefined) gap.resumed = resumedHow(g.resumeTs - g.endTs, 1 / pps);
  else st.pending = { gap, after: g.after, periodS: 1 / pps };
}

/**
 * The block counts send slots, not arrivals: the rate is the sender's. Measured from arrivals alone it
 * falls with the loss in the block, and then a brief stop of every stream in the next block no longer fits
 * the time between the packets either side of it (the lost-packets-had-room test in feed): bursts of 0.25 s
 * every 2 s made the meters' rate 22.7/s instead of 27.8/s and every other burst read as random loss.
 * Only losses that passed that test count: under heavy reordering the counter's jumps alias (reference
 * §10) and would inflate the rate until ordinary gaps read as silences.
 */
function noteRate(st: TrackedStream, ts: number, slots: number): void {
  const d = ts - st.blockStartTs;
  st.blockPackets += slots;
  if (st.blockPackets < RATE_BLOCK || d < RATE_MIN_SPAN_S) return;
  st.blockPps = (st.blockPackets - 1) / d;
  if (st.earlyGap !== undefined && st.blockStartTs >= st.earlyGap.endTs) earlySilence(st, st.blockPps);
  st.blockPackets = 1;
  st.blockStartTs = ts;
}

/**
 * The first packet after a silence of at least HALF_COUNTER periods (`byTime` packets were due in it at
 * the stream's rate). The counter gives the loss modulo 16; the frame index (FFT, waterfall) or time ×
 * rate gives how many whole cycles to add. Returns the estimate; the rate is measured afresh after it.
 */
function silence(st: TrackedStream, buf: Buffer, s: PacketScan, ts: number, slots: number, onRestart: (st: TrackedStream) => void): number {
  const counted = st.seq.resync(s.packetCount);
  const byTime = slots - 1;
  const index = indexEstimate(st, buf, s, byTime);
  const estimate = index === 'restarted' ? counted : index === undefined ? wholeCycles(counted, byTime, timeBound(byTime)) : wholeCycles(counted, index);
  const gap: StreamSilence = { startTs: st.lastTs, endTs: ts, counted, estimate, basis: index === undefined ? 'time' : 'index', pps: slots / (ts - st.lastTs), countAfter: s.packetCount, ...(index === 'restarted' ? { restarted: true } : {}) };
  keepSilence(st, gap);
  // A new object under this stream ID (a pan made again after a restart): its frames are counted afresh.
  if (index === 'restarted') {
    restartIndex(st);
    onRestart(st);
  }
  st.pending = gap.basis === 'time' ? { gap, after: 1, periodS: (ts - st.lastTs) / slots } : undefined;
  // The next block starts after the silence; the rate before it stands until that block is whole.
  st.blockPackets = 1;
  st.blockStartTs = ts;
  return gap.basis === 'index' ? estimate : counted;
}

function restartIndex(st: TrackedStream): void {
  if (st.firstIndex !== undefined && st.maxIndex !== undefined) st.indicesBefore += st.maxIndex - st.firstIndex + 1;
  st.firstIndex = undefined;
  st.maxIndex = undefined;
  st.frames?.finish();
}

const lossless = (g: StreamSilence): boolean => g.estimate === 0 && g.counted === 0;

/**
 * Keeps MAX_SILENCES per stream, those with loss first: once full, a new one replaces the shortest
 * lossless one (a pause, kept only as evidence for the others) when it lost packets or lasted longer.
 * Past the bound only the exact (index) estimates are summed; time-based ones keep the counter's figure.
 */
function keepSilence(st: TrackedStream, gap: StreamSilence): void {
  if (st.silences.length < MAX_SILENCES) return void st.silences.push(gap);
  let shortest = -1;
  for (let i = 0; i < st.silences.length; i++) {
    const g = st.silences[i]!;
    if (lossless(g) && (shortest < 0 || g.endTs - g.startTs < st.silences[shortest]!.endTs - st.silences[shortest]!.startTs)) shortest = i;
  }
  const old = shortest >= 0 ? st.silences[shortest]! : undefined;
  if (old && (!lossless(gap) || gap.endTs - gap.startTs > old.endTs - old.startTs)) {
    st.silences[shortest] = gap;
    return;
  }
  st.moreSilences.count++;
  if (gap.basis === 'index') st.moreSilences.extraLost += gap.estimate - gap.counted;
}

/** Keeps the MAX_BRIEF_SILENCES with most lost (the earlier of equals): a scan of them per loss once full. */
function keepBrief(st: TrackedStream, gap: StreamSilence): void {
  const list = st.briefSilences;
  if (list.length < MAX_BRIEF_SILENCES) return void list.push(gap);
  let least = 0;
  for (let i = 1; i < list.length; i++) if (list[i]!.counted < list[least]!.counted) least = i;
  if (gap.counted > list[least]!.counted) list[least] = gap;
}

/** Bit c set for each of the `n` counts just before `count` (mod 16): those a jump to it reported missing. */
function countsBefore(count: number, n: number): number {
  let mask = 0;
  for (let back = 1; back <= n && back < 16; back++) mask |= 1 << ((count - back) & 15);
  return mask;
}

/**
 * A brief silence stays open for HALF_COUNTER packets: as long as the sequence tracker still takes a
 * late packet back (less than half the counter behind, sequence.ts), so can the silence.
 */
function ageBrief(st: TrackedStream): void {
  const open = st.briefOpen;
  for (const o of open) o.after++;
  while (open.length > 0 && open[0]!.after > HALF_COUNTER) open.shift();
}

/**
 * A late packet the counter had reported missing: the brief silence that reported it lost one fewer,
 * and one left with none lost was no silence but packets overtaken (40 ms of jitter on 100/s audio:
 * the counter's jumps, taken back a packet later, read as silences of every stream at once — an outage).
 */
function takeBackBrief(st: TrackedStream, count: number): void {
  const bit = 1 << count;
  const o = st.briefOpen.find((x) => x.missing & bit);
  if (!o) return;
  o.missing &= ~bit;
  o.gap.counted--;
  o.gap.estimate--;
  if (o.gap.counted > 0) return;
  const i = st.briefSilences.indexOf(o.gap);
  if (i >= 0) st.briefSilences.splice(i, 1);
  st.briefOpen.splice(st.briefOpen.indexOf(o), 1);
}

/** HALF_COUNTER packets have followed a time-based silence: a backlog in a burst, or the stream's own pace. */
function resumed(st: TrackedStream, ts: number): void {
  const p = st.pending;
  if (!p) return;
  p.gap.resumed = resumedHow(ts - p.gap.endTs, p.periodS);
  st.pending = undefined;
}

/** HALF_COUNTER packets after a silence took `span`: a backlog landing in a burst, or the stream's own pace. */
const resumedHow = (span: number, periodS: number): 'burst' | 'steady' => (span * BURST_SPEEDUP < (HALF_COUNTER - 1) * periodS ? 'burst' : 'steady');

/**
 * `counted` plus the number of whole counter cycles that brings it nearest to `about`, never past `most`:
 * a cycle the time could not have held is a pause of the sender, not 16 packets lost.
 */
function wholeCycles(counted: number, about: number, most = Infinity): number {
  const cycles = Math.max(0, Math.round((about - counted) / 16));
  return counted + 16 * Math.max(0, Math.min(cycles, Math.floor((most - counted) / 16)));
}

/**
 * The most packets a silence with `byTime` due in it can have lost: a sender at a steady rate sends no
 * more than one per period (arithmetic), with the rate off by up to RATE_ERROR and either edge of the
 * silence displaced by up to half a period (EDGE_SLOTS in all). Without it, a 95-ms pause of 100/s Opus
 * with its counter unbroken (9.5 periods: the simulator's audio start, lab-probe) read as 16 lost.
 */
function timeBound(byTime: number): number {
  return byTime * (1 + RATE_ERROR) + EDGE_SLOTS;
}

/**
 * Whether the counter's jump across a silence could be the loss of a sender going on at its rate: some
 * count ≡ `counted` (mod 16) lies within the packets due in it, the rate off by up to RATE_ERROR either
 * way and each edge by half a period (timeBound's arithmetic, both sides). Under a real outage it always
 * does; a counter that started afresh lands anywhere. Not per packet: read once per silence (silences.ts).
 */
export function jumpFitsTime(g: StreamSilence): boolean {
  const due = g.pps * (g.endTs - g.startTs) - 1;
  const least = due * (1 - RATE_ERROR) - EDGE_SLOTS;
  const most = timeBound(due);
  const first = g.counted + 16 * Math.max(0, Math.ceil((least - g.counted) / 16));
  return first <= most;
}

/**
 * Packets missing between the last packet and this one by the frame index (FFT frame_index, waterfall
 * timecode: one per frame, 32 bits, reference §3.1, §3.2) and the bin each packet starts at: frames ×
 * packets per frame, plus the positions within the two frames. 'restarted' when the index went back, or
 * jumped further than `byTime` (packets due at the rate before the silence) can explain.
 */
function indexEstimate(st: TrackedStream, buf: Buffer, s: PacketScan, byTime: number): number | 'restarted' | undefined {
  const per = st.maxBinsPerPacket;
  if (st.lastIndex === undefined || !st.frameWidth || !per) return undefined;
  const p = s.payloadStart;
  const room = s.payloadEnd - p;
  const fft = st.classKind === 'panadapter';
  if (room < (fft ? FFT_SUBHEADER : WATERFALL_SUBHEADER)) return undefined;
  const index = u32be(buf, p + (fft ? FFT_FIELD.frameIndex : WATERFALL_FIELD.timecode));
  const bin = u16be(buf, p + (fft ? FFT_FIELD.startBin : WATERFALL_FIELD.firstBin));
  if (index < st.lastIndex) return 'restarted';
  const packetsPerFrame = Math.ceil(st.frameWidth / per);
  const missing = Math.max(0, (index - st.lastIndex) * packetsPerFrame + Math.floor(bin / per) - Math.floor(st.lastBin / per) - 1);
  // More frames than the silence had time for, at twice the rate before it, are no frames of this
  // object: a new pan under the same ID, or a corrupt index. Fewer is a rate that fell (fps changed).
  return missing > 2 * byTime + 2 * HALF_COUNTER ? 'restarted' : missing;
}

/**
 * Packets from the stream's start within which a frame position behind the first packet's is a packet
 * overtaken on the way, not a new object: one counter cycle (reference §1.1: 16 counts). The counter alone
 * takes back only PRE_START counts before the first (sequence.ts) — one overtaken by more read as a jump
 * of up to 15 lost — while the frame index and bin say exactly where each packet belongs. Later, a
 * position that far back is a new pan under the same ID (indexEstimate 'restarted'), not a late packet.
 */
const START_WINDOW = 16;

/** FFT frame index / waterfall timecode × 65536 + the packet's first bin: its place in the stream (exact below 2^53). */
function framePosition(st: TrackedStream, buf: Buffer, s: PacketScan): number | undefined {
  const p = s.payloadStart;
  const fft = st.classKind === 'panadapter';
  if (!fft && st.classKind !== 'waterfall') return undefined;
  if (s.payloadEnd - p < (fft ? FFT_SUBHEADER : WATERFALL_SUBHEADER)) return undefined;
  const index = u32be(buf, p + (fft ? FFT_FIELD.frameIndex : WATERFALL_FIELD.timecode));
  return index * 65536 + u16be(buf, p + (fft ? FFT_FIELD.startBin : WATERFALL_FIELD.firstBin));
}

/** An FFT/waterfall packet, early in the stream, whose frame position lies before the first packet's: sent earlier, overtaken. */
function beforeStart(st: TrackedStream, buf: Buffer, s: PacketScan): boolean {
  if (st.packets > START_WINDOW) return false;
  const pos = framePosition(st, buf, s);
  if (pos === undefined) return false;
  if (st.startPos < 0) {
    st.startPos = pos;
    return false;
  }
  return pos < st.startPos;
}

/** The first fragment of an FFT frame or waterfall line (start bin 0); every packet of other classes. */
function startsUnit(st: TrackedStream, buf: Buffer, s: PacketScan): boolean {
  const p = s.payloadStart;
  if (st.classKind === 'panadapter') return s.payloadEnd - p >= FFT_FIELD.startBin + 2 && u16be(buf, p + FFT_FIELD.startBin) === 0;
  if (st.classKind === 'waterfall') return s.payloadEnd - p >= WATERFALL_SUBHEADER && u16be(buf, p + WATERFALL_FIELD.firstBin) === 0;
  return true;
}

/** The sub-header already checked out, so a DecodeError here is rare; the tap just skips that packet. */
function decodeForTap(buf: Buffer): VitaPacket | undefined {
  try {
    return decodePacket(buf).packet;
  } catch (e) {
    if (e instanceof DecodeError) return undefined;
    throw e;
  }
}

export function isFlexStream(st: TrackedStream): boolean {
  return st.oui === FLEX_OUI;
}
