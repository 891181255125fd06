/** The fuzz categories and how many inputs a full run gives each. */
import { fuzzCaptures } from './captures.js';
import { fuzzCodec, fuzzTracker } from './datagrams.js';
import type { FuzzOptions, FuzzResult } from './harness.js';
import { fuzzHostile } from './hostile.js';
import { fuzzLines } from './lines.js';

export interface Category {
  run(opts: FuzzOptions): FuzzResult | Promise<FuzzResult>;
  /** Inputs in a full `npm run fuzz`. */
  count: number;
  /** Inputs build on the ones before (one Analyzer for the run): replay starts at the run's first input. */
  stateful?: boolean;
}

export const CATEGORIES: Record<string, Category> = {
  codec: { run: fuzzCodec, count: 1_000_000 },
  tracker: { run: fuzzTracker, count: 1_000_000, stateful: true },
  captures: { run: fuzzCaptures, count: 1_500 },
  lines: { run: fuzzLines, count: 300_000, stateful: true },
  hostile: { run: fuzzHostile, count: 200 },
};
