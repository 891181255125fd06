/**
 * Collects a capture's own panadapter frames, waterfall lines and per-class rate/loss over capture
 * time while the capture is analysed, in bounded memory: past the limits every other entry is
 * dropped and only every 2nd (4th, …) new one kept, so a long capture stays evenly sampled.
 */
import type { StreamKind } from '../analysis/model.js';
import type { ReplaySnapshot, SeriesPoint } from './protocol.js';
import { seriesPoint } from './stream-rows.js';

export const REPLAY_MAX_FRAMES = 600;
const REPLAY_MAX_LINES = 1200;
export const REPLAY_MAX_BINS = 512;
const REPLAY_MAX_POINTS = 600;

/** A list that keeps at most `max` entries spread evenly over everything offered. */
class Thinned<T> {
  items: T[] = [];
  private stride = 1;
  private offered = 0;
  constructor(private readonly max: number) {}
  offer(make: () => T): void {
    if (this.offered++ % this.stride !== 0) return;
    this.items.push(make());
    if (this.items.length > this.max) {
      this.items = this.items.filter((_, i) => i % 2 === 0);
      this.stride *= 2;
    }
  }
}

/** Narrows `bins` to at most `max` columns, each the `pick` of the bins it covers. */
export function narrowBins(bins: ArrayLike<number>, max: number, pick: (a: number, b: number) => number): number[] {
  const n = bins.length;
  if (n <= max) return Array.from(bins);
  const out: number[] = [];
  for (let x = 0; x < max; x++) {
    const a = Math.floor((x * n) / max);
    const b = Math.floor(((x + 1) * n) / max);
    let v = bins[a]!;
    for (let i = a + 1; i < b; i++) v = pick(v, bins[i]!);
    out.push(v);
  }
  return out;
}

type Totals = Map<StreamKind, { packets: number; lost: number }>;

export interface ReplayCollector {
  /** FFT bins are y pixels (0 = strongest): narrowing keeps the strongest, the minimum. */
  fft(streamId: string, ts: number, bins: ArrayLike<number>): void;
  line(streamId: string, ts: number, timecode: number, bins: ArrayLike<number>): void;
  /** Every packet's capture time; `totals` is read only when a new 1-s point is due. */
  tick(ts: number, totals: () => Totals): void;
  result(firstTs: number | undefined, lastTs: number | undefined, waterfallSeen: boolean): { replay?: Omit<ReplaySnapshot, 'run'>; series: SeriesPoint[] };
}

export function createReplayCollector(): ReplayCollector {
  let panStream: string | undefined;
  let wfStream: string | undefined;
  let t0: number | undefined;
  const frames = new Thinned<{ ts: number; bins: number[] }>(REPLAY_MAX_FRAMES);
  const lines = new Thinned<{ ts: number; timecode: number; bins: number[] }>(REPLAY_MAX_LINES);
  const points = new Thinned<SeriesPoint>(REPLAY_MAX_POINTS);
  let prev: Totals = new Map();
  let prevTs: number | undefined;

  return {
    fft(id, ts, bins) {
      // One panadapter: the first that completes a frame.
      if ((panStream ??= id) !== id) return;
      frames.offer(() => ({ ts, bins: narrowBins(bins, REPLAY_MAX_BINS, Math.min) }));
    },
    line(id, ts, timecode, bins) {
      if ((wfStream ??= id) !== id) return;
      lines.offer(() => ({ ts, timecode, bins: narrowBins(bins, REPLAY_MAX_BINS, Math.max) }));
    },
    tick(ts, totals) {
      t0 ??= ts;
      prevTs ??= ts;
      if (ts - prevTs < 1) return;
      const cur = totals();
      const dt = ts - prevTs;
      points.offer(() => seriesPoint(prev, cur, Math.round((ts - t0!) * 10) / 10, dt));
      prev = cur;
      prevTs = ts;
    },
    result(firstTs, lastTs, waterfallSeen) {
      const series = points.items;
      const start = firstTs ?? 0;
      if (frames.items.length === 0 && lines.items.length === 0 && !waterfallSeen) return { series };
      const ls = lines.items;
      const gaps = ls.slice(1).map((l, i) => l.ts - ls[i]!.ts).sort((a, b) => a - b);
      const replay: Omit<ReplaySnapshot, 'run'> = {
        type: 'replay',
        streamId: panStream ?? wfStream ?? '',
        durationS: Math.max(0, (lastTs ?? start) - start),
        fft: frames.items.map((f) => ({ t: f.ts - start, bins: f.bins })),
        lines: ls.map((l) => ({ t: l.ts - start, timecode: l.timecode, bins: l.bins })),
        waterfallSeen,
      };
      if (gaps.length > 0) replay.lineIntervalS = gaps[gaps.length >> 1]!;
      return { replay, series };
    },
  };
}
