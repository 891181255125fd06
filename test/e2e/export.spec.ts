// (d) Export, the support-ticket way: a customer's capture goes in, a Markdown report comes out as a
// download, carrying the verdict shown on screen and the customer's file name.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test } from '@playwright/test';
import type { UiServer } from '../../src/bridge/ui-server.js';
import { dist, screenshot, startProductServer } from './harness.js';

let server: UiServer | undefined;
let dir: string | undefined;
test.afterEach(async () => {
  await server?.close();
  server = undefined;
  if (dir) rmSync(dir, { recursive: true, force: true });
});

test('export Markdown: a .md download containing the verdict shown on screen', async ({ page }) => {
  dir = mkdtempSync(join(tmpdir(), 'flexpath-e2e-'));
  const { recordedSession } = await dist<typeof import('../helpers/sim.js')>('test/helpers/sim.js');
  const { file } = await recordedSession(join(dir, 'ticket-4711.pcapng'), { mtu: 1400 }, { ms: 3000 });
  server = await startProductServer();
  await page.goto(server.url);
  await expect(page.getByTestId('export')).toBeDisabled();
  await page.getByTestId('capture-input').setInputFiles(file);
  await expect(page.getByTestId('verdict')).toHaveAttribute('data-status', 'blocked', { timeout: 20_000 });
  const summary = (await page.locator('.verdict-summary').textContent()) ?? '';
  expect(summary.length).toBeGreaterThan(40);

  await page.getByLabel('Markdown report').check();
  const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('export').click()]);
  expect(download.suggestedFilename()).toMatch(/^flexpath-report-.*\.md$/);
  const md = readFileSync((await download.path())!, 'utf8');
  expect(md).toMatch(/^#+ FlexPath report$/m);
  expect(md).toMatch(/Verdict: BLOCKED at data:panadapter \(mtu\)/);
  // The panel drops only the engine's trailing "(hop …)" note: the rest is the report's sentence.
  expect(md).toContain(summary.replace(/\.$/, ''));
  expect(md).toContain('ticket-4711.pcapng');
  expect(md).not.toContain('upload-');
  await expect(page.getByRole('status').filter({ hasText: 'Downloaded flexpath-report-' })).toBeVisible();
  await screenshot(page, 'd-export-markdown');
});
