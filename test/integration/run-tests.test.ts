/**
 * scripts/run-tests.mjs counts on a small fake tree (FLEXPATH_TEST_ROOT) and a browser path that does
 * not exist (FLEXPATH_TEST_CHROMIUM), not by breaking this machine: one skip per test that could not
 * run, the skipped suites named with their reason on the line before the closing one, and under
 * CI=true the skipped oracle suites (tshark, netlab, e2e) counted as failed.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { repoRoot } from '../helpers/paths.js';

let fake: string;

before(() => {
  fake = mkdtempSync(join(tmpdir(), 'flexpath-runner-'));
  const put = (path: string, text: string): void => {
    mkdirSync(join(fake, path, '..'), { recursive: true });
    writeFileSync(join(fake, path), text);
  };
  put('package.json', '{ "type": "module" }');
  put(
    'dist/test/unit/a.test.js',
    `import { test } from 'node:test';
test('one', () => {});
test('two', () => {});
test('needs tshark', { skip: 'tshark is not installed' }, () => {});
test('needs zip', { skip: 'zip is not installed' }, () => {});
`,
  );
  put('dist/test/integration/b.test.js', `import { test } from 'node:test';\ntest('broken', () => { throw new Error('no'); });\n`);
  put(
    'dist/test/netlab/n.test.js',
    `import { test } from 'node:test';
for (const n of ['x', 'y', 'z']) test(n, { skip: 'not root: creating network namespaces needs root' }, () => {});
`,
  );
  put('playwright.config.ts', `import { defineConfig } from '@playwright/test';\nexport default defineConfig({ testDir: 'test/e2e' });\n`);
  put('test/e2e/x.spec.ts', `import { test } from '@playwright/test';\ntest('first', async () => {});\ntest('second', async () => {});\n`);
  symlinkSync(join(repoRoot, 'node_modules'), join(fake, 'node_modules'));
});
after(() => rmSync(fake, { recursive: true, force: true }));

function runner(ci: boolean): { status: number | null; lines: string[] } {
  const env: NodeJS.ProcessEnv = { ...process.env, FLEXPATH_TEST_ROOT: fake, FLEXPATH_TEST_CHROMIUM: join(fake, 'no-chromium'), CI: ci ? 'true' : '' };
  delete env.NODE_TEST_CONTEXT;
  const r = spawnSync(process.execPath, [join(repoRoot, 'scripts/run-tests.mjs')], { env, encoding: 'utf8', timeout: 120_000 });
  return { status: r.status, lines: r.stdout.trimEnd().split('\n') };
}

test('without chromium or root: one skip per test, the skipped suites and why on the line before the summary', () => {
  const { status, lines } = runner(false);
  // 2 passed in unit, 1 failed in integration; skipped: 2 in unit, 3 netlab scenarios, 2 e2e tests.
  assert.equal(lines.at(-1), '2 passed, 1 failed, 7 skipped');
  const skipped = lines.at(-2) ?? '';
  assert.match(skipped, /^skipped: /);
  for (const part of ['tshark(1) tshark is not installed', 'unit(1) zip is not installed', 'netlab(3) not root', 'e2e(2) no chromium']) assert.ok(skipped.includes(part), `${part} in "${skipped}"`);
  assert.equal(status, 1, 'a failed test fails the run');
});

test('under CI=true the skipped oracle suites fail the run, and it says why', () => {
  const { status, lines } = runner(true);
  // tshark(1) + netlab(3) + e2e(2) move from skipped to failed; zip is no oracle and stays a skip.
  assert.equal(lines.at(-1), '2 passed, 7 failed, 1 skipped');
  assert.ok(lines.some((l) => /^CI=true: oracle suites may not be skipped/.test(l) && l.includes('e2e(2) no chromium')));
  assert.match(lines.at(-2) ?? '', /netlab\(3\) not root \(failed: CI\)/);
  assert.equal(status, 1);
});
