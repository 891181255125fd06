/**
 * `npm run fuzz [-- --seed N] [--only codec,tracker,captures,lines] [--from I] [--count N] [--scale F]`
 *
 * Seeded fuzzing of everything that reads untrusted bytes (DESIGN.md §6): each category runs in a
 * worker under a watchdog (hangs, memory), one after the other (the machine has two cores). Prints
 * the seed first and figures at the end; exits 1 on any failure, each printed with its replay command.
 * The seed also comes from FLEXPATH_FUZZ_SEED; without one a random seed is drawn (and printed).
 */
import { randomInt } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { CATEGORIES } from './categories.js';
import { DEFAULT_SLOW_MS, type FuzzResult } from './harness.js';
import { DEFAULT_LIMITS, RssMeter, runWatched } from './watchdog.js';

const { values } = parseArgs({
  options: {
    seed: { type: 'string' },
    only: { type: 'string' },
    from: { type: 'string' },
    count: { type: 'string' },
    scale: { type: 'string' },
    'slow-ms': { type: 'string' },
    'hang-ms': { type: 'string' },
    'max-rss-mb': { type: 'string' },
  },
});

function num(v: string | undefined, fallback: number, name: string): number {
  if (v === undefined) return fallback;
  const n = Number(v);
  if (!Number.isFinite(n) || n < 0) throw new Error(`--${name} must be a non-negative number (got "${v}")`);
  return n;
}

const seed = num(values.seed ?? process.env.FLEXPATH_FUZZ_SEED, randomInt(2 ** 31), 'seed') >>> 0;
const only = values.only?.split(',') ?? Object.keys(CATEGORIES);
for (const c of only) if (!(c in CATEGORIES)) throw new Error(`unknown category "${c}" (have: ${Object.keys(CATEGORIES).join(', ')})`);
const scale = num(values.scale, 1, 'scale');
const slowMs = num(values['slow-ms'], DEFAULT_SLOW_MS, 'slow-ms');
const limits = { hangMs: num(values['hang-ms'], DEFAULT_LIMITS.hangMs, 'hang-ms'), maxRssMb: num(values['max-rss-mb'], DEFAULT_LIMITS.maxRssMb, 'max-rss-mb') };

console.log(`fuzz seed ${seed} (replay: npm run fuzz -- --seed ${seed}); categories ${only.join(', ')}; input limit ${slowMs} ms, hang ${limits.hangMs} ms, RSS ${limits.maxRssMb} MB`);

const rss = new RssMeter();
const t0 = performance.now();
const rows: Array<{ result: FuzzResult; seconds: number }> = [];
const failures: string[] = [];
for (const category of only) {
  const count = values.count !== undefined ? num(values.count, 0, 'count') : Math.max(1, Math.round((CATEGORIES[category]?.count ?? 0) * scale));
  const opts = { seed, from: num(values.from, 0, 'from'), count, slowMs };
  process.stdout.write(`${category}: ${count} input(s) from ${opts.from} … `);
  const t = performance.now();
  const w = await runWatched(category, opts, limits, rss);
  const seconds = (performance.now() - t) / 1000;
  console.log(`${seconds.toFixed(1)} s`);
  if (w.result) {
    rows.push({ result: w.result, seconds });
    failures.push(...w.result.failures);
  }
  if (w.failure) failures.push(w.failure);
}
const endMb = rss.sample();

console.log('\n== figures');
for (const { result: r, seconds } of rows) {
  console.log(`${r.category}: ${r.inputs} inputs in ${seconds.toFixed(1)} s; slowest ${r.slowest.ms.toFixed(1)} ms (input ${r.slowest.input}: ${r.slowest.what.slice(0, 120)})`);
  for (const [kind, n] of Object.entries(r.outcomes).sort((a, b) => b[1] - a[1])) console.log(`    ${String(n).padStart(9)}  ${kind}`);
}
console.log(`RSS start ${rss.startMb.toFixed(0)} MB, peak ${rss.peakMb.toFixed(0)} MB, end ${endMb.toFixed(0)} MB`);
console.log(`total ${((performance.now() - t0) / 1000).toFixed(1)} s, seed ${seed}`);
if (failures.length > 0) {
  console.log(`\n${failures.length} FAILURE(S):`);
  for (const f of failures) console.log(`- ${f}`);
  process.exitCode = 1;
} else {
  console.log('no failures');
}
