/**
 * What every fuzz category shares: options, the result it hands back, a per-input random stream derived
 * from (seed, category, index) so any single input can be replayed without generating the ones before
 * it, and the per-input clock that finds the slowest input.
 */
import { performance } from 'node:perf_hooks';
import { prng } from '../helpers/prng.js';

export interface FuzzOptions {
  seed: number;
  /** Index of the first input (replay starts here). */
  from?: number;
  count: number;
  /** An input that takes longer than this fails the run (ms). */
  slowMs?: number;
  /** Called before each input with its index: the watchdog reads it to name the input that hangs. */
  onInput?(index: number): void;
}

export interface FuzzResult {
  category: string;
  inputs: number;
  /** Outcome → count: "decoded", "DecodeError: packet size", "report with warnings", … */
  outcomes: Record<string, number>;
  slowest: { ms: number; input: number; what: string };
  /** Broken invariants (first few), each with the command that replays it. */
  failures: string[];
}

export const DEFAULT_SLOW_MS = 2000;
const MAX_FAILURES = 20;

/** Murmur3's finaliser: spreads nearby integers over the whole 32-bit range. */
function mix(x: number): number {
  x = Math.imul(x ^ (x >>> 16), 0x85ebca6b);
  x = Math.imul(x ^ (x >>> 13), 0xc2b2ae35);
  return (x ^ (x >>> 16)) >>> 0;
}

function salt(category: string): number {
  let h = 0;
  for (let i = 0; i < category.length; i++) h = Math.imul(h ^ category.charCodeAt(i), 0x01000193);
  return h >>> 0;
}

/** The random stream of one input: independent of every other input. */
export function inputRandom(seed: number, category: string, index: number): () => number {
  return prng(mix(seed ^ mix(index ^ salt(category))));
}

export function replayHint(category: string, seed: number, from: number, count = 1): string {
  return `npm run fuzz -- --seed ${seed} --only ${category} --from ${from} --count ${count}`;
}

/** Collects outcomes, failures and timings of one category run. */
export class Recorder {
  readonly result: FuzzResult;
  private started = 0;
  private readonly slowMs: number;

  constructor(
    readonly category: string,
    readonly opts: FuzzOptions,
  ) {
    this.result = { category, inputs: 0, outcomes: {}, slowest: { ms: 0, input: -1, what: '' }, failures: [] };
    this.slowMs = opts.slowMs ?? DEFAULT_SLOW_MS;
  }

  /** Input indices this run covers. */
  *indices(): Generator<number> {
    const from = this.opts.from ?? 0;
    for (let i = from; i < from + this.opts.count; i++) yield i;
  }

  begin(index: number): void {
    this.opts.onInput?.(index);
    this.started = performance.now();
  }

  /**
   * Ends the input begun last; `what` describes it for the slowest-input line. Work that is not an input
   * of its own (a snapshot report) is timed the same way with `isInput` false.
   */
  end(index: number, what: () => string, isInput = true): void {
    const ms = performance.now() - this.started;
    if (isInput) this.result.inputs++;
    if (ms > this.result.slowest.ms) this.result.slowest = { ms, input: index, what: what() };
    if (ms > this.slowMs) this.fail(index, `took ${ms.toFixed(0)} ms (limit ${this.slowMs} ms): ${what()}`);
  }

  outcome(kind: string, n = 1): void {
    this.result.outcomes[kind] = (this.result.outcomes[kind] ?? 0) + n;
  }

  /** Records a broken invariant. Inputs that build on earlier ones replay from the run's first input. */
  fail(index: number, message: string, stateful = false): void {
    this.outcome('FAILURE');
    const from = stateful ? (this.opts.from ?? 0) : index;
    if (this.result.failures.length < MAX_FAILURES) {
      this.result.failures.push(`${this.category} input ${index}: ${message}\n    replay: ${replayHint(this.category, this.opts.seed, from, index - from + 1)}`);
    }
  }
}

/** A short printable description of bytes for failure messages. */
export function hexHead(buf: Buffer, max = 64): string {
  return buf.length <= max ? buf.toString('hex') : `${buf.subarray(0, max).toString('hex')}… (${buf.length} bytes)`;
}

export function describeError(e: unknown): string {
  return e instanceof Error ? `${e.name}: ${e.message}\n${e.stack?.split('\n').slice(1, 4).join('\n') ?? ''}` : String(e);
}
