/**
 * A batch analyses on worker threads only (analysis/batch.ts): the thread that hands out the captures
 * loads no analysis, so its workers start at once. That holds only while `flexpath analyze` and the
 * batch reach the analysis through dynamic imports: a static import anywhere on their path loads it all
 * before the first worker exists.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { test } from 'node:test';
import { repoRoot } from '../helpers/paths.js';

const src = join(repoRoot, 'src');

/** The modules `entry` loads before its own code runs: its static imports (not `import type`, not `import()`), transitively. */
function staticGraph(entry: string): Set<string> {
  const seen = new Set<string>();
  const visit = (file: string): void => {
    if (seen.has(file)) return;
    seen.add(file);
    const text = readFileSync(file, 'utf8');
    for (const m of text.matchAll(/^(?:import|export)\s+(?!type\b)[^;]*?\bfrom\s+'(\.[^']+)'/gms)) {
      visit(resolve(dirname(file), (m[1] as string).replace(/\.js$/, '.ts')));
    }
  };
  visit(join(src, entry));
  return new Set([...seen].map((f) => relative(src, f)));
}

for (const entry of ['cli/analyze.ts', 'analysis/batch.ts']) {
  test(`${entry} loads no analysis before a batch starts its workers`, () => {
    const graph = staticGraph(entry);
    // The walker does find static imports: both import the input list.
    assert.ok(graph.has('analysis/input-error.ts') || graph.has('capture/inputs.ts'), [...graph].join(', '));
    for (const heavy of ['analysis/analyze-file.ts', 'analysis/analyzer.ts', 'capture/reader.ts', 'report/format.ts']) {
      assert.ok(!graph.has(heavy), `${entry} imports ${heavy} statically: ${[...graph].join(', ')}`);
    }
  });
}
