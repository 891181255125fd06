/**
 * Turns the analysis' cumulative stream counters into what the UI shows: table rows with the rate a
 * healthy LAN would have, and per-class time-series points (rate and loss over the last interval).
 */
import type { StreamKind, StreamSummary } from '../analysis/model.js';
import type { SeriesPoint, StreamRow } from './protocol.js';

/**
 * Packets/s on a healthy LAN with default settings, by packet class code (reference §3.9). FFT and
 * waterfall rates depend on fps, pan width and line duration, so they have no fixed expectation.
 */
const EXPECTED_PPS_BY_PCC: Record<string, number> = {
  '0xFFFF': 1, // discovery beacon
  '0x8002': 28, // meters
  '0x8005': 100, // Opus remote audio
  '0x03E3': 187.5, // float32 audio
  '0x0123': 187.5, // reduced-bandwidth DAX audio
};

export function expectedPps(pcc: string): number | undefined {
  return EXPECTED_PPS_BY_PCC[pcc.toUpperCase().replace(/^0X/, '0x')];
}

/** One stream ID can reach several destinations (two clients): a row is the ID and both endpoints. */
export function streamRowKey(s: Pick<StreamSummary, 'id' | 'src' | 'dst'>): string {
  return `${s.id} ${s.src} ${s.dst}`;
}

/**
 * `expected`: the rate the analysis expects of each stream (by streamRowKey), from what the control plane
 * announced (a pan's fps, the audio format): the figure `analyze` prints beside the stream. The class
 * code's default stands in where the analysis has none.
 */
export function toStreamRows(streams: readonly StreamSummary[], jitterMs?: ReadonlyMap<string, number>, expected?: ReadonlyMap<string, number>): StreamRow[] {
  return streams.map((s) => {
    const row: StreamRow = { ...s };
    const exp = expected?.get(streamRowKey(s)) ?? expectedPps(s.pcc);
    if (exp !== undefined) row.expectedPps = exp;
    const j = jitterMs?.get(streamRowKey(s));
    if (j !== undefined) row.jitterMs = j;
    return row;
  });
}

interface ClassTotals {
  packets: number;
  lost: number;
}

export function totalsByKind(streams: readonly StreamSummary[]): Map<StreamKind, ClassTotals> {
  const out = new Map<StreamKind, ClassTotals>();
  for (const s of streams) {
    const t = out.get(s.kind) ?? { packets: 0, lost: 0 };
    t.packets += s.packets;
    t.lost += s.lost;
    out.set(s.kind, t);
  }
  return out;
}

/**
 * One series point from two cumulative samples `dt` seconds apart. Loss % is lost / (received + lost)
 * in the interval; a class with nothing expected and nothing received in the interval reports 0 pps.
 */
export function seriesPoint(
  prev: ReadonlyMap<StreamKind, ClassTotals>,
  cur: ReadonlyMap<StreamKind, ClassTotals>,
  t: number,
  dt: number,
): SeriesPoint {
  const point: SeriesPoint = { t, rate: {}, lossPct: {} };
  for (const [kind, c] of cur) {
    const p = prev.get(kind) ?? { packets: 0, lost: 0 };
    const got = Math.max(0, c.packets - p.packets);
    const lost = Math.max(0, c.lost - p.lost);
    point.rate[kind] = dt > 0 ? got / dt : 0;
    point.lossPct[kind] = got + lost > 0 ? (100 * lost) / (got + lost) : 0;
  }
  return point;
}
