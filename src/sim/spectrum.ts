/**
 * A band the simulated radio "hears": a noise floor with a few signals (an FT8 cluster, CW carriers, an
 * SSB voice), so the panadapter and waterfall show something a ham recognises — and gaps show as gaps.
 *
 * FFT bins are y pixels (0 = top = max_dbm, reference §3.1); waterfall bins are intensities, for which
 * the reference gives no scale (AetherSDR reads int16/128), so we use (dBm + 200) × 128, which keeps
 * every value positive and monotonic in power.
 */
import type { Rng } from './rng.js';

interface Signal {
  hz: number;
  dbm: number;
  widthHz: number;
  /** Keying: the fraction of time the signal is on (CW/FT8 come and go). */
  duty: number;
  periodS: number;
}

const SIGNALS: Signal[] = [
  { hz: 14_074_000, dbm: -78, widthHz: 2_800, duty: 0.85, periodS: 15 },
  { hz: 14_030_500, dbm: -85, widthHz: 150, duty: 0.55, periodS: 1.3 },
  { hz: 14_041_200, dbm: -97, widthHz: 150, duty: 0.6, periodS: 0.9 },
  { hz: 14_205_000, dbm: -72, widthHz: 2_700, duty: 0.7, periodS: 4.1 },
  { hz: 14_100_000, dbm: -101, widthHz: 500, duty: 1, periodS: 1 },
];

const NOISE_FLOOR_DBM = -118;

export interface View {
  centerHz: number;
  bandwidthHz: number;
  bins: number;
}

/** Power in dBm of each bin of `view` at time `t` (seconds), written into `out`. */
export function powerDbm(view: View, t: number, rnd: Rng, out: Float32Array): Float32Array {
  const lowHz = view.centerHz - view.bandwidthHz / 2;
  const binHz = view.bandwidthHz / view.bins;
  for (let i = 0; i < view.bins; i++) out[i] = NOISE_FLOOR_DBM + (rnd() + rnd() + rnd() - 1.5) * 4;
  for (const s of SIGNALS) {
    if (((t / s.periodS) % 1) > s.duty) continue;
    const first = Math.floor((s.hz - s.widthHz / 2 - lowHz) / binHz);
    const last = Math.ceil((s.hz + s.widthHz / 2 - lowHz) / binHz);
    for (let i = Math.max(0, first); i <= Math.min(view.bins - 1, last); i++) {
      const v = s.dbm + (rnd() - 0.5) * 3;
      if (v > (out[i] ?? -Infinity)) out[i] = v;
    }
  }
  return out;
}

/** dBm → FFT y pixel (0 = max_dbm at the top). */
export function toFftBins(dbm: Float32Array, yPixels: number, minDbm: number, maxDbm: number, out: Uint16Array): Uint16Array {
  const span = maxDbm - minDbm;
  const bottom = Math.max(0, yPixels - 1);
  for (let i = 0; i < out.length; i++) {
    const y = Math.round(((maxDbm - (dbm[i] ?? minDbm)) / span) * bottom);
    out[i] = y < 0 ? 0 : y > bottom ? bottom : y;
  }
  return out;
}

export function toWaterfallBins(dbm: Float32Array, out: Uint16Array): Uint16Array {
  for (let i = 0; i < out.length; i++) out[i] = Math.max(0, Math.min(0xffff, Math.round(((dbm[i] ?? -200) + 200) * 128)));
  return out;
}
