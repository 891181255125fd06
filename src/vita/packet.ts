/**
 * A whole VITA-49 datagram: header, class-specific payload, padding, trailer.
 *
 * Payloads are sized from their own counters; whatever the packet holds beyond that (the 4 zero bytes
 * after FFT/waterfall bins, NUL padding after discovery text) is kept as `padding`, so decode → encode
 * gives back the same bytes.
 */
import { type AudioFormat, classify } from './classes.js';
import { DecodeError } from '../common/decode-error.js';
import { SIZE_FIELD, type VitaHeader, type VitaTrailer, hasTrailer, header, headerLength, trailer } from './header.js';
import { type AudioPayload, float32Stereo, int16Mono, opus } from './payload/audio.js';
import { type DaxIqPayload, daxIq } from './payload/dax-iq.js';
import { type DiscoveryPayload, discovery } from './payload/discovery.js';
import { type FftPayload, fft } from './payload/fft.js';
import { type MeterPayload, meter } from './payload/meter.js';
import { type WaterfallPayload, waterfall } from './payload/waterfall.js';
import { OPUS_SIZE_SLACK_WORDS } from './scan.js';

interface PacketBase {
  header: VitaHeader;
  /** Bytes inside the packet after the payload's own structure (before the trailer). */
  padding?: Buffer;
  trailer?: VitaTrailer;
}

export type VitaPacket =
  | (PacketBase & { kind: 'discovery'; payload: DiscoveryPayload })
  | (PacketBase & { kind: 'meter'; payload: MeterPayload })
  | (PacketBase & { kind: 'panadapter'; payload: FftPayload })
  | (PacketBase & { kind: 'waterfall'; payload: WaterfallPayload })
  | (PacketBase & { kind: 'audio'; payload: AudioPayload })
  | (PacketBase & { kind: 'dax-iq'; payload: DaxIqPayload })
  | (PacketBase & { kind: 'other'; payload: Buffer });


function payloadLength(p: VitaPacket): number {
  switch (p.kind) {
    case 'discovery':
      return discovery.encodingLength(p.payload);
    case 'meter':
      return meter.encodingLength(p.payload);
    case 'panadapter':
      return fft.encodingLength(p.payload);
    case 'waterfall':
      return waterfall.encodingLength(p.payload);
    case 'audio':
      return p.payload.format === 'opus'
        ? opus.encodingLength(p.payload)
        : p.payload.format === 'float32-stereo'
          ? float32Stereo.encodingLength(p.payload)
          : int16Mono.encodingLength(p.payload);
    case 'dax-iq':
      return daxIq.encodingLength(p.payload);
    case 'other':
      return p.payload.length;
  }
}

function encodePayload(p: VitaPacket, buf: Buffer, offset: number): void {
  switch (p.kind) {
    case 'discovery':
      discovery.encode(p.payload, buf, offset);
      return;
    case 'meter':
      meter.encode(p.payload, buf, offset);
      return;
    case 'panadapter':
      fft.encode(p.payload, buf, offset);
      return;
    case 'waterfall':
      waterfall.encode(p.payload, buf, offset);
      return;
    case 'audio':
      if (p.payload.format === 'opus') opus.encode(p.payload, buf, offset);
      else if (p.payload.format === 'float32-stereo') float32Stereo.encode(p.payload, buf, offset);
      else int16Mono.encode(p.payload, buf, offset);
      return;
    case 'dax-iq':
      daxIq.encode(p.payload, buf, offset);
      return;
    case 'other':
      p.payload.copy(buf, offset);
      return;
  }
}

/**
 * Opus is the one class whose datagram may end mid-word: the size field is rounded up and the
 * payload runs to the end of the datagram. Everything else is padded with zeros to a whole word.
 */
function isOpus(p: VitaPacket): boolean {
  return p.kind === 'audio' && p.payload.format === 'opus';
}

export function encodingLength(p: VitaPacket): number {
  const body = headerLength(p.header) + payloadLength(p) + (p.padding?.length ?? 0);
  const tail = hasTrailer(p.header) ? 4 : 0;
  if (isOpus(p)) return body + tail;
  return Math.ceil((body + tail) / 4) * 4;
}

/** Encodes a packet; the header's packetSize is computed, not taken from the input (Opus: see below). */
export function encodePacket(p: VitaPacket, buf?: Buffer, offset = 0): Buffer {
  const total = encodingLength(p);
  const out = buf ?? Buffer.alloc(total);
  // An Opus size field is kept as it came when it is within the accepted slack (decode → encode gives
  // the radio's bytes back); otherwise, and for every other class, it is computed.
  const given = p.header.packetSize;
  const words = isOpus(p) && given > 0 && Math.abs(given * 4 - total) <= OPUS_SIZE_SLACK_WORDS * 4 ? given : Math.ceil(total / 4);
  if (words > 0xffff) throw new RangeError(`packet of ${total} bytes exceeds the 16-bit word count`);
  header.encode({ ...p.header, packetSize: words }, out, offset);
  let o = offset + headerLength(p.header);
  encodePayload(p, out, o);
  o += payloadLength(p);
  if (p.padding) {
    p.padding.copy(out, o);
    o += p.padding.length;
  }
  const trailerAt = offset + total - (hasTrailer(p.header) ? 4 : 0);
  out.fill(0, o, trailerAt);
  if (hasTrailer(p.header)) {
    trailer.encode(p.trailer ?? { enables: 0, indicators: 0, contextCountEnabled: false, contextCount: 0 }, out, trailerAt);
  }
  return out;
}

interface DecodedBounds {
  /** Offset of the first payload byte. */
  payloadStart: number;
  /** Offset just past the payload region (before any trailer). */
  payloadEnd: number;
  /** Datagram bytes after the packet's declared size; not part of the packet. */
  excess: number;
}

/**
 * Works out where the payload lies, checking the size field against the datagram. Shared by the full
 * decoder and by the fast header-only path the stream tracker uses.
 */
function packetBounds(h: VitaHeader, datagramLength: number, opusClass: boolean, offset = 0): DecodedBounds {
  const hl = headerLength(h);
  const declared = h.packetSize * 4;
  const available = datagramLength - offset;
  if (declared < hl + (hasTrailer(h) ? 4 : 0)) {
    throw new DecodeError(offset + SIZE_FIELD, 'packet size', `${h.packetSize} words is smaller than the ${hl}-byte header`);
  }
  let length = declared;
  // Opus: the payload is the datagram minus the header, whatever the size field says (FlexLib
  // VitaOpusDataPacket.cs: bytes − 28; K3TZR Vita.swift and AetherSDR PanadapterStream.cpp likewise,
  // reference §3.5, §11). How the radio rounds the field is undocumented, so a field a few words short
  // of or past the datagram is accepted; further off, the datagram is not this packet.
  if (opusClass && Math.abs(declared - available) <= OPUS_SIZE_SLACK_WORDS * 4 && available >= hl + (hasTrailer(h) ? 4 : 0)) length = available;
  else if (declared > available) throw new DecodeError(offset + SIZE_FIELD, 'packet size', `says ${declared} bytes but the datagram has ${available}`);
  const end = offset + length;
  return { payloadStart: offset + hl, payloadEnd: end - (hasTrailer(h) ? 4 : 0), excess: available - length };
}

function withPadding<P extends VitaPacket>(p: P, buf: Buffer, used: number, end: number): P {
  if (used < end) p.padding = Buffer.from(buf.subarray(used, end));
  return p;
}

export interface DecodedPacket {
  packet: VitaPacket;
  /** Bytes after the declared packet size (not part of the packet). */
  excess: number;
  audioFormat?: AudioFormat;
}

/** Decodes one datagram. Throws only DecodeError. */
export function decodePacket(buf: Buffer, offset = 0, end = buf.length): DecodedPacket {
  const view = end === buf.length ? buf : buf.subarray(0, end);
  const h = header.decode(view, offset, end);
  const cls = classify(h);
  const opusClass = cls.audioFormat === 'opus';
  const b = packetBounds(h, end, opusClass, offset);
  const s = b.payloadStart;
  const e = b.payloadEnd;
  const base = { header: h, ...(hasTrailer(h) ? { trailer: trailer.decode(view, e, e + 4) } : {}) };
  let packet: VitaPacket;
  switch (cls.kind) {
    case 'discovery': {
      const payload = discovery.decode(view, s, e);
      packet = withPadding({ ...base, kind: 'discovery', payload }, view, s + discovery.encodingLength(payload), e);
      break;
    }
    case 'meter': {
      const payload = meter.decode(view, s, e);
      packet = withPadding({ ...base, kind: 'meter', payload }, view, s + meter.encodingLength(payload), e);
      break;
    }
    case 'panadapter': {
      const payload = fft.decode(view, s, e);
      packet = withPadding({ ...base, kind: 'panadapter', payload }, view, s + fft.encodingLength(payload), e);
      break;
    }
    case 'waterfall': {
      const payload = waterfall.decode(view, s, e);
      packet = withPadding({ ...base, kind: 'waterfall', payload }, view, s + waterfall.encodingLength(payload), e);
      break;
    }
    case 'audio': {
      const payload: AudioPayload =
        cls.audioFormat === 'opus'
          ? opus.decode(view, s, e)
          : cls.audioFormat === 'float32-stereo'
            ? float32Stereo.decode(view, s, e)
            : int16Mono.decode(view, s, e);
      const audio: VitaPacket = { ...base, kind: 'audio', payload };
      packet = withPadding(audio, view, s + payloadLength(audio), e);
      break;
    }
    case 'dax-iq': {
      const payload = daxIq.decode(view, s, e);
      packet = withPadding({ ...base, kind: 'dax-iq', payload }, view, s + daxIq.encodingLength(payload), e);
      break;
    }
    case 'other':
      packet = { ...base, kind: 'other', payload: Buffer.from(view.subarray(s, e)) };
      break;
  }
  return { packet, excess: b.excess, ...(cls.audioFormat ? { audioFormat: cls.audioFormat } : {}) };
}
