// Uploads: the auto-demo never starts while someone uploads their capture; the upload shows its
// progress; a file that is no capture gets a plain-words message in the verdict panel.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test } from '@playwright/test';
import type { UiServer } from '../../src/bridge/ui-server.js';
import { dist, screenshot, startProductServer, startServer } from './harness.js';

let server: UiServer | undefined;
const dir = mkdtempSync(join(tmpdir(), 'flexpath-e2e-upload-'));
test.afterEach(async () => {
  await server?.close();
  server = undefined;
});
test.afterAll(() => rmSync(dir, { recursive: true, force: true }));

const AUTO_DEMO_MS = 2500;

async function autoDemoServer(): Promise<UiServer> {
  const { productBackends } = await dist<typeof import('../../src/bridge/backends.js')>('src/bridge/backends.js');
  return startServer(productBackends(), AUTO_DEMO_MS);
}

test('control: a connected, idle page gets the auto-demo', async ({ page }) => {
  server = await autoDemoServer();
  await page.goto(server.url);
  await expect(page.getByTestId('simulated-badge')).toBeVisible({ timeout: 15_000 });
});

test('no auto-demo during an upload: progress shows, no SIMULATED, no HEALTHY, then the file is judged', async ({ page }) => {
  // 3 MB of text, sent at 400 kB/s: the upload outlasts the auto-demo delay by far.
  const file = join(dir, 'station-notes.txt');
  writeFileSync(file, 'SmartSDR log line\n'.repeat(3 * 1024 * 1024 / 18));
  server = await autoDemoServer();
  await page.goto(server.url);
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('Network.enable');
  await cdp.send('Network.emulateNetworkConditions', { offline: false, latency: 0, downloadThroughput: -1, uploadThroughput: 400 * 1024 });
  await page.getByTestId('capture-input').setInputFiles(file);
  const bar = page.getByTestId('upload-progress');
  await expect(bar).toBeVisible();
  await page.waitForTimeout(AUTO_DEMO_MS + 2000);
  await expect(bar).toBeVisible();
  expect(Number(await bar.getAttribute('aria-valuenow'))).toBeGreaterThan(0);
  await expect(page.getByTestId('simulated-badge')).toHaveCount(0);
  await expect(page.getByTestId('verdict')).toHaveCount(0);
  await screenshot(page, 'h-upload-progress');
  // The upload ends and the text file gets its plain-words message; still no demo.
  await expect(page.getByTestId('verdict-error')).toBeVisible({ timeout: 30_000 });
  await page.waitForTimeout(AUTO_DEMO_MS + 500);
  await expect(page.getByTestId('simulated-badge')).toHaveCount(0);
});

test('a file that is no capture: the verdict panel says what it is and what FlexPath needs', async ({ page }) => {
  const file = join(dir, 'capture.zip');
  // A ZIP's local-file-header magic (PK\x03\x04), then filler.
  writeFileSync(file, Buffer.concat([Buffer.from([0x50, 0x4b, 0x03, 0x04]), Buffer.alloc(2000, 7)]));
  server = await startProductServer();
  await page.goto(server.url);
  await page.getByTestId('capture-input').setInputFiles(file);
  const err = page.getByTestId('verdict-error');
  await expect(err).toBeVisible({ timeout: 20_000 });
  await expect(err).toContainText('capture.zip');
  await expect(err).toContainText(/ZIP archive|not a packet capture|could not/);
  await expect(err).toContainText('FlexPath needs a packet capture (.pcap or .pcapng)');
  await expect(err).toContainText('pktmon');
  await screenshot(page, 'i-bad-file');
});
