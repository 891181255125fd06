// (c) The demo with "Inbound UDP blocked": the control channel works, no VITA-49 datagram arrives.
import { expect, test } from '@playwright/test';
import type { UiServer } from '../../src/bridge/ui-server.js';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { blockedDemoVerdict, dist, screenshot, startProductServer } from './harness.js';

let server: UiServer | undefined;
test.afterEach(async () => {
  await server?.close();
  server = undefined;
});

test('demo with inbound UDP blocked: the verdict names udp-return, blocked, udp-blocked-inbound', async ({ page }) => {
  server = await startProductServer();
  const verdict = await blockedDemoVerdict(page, server.url);
  await expect(verdict).toHaveAttribute('data-cause', 'udp-blocked-inbound');
  await expect(verdict).toContainText('UDP data path');
  await expect(verdict).toContainText('Inbound UDP blocked');
  await expect(page.getByTestId('hop-udp-return')).toHaveAttribute('data-status', 'blocked');
  await expect(page.getByTestId('hop-control')).toHaveAttribute('data-status', 'ok');
  // A live run has no capture: the evidence says no datagram reached FlexPath's socket, not a capture filter.
  await expect(page.getByTestId('evidence')).toContainText('no UDP datagram of any kind reached FlexPath’s socket');
  await expect(page.getByTestId('evidence')).not.toContainText('capture filter');
  await expect(page.getByTestId('simulated-badge')).toBeVisible();
  await expect(page.getByTestId('source')).toContainText('Demo radio — fault: Inbound UDP blocked');
  await screenshot(page, 'c-demo-udp-blocked');
});

test('a capture of the same block with no UDP at all: the filter it names reads as code, and the track’s hover text carries no backticks', async ({ page }) => {
  const dir = mkdtempSync(join(tmpdir(), 'flexpath-e2e-'));
  try {
    const { writeEventsCapture } = await dist<typeof import('../helpers/capture-files.js')>('test/helpers/capture-files.js');
    const { lanScenario } = await dist<typeof import('../helpers/scenario.js')>('test/helpers/scenario.js');
    const file = join(dir, 'no-udp.pcapng');
    await writeEventsCapture(file, lanScenario({ withAudio: true, seconds: 4, blockUdp: true }));
    server = await startProductServer();
    await page.goto(server.url);
    await page.getByTestId('capture-input').setInputFiles(file);
    const udp = page.getByTestId('hop-udp-return');
    await expect(udp).toHaveAttribute('data-status', 'blocked', { timeout: 20_000 });
    await udp.click();
    const evidence = page.getByTestId('evidence');
    await expect(evidence.locator('code')).toContainText(['udp or tcp port 4992']);
    await expect(evidence).not.toContainText('`');
    // The hover text is plain text: the same words, without the backticks the page turns into code.
    await expect(udp).toHaveAttribute('title', /capture again with one that keeps UDP \(udp or tcp port 4992\)/);
    expect(await udp.getAttribute('title')).not.toContain('`');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
