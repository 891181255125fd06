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
import { formatEndpoint } from '../capture/types.js';
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
import { SequenceTracker } from './sequence.js';

/** Seconds of per-second history kept per stream for the UI's charts. */
const SERIES_SECONDS = 120;
/**
 * Streams and radios tracked at most. A radio sends a few dozen streams and a LAN holds a few radios;
 * without a bound, a capture of VITA-49 datagrams that each carry a new stream ID (60 bytes apiece)
 * grew memory by ~0.9 kB per datagram. Datagrams past the bound are still counted, in `untracked`.
 */
export const MAX_STREAMS = 1024;
export const MAX_RADIOS = 256;

export interface SecondBucket {
  /** Whole Unix second. */
  t: number;
  packets: number;
  bytes: number;
  lost: number;
}

/** Data (types 0–3), context (4–5) or command (6–7): each counts its packets separately. */
export const PACKET_CATEGORIES = ['data', 'context', 'command'] as const;
export type PacketCategory = (typeof PACKET_CATEGORIES)[number];

export function categoryIndex(type: number): 0 | 1 | 2 {
  return type < 4 ? 0 : type < 6 ? 1 : 2;
}

export interface TrackedStream {
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
  /** Datagrams whose IPv4 DF bit was set (undefined when the source cannot see IP headers). */
  dfPackets: number;
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
  series: SecondBucket[];
  lastIat: number;
}

export type FftTap = (stream: TrackedStream, frame: FftFrame) => void;
export type WaterfallTap = (stream: TrackedStream, line: WaterfallLine) => void;

export interface Beacon {
  ts: number;
  src: Endpoint;
  beacon: RadioBeacon;
}

export class StreamTracker {
  readonly streams: TrackedStream[] = [];
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
    if (s.packetClassCode !== st.lastPcc) {
      st.pccChanges++;
      st.lastPcc = s.packetClassCode;
    }
    const lost = st.seq.push(s.packetCount);
    if (st.packets > 1 && e.ts - st.lastTs > st.maxGapS) st.maxGapS = e.ts - st.lastTs;
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
    const list = this.byKey.get(streamKey(s));
    if (!list) return undefined;
    for (const st of list) {
      if (st.src.port === e.src.port && st.dst.port === e.dst.port && st.src.ip === e.src.ip && st.dst.ip === e.dst.ip && st.oui === s.oui && st.hasClassId === s.hasClassId) return st;
    }
    return undefined;
  }

  private create(e: UdpEvent, s: PacketScan): TrackedStream {
    const cls: FlexClass = s.hasClassId ? classifyCodes(s.oui, s.packetClassCode) : { kind: 'other' };
    // Every stream object gets every field, in one order, from the start: one hidden class for all, so
    // the per-packet code in push() stays monomorphic (absent optional fields are undefined).
    const st: TrackedStream = {
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
      series: [],
      lastIat: 0,
    };
    const key = streamKey(s);
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
      noteIndex(st, frameIndex);
      if (u16be(buf, p + FFT_FIELD.binSize) !== FFT_BIN_SIZE || startBin + numBins > totalBins || FFT_SUBHEADER + numBins * FFT_BIN_SIZE > room) {
        return this.payloadError(st, 'FFT sub-header inconsistent with the packet');
      }
      this.noteWidth(st, totalBins, numBins);
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
    noteIndex(st, timecode);
    const totalBins = u16be(buf, p + WATERFALL_FIELD.totalBins);
    const firstBin = u16be(buf, p + WATERFALL_FIELD.firstBin);
    if (firstBin + width > totalBins || WATERFALL_SUBHEADER + width * height * 2 > room) {
      return this.payloadError(st, 'waterfall tile header inconsistent with the packet');
    }
    this.noteWidth(st, totalBins, width);
    (st.frames as WaterfallLineAssembler).count(timecode, firstBin, width, height, totalBins);
    if (wantBins) {
      const decoded = decodeForTap(buf);
      const line = decoded?.kind === 'waterfall' ? this.tapWf(st).push(decoded.payload) : undefined;
      if (line && this.waterfallTap) this.waterfallTap(st, line);
    }
  }

  private noteWidth(st: TrackedStream, total: number, perPacket: number): void {
    st.frameWidth = total;
    if (perPacket > (st.maxBinsPerPacket ?? 0)) st.maxBinsPerPacket = perPacket;
  }

  private payloadError(st: TrackedStream, message: string): void {
    st.payloadErrors++;
    st.lastPayloadError = message;
  }

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

/** Frame indices count up by one per frame (reference §3.1, §3.2); the span is how many were sent. */
function noteIndex(st: TrackedStream, index: number): void {
  if (st.firstIndex === undefined || index < st.firstIndex) st.firstIndex = index;
  if (st.maxIndex === undefined || index > st.maxIndex) st.maxIndex = index;
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

export function streamLabel(st: TrackedStream): string {
  return `${formatEndpoint(st.src)} → ${formatEndpoint(st.dst)}`;
}
