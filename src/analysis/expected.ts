/**
 * What a healthy stream looks like (reference §3.9) and FlexLib's network-quality thresholds (§7), in
 * one place, so the rules and the simulator agree and the numbers match what SmartSDR shows users.
 */
import type { StreamKind } from './model.js';

export interface ExpectedRate {
  pps: number;
  /** 'confirmed': vendor-sourced or observed; 'estimate': third-party or derived (reference marks). */
  confidence: 'confirmed' | 'estimate';
  basis: string;
}

/** Waterfall tiles carry at most 684 bins in a 1436-byte packet at network_mtu 1500 (reference §3.2). */
export const WATERFALL_BINS_PER_PACKET = 684;

export function expectedRate(kind: StreamKind, opts: { audioFormat?: string; fps?: number; packetsPerFrame?: number; sampleRate?: number } = {}): ExpectedRate | undefined {
  switch (kind) {
    case 'discovery':
      return { pps: 1, confidence: 'confirmed', basis: '≈1 beacon/s (observed median 1.001 s)' };
    case 'meter':
      // ≈28/s observed once; depends on the meters' fps (reference §3.3, UNCONFIRMED as a rule).
      return { pps: 28, confidence: 'estimate', basis: '≈28 meter packets/s observed on one radio' };
    case 'panadapter': {
      const fps = opts.fps ?? 25;
      const per = opts.packetsPerFrame ?? 1;
      return { pps: fps * per, confidence: opts.fps !== undefined ? 'confirmed' : 'estimate', basis: `${fps} fps × ${per} packet(s)/frame` };
    }
    case 'waterfall':
      // Line rate disagrees across sources (reference §3.2, §9): ≈100 packets/s observed.
      return { pps: 100, confidence: 'estimate', basis: '≈100 tiles/s observed (line rate UNCONFIRMED)' };
    case 'audio':
    case 'dax-audio':
      if (opts.audioFormat === 'opus') return { pps: 100, confidence: 'estimate', basis: 'Opus, 10 ms frames → 100 packets/s' };
      return { pps: 187.5, confidence: 'estimate', basis: '128 frames at 24 kHz → 187.5 packets/s' };
    case 'dax-iq':
      if (opts.sampleRate) return { pps: opts.sampleRate / 512, confidence: 'estimate', basis: `${opts.sampleRate} Hz / 512 samples per packet (UNCONFIRMED)` };
      return undefined;
    case 'other':
      return undefined;
  }
}

/**
 * What a requested object must deliver at least, per second, in the unit the silence rules count: the
 * rate the "nothing arrived" rules put into their Poisson mean (rules.ts SILENCE_ALPHA). Where the
 * reference gives a range or an estimate, the low end, so that a slow stream is never called missing
 * before its time:
 * - meters: ≈ 28 packets/s (reference §3.3, §3.9: observed on one radio; the set's fastest meter sets it);
 * - FFT: frames at the pan's `fps` (default 25, §3.1): every frame is at least one packet;
 * - waterfall: lines at 1000 / the status `line_duration` (default 100 ms, §3.2) — the one capture sent
 *   tiles every 50 ms while its status said 100, so the status figure is the lower of the two;
 * - Opus 100 packets/s (§3.5), uncompressed and DAX audio 187.5 (§3.6–3.7);
 * - DAX IQ: sample rate / 512 (§3.8, UNCONFIRMED), at the lowest rate, 24 kHz, when the rate is not known.
 */
export interface SilenceRate {
  perS: number;
  /** What is counted: 'meter packets', 'FFT frames', 'waterfall lines', 'audio packets'. */
  unit: string;
}

const DEFAULT_LINE_DURATION_MS = 100;
const DAX_IQ_MIN_RATE = 24_000;

export function silenceRate(kind: StreamKind, o: { fps?: number; lineDurationMs?: number; compression?: string; sampleRate?: number } = {}): SilenceRate | undefined {
  switch (kind) {
    case 'meter':
      return { perS: expectedRate('meter')!.pps, unit: 'meter packets' };
    case 'panadapter':
      return { perS: o.fps ?? 25, unit: 'FFT frames' };
    case 'waterfall':
      return { perS: 1000 / (o.lineDurationMs !== undefined && o.lineDurationMs > 0 ? o.lineDurationMs : DEFAULT_LINE_DURATION_MS), unit: 'waterfall lines' };
    case 'audio':
    case 'dax-audio':
      return { perS: expectedRate(kind, o.compression === 'OPUS' ? { audioFormat: 'opus' } : {})!.pps, unit: 'audio packets' };
    case 'dax-iq':
      return { perS: (o.sampleRate ?? DAX_IQ_MIN_RATE) / 512, unit: 'DAX IQ packets' };
    default:
      return undefined;
  }
}

/** FlexLib RTT thresholds in ms (reference §7.3). */
export const RTT_THRESHOLDS = {
  lan: { fair: 50, poor: 100 },
  wan: { fair: 100, poor: 500 },
} as const;

/** FlexLib disconnects when a ping has been outstanding for more than 17 s (reference §5.5). */
export const PING_TIMEOUT_S = 17;

/** SmartLink: cumulative loss above 5 % drops quality from Fair to Poor (§7.2). */
export const LOSS_POOR = 0.05;

/** Packets at or above this size are the ones an MTU problem removes (reference §8 #8, DESIGN "≥1 kB"). */
export const LARGE_PACKET_BYTES = 1000;
