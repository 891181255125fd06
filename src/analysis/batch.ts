/**
 * Many captures at once (a ticket with a folder of them): one analysis thread per core, so a batch
 * uses every core while one big file uses one. Every capture is analysed on a worker thread; this
 * thread only hands out captures and passes on what the workers post. stdin cannot move to a worker
 * and is read here.
 *
 * Why this thread analyses nothing: a worker waits for this thread's event loop to get its next capture,
 * and a thread analysing turns its loop only between chunks (or, with blocking reads, between captures).
 * It used to analyse a share itself, sparing one worker's start (~0.1 s on another core); measured on 2
 * cores, 20 × 50 MB: this thread + 1 worker, asynchronous reads, took ~55–65 ms per capture on each
 * thread (one thread alone: ~40 ms); 2 workers with blocking reads (source.ts) ~40–45 ms, the whole
 * batch 0.98 → ~0.78 s (timestamps of every capture's start and end; interleaved runs).
 * The desktop app's core process gains too: a batch (triage of a zip, a diff) never holds its loop.
 *
 * Workers are all made at once, and start under V8's default heap flags (common/heap.ts
 * withDefaultHeapFlags: Node's code cache of its built-ins is usable only then); no capture is handed
 * out before each has said it is ready and the heap flags are back.
 *
 * A thread with several captures ahead primes itself first (analyze-file.ts primeAnalysis): V8 would
 * otherwise optimise for the first capture's objects alone and re-optimise at the next ones.
 *
 * This module loads none of the analysis: only stdin, if given, makes this thread load it.
 */
import { stat } from 'node:fs/promises';
import { availableParallelism } from 'node:os';
import { setFlagsFromString } from 'node:v8';
import { Worker } from 'node:worker_threads';
import type { InputSpec } from '../capture/inputs.js';
import { withDefaultHeapFlags } from '../common/heap.js';
import { describeInputError } from './input-error.js';
import type { AnalysisReport } from './model.js';

export type BatchOutcome = { name: string; ok: true; report: AnalysisReport } | { name: string; ok: false; error: string };

/** What this thread posts to a worker (batch-worker.ts): a capture, and whether to prime with it first. */
export interface WorkerJob {
  spec: InputSpec;
  prime: boolean;
}

/** What a worker posts back (batch-worker.ts): 'ready' once, when its code has loaded. */
export type WorkerReply = { type: 'ready' } | { type: 'progress'; bytes: number } | { type: 'done'; report: AnalysisReport } | { type: 'failed'; error: string };

export interface BatchOptions {
  /** Worker threads analysing (default: one per core, never more than there are files). */
  threads?: number;
  /** Bytes read since the last call, summed over all files. */
  onProgress?(bytes: number): void;
  /**
   * Applied on this thread to each report as it arrives, before onOutcome sees it and in the outcome
   * returned: work such as redaction then runs while the workers are still busy, not after the last one
   * (this thread is otherwise idle during a batch).
   */
  prepare?(report: AnalysisReport): AnalysisReport;
  /** A file finished (in completion order). */
  onOutcome?(o: BatchOutcome): void;
}

/**
 * The worker's code as one file (`npm run build` bundles batch-worker.js and the ~60 analysis modules it
 * imports; packages stay outside). Node's ES module loader resolves, reads, compiles and links every file on
 * its own, and a worker has none of it cached: measured, a worker's start plus a 256-KB capture took
 * ~330 ms wall / ~370 ms process CPU from the separate modules and ~230 / ~260 from the bundle (medians of 6,
 * interleaved) — ~100 ms of CPU less on the core the batch needs for its captures. It sits beside version.js
 * (dist/src/), whose path to package.json is relative to where the code runs.
 *
 * The bundle is CommonJS: a worker started on an ES module compiles much more of Node's own internal
 * JavaScript (its ES module loader) before the bundle runs. CPU profiles of one worker's start and one
 * job: 75–135 ms as an ES module, 32–48 ms as CommonJS (3 runs each), the difference mostly Node's
 * compileForInternalLoader. From `new Worker` to the bundle's first line, two workers made at once,
 * interleaved batches of 20 × 50 MB under load: medians 84 → 72 ms (10 runs) and 96 → 69 ms (8 runs).
 */
const WORKER_URL = new URL('../batch-worker.bundle.cjs', import.meta.url);

/**
 * A thread primes itself when it can expect at least this many captures. Empirical: priming costs
 * ~50 ms of CPU (two cold runs over a capture's head), the re-optimising it saves ~100–150 ms on each
 * of a thread's 2nd and 3rd captures (50 MB each; analyze-file.ts primeAnalysis).
 */
const PRIME_FROM_CAPTURES = 3;

/**
 * Workers made after this flag optimise hot code on their own thread, not on V8's background thread:
 * in a batch every core runs an analysis, so a background compile waits for a core while the worker goes
 * on in unoptimised code. V8 flags are process-wide; isolates made before keep their background compiler
 * (this thread, and one big file analysed here: its idle second core compiles for it). Measured on 2
 * cores, 20 × 50 MB, interleaved runs (8 pairs): batch 0.88 → 0.79 s wall, 1.42 → 1.31 s CPU; the same
 * flag on the node command line gave the same.
 */
const COMPILE_ON_WORKER = '--no-concurrent-recompilation';

/** Outcomes in the order of `specs`, whatever order they finished in. */
export async function analyzeBatch(specs: readonly InputSpec[], opts: BatchOptions = {}): Promise<BatchOutcome[]> {
  const outcomes = new Array<BatchOutcome>(specs.length);
  const settle = (i: number, arrived: BatchOutcome): void => {
    const o = arrived.ok && opts.prepare ? { ...arrived, report: opts.prepare(arrived.report) } : arrived;
    outcomes[i] = o;
    opts.onOutcome?.(o);
  };
  const queue = await largestFirst(specs.map((spec, i) => ({ spec, i })).filter((x) => x.spec.kind !== 'stdin'));
  const local = specs.map((spec, i) => ({ spec, i })).filter((x) => x.spec.kind === 'stdin');
  const workers = Math.min(Math.max(1, opts.threads ?? availableParallelism()), queue.length);
  const prime = queue.length >= PRIME_FROM_CAPTURES * workers;
  if (workers > 0) setFlagsFromString(COMPILE_ON_WORKER);
  const pool = await withDefaultHeapFlags(() => Promise.all(Array.from({ length: workers }, startWorker)));
  const runs: Promise<void>[] = pool.map((worker) => workerLoop(worker, queue, prime, settle, opts));
  if (local.length > 0) {
    runs.push(
      (async () => {
        const analysis = await import('./analyze-file.js');
        for (const { spec, i } of local) await inThread(analysis, spec, i, settle, opts);
      })(),
    );
  }
  await Promise.all(runs);
  return outcomes;
}

/**
 * The queue, largest capture first (longest processing time first): a big capture taken last runs alone
 * on one core while the others have nothing left; taken first, the small ones fill in around it. A
 * size is an estimate: a .gz counts its compressed bytes, a zip entry its share of the archive; a file
 * that cannot be read counts 0 (its analysis says why). Equal sizes keep the given order.
 */
async function largestFirst<T extends { spec: InputSpec }>(queue: T[]): Promise<T[]> {
  const bytes = (path: string): Promise<number> => stat(path).then((st) => st.size, () => 0);
  const entries = new Map<string, number>();
  for (const { spec } of queue) if (spec.kind === 'zip-entry') entries.set(spec.path, (entries.get(spec.path) ?? 0) + 1);
  const sizes = await Promise.all(queue.map(({ spec }) => ('path' in spec ? bytes(spec.path).then((n) => n / (entries.get(spec.path) ?? 1)) : 0)));
  return queue.map((job, k) => ({ job, size: sizes[k] ?? 0 })).sort((a, b) => b.size - a.size).map((x) => x.job);
}

async function inThread(
  analysis: typeof import('./analyze-file.js'),
  spec: InputSpec,
  i: number,
  settle: (i: number, o: BatchOutcome) => void,
  opts: BatchOptions,
): Promise<void> {
  let last = 0;
  try {
    const report = await analysis.analyzeInput(spec, {
      onProgress: (done) => {
        opts.onProgress?.(done - last);
        last = done;
      },
    });
    settle(i, { name: spec.name, ok: true, report });
  } catch (e) {
    settle(i, { name: spec.name, ok: false, error: await describeInputError(e, spec.kind === 'file' ? spec.path : undefined) });
  }
}

/**
 * A worker once its code has loaded (it posts 'ready'), or undefined when it failed to start: the loop
 * then makes another when it has a capture for it.
 */
function startWorker(): Promise<Worker | undefined> {
  const w = new Worker(WORKER_URL);
  return new Promise((resolve) => {
    const onMessage = (m: WorkerReply): void => {
      if (m.type === 'ready') end(w);
    };
    const onFail = (): void => {
      void w.terminate();
      end(undefined);
    };
    const end = (got: Worker | undefined): void => {
      w.off('message', onMessage);
      w.off('error', onFail);
      w.off('exit', onFail);
      resolve(got);
    };
    w.on('message', onMessage);
    w.on('error', onFail);
    w.on('exit', onFail);
  });
}

/** One worker taking files off the shared queue until it is empty; a worker that dies is replaced. */
async function workerLoop(
  started: Worker | undefined,
  queue: Array<{ spec: InputSpec; i: number }>,
  prime: boolean,
  settle: (i: number, o: BatchOutcome) => void,
  opts: BatchOptions,
): Promise<void> {
  let worker = started;
  let primed = !prime;
  try {
    for (let job = queue.shift(); job !== undefined; job = queue.shift()) {
      worker ??= new Worker(WORKER_URL);
      const { spec, i } = job;
      const w = worker;
      const outcome = await new Promise<BatchOutcome>((resolve) => {
        const onMessage = (m: WorkerReply): void => {
          if (m.type === 'progress') return opts.onProgress?.(m.bytes);
          if (m.type === 'ready') return;
          cleanup();
          resolve(m.type === 'done' ? { name: spec.name, ok: true, report: m.report } : { name: spec.name, ok: false, error: m.error });
        };
        const onError = (e: Error): void => {
          cleanup();
          resolve({ name: spec.name, ok: false, error: `internal error: ${e.message}` });
        };
        const onExit = (code: number): void => {
          cleanup();
          resolve({ name: spec.name, ok: false, error: `internal error: the analysis thread stopped (exit ${code})` });
        };
        const cleanup = (): void => {
          w.off('message', onMessage);
          w.off('error', onError);
          w.off('exit', onExit);
        };
        w.on('message', onMessage);
        w.on('error', onError);
        w.on('exit', onExit);
        w.postMessage({ spec, prime: !primed } satisfies WorkerJob);
        primed = true;
      });
      if (!outcome.ok && outcome.error.startsWith('internal error')) {
        await worker.terminate();
        worker = undefined;
      }
      settle(i, outcome);
    }
  } finally {
    await worker?.terminate();
  }
}
