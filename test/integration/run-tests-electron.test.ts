/**
 * scripts/run-tests.mjs with a browser present: a test skipped in a Playwright project other than the
 * web one is counted under that project's name with its reason ("electron(1) no Electron binary"), and
 * CI=true does not fail the run for it (the Electron smoke test is no oracle suite; web-mode e2e is).
 * A fake tree whose tests use no browser, so Playwright launches none.
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
  fake = mkdtempSync(join(tmpdir(), 'flexpath-runner-e2e-'));
  const put = (path: string, text: string): void => {
    mkdirSync(join(fake, path, '..'), { recursive: true });
    writeFileSync(join(fake, path), text);
  };
  put('package.json', '{ "type": "module" }');
  put(
    'playwright.config.ts',
    `import { defineConfig } from '@playwright/test';
export default defineConfig({ testDir: 'test/e2e', outputDir: 'out', projects: [{ name: 'web', testIgnore: /electron\\.spec\\.ts$/ }, { name: 'electron', testMatch: /electron\\.spec\\.ts$/ }] });
`,
  );
  put('test/e2e/web.spec.ts', `import { test } from '@playwright/test';\ntest('web one', async () => {});\ntest('web two', async () => { test.skip(true, 'needs a radio: none here'); });\n`);
  put('test/e2e/electron.spec.ts', `import { test } from '@playwright/test';\ntest('smoke', async () => { test.skip(true, 'no Electron binary (never downloaded)'); });\n`);
  symlinkSync(join(repoRoot, 'node_modules'), join(fake, 'node_modules'));
});
after(() => rmSync(fake, { recursive: true, force: true }));

function runner(ci: boolean): { status: number | null; lines: string[] } {
  // Any existing file passes for the browser: these tests never start one.
  const env: NodeJS.ProcessEnv = { ...process.env, FLEXPATH_TEST_ROOT: fake, FLEXPATH_TEST_CHROMIUM: process.execPath, CI: ci ? 'true' : '' };
  delete env.NODE_TEST_CONTEXT;
  delete env.PLAYWRIGHT_JSON_OUTPUT_NAME;
  const r = spawnSync(process.execPath, [join(repoRoot, 'scripts/run-tests.mjs'), 'e2e'], { env, encoding: 'utf8', timeout: 120_000 });
  return { status: r.status, lines: r.stdout.trimEnd().split('\n') };
}

test('a skipped Electron smoke test is its own group with its reason; a web-mode skip stays e2e', () => {
  const { status, lines } = runner(false);
  assert.equal(lines.at(-1), '1 passed, 0 failed, 2 skipped');
  const skipped = lines.at(-2) ?? '';
  for (const part of ['electron(1) no Electron binary', 'e2e(1) needs a radio']) assert.ok(skipped.includes(part), `${part} in "${skipped}"`);
  assert.equal(status, 0);
});

test('under CI=true the Electron skip does not fail the run; a skipped web-mode e2e test does', () => {
  const { status, lines } = runner(true);
  assert.equal(lines.at(-1), '1 passed, 1 failed, 1 skipped');
  assert.match(lines.at(-2) ?? '', /electron\(1\) no Electron binary(?! \(failed)/);
  assert.match(lines.at(-2) ?? '', /e2e\(1\) needs a radio \(failed: CI\)/);
  assert.equal(status, 1);
});
