/** The fuzz categories and how many inputs a full run gives each. */
import { fuzzCaptures } from './captures.js';
import { TRACKER_BATCH, fuzzCodec, fuzzTracker } from './datagrams.js';
import type { FuzzOptions, FuzzResult } from './harness.js';
import { LINE_SESSION, fuzzLines } from './lines.js';

export interface Category {
  run(opts: FuzzOptions): FuzzResult | Promise<FuzzResult>;
  /** Inputs in a full `npm run fuzz`. */
  count: number;
  /** Inputs share state in runs of this many (one Analyzer): replay starts at the run's first input. */
  batch?: number;
}

export const CATEGORIES: Record<string, Category> = {
  codec: { run: fuzzCodec, count: 1_000_000 },
  tracker: { run: fuzzTracker, count: 1_000_000, batch: TRACKER_BATCH },
  captures: { run: fuzzCaptures, count: 1_500 },
  lines: { run: fuzzLines, count: 300_000, batch: LINE_SESSION },
};
