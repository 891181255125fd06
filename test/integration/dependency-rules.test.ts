/**
 * The DESIGN §3 import arrows (.dependency-cruiser.cjs) hold on the tree, and each rule fails on a
 * violation: a copy of the tree gets one planted import per rule, and dependency-cruiser must name that
 * rule for that file, and nothing else.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { appendFileSync, cpSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { repoRoot } from '../helpers/paths.js';

const CONFIG = '.dependency-cruiser.cjs';
const depcruise = join(repoRoot, 'node_modules', 'dependency-cruiser', 'bin', 'dependency-cruise.mjs');

/** `error <rule>: <from> → <to>` lines of the err reporter, as [rule, from, to]. */
function cruise(root: string): { status: number | null; violations: Array<[string, string, string]>; output: string } {
  const r = spawnSync(process.execPath, [depcruise, '--config', CONFIG, '--output-type', 'err', 'src', 'electron', 'renderer'], {
    cwd: root,
    encoding: 'utf8',
    timeout: 180_000,
  });
  const output = `${r.stdout}${r.stderr}`;
  const violations = [...output.matchAll(/^\s*error (\S+): (\S+) → (\S+)$/gm)].map((m) => [m[1]!, m[2]!, m[3]!] as [string, string, string]);
  return { status: r.status, violations, output };
}

test('the tree keeps the DESIGN §3 import arrows', { timeout: 200_000 }, () => {
  const r = cruise(repoRoot);
  assert.deepEqual(r.violations, [], r.output);
  assert.equal(r.status, 0, r.output);
});

test('every arrow rule fails on a planted import, naming the rule and the file', { timeout: 200_000 }, () => {
  const copy = mkdtempSync(join(tmpdir(), 'flexpath-arrows-'));
  try {
    for (const p of ['src', 'electron', 'renderer', 'tsconfig.json', 'package.json', CONFIG]) cpSync(join(repoRoot, p), join(copy, p), { recursive: true });
    symlinkSync(join(repoRoot, 'node_modules'), join(copy, 'node_modules'));
    // [file to plant, what it imports, the rule that must catch it]
    const planted: Array<[string, string, string]> = [
      ['src/vita/planted.ts', '../analysis/model.js', 'vita-is-the-bottom'],
      ['src/common/planted.ts', '../vita/header.js', 'common-is-a-leaf'],
      ['src/capture/planted.ts', '../analysis/analyzer.js', 'capture-below-analysis'],
      ['src/analysis/planted.ts', '../report/format.js', 'analysis-below-report'],
      ['src/report/planted.ts', '../capture/pcap.js', 'report-on-analysis'],
      ['src/sim/planted.ts', '../analysis/analyzer.js', 'sim-on-protocols'],
      ['src/sim/planted-capture.ts', '../capture/pcap.js', 'sim-capture-exception'],
      ['src/api/planted.ts', '../sim/rng.js', 'protocols-below-sim'],
      ['src/local/planted.ts', '../analysis/model.js', 'local-is-a-leaf'],
      ['src/diagnose/planted.ts', '../bridge/session.js', 'diagnose-below-front-ends'],
      ['src/bridge/planted.ts', '../cli/common.js', 'cli-on-top'],
      ['src/vita/planted-ui.ts', '../../renderer/src/store.js', 'src-no-ui'],
      ['electron/planted.ts', '../renderer/src/store.js', 'electron-on-src'],
      ['renderer/src/planted.ts', '../../src/analysis/model.js', 'renderer-bridge-types-only'],
    ];
    for (const [file, target] of planted) writeFileSync(join(copy, file), `import * as planted from '${target}';\nexport { planted };\n`);
    // A type-only import is no violation for the bridge protocol; a runtime one is.
    appendFileSync(join(copy, 'src/bridge/protocol.ts'), `\nimport { prng as plantedPrng } from '../sim/rng.js';\nexport const planted = plantedPrng;\n`);
    planted.push(['src/bridge/protocol.ts', '../sim/rng.js', 'bridge-protocol-types-only']);
    // The hop names the renderer bundles through it must stay as plain.
    appendFileSync(join(copy, 'src/hop-label.ts'), `\nimport { prng as plantedPrng } from './sim/rng.js';\nexport const planted = plantedPrng;\n`);
    planted.push(['src/hop-label.ts', './sim/rng.js', 'hop-label-is-plain']);

    const r = cruise(copy);
    assert.notEqual(r.status, 0, 'a violation fails the check');
    const caught = new Set(r.violations.map(([rule, from]) => `${rule} ${from}`));
    for (const [file, , rule] of planted) assert.ok(caught.has(`${rule} ${file}`), `${rule} for ${file}:\n${r.output}`);
    // Nothing else fires: each planted import breaks exactly its one rule.
    const expected = new Set(planted.map(([file, , rule]) => `${rule} ${file}`));
    assert.deepEqual([...caught].filter((c) => !expected.has(c)), [], r.output);

    const config = createRequire(import.meta.url)(join(repoRoot, CONFIG)) as { forbidden: Array<{ name: string }> };
    const rules = config.forbidden.map((f) => f.name).sort();
    assert.deepEqual([...new Set(planted.map(([, , rule]) => rule))].sort(), rules, 'every rule has a planted violation');
  } finally {
    rmSync(copy, { recursive: true, force: true });
  }
});
