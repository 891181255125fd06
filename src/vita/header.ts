/**
 * VITA-49.0 packet header (and trailer), decoded from the flags rather than assumed to be the 28-byte
 * layout Flex radios use: waveform meter packets, for one, come with no timestamps (reference §1.2).
 * All header words are big-endian (reference §1.4).
 */
import { DecodeError, need } from '../common/decode-error.js';
import { type StreamId, streamId } from './stream-id.js';

/** 0/1 IF data, 2/3 extension data (odd = with stream ID), 4 IF context, 5 extension context, 6/7 command (VITA-49.2). */
export type PacketType = 0 | 1 | 2 | 3 | 4 | 5 | 6 | 7;
/** Integer timestamp: 0 none, 1 UTC, 2 GPS, 3 other. */
type Tsi = 0 | 1 | 2 | 3;
/** Fractional timestamp: 0 none, 1 sample count, 2 real time (ps), 3 free-running count. */
type Tsf = 0 | 1 | 2 | 3;

interface ClassId {
  /** Bits 31–27 of class word A (pad-bit count in VITA-49.0b/49.2); 0 for Flex. */
  padBits: number;
  /** Bits 26–24 of class word A, reserved; present only when non-zero, kept so re-encoding gives the same bytes. */
  reservedBits?: number;
  /** 24-bit organisationally unique identifier; 0x001C2D for FlexRadio. */
  oui: number;
  informationClassCode: number;
  packetClassCode: number;
}

export interface VitaHeader {
  packetType: PacketType;
  /** Bit 26: for data packets (types 0–3) a trailer word ends the packet; context packets use it otherwise. */
  trailerFlag: boolean;
  /** Bits 25–24: reserved in VITA-49.0 data packets, kept so re-encoding gives the same bytes. */
  reservedBits: number;
  tsi: Tsi;
  tsf: Tsf;
  /** 4-bit rolling counter, per stream. */
  packetCount: number;
  /** Total packet length in 32-bit words, as written in the header (not necessarily the datagram's). */
  packetSize: number;
  streamId?: StreamId;
  classId?: ClassId;
  integerTimestamp?: number;
  fractionalTimestamp?: bigint;
}

export interface VitaTrailer {
  /** Bits 31–20: enable flags. */
  enables: number;
  /** Bits 19–8: indicator flags. */
  indicators: number;
  /** Bit 7: associated context packet count enabled. */
  contextCountEnabled: boolean;
  /** Bits 6–0 (FlexLib masks 0xEF, an apparent bug; we use 0x7F per the standard). */
  contextCount: number;
}

/**
 * Word 0 (reference §1.1), big-endian: the one definition of its bit fields, for the decoder, the encoder
 * and the hot-path scan (scan.ts).
 */
export const WORD0 = {
  typeShift: 28, classIdFlag: 1 << 27, trailerFlag: 1 << 26, reservedShift: 24, tsiShift: 22, tsfShift: 20, countShift: 16, sizeMask: 0xffff,
} as const;
/** Byte offset of word 0's 16-bit packet size (in 32-bit words). */
export const SIZE_FIELD = 2;
/**
 * Byte offsets inside the two class-ID words (reference §1.2): the OUI is the low 24 bits of the first
 * word, the information and packet class codes the halves of the second.
 */
export const CLASS_ID_FIELD = { word: 0, informationClassCode: 4, packetClassCode: 6 } as const;
export const OUI_MASK = 0xffffff;

export function hasStreamId(type: PacketType): boolean {
  return type !== 0 && type !== 2;
}

/** Trailers exist only on data packets (types 0–3) with bit 26 set. */
export function hasTrailer(h: Pick<VitaHeader, 'packetType' | 'trailerFlag'>): boolean {
  return h.packetType < 4 && h.trailerFlag;
}

export function headerLength(h: Pick<VitaHeader, 'packetType' | 'classId' | 'tsi' | 'tsf'>): number {
  return 4 + (hasStreamId(h.packetType) ? 4 : 0) + (h.classId ? 8 : 0) + (h.tsi !== 0 ? 4 : 0) + (h.tsf !== 0 ? 8 : 0);
}

export const header = {
  encodingLength: headerLength,

  /** Writes the header at `offset`. `packetSize` is written as given: the packet encoder sets it. */
  encode(h: VitaHeader, buf: Buffer = Buffer.alloc(headerLength(h)), offset = 0): Buffer {
    const withStream = hasStreamId(h.packetType);
    if (withStream && h.streamId === undefined) {
      throw new RangeError(`packet type ${h.packetType} needs a stream ID`);
    }
    const word0 =
      (h.packetType << WORD0.typeShift) |
      (h.classId ? WORD0.classIdFlag : 0) |
      (h.trailerFlag ? WORD0.trailerFlag : 0) |
      ((h.reservedBits & 3) << WORD0.reservedShift) |
      (h.tsi << WORD0.tsiShift) |
      (h.tsf << WORD0.tsfShift) |
      ((h.packetCount & 0xf) << WORD0.countShift) |
      (h.packetSize & WORD0.sizeMask);
    let o = offset;
    buf.writeUInt32BE(word0 >>> 0, o);
    o += 4;
    if (withStream) {
      buf.writeUInt32BE(h.streamId ?? 0, o);
      o += 4;
    }
    if (h.classId) {
      const c = h.classId;
      buf.writeUInt32BE((((c.padBits & 0x1f) << 27) | (((c.reservedBits ?? 0) & 7) << 24) | (c.oui & OUI_MASK)) >>> 0, o + CLASS_ID_FIELD.word);
      buf.writeUInt16BE(h.classId.informationClassCode & 0xffff, o + CLASS_ID_FIELD.informationClassCode);
      buf.writeUInt16BE(h.classId.packetClassCode & 0xffff, o + CLASS_ID_FIELD.packetClassCode);
      o += 8;
    }
    if (h.tsi !== 0) {
      buf.writeUInt32BE((h.integerTimestamp ?? 0) >>> 0, o);
      o += 4;
    }
    if (h.tsf !== 0) {
      buf.writeBigUInt64BE(h.fractionalTimestamp ?? 0n, o);
    }
    return buf;
  },

  /** Decodes the header at `offset`; `end` bounds the datagram. Throws DecodeError naming the field. */
  decode(buf: Buffer, offset = 0, end = buf.length): VitaHeader {
    need(end, offset, 4, 'header word 0');
    const word0 = buf.readUInt32BE(offset);
    const h: VitaHeader = {
      packetType: (word0 >>> WORD0.typeShift) as PacketType,
      trailerFlag: (word0 & WORD0.trailerFlag) !== 0,
      reservedBits: (word0 >>> WORD0.reservedShift) & 3,
      tsi: ((word0 >>> WORD0.tsiShift) & 3) as Tsi,
      tsf: ((word0 >>> WORD0.tsfShift) & 3) as Tsf,
      packetCount: (word0 >>> WORD0.countShift) & 0xf,
      packetSize: word0 & WORD0.sizeMask,
    };
    if (h.packetType > 7) {
      throw new DecodeError(offset, 'packet type', `${h.packetType} is not a VITA-49 packet type (0–7)`);
    }
    let o = offset + 4;
    if (hasStreamId(h.packetType)) {
      need(end, o, 4, 'stream ID');
      h.streamId = streamId(buf.readUInt32BE(o));
      o += 4;
    }
    if (word0 & WORD0.classIdFlag) {
      need(end, o, 8, 'class ID');
      const a = buf.readUInt32BE(o + CLASS_ID_FIELD.word);
      const reserved = (a >>> 24) & 7;
      h.classId = {
        padBits: a >>> 27,
        ...(reserved !== 0 ? { reservedBits: reserved } : {}),
        oui: a & OUI_MASK,
        informationClassCode: buf.readUInt16BE(o + CLASS_ID_FIELD.informationClassCode),
        packetClassCode: buf.readUInt16BE(o + CLASS_ID_FIELD.packetClassCode),
      };
      o += 8;
    }
    if (h.tsi !== 0) {
      need(end, o, 4, 'integer timestamp');
      h.integerTimestamp = buf.readUInt32BE(o);
      o += 4;
    }
    if (h.tsf !== 0) {
      need(end, o, 8, 'fractional timestamp');
      h.fractionalTimestamp = buf.readBigUInt64BE(o);
    }
    return h;
  },
};

export const trailer = {
  encodingLength(): number {
    return 4;
  },
  encode(t: VitaTrailer, buf: Buffer = Buffer.alloc(4), offset = 0): Buffer {
    const w = ((t.enables & 0xfff) << 20) | ((t.indicators & 0xfff) << 8) | (t.contextCountEnabled ? 0x80 : 0) | (t.contextCount & 0x7f);
    buf.writeUInt32BE(w >>> 0, offset);
    return buf;
  },
  decode(buf: Buffer, offset = 0, end = buf.length): VitaTrailer {
    need(end, offset, 4, 'trailer');
    const w = buf.readUInt32BE(offset);
    return {
      enables: w >>> 20,
      indicators: (w >>> 8) & 0xfff,
      contextCountEnabled: (w & 0x80) !== 0,
      contextCount: w & 0x7f,
    };
  },
};
