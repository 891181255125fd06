/**
 * Hysteresis for a live verdict: what the window shows of a hop's status, and of the verdict's
 * status, hop and cause, changes only once the new judgement has held for `holdMs` without a break.
 * A judgement that comes and goes faster (the jitter demo's verdict used to flip 8 times in 15 s)
 * never reaches the screen. The first judgement of a hop or verdict (from nothing, unknown or
 * inconclusive) shows at once: there is nothing on screen yet to keep steady.
 *
 * The hold time follows FlexLib's own network-quality display, which moves up a level only after a
 * countdown of 5 one-second ticks (reference §7.4): 5 s.
 */
import type { AnalysisReport, Hop, HopId, Verdict } from '../analysis/model.js';

const VERDICT_HOLD_MS = 5000;

interface Held<T> {
  shown: T;
  shownKey: string;
  pending?: { key: string; since: number };
}

/** Keeps `current` off screen until its key has been seen continuously for `holdMs`. */
function step<T>(h: Held<T> | undefined, current: T, key: string, fresh: (key: string) => boolean, now: number, holdMs: number): Held<T> {
  if (!h || h.shownKey === key || fresh(h.shownKey)) return { shown: current, shownKey: key };
  if (h.pending?.key === key) {
    if (now - h.pending.since >= holdMs) return { shown: current, shownKey: key };
    return h;
  }
  return { ...h, pending: { key, since: now } };
}

export interface VerdictHold {
  /** The report to show at time `now` (ms, monotonic): hops and verdict as held, the rest as given. */
  apply(report: AnalysisReport, now: number): AnalysisReport;
}

export function createVerdictHold(holdMs = VERDICT_HOLD_MS): VerdictHold {
  const hops = new Map<HopId, Held<Hop>>();
  let verdict: Held<Verdict> | undefined;
  const hopFresh = (key: string): boolean => key === 'unknown';
  const verdictFresh = (key: string): boolean => key.startsWith('inconclusive|');
  const note = (pendingKey: string, since: number, now: number): string =>
    `changing to ${pendingKey.replace(/\|+$/, '').replaceAll('|', ' / ')}: shown once it has held ${(holdMs / 1000).toFixed(0)} s (${((now - since) / 1000).toFixed(0)} s so far)`;

  return {
    apply(report, now) {
      const outHops = report.hops.map((hop) => {
        const h = step(hops.get(hop.id), hop, hop.status, hopFresh, now, holdMs);
        hops.set(hop.id, h);
        if (h.shownKey === hop.status) return hop;
        // Still showing the old status: its evidence as last seen under that status, plus what is pending.
        return { ...h.shown, evidence: [...h.shown.evidence, note(h.pending!.key, h.pending!.since, now)] };
      });
      const v = report.verdict;
      const key = `${v.status}|${v.hop ?? ''}|${v.cause ?? ''}`;
      verdict = step(verdict, v, key, verdictFresh, now, holdMs);
      const outVerdict = verdict.shownKey === key ? v : verdict.shown;
      return { ...report, hops: outHops, verdict: outVerdict };
    },
  };
}
