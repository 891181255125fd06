/**
 * `npm run soak` (issue 8): the UI's demo — simulator walked by FlexPath's continuous probe, recording
 * on, the session publishing models and spectrum as it does to a window — at 10× the radio's packet
 * rates, so 6 minutes carry an hour of packets (FLEXPATH_SOAK_MINUTES shortens it). Samples RSS every
 * few seconds and prints start, peak, end and the growth after warm-up, then the largest structures
 * the analysis holds, which must not scale with the session's length.
 */
import { productBackends } from '../src/bridge/backends.js';
import { createSession } from '../src/bridge/session.js';
import type { Diagnosis } from '../src/diagnose/walk.js';
import type { Simulator } from '../src/sim/radio-sim.js';
import { census, largest } from '../test/helpers/census.js';

const RATE_SCALE = 10;
const SAMPLE_MS = 5000;
/** Allocation settles once buffers, JIT code and the capped recording reach their size. */
const WARMUP_S = 60;
const TARGET_MB = 200;

const minutes = Number(process.env.FLEXPATH_SOAK_MINUTES ?? 6);
if (!Number.isFinite(minutes) || minutes <= 0) throw new Error('FLEXPATH_SOAK_MINUTES must be a positive number');
const mb = (bytes: number): string => `${(bytes / 1048576).toFixed(1)} MB`;

let demo: { sim: Simulator; d: Diagnosis } | undefined;
let emitted = 0;
let emittedBytes = 0;
const session = createSession({
  backends: productBackends({ demoRateScale: RATE_SCALE, onDemo: (sim, d) => (demo = { sim, d }) }),
  // What the web server does with every snapshot: serialise it for the socket.
  emit: (s) => {
    emitted++;
    emittedBytes += JSON.stringify(s).length;
  },
  host: { nativeDialogs: false, deliverExport: async () => ({}) },
});

const t0 = performance.now();
const samples: Array<{ s: number; rss: number; heap: number }> = [];
const sample = (): void => {
  const m = process.memoryUsage();
  samples.push({ s: (performance.now() - t0) / 1000, rss: m.rss, heap: m.heapUsed });
};
sample();
console.log(`soak: ${minutes} min at ${RATE_SCALE}× rates = ${((minutes * RATE_SCALE) / 60).toFixed(2)} h of packets; RSS every ${SAMPLE_MS / 1000} s`);
await session.handle({ type: 'start-demo', faults: [] });
if (!demo) throw new Error('the demo did not start');
const { d } = demo;
const end = t0 + minutes * 60_000;
while (performance.now() < end) {
  await new Promise((r) => setTimeout(r, Math.min(SAMPLE_MS, Math.max(0, end - performance.now()))));
  sample();
  const last = samples[samples.length - 1]!;
  if (samples.length % 6 === 0) console.log(`  t=${last.s.toFixed(0)} s  RSS ${mb(last.rss)}  heap ${mb(last.heap)}  packets ${d.evidence.report().source.packets}`);
}
const report = d.evidence.report();
const structures = largest(census(d.evidence.analyzer, 'analyzer'));
await session.close();

const after = samples.filter((x) => x.s >= Math.min(WARMUP_S, (minutes * 60) / 2));
const first = after[0] ?? samples[0]!;
const last = samples[samples.length - 1]!;
const peak = samples.reduce((a, x) => (x.rss > a.rss ? x : a));
// Least-squares slope of RSS after warm-up, per hour of real time.
const n = after.length;
const mx = after.reduce((a, x) => a + x.s, 0) / n;
const my = after.reduce((a, x) => a + x.rss, 0) / n;
const slope = after.reduce((a, x) => a + (x.s - mx) * (x.rss - my), 0) / Math.max(1e-9, after.reduce((a, x) => a + (x.s - mx) ** 2, 0));
const lost = report.streams.reduce((a, s) => a + s.lost, 0);

console.log(`RSS: start ${mb(samples[0]!.rss)}, after warm-up ${mb(first.rss)} (t=${first.s.toFixed(0)} s), peak ${mb(peak.rss)} (t=${peak.s.toFixed(0)} s), end ${mb(last.rss)}`);
console.log(`growth after warm-up: ${mb(last.rss - first.rss)} (trend ${mb(slope * 3600)} per real hour, ${mb((slope * 3600) / RATE_SCALE)} per hour of packets)`);
console.log(`packets analysed: ${report.source.packets} in ${report.streams.length} stream(s), counter loss ${lost}; ${emitted} snapshots (${mb(emittedBytes)}) published`);
console.log(`verdict: ${report.verdict.summary}`);
console.log('largest analysis structures:');
for (const c of structures) console.log(`  ${String(c.size).padStart(6)}  ${c.path}`);
console.log(`peak RSS ${peak.rss <= TARGET_MB * 1048576 ? '≤' : '>'} ${TARGET_MB} MB target`);
