/**
 * `npm run bench -- verdicts`: how well the rules call random loss — the share of seeded 6-s sessions
 * flagged at 0.1, 0.5, 1 and 2 % loss with the LAN and the SmartLink thresholds (false alarms where the
 * loss is tolerated, misses where it must be found; no wall clock: simulated event lists) — and how soon
 * a live diagnosis calls each fault after the streams are set up (median time to verdict per fault,
 * time-to-verdict.ts).
 */
import { formatLossRates, lossRates } from '../test/helpers/loss-rates.js';
import { benchTimeToVerdict } from './time-to-verdict.js';

const RUNS = Number(process.env.VERDICT_RUNS ?? 200);
/** Live runs per fault for the time to verdict (≥ 10, issue 11 §3). */
const TTV_RUNS = Number(process.env.TTV_RUNS ?? 10);
/** `TTV_ONLY='udp blocked,wrong port'`: only these faults. */
const TTV_ONLY = (process.env.TTV_ONLY ?? '').split(',').filter(Boolean);

export async function benchVerdicts(): Promise<void> {
  console.log(`random loss, ${RUNS} seeded sessions per level (meters, FFT, waterfall, Opus; ≈ 1400 packets in 6 s):`);
  console.log(formatLossRates(lossRates([0.001, 0.005, 0.01, 0.02], RUNS)));
  await benchTimeToVerdict(TTV_RUNS, TTV_ONLY);
}
