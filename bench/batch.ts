/**
 * Many captures at once: `flexpath analyze DIR` on 20 captures of 50 MB (worker threads, one per core)
 * against the same bytes as one file (the 20 files concatenated: a pcapng of 20 sections), each as a
 * whole process on cached files. The figure is the ratio batch/single; the target on a 2-core
 * machine is ≤ 0.75 (the batch can use both cores, one file only one).
 *
 * Beside them, two single-file analyses side by side: the same bytes as two halves, each analysed by
 * its own process, both at once — no worker start, no per-file work, nothing shared but the machine. It
 * shows what two analyses at once cost each other here (shared caches, the reads and V8 background work
 * a lone analysis runs on the idle core). A batch can beat it: its workers read with blocking reads and
 * optimise on their own thread (analysis/batch.ts), where a single-file process hands both to other
 * threads, which then wait for a core.
 *
 * FLEXPATH_BENCH_BATCH_MB sets the size of each capture (default 50), FLEXPATH_BENCH_BATCH_N the count
 * (default 20), FLEXPATH_BENCH_BATCH_PAIRS the batch/single pairs measured (default 4).
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { cliPath } from '../test/helpers/paths.js';
import { warm } from './analyze.js';
import { writeFlexCapture } from './flex-capture.js';
import { type Timed, median, runTimed } from './timing.js';

const MB = 1e6;
/** The target for 2 cores: the batch takes at most this fraction of the single-file time. */
const TARGET_RATIO = 0.75;
/** Batch/single pairs measured (FLEXPATH_BENCH_BATCH_PAIRS). */
const PAIRS = Math.round(envNumber('FLEXPATH_BENCH_BATCH_PAIRS', 4));

function envNumber(name: string, fallback: number): number {
  const v = process.env[name];
  if (v === undefined || v === '') return fallback;
  const n = Number(v);
  if (!(n > 0)) throw new Error(`${name}=${v} is not a positive number`);
  return n;
}

const run = (args: string[]): Promise<Timed> => runTimed(process.execPath, [cliPath, 'analyze', ...args], { keepStdout: true });

/**
 * A loop of integer arithmetic, ~0.4 s on this machine: no memory traffic, no I/O, no GC. Optimised on
 * its own thread (--no-concurrent-osr): with V8's default the optimised loop is compiled on a background
 * thread, and when that thread finds no free core the loop can run to its end unoptimised, ~4.7× slower
 * (3 runs in 12 on this machine under load, none with the flag) — a figure about V8, not the machine.
 */
const SPIN = 'let x = 0; for (let i = 0; i < 3e8; i++) x = (Math.imul(x, 31) + i) | 0; if (x === 0.5) console.log(x);';
const spin = (): Promise<Timed> => runTimed(process.execPath, ['--no-concurrent-osr', '-e', SPIN]);

/**
 * What the machine gives two busy threads: two SPIN processes at once against one alone, as a wall-time
 * ratio — 1.0 on two free cores, 2.0 on one. A virtual machine's two vCPUs can be two hyperthreads of one
 * host core, or be throttled by the host when both run: then no two analyses can each run at full speed,
 * whatever the batch does.
 */
async function twoBusyThreads(): Promise<number> {
  const alone = await spin();
  const [a, b] = await Promise.all([spin(), spin()]);
  return Math.max(a.wallS, b.wallS) / alone.wallS;
}

export async function benchBatch(): Promise<void> {
  const mb = envNumber('FLEXPATH_BENCH_BATCH_MB', 50);
  const n = Math.round(envNumber('FLEXPATH_BENCH_BATCH_N', 20));
  const root = mkdtempSync(join(tmpdir(), 'flexpath-bench-batch-'));
  try {
    const dir = join(root, 'captures');
    mkdirSync(dir);
    const files: string[] = [];
    for (let i = 0; i < n; i++) {
      const f = join(dir, `c${String(i).padStart(2, '0')}.pcapng`);
      await writeFlexCapture(f, mb * MB, 'flex');
      files.push(f);
    }
    const one = join(root, 'all.pcapng');
    execFileSync('sh', ['-c', 'cat "$@" > "$0"', one, ...files]);
    const halves = [join(root, 'half1.pcapng'), join(root, 'half2.pcapng')] as const;
    execFileSync('sh', ['-c', 'cat "$@" > "$0"', halves[0], ...files.slice(0, Math.ceil(n / 2))]);
    execFileSync('sh', ['-c', 'cat "$@" > "$0"', halves[1], ...files.slice(Math.ceil(n / 2))]);
    const bytes = statSync(one).size;
    console.log(`batch: ${n} captures of ${mb} MB (${(bytes / MB).toFixed(0)} MB in all) vs the same bytes as one file; ${availableParallelism()} core(s)`);
    for (const f of [...files, one, ...halves]) warm(f);
    // Interleaved pairs, the order swapped each time: load that drifts during the run (5 engineers share the
    // machine) weighs on both sides alike, and a pair's ratio compares runs made seconds apart.
    const batchRun = (): Promise<Timed> => run([dir, '--format', 'jsonl']);
    const singleRun = (): Promise<Timed> => run([one, '--format', 'json']);
    // Both halves started together: the pair's wall time is the later one's, its CPU both.
    const halvesRun = async (): Promise<Timed> => {
      const [a, b] = await Promise.all([run([halves[0], '--format', 'json']), run([halves[1], '--format', 'json'])]);
      const cpuS = a.cpuS === undefined || b.cpuS === undefined ? undefined : a.cpuS + b.cpuS;
      return { ...b, wallS: Math.max(a.wallS, b.wallS), cpuS, exitCode: a.exitCode === 0 ? b.exitCode : a.exitCode, stderr: a.stderr + b.stderr };
    };
    const pairs: Array<{ batch: Timed; single: Timed; halves: Timed }> = [];
    const busy: number[] = [];
    for (let p = 0; p < PAIRS; p++) {
      busy.push(await twoBusyThreads());
      if (p % 2 === 0) pairs.push({ batch: await batchRun(), single: await singleRun(), halves: await halvesRun() });
      else {
        const halves = await halvesRun();
        const single = await singleRun();
        pairs.push({ batch: await batchRun(), single, halves });
      }
    }
    for (const { batch, single, halves } of pairs) {
      if (halves.exitCode !== 0) console.log(`  !!! a half exited ${halves.exitCode}: ${halves.stderr.trim()}`);
      const rows = batch.stdout.trim().split('\n').filter((l) => l !== '');
      if (batch.exitCode !== 0 || rows.length !== n) console.log(`  !!! batch exited ${batch.exitCode} with ${rows.length} rows (expected ${n}): ${batch.stderr.trim()}`);
      if (single.exitCode !== 0) console.log(`  !!! single file exited ${single.exitCode}: ${single.stderr.trim()}`);
    }
    const wall = (side: 'batch' | 'single' | 'halves'): number => Math.min(...pairs.map((x) => x[side].wallS));
    const ratio = median(pairs.map((x) => x.batch.wallS / x.single.wallS));
    console.log(`  analyze DIR (${n} files, worker threads)  ${wall('batch').toFixed(2)} s  ${(bytes / MB / wall('batch')).toFixed(0)} MB/s  (best of ${PAIRS})`);
    console.log(`  analyze one file (same bytes)        ${wall('single').toFixed(2)} s  ${(bytes / MB / wall('single')).toFixed(0)} MB/s  (best of ${PAIRS})`);
    console.log(
      `  two halves, one process each, at once  ${wall('halves').toFixed(2)} s  (best of ${PAIRS}); halves/single = ${median(pairs.map((x) => x.halves.wallS / x.single.wallS)).toFixed(2)}× (median): two single-file analyses at once, no worker start, no per-file work`,
    );
    console.log(
      `  two CPU-bound loops at once take ${median(busy).toFixed(2)}× one alone (median of ${PAIRS}; 1.00 = two free cores, 2.00 = one): two threads sharing the work can at best take ${(median(busy) / 2).toFixed(2)}× the time of one doing it all`,
    );
    console.log(`  load average while measuring: ${loadavg()[0]?.toFixed(1)} (a batch can only gain from cores nobody else is using)`);
    console.log(`  ratio batch/single = ${ratio.toFixed(2)}× (median of ${PAIRS} pairs; target ≤ ${TARGET_RATIO}× on 2 cores: ${ratio <= TARGET_RATIO ? 'meets' : 'ABOVE'})`);
    const cpu = (side: 'batch' | 'single'): number[] => pairs.flatMap((x) => (x[side].cpuS === undefined ? [] : [x[side].cpuS]));
    if (cpu('batch').length === PAIRS && cpu('single').length === PAIRS) {
      const [bc, sc] = [median(cpu('batch')), median(cpu('single'))];
      // With both cores free the batch's wall time is about its CPU time / 2: what the ratio would be on an idle machine.
      const cores = Math.min(availableParallelism(), n);
      console.log(
        `  CPU time (median of ${PAIRS}): batch ${bc.toFixed(2)} s, single ${sc.toFixed(2)} s; batch CPU/single CPU = ${median(pairs.map((x) => (x.batch.cpuS ?? NaN) / (x.single.cpuS ?? NaN))).toFixed(2)} (median of pairs); ` +
          `idle-machine estimate batch/single = ${(bc / cores / sc).toFixed(2)}× on ${cores} cores`,
      );
    }
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
}
