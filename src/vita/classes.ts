/**
 * FlexRadio class identifiers (reference §2.1–§2.3). The packet class code (PCC) decides the payload
 * layout; FlexLib itself checks only the OUI, so we do the same for "is this Flex?" and keep the
 * information class code on every packet for the report.
 */
import type { VitaHeader } from './header.js';

export const FLEX_OUI = 0x001c2d;
/** ASCII "SL" (SmoothLake), the same on every Flex stream. */
export const FLEX_INFORMATION_CLASS = 0x534c;

export const PCC = {
  discovery: 0xffff,
  meter: 0x8002,
  fft: 0x8003,
  waterfall: 0x8004,
  opus: 0x8005,
  /** 24 kHz stereo float32: DAX RX, DAX mic, uncompressed remote audio. */
  ifNarrow: 0x03e3,
  /** 24 kHz mono int16 ("reduced bandwidth DAX"). */
  ifNarrowReducedBw: 0x0123,
  daxIq24k: 0x02e3,
  daxIq48k: 0x02e4,
  daxIq96k: 0x02e5,
  daxIq192k: 0x02e6,
} as const;

/** What a packet carries, from its class alone. DAX audio shares audio's classes; analysis refines it. */
export type PacketKind = 'discovery' | 'meter' | 'panadapter' | 'waterfall' | 'audio' | 'dax-iq' | 'other';
export type AudioFormat = 'opus' | 'float32-stereo' | 'int16-mono';

export interface FlexClass {
  kind: PacketKind;
  audioFormat?: AudioFormat;
  /** For DAX IQ classes: the sample rate the PCC encodes. */
  sampleRate?: number;
}

const DAX_IQ_RATES: Record<number, number> = {
  [PCC.daxIq24k]: 24_000,
  [PCC.daxIq48k]: 48_000,
  [PCC.daxIq96k]: 96_000,
  [PCC.daxIq192k]: 192_000,
};

/** Maps a header to its Flex payload kind; non-Flex or unknown classes are `other`. */
export function classify(h: VitaHeader): FlexClass {
  return h.classId ? classifyCodes(h.classId.oui, h.classId.packetClassCode) : { kind: 'other' };
}

export function classifyCodes(oui: number, pcc: number): FlexClass {
  if (oui !== FLEX_OUI) return { kind: 'other' };
  switch (pcc) {
    case PCC.discovery:
      return { kind: 'discovery' };
    case PCC.meter:
      return { kind: 'meter' };
    case PCC.fft:
      return { kind: 'panadapter' };
    case PCC.waterfall:
      return { kind: 'waterfall' };
    case PCC.opus:
      return { kind: 'audio', audioFormat: 'opus' };
    case PCC.ifNarrow:
      return { kind: 'audio', audioFormat: 'float32-stereo' };
    case PCC.ifNarrowReducedBw:
      return { kind: 'audio', audioFormat: 'int16-mono' };
  }
  const rate = DAX_IQ_RATES[pcc];
  return rate !== undefined ? { kind: 'dax-iq', sampleRate: rate } : sampleClassKind(pcc);
}

/**
 * A sample class the table above does not list — another sample rate, as a FLEX-8000/Aurora or a later
 * firmware may send (UNCONFIRMED: no capture of one) — still has its layout in its bit field (reference
 * §2.3): audio in one of the two audio layouts (float32 L/R pairs, int16 mono) or float I/Q pairs, as every
 * DAX IQ class is. Other layouts (the 8-bit class is the waveform SDK's byte data) stay unknown.
 */
function sampleClassKind(pcc: number): FlexClass {
  const s = describeSampleClass(pcc);
  if (s === undefined) return { kind: 'other' };
  const pairs32 = s.isFloat && s.framesPerSample === 2 && s.bitsPerSample === 32;
  if (s.isAudio && pairs32) return { kind: 'audio', audioFormat: 'float32-stereo' };
  if (s.isAudio && !s.isFloat && s.framesPerSample === 1 && s.bitsPerSample === 16) return { kind: 'audio', audioFormat: 'int16-mono' };
  if (!s.isAudio && pairs32) return { kind: 'dax-iq', ...(s.sampleRate !== undefined ? { sampleRate: s.sampleRate } : {}) };
  return { kind: 'other' };
}

const RATE_CODES = [3_000, 6_000, 12_000, 24_000, 48_000, 96_000, 192_000, 384_000];

export interface SampleClass {
  isFloat: boolean;
  isAudio: boolean;
  framesPerSample: 1 | 2;
  bitsPerSample: 8 | 16 | 24 | 32;
  /** Undefined for rate codes past the ones the reference lists. */
  sampleRate?: number;
}

/**
 * Reads a sample-stream PCC as the waveform SDK's bit field (reference §2.3). Only meaningful for
 * classes below 0x8000; the 0x8xxx and 0xFFFF classes are Flex-private and return undefined.
 */
export function describeSampleClass(pcc: number): SampleClass | undefined {
  if (pcc & 0xfc00) return undefined;
  const rate = RATE_CODES[pcc & 0x1f];
  return {
    isFloat: (pcc & 0x200) !== 0,
    isAudio: (pcc & 0x100) !== 0,
    framesPerSample: pcc & 0x80 ? 2 : 1,
    bitsPerSample: ([8, 16, 24, 32] as const)[(pcc >> 5) & 3] ?? 8,
    ...(rate !== undefined ? { sampleRate: rate } : {}),
  };
}
