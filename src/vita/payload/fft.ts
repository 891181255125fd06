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

/**
 * Byte offsets of the sub-header fields (reference §3.1), u16 but for the u32 frame index. The one
 * definition of the layout: the stream tracker's in-place reads use it too.
 */
export const FFT_FIELD = { startBin: 0, numBins: 2, binSize: 4, totalBins: 6, frameIndex: 8 } as const;
/** Sub-header length: the bins start here. */
export const FFT_SUBHEADER = 12;
/** The only bin size this decoder accepts (2 on every radio observed, reference §3.1). */
export const FFT_BIN_SIZE = 2;

export const fft = {
  encodingLength(p: FftPayload): number {
    return FFT_SUBHEADER + p.bins.length * 2;
  },
  encode(p: FftPayload, buf: Buffer = Buffer.alloc(FFT_SUBHEADER + p.bins.length * 2), offset = 0): Buffer {
    buf.writeUInt16BE(p.startBin, offset + FFT_FIELD.startBin);
    buf.writeUInt16BE(p.bins.length, offset + FFT_FIELD.numBins);
    buf.writeUInt16BE(FFT_BIN_SIZE, offset + FFT_FIELD.binSize);
    buf.writeUInt16BE(p.totalBins, offset + FFT_FIELD.totalBins);
    buf.writeUInt32BE(p.frameIndex >>> 0, offset + FFT_FIELD.frameIndex);
    writeU16BE(p.bins, buf, offset + FFT_SUBHEADER);
    return buf;
  },
  decode(buf: Buffer, offset = 0, end = buf.length): FftPayload {
    need(end, offset, FFT_SUBHEADER, 'FFT sub-header');
    const startBin = buf.readUInt16BE(offset + FFT_FIELD.startBin);
    const numBins = buf.readUInt16BE(offset + FFT_FIELD.numBins);
    const binSize = buf.readUInt16BE(offset + FFT_FIELD.binSize);
    const totalBins = buf.readUInt16BE(offset + FFT_FIELD.totalBins);
    const frameIndex = buf.readUInt32BE(offset + FFT_FIELD.frameIndex);
    if (binSize !== FFT_BIN_SIZE) throw new DecodeError(offset + FFT_FIELD.binSize, 'FFT bin_size', `is ${binSize}, expected ${FFT_BIN_SIZE}`);
    if (startBin + numBins > totalBins) {
      throw new DecodeError(offset + FFT_FIELD.startBin, 'FFT start_bin_index', `${startBin} + ${numBins} bins exceeds total_bins_in_frame ${totalBins}`);
    }
    need(end, offset + FFT_SUBHEADER, numBins * 2, 'FFT bins');
    const bins = readU16BE(buf, offset + FFT_SUBHEADER, numBins);
    return { startBin, numBins, binSize, totalBins, frameIndex, bins };
  },
};
