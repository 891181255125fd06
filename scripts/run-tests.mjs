#!/usr/bin/env node
// Runs every test suite (node:test over the compiled tests, then Playwright in web mode) and ends with
// one line "N passed, N failed, N skipped" — the line CI reads. Exit status is non-zero on any failure.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const root = new URL('..', import.meta.url).pathname;
const only = process.argv.slice(2);

function findTests(dir) {
  if (!existsSync(dir)) return [];
  const out = [];
  for (const name of readdirSync(dir).sort()) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) out.push(...findTests(p));
    else if (name.endsWith('.test.js')) out.push(p);
  }
  return out;
}

const totals = { passed: 0, failed: 0, skipped: 0 };
const work = mkdtempSync(join(tmpdir(), 'flexpath-tests-'));

const suites = ['unit', 'integration', 'netlab'].filter((s) => only.length === 0 || only.includes(s));
for (const suite of suites) {
  const files = findTests(join(root, 'dist/test', suite));
  if (files.length === 0) continue;
  console.log(`\n== ${suite}: ${files.length} file(s)`);
  const tap = join(work, `${suite}.tap`);
  const r = spawnSync(
    process.execPath,
    ['--test', '--test-reporter=spec', '--test-reporter-destination=stdout', '--test-reporter=tap', `--test-reporter-destination=${tap}`, ...files],
    { cwd: root, stdio: 'inherit', env: { ...process.env, FORCE_COLOR: '0' } },
  );
  const text = existsSync(tap) ? readFileSync(tap, 'utf8') : '';
  const num = (k) => Number(text.match(new RegExp(`^# ${k} (\\d+)$`, 'm'))?.[1] ?? 0);
  const passed = num('pass');
  const failed = num('fail') + num('cancelled');
  totals.passed += passed;
  totals.failed += failed + (r.status !== 0 && failed === 0 ? 1 : 0);
  totals.skipped += num('skipped') + num('todo');
}

if (only.length === 0 || only.includes('e2e')) {
  const configured = existsSync(join(root, 'playwright.config.ts'));
  if (!configured) {
    // nothing to run yet
  } else if (!existsSync('/usr/bin/chromium')) {
    console.log('\n== e2e: skipped — /usr/bin/chromium is missing (install the Debian package chromium, as root: scripts/ensure-system-deps.sh)');
    totals.skipped += 1;
  } else {
    console.log('\n== e2e (Playwright, web mode)');
    const json = join(work, 'e2e.json');
    spawnSync(process.execPath, [join(root, 'node_modules/@playwright/test/cli.js'), 'test', '--reporter=list,json'], {
      cwd: root,
      stdio: 'inherit',
      env: { ...process.env, PLAYWRIGHT_JSON_OUTPUT_NAME: json },
    });
    if (existsSync(json)) {
      const s = JSON.parse(readFileSync(json, 'utf8')).stats ?? {};
      totals.passed += (s.expected ?? 0) + (s.flaky ?? 0);
      totals.failed += s.unexpected ?? 0;
      totals.skipped += s.skipped ?? 0;
    } else {
      totals.failed += 1;
    }
  }
}

console.log(`\n${totals.passed} passed, ${totals.failed} failed, ${totals.skipped} skipped`);
process.exitCode = totals.failed > 0 ? 1 : 0;
