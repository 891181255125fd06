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
    buf.writeBigInt64BE(p.frameLowFreq, offset);
    buf.writeBigInt64BE(p.binBandwidth, offset + 8);
    buf.writeUInt32BE(p.lineDurationMs >>> 0, offset + 16);
    buf.writeUInt16BE(p.width, offset + 20);
    buf.writeUInt16BE(p.height, offset + 22);
    buf.writeUInt32BE(p.timecode >>> 0, offset + 24);
    buf.writeUInt32BE(p.autoBlackLevel >>> 0, offset + 28);
    buf.writeUInt16BE(p.totalBins, offset + 32);
    buf.writeUInt16BE(p.firstBin, offset + 34);
    writeU16BE(p.bins, buf, offset + WATERFALL_SUBHEADER);
    return buf;
  },
  decode(buf: Buffer, offset = 0, end = buf.length): WaterfallPayload {
    need(end, offset, WATERFALL_SUBHEADER, 'waterfall tile header');
    const width = buf.readUInt16BE(offset + 20);
    const height = buf.readUInt16BE(offset + 22);
    const totalBins = buf.readUInt16BE(offset + 32);
    const firstBin = buf.readUInt16BE(offset + 34);
    if (firstBin + width > totalBins) {
      throw new DecodeError(offset + 34, 'waterfall FirstBinIndex', `${firstBin} + width ${width} exceeds TotalBinsInFrame ${totalBins}`);
    }
    const n = width * height;
    need(end, offset + WATERFALL_SUBHEADER, n * 2, 'waterfall bins');
    const bins = readU16BE(buf, offset + WATERFALL_SUBHEADER, n);
    return {
      frameLowFreq: buf.readBigInt64BE(offset),
      binBandwidth: buf.readBigInt64BE(offset + 8),
      lineDurationMs: buf.readUInt32BE(offset + 16),
      width,
      height,
      timecode: buf.readUInt32BE(offset + 24),
      autoBlackLevel: buf.readUInt32BE(offset + 28),
      totalBins,
      firstBin,
      bins,
    };
  },
};
