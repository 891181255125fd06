/**
 * No dead code creeps back (knip.json): every export is imported somewhere, every file is reached from
 * an entry (CLI, batch worker, Electron main/core/preload, renderer, tests, e2e specs, fuzz, bench,
 * scripts), every dependency is used. The tree must be clean, and the check must fail on a planted
 * case: a copy of the tree gets one export nothing imports per kind (a value in src, a type in the
 * renderer, a test helper, an export used only inside its own file) and a file nothing imports, and
 * knip must name each of them, and nothing else.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { appendFileSync, cpSync, mkdtempSync, readdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { repoRoot } from '../helpers/paths.js';

const CONFIG = 'knip.json';
const knip = join(repoRoot, 'node_modules', 'knip', 'bin', 'knip.js');
/** Not source: build output, installed packages, test artefacts. */
const NOT_COPIED = new Set(['.git', 'node_modules', 'dist', 'test-results']);

/** Each finding as `<kind> <file> <name>` (kind: exports, types, files, dependencies, …). */
function findings(root: string): { status: number | null; found: string[]; output: string } {
  const r = spawnSync(process.execPath, [knip, '--config', CONFIG, '--no-progress', '--reporter', 'json'], {
    cwd: root,
    encoding: 'utf8',
    timeout: 120_000,
  });
  const output = `${r.stdout}${r.stderr}`;
  const found: string[] = [];
  try {
    const json = JSON.parse(r.stdout) as { issues: Array<Record<string, unknown> & { file: string }> };
    for (const issue of json.issues) {
      for (const [kind, items] of Object.entries(issue)) {
        if (!Array.isArray(items)) continue;
        for (const item of items as Array<{ name?: string }>) {
          // An unused file is named by its own path.
          const name = item.name === undefined || item.name === issue.file ? '' : ` ${item.name}`;
          found.push(`${kind} ${issue.file}${name}`);
        }
      }
    }
  } catch {
    // not JSON: the status and output below say why
  }
  return { status: r.status, found: found.sort(), output };
}

test('no export, file or dependency that nothing uses', { timeout: 150_000 }, () => {
  const r = findings(repoRoot);
  assert.deepEqual(r.found, [], `knip (npm run knip shows it readably):\n${r.output}`);
  assert.equal(r.status, 0, r.output);
});

test('the check fails on a planted unused export of each kind and an orphan file, naming each', { timeout: 150_000 }, () => {
  const copy = mkdtempSync(join(tmpdir(), 'flexpath-knip-'));
  try {
    for (const name of readdirSync(repoRoot)) {
      if (!NOT_COPIED.has(name)) cpSync(join(repoRoot, name), join(copy, name), { recursive: true });
    }
    symlinkSync(join(repoRoot, 'node_modules'), join(copy, 'node_modules'));
    appendFileSync(join(copy, 'src/common/bytes.ts'), '\nexport function plantedValue(): number {\n  return 1;\n}\n');
    appendFileSync(join(copy, 'renderer/src/vocab.ts'), '\nexport interface PlantedShape {\n  n: number;\n}\n');
    appendFileSync(join(copy, 'test/helpers/prng.ts'), '\nexport const plantedHelper = 3;\n');
    // Used in its own file, imported by nobody: the export is still dead.
    appendFileSync(join(copy, 'src/analysis/rules.ts'), '\nexport const PLANTED_LOCAL = 4;\nexport const plantedUse = (): number => PLANTED_LOCAL;\n');
    writeFileSync(join(copy, 'src/report/planted-orphan.ts'), 'export const orphan = 5;\n');

    const r = findings(copy);
    assert.notEqual(r.status, 0, `a finding fails the check:\n${r.output}`);
    const expected = [
      'exports src/common/bytes.ts plantedValue',
      'types renderer/src/vocab.ts PlantedShape',
      'exports test/helpers/prng.ts plantedHelper',
      'exports src/analysis/rules.ts PLANTED_LOCAL',
      'exports src/analysis/rules.ts plantedUse',
      'files src/report/planted-orphan.ts',
    ].sort();
    assert.deepEqual(r.found, expected, r.output);
  } finally {
    rmSync(copy, { recursive: true, force: true });
  }
});
