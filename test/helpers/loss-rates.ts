/**
 * How often random loss is called degraded: seeded LAN sessions (test/helpers/scenario.ts: meters,
 * FFT, waterfall and Opus at the reference §3.9 rates) losing a fraction of every datagram, analysed,
 * and judged with the LAN thresholds and — the same traffic — with the SmartLink ones. Used by the
 * statistical unit tests and by `npm run bench -- loss`, which prints the false-alarm and miss rates.
 */
import { Analyzer } from '../../src/analysis/analyzer.js';
import { judge } from '../../src/analysis/judge.js';
import { lanScenario } from './scenario.js';

export interface LossRate {
  loss: number;
  mode: 'lan' | 'wan';
  runs: number;
  /** Runs whose verdict was not healthy. */
  flagged: number;
  /** Verdict cause (or status) → runs. */
  causes: Record<string, number>;
}

export function lossRates(levels: number[], runs: number, o: { seconds?: number; firstSeed?: number } = {}): LossRate[] {
  const out: LossRate[] = [];
  for (const loss of levels) {
    const rows = { lan: { loss, mode: 'lan', runs, flagged: 0, causes: {} } as LossRate, wan: { loss, mode: 'wan', runs, flagged: 0, causes: {} } as LossRate };
    for (let i = 0; i < runs; i++) {
      const a = new Analyzer();
      for (const e of lanScenario({ loss, seconds: o.seconds ?? 6, seed: (o.firstSeed ?? 1) + i, withAudio: true })) a.feed(e);
      a.finish();
      const facts = a.facts();
      for (const mode of ['lan', 'wan'] as const) {
        const v = judge({ ...facts, mode }).verdict;
        const r = rows[mode];
        if (v.status !== 'healthy') r.flagged++;
        const key = v.cause ?? v.status;
        r.causes[key] = (r.causes[key] ?? 0) + 1;
      }
    }
    out.push(rows.lan, rows.wan);
  }
  return out;
}

export function formatLossRates(rates: LossRate[]): string {
  const lines = ['loss   mode  runs  flagged  rate     causes'];
  for (const r of rates) {
    const causes = Object.entries(r.causes)
      .map(([k, n]) => `${k} ${n}`)
      .join(', ');
    lines.push(`${(r.loss * 100).toFixed(1).padStart(4)} %  ${r.mode}   ${String(r.runs).padStart(4)}  ${String(r.flagged).padStart(7)}  ${((r.flagged / r.runs) * 100).toFixed(1).padStart(5)} %  ${causes}`);
  }
  return lines.join('\n');
}
