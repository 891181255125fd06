/**
 * Waterfall tile payload (PCC 0x8004, reference §3.2): 36-byte tile header then Width × Height u16
 * intensities. Frequencies are VITA fixed point, Hz × 2^20. Like FFT packets, real tiles end with 4
 * extra zero bytes, which the packet layer keeps as padding.
 */
import { DecodeError, need } from '../../common/decode-error.js';
import { readU16BE, writeU16BE } from './u16be.js';

export interface WaterfallPayload {
  /** Frequency of bin 0 of the whole line, Hz × 2^20 (signed 64-bit). */
  frameLowFreq: bigint;
  /** Hz × 2^20. */
  binBandwidth: bigint;
  lineDurationMs: number;
  width: number;
  height: number;
  timecode: number;
  autoBlackLevel: number;
  totalBins: number;
  firstBin: number;
  bins: Uint16Array;
}

/**
 * Byte offsets of the tile header fields (reference §3.2): i64 frequencies, u32 duration, timecode and
 * black level, u16 sizes and bin indices. The one definition of the layout: the stream tracker's
 * in-place reads use it too.
 */
export const WATERFALL_FIELD = {
  frameLowFreq: 0, binBandwidth: 8, lineDurationMs: 16, width: 20, height: 22, timecode: 24, autoBlackLevel: 28, totalBins: 32, firstBin: 34,
} as const;
/** Tile header length: the bins start here. */
export const WATERFALL_SUBHEADER = 36;

/** VITA-49 64-bit frequency (20 fractional bits) → Hz. */
export function vitaFrequencyToHz(v: bigint): number {
  return Number(v) / 1048576;
}

export function hzToVitaFrequency(hz: number): bigint {
  return BigInt(Math.round(hz * 1048576));
}

export const waterfall = {
  encodingLength(p: WaterfallPayload): number {
    return WATERFALL_SUBHEADER + p.bins.length * 2;
  },
  encode(p: WaterfallPayload, buf: Buffer = Buffer.alloc(WATERFALL_SUBHEADER + p.bins.length * 2), offset = 0): Buffer {
    if (p.bins.length !== p.width * p.height) {
      throw new RangeError(`waterfall tile has ${p.bins.length} bins, width × height is ${p.width * p.height}`);
    }
    const f = WATERFALL_FIELD;
    buf.writeBigInt64BE(p.frameLowFreq, offset + f.frameLowFreq);
    buf.writeBigInt64BE(p.binBandwidth, offset + f.binBandwidth);
    buf.writeUInt32BE(p.lineDurationMs >>> 0, offset + f.lineDurationMs);
    buf.writeUInt16BE(p.width, offset + f.width);
    buf.writeUInt16BE(p.height, offset + f.height);
    buf.writeUInt32BE(p.timecode >>> 0, offset + f.timecode);
    buf.writeUInt32BE(p.autoBlackLevel >>> 0, offset + f.autoBlackLevel);
    buf.writeUInt16BE(p.totalBins, offset + f.totalBins);
    buf.writeUInt16BE(p.firstBin, offset + f.firstBin);
    writeU16BE(p.bins, buf, offset + WATERFALL_SUBHEADER);
    return buf;
  },
  decode(buf: Buffer, offset = 0, end = buf.length): WaterfallPayload {
    need(end, offset, WATERFALL_SUBHEADER, 'waterfall tile header');
    const f = WATERFALL_FIELD;
    const width = buf.readUInt16BE(offset + f.width);
    const height = buf.readUInt16BE(offset + f.height);
    const totalBins = buf.readUInt16BE(offset + f.totalBins);
    const firstBin = buf.readUInt16BE(offset + f.firstBin);
    if (firstBin + width > totalBins) {
      throw new DecodeError(offset + f.firstBin, 'waterfall FirstBinIndex', `${firstBin} + width ${width} exceeds TotalBinsInFrame ${totalBins}`);
    }
    const n = width * height;
    need(end, offset + WATERFALL_SUBHEADER, n * 2, 'waterfall bins');
    const bins = readU16BE(buf, offset + WATERFALL_SUBHEADER, n);
    return {
      frameLowFreq: buf.readBigInt64BE(offset + f.frameLowFreq),
      binBandwidth: buf.readBigInt64BE(offset + f.binBandwidth),
      lineDurationMs: buf.readUInt32BE(offset + f.lineDurationMs),
      width,
      height,
      timecode: buf.readUInt32BE(offset + f.timecode),
      autoBlackLevel: buf.readUInt32BE(offset + f.autoBlackLevel),
      totalBins,
      firstBin,
      bins,
    };
  },
};
