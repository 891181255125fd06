// Before/after and zips in web mode, with captures the simulator records in this test: before = a
// 1400-byte path MTU (its 1024-pixel FFT frames exceed it, reference §3.9: the panadapter is blocked by
// the MTU), after = the same session on a healthy path. The diff panel must say the panadapter went
// from blocked (mtu) to ok; a zip of both (made by the zip tool) lists each with its verdict, and the
// user opens the broken one from its row.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test, type Page } from '@playwright/test';
import type { UiServer } from '../../src/bridge/ui-server.js';
import { dist, screenshot, startProductServer } from './harness.js';

const dir = mkdtempSync(join(tmpdir(), 'flexpath-e2e-diff-'));
let server: UiServer | undefined;
let made: Promise<void> | undefined;
test.afterEach(async () => {
  await server?.close();
  server = undefined;
});
test.afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** How many pixels of a table are hidden past its panel's edge (its wrapper scrolls sideways): 0 when all shows. */
const hiddenPx = (page: Page, testId: string): Promise<number> =>
  page.getByTestId(testId).evaluate((t) => t.parentElement!.scrollWidth - t.parentElement!.clientWidth);

/** Recorded one after the other: simulators side by side would add their own jitter to the captures. */
function captures(): Promise<void> {
  made ??= (async () => {
    const { recordedSession } = await dist<typeof import('../helpers/sim.js')>('test/helpers/sim.js');
    await recordedSession(join(dir, 'before-mtu.pcapng'), { mtu: 1400 }, { ms: 3000 });
    await recordedSession(join(dir, 'after-fixed.pcapng'), {}, { ms: 3000 });
  })();
  return made;
}

test('before (MTU 1400) / after (healthy): the diff panel says Panadapter (FFT): BLOCKED (MTU: large packets vanish) → OK', async ({ page }) => {
  test.setTimeout(90_000);
  await captures();
  server = await startProductServer();
  await page.goto(server.url);
  await page.getByTestId('diff-before').setInputFiles(join(dir, 'before-mtu.pcapng'));
  await page.getByTestId('diff-after').setInputFiles(join(dir, 'after-fixed.pcapng'));
  await page.getByTestId('diff-compare').click();
  const changes = page.getByTestId('diff-changes');
  await expect(changes).toBeVisible({ timeout: 30_000 });
  // In the path view's words, not the ids the CLI's line keeps.
  await expect(changes).toContainText('Panadapter (FFT): BLOCKED (MTU: large packets vanish) → OK');
  await expect(changes).not.toContainText('data:');
  await expect(page.getByTestId('diff-result')).toContainText('before-mtu.pcapng');
  await expect(page.getByTestId('diff-result')).toContainText('HEALTHY');
  // Each hop has the name the path view gives it, not a second one.
  await expect(page.getByTestId('diff-table').locator('tbody th')).toContainText(['Control channel (TCP/TLS)', 'Stream setup', 'UDP data path']);
  // The main view is untouched by a comparison: no source was opened.
  await expect(page.getByTestId('verdict')).toHaveCount(0);
  // The after-evidence (the line that shows what a fix changed) wraps, on a desktop and on a phone: not cut at the panel's edge.
  expect(await hiddenPx(page, 'diff-table')).toBe(0);
  await page.setViewportSize({ width: 390, height: 800 });
  expect(await hiddenPx(page, 'diff-table')).toBe(0);
  await page.setViewportSize({ width: 1440, height: 1000 });
  await page.getByTestId('diff-result').scrollIntoViewIfNeeded();
  await screenshot(page, 'j-diff');
});

test('a zip of both captures: a row per capture with its verdict, and the broken one opens from its row', async ({ page }) => {
  test.setTimeout(90_000);
  test.skip(spawnSync('zip', ['-v'], { stdio: 'ignore' }).status !== 0, 'zip is not installed');
  await captures();
  const zip = join(dir, 'ticket-1234.zip');
  spawnSync('zip', ['-q', zip, 'after-fixed.pcapng', 'before-mtu.pcapng'], { cwd: dir });
  server = await startProductServer();
  await page.goto(server.url);
  await page.getByTestId('capture-input').setInputFiles(zip);
  const rows = page.getByTestId('archive-row');
  await expect(rows).toHaveCount(2, { timeout: 30_000 });
  await expect(rows.nth(0)).toContainText('after-fixed.pcapng');
  await expect(rows.nth(0)).toContainText('HEALTHY');
  await expect(rows.nth(1)).toContainText('before-mtu.pcapng');
  await expect(rows.nth(1)).toContainText('BLOCKED');
  // Hop and cause in the path view's words, not the ids a log uses (data:panadapter, mtu).
  await expect(rows.nth(1).locator('td').nth(3)).toHaveText('Panadapter (FFT)');
  await expect(rows.nth(1).locator('td').nth(4)).toHaveText('MTU: large packets vanish');
  // No capture is open yet: the verdict panel speaks for the zip (its worst capture and the tally), not "Choose a source".
  const summary = page.getByTestId('verdict-archive');
  await expect(summary).toHaveAttribute('data-worst', 'blocked');
  await expect(summary).toContainText('worst of the 2 captures in ticket-1234.zip');
  await expect(summary).toContainText('before-mtu.pcapng at Panadapter (FFT) (MTU: large packets vanish)');
  await expect(page.getByTestId('verdict-archive-tally')).toContainText('1 BLOCKED · 1 HEALTHY');
  await expect(page.getByLabel('Verdict')).not.toContainText('Choose a source');
  // Each capture's key figure wraps in its cell instead of running past the panel's edge.
  expect(await hiddenPx(page, 'archive-table')).toBe(0);
  await screenshot(page, 'k-zip-triage');
  await rows.nth(1).getByRole('button', { name: 'Open' }).click();
  const verdict = page.getByTestId('verdict');
  await expect(verdict).toHaveAttribute('data-status', 'blocked', { timeout: 20_000 });
  await expect(verdict).toHaveAttribute('data-cause', 'mtu');
  await expect(page.getByTestId('source')).toContainText('ticket-1234.zip › before-mtu.pcapng');
  await expect(summary).toHaveCount(0);
  await expect(rows).toHaveCount(2);
  await screenshot(page, 'l-zip-entry-open');
});
