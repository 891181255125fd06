/**
 * Panadapter FFT payload (PCC 0x8003, reference §3.1): 12-byte sub-header then u16 bins. Bins are
 * counted from `numBins`, not from the datagram length: real packets carry 4 extra zero bytes.
 * A bin is a y pixel (0 = top = max_dbm).
 */
import { DecodeError, need } from '../../common/decode-error.js';
import { readU16BE, writeU16BE } from './u16be.js';

export interface FftPayload {
  startBin: number;
  numBins: number;
  /** Bytes per bin; 2 on every radio observed, and the only size this decoder accepts. */
  binSize: number;
  totalBins: number;
  frameIndex: number;
  bins: Uint16Array;
}

export const FFT_SUBHEADER = 12;

export const fft = {
  encodingLength(p: FftPayload): number {
    return FFT_SUBHEADER + p.bins.length * 2;
  },
  encode(p: FftPayload, buf: Buffer = Buffer.alloc(FFT_SUBHEADER + p.bins.length * 2), offset = 0): Buffer {
    buf.writeUInt16BE(p.startBin, offset);
    buf.writeUInt16BE(p.bins.length, offset + 2);
    buf.writeUInt16BE(2, offset + 4);
    buf.writeUInt16BE(p.totalBins, offset + 6);
    buf.writeUInt32BE(p.frameIndex >>> 0, offset + 8);
    writeU16BE(p.bins, buf, offset + FFT_SUBHEADER);
    return buf;
  },
  decode(buf: Buffer, offset = 0, end = buf.length): FftPayload {
    need(end, offset, FFT_SUBHEADER, 'FFT sub-header');
    const startBin = buf.readUInt16BE(offset);
    const numBins = buf.readUInt16BE(offset + 2);
    const binSize = buf.readUInt16BE(offset + 4);
    const totalBins = buf.readUInt16BE(offset + 6);
    const frameIndex = buf.readUInt32BE(offset + 8);
    if (binSize !== 2) throw new DecodeError(offset + 4, 'FFT bin_size', `is ${binSize}, expected 2`);
    if (startBin + numBins > totalBins) {
      throw new DecodeError(offset, 'FFT start_bin_index', `${startBin} + ${numBins} bins exceeds total_bins_in_frame ${totalBins}`);
    }
    need(end, offset + FFT_SUBHEADER, numBins * 2, 'FFT bins');
    const bins = readU16BE(buf, offset + FFT_SUBHEADER, numBins);
    return { startBin, numBins, binSize, totalBins, frameIndex, bins };
  },
};
