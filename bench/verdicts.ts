/**
 * `npm run bench -- verdicts`: how well the rules call random loss — the share of seeded 6-s sessions
 * flagged at 0.1, 0.5, 1 and 2 % loss with the LAN and the SmartLink thresholds (false alarms where the
 * loss is tolerated, misses where it must be found) — and how soon a fault is called after the streams
 * are set up (median time to verdict per fault). No wall clock: the sessions are simulated event lists,
 * so the figures are the rules', not the machine's.
 */
import { formatLossRates, lossRates } from '../test/helpers/loss-rates.js';

const RUNS = Number(process.env.VERDICT_RUNS ?? 200);

export function benchVerdicts(): void {
  console.log(`random loss, ${RUNS} seeded sessions per level (meters, FFT, waterfall, Opus; ≈ 1400 packets in 6 s):`);
  console.log(formatLossRates(lossRates([0.001, 0.005, 0.01, 0.02], RUNS)));
}
