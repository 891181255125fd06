/** Builders for test packets from the protocol's own numbers (reference §1–§3), via our encoder. */
import { PCC, type VitaHeader, encodePacket, flexHeader as makeFlexHeader } from '../../src/vita/index.js';

/** The fixed timestamp keeps generated captures byte-identical run to run. */
export function flexHeader(pcc: number, sid: number, count = 0, packetType: 1 | 3 = 3): VitaHeader {
  return makeFlexHeader(pcc, sid, count, { packetType });
}

export function fftPacket(sid: number, count: number, frameIndex: number, startBin: number, bins: number[], totalBins: number): Buffer {
  return encodePacket({
    kind: 'panadapter',
    header: flexHeader(PCC.fft, sid, count),
    payload: { startBin, numBins: bins.length, binSize: 2, totalBins, frameIndex, bins: Uint16Array.from(bins) },
    padding: Buffer.alloc(4),
  });
}

export function meterPacket(count: number, readings: Array<[number, number]>, sid = 0x700): Buffer {
  return encodePacket({
    kind: 'meter',
    header: flexHeader(PCC.meter, sid, count),
    payload: { readings: readings.map(([id, raw]) => ({ id, raw })) },
  });
}

export function waterfallPacket(sid: number, count: number, timecode: number, firstBin: number, width: number, totalBins: number): Buffer {
  return encodePacket({
    kind: 'waterfall',
    header: flexHeader(PCC.waterfall, sid, count),
    payload: {
      frameLowFreq: 14_000_000n << 20n,
      binBandwidth: 49_152_000n, // 46.875 Hz × 2^20, as observed (reference §3.2)
      lineDurationMs: 50,
      width,
      height: 1,
      timecode,
      autoBlackLevel: 0,
      totalBins,
      firstBin,
      bins: new Uint16Array(width).fill(1000),
    },
    padding: Buffer.alloc(4),
  });
}

export function opusPacket(sid: number, count: number, bytes: number): Buffer {
  return encodePacket({
    kind: 'audio',
    header: flexHeader(PCC.opus, sid, count),
    payload: { format: 'opus', data: Buffer.alloc(bytes, 0x5a) },
  });
}

/** Reduced-bandwidth DAX audio (PCC 0x0123, reference §3.7): 128 int16 samples. */
export function daxAudioPacket(sid: number, count: number): Buffer {
  return encodePacket({ kind: 'audio', header: flexHeader(PCC.ifNarrowReducedBw, sid, count), payload: { format: 'int16-mono', samples: new Int16Array(128) } });
}

/** DAX IQ at 48 kHz (PCC 0x02E4, packet type 1, reference §3.8): 512 complex float32 samples, a 4124-byte datagram. */
export function daxIqPacket(sid: number, count: number): Buffer {
  return encodePacket({ kind: 'dax-iq', header: flexHeader(PCC.daxIq48k, sid, count, 1), payload: { byteOrder: 'le', samples: new Float32Array(1024) } });
}
