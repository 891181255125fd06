/**
 * Watches a fuzz worker from the main thread: an input that does not finish within `hangMs`, or a
 * process RSS above `maxRssMb`, stops the worker and becomes a failure naming the input.
 */
import { performance } from 'node:perf_hooks';
import { Worker } from 'node:worker_threads';
import { CATEGORIES } from './categories.js';
import { type FuzzOptions, type FuzzResult, describeError, replayHint } from './harness.js';
import type { WorkerJob } from './worker.js';

export interface Limits {
  hangMs: number;
  maxRssMb: number;
}

export const DEFAULT_LIMITS: Limits = { hangMs: 10_000, maxRssMb: 500 };

/** Process RSS in MB, sampled by the watchdog: first, highest and latest value. */
export class RssMeter {
  readonly startMb = RssMeter.now();
  peakMb = this.startMb;

  static now(): number {
    return process.memoryUsage.rss() / 1e6;
  }

  sample(): number {
    const mb = RssMeter.now();
    if (mb > this.peakMb) this.peakMb = mb;
    return mb;
  }
}

export interface Watched {
  result?: FuzzResult;
  failure?: string;
}

/**
 * Waits for the worker's result. `beat[0]` holds the index of the input being worked on (-1 before the
 * first); `hint` turns an index into the command that replays it.
 */
export function watch(worker: Worker, beat: Int32Array, name: string, limits: Limits, rss: RssMeter, hint: (index: number) => string): Promise<Watched> {
  return new Promise((resolve) => {
    let last = Atomics.load(beat, 0);
    let since = performance.now();
    let done = false;
    const finish = (w: Watched): void => {
      if (done) return;
      done = true;
      clearInterval(timer);
      resolve(w);
    };
    const stop = (failure: string): void => {
      finish({ failure });
      void worker.terminate();
    };
    const timer = setInterval(() => {
      const mb = rss.sample();
      const i = Atomics.load(beat, 0);
      if (i !== last) {
        last = i;
        since = performance.now();
      } else if (performance.now() - since > limits.hangMs) {
        stop(`${name} input ${i}: still running after ${limits.hangMs} ms, stopped (hang)\n    replay: ${hint(i)}`);
      }
      if (mb > limits.maxRssMb) stop(`${name} input ${i}: process RSS ${mb.toFixed(0)} MB passed ${limits.maxRssMb} MB, stopped\n    replay: ${hint(i)}`);
    }, 100);
    worker.once('message', (result: FuzzResult) => finish({ result }));
    worker.once('error', (e) => finish({ failure: `${name}: the worker failed: ${describeError(e)}` }));
    worker.once('exit', (code) => finish({ failure: `${name}: the worker exited (code ${code}) without a result` }));
  });
}

/** Runs one category in a worker under the watchdog. */
export function runWatched(category: string, opts: Omit<FuzzOptions, 'onInput'>, limits: Limits, rss: RssMeter): Promise<Watched> {
  const beat = new SharedArrayBuffer(4);
  Atomics.store(new Int32Array(beat), 0, -1);
  const job: WorkerJob = { category, opts, beat };
  const worker = new Worker(new URL('./worker.js', import.meta.url), { workerData: job });
  const hint = (i: number): string => {
    const from = CATEGORIES[category]?.stateful || i < 0 ? (opts.from ?? 0) : i;
    return replayHint(category, opts.seed, from, Math.max(1, i - from + 1));
  };
  return watch(worker, new Int32Array(beat), category, limits, rss, hint);
}
