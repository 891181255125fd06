/**
 * Runs one category inside a worker thread, so the watchdog in the main thread can stop an input that
 * never returns (a synchronous loop cannot be interrupted from inside). The index of the input being
 * worked on is published in shared memory before each input.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { CATEGORIES } from './categories.js';
import type { FuzzOptions } from './harness.js';

export interface WorkerJob {
  category: string;
  opts: Omit<FuzzOptions, 'onInput'>;
  /** Int32Array view: [0] = index of the input being worked on. */
  beat: SharedArrayBuffer;
}

const job = workerData as WorkerJob;
const beat = new Int32Array(job.beat);
const category = CATEGORIES[job.category];
if (category === undefined) throw new Error(`no fuzz category "${job.category}"`);
const result = await category.run({ ...job.opts, onInput: (i) => Atomics.store(beat, 0, i) });
parentPort?.postMessage(result);
