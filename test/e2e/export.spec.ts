// (d) Export, the support-ticket way: a customer's capture goes in, a Markdown report comes out as a
// download, carrying the verdict shown on screen and the customer's file name.
import { readFileSync } from 'node:fs';
import { expect } from '@playwright/test';
import { mtuCaptureTest as test, screenshot } from './harness.js';

test('export Markdown: a .md download containing the verdict shown on screen', async ({ page, openMtuCapture }) => {
  const file = await openMtuCapture('ticket-4711.pcapng');
  await expect(page.getByTestId('export')).toBeDisabled();
  await page.getByTestId('capture-input').setInputFiles(file);
  await expect(page.getByTestId('verdict')).toHaveAttribute('data-status', 'blocked', { timeout: 20_000 });
  const summary = (await page.locator('.verdict-summary').textContent()) ?? '';
  expect(summary.length).toBeGreaterThan(40);

  await page.getByLabel('Markdown report').check();
  // Redaction is the default and now removes file names too: this export is the unredacted kind.
  await page.getByLabel(/Redact/).uncheck();
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
