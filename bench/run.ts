/** `npm run bench [name…]`: each benchmark prints its figures as ratios against a reference measured in the same run. */
import { benchAnalyze } from './analyze.js';
import { benchBatch } from './batch.js';
import { benchDecode } from './decode.js';
import { benchHostile } from './hostile.js';
import { benchLive } from './live.js';
import { benchRenderer } from './renderer.js';
import { benchVerdicts } from './verdicts.js';

const only = process.argv.slice(2);
const benches: Record<string, () => void | Promise<void>> = { decode: benchDecode, analyze: benchAnalyze, batch: benchBatch, hostile: benchHostile, live: benchLive, renderer: benchRenderer, verdicts: benchVerdicts };
for (const [name, run] of Object.entries(benches)) {
  if (only.length > 0 && !only.includes(name)) continue;
  console.log(`\n== bench ${name}`);
  await run();
}
