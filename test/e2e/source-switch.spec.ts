// Switching source clears every panel: nothing of an earlier source (its panadapter trace, waterfall,
// charts, verdict) is drawn under the next one — between demo runs and from a demo to a capture.
import { join } from 'node:path';
import { expect, test } from '@playwright/test';
import type { UiServer } from '../../src/bridge/ui-server.js';
import { canvasInk, repoRoot, screenshot, startProductServer } from './harness.js';

let server: UiServer | undefined;
test.afterEach(async () => {
  await server?.close();
  server = undefined;
});

/** A real capture with only discovery beacons: no FFT frame, no waterfall line, nothing to draw. */
const DISCOVERY_ONLY = join(repoRoot, 'test/fixtures/shared/flex6600m-discovery.pcapng');

test('no stale spectrum: demo → demo with UDP blocked → healthy demo → capture without VITA-49 data', async ({ page }) => {
  server = await startProductServer();
  await page.goto(server.url);
  const header = page.locator('.spectrum h2');

  await page.getByTestId('start-demo').click();
  await expect.poll(() => canvasInk(page, 'panadapter'), { timeout: 20_000 }).toBeGreaterThan(500);
  await expect.poll(() => canvasInk(page, 'waterfall'), { timeout: 20_000 }).toBeGreaterThan(500);
  await expect(header).toContainText('frames');

  // Same demo radio, same stream IDs, but every VITA-49 datagram is dropped: nothing may be drawn.
  await page.getByTestId('fault-udp-blocked').check();
  await page.getByTestId('start-demo').click();
  await expect(page.getByTestId('source')).toContainText('Inbound UDP blocked');
  await expect(page.getByTestId('verdict')).toHaveAttribute('data-status', 'blocked', { timeout: 20_000 });
  expect(await canvasInk(page, 'panadapter')).toBe(0);
  expect(await canvasInk(page, 'waterfall')).toBe(0);
  await expect(header).not.toContainText('frames');
  // The charts of the new run plot nothing: no datagram of it ever arrived.
  await expect(page.locator('.charts path.recharts-curve')).toHaveCount(0);
  await screenshot(page, 'e-switch-demo-to-udp-blocked');

  // Healthy again, then a capture that holds no panadapter data at all.
  await page.getByTestId('fault-udp-blocked').uncheck();
  await page.getByTestId('start-demo').click();
  await expect.poll(() => canvasInk(page, 'panadapter'), { timeout: 20_000 }).toBeGreaterThan(500);
  await page.getByTestId('capture-input').setInputFiles(DISCOVERY_ONLY);
  await expect(page.getByTestId('source')).toContainText('flex6600m-discovery.pcapng');
  await expect(page.getByTestId('verdict')).toBeVisible({ timeout: 20_000 });
  await expect(page.getByTestId('simulated-badge')).toHaveCount(0);
  expect(await canvasInk(page, 'panadapter')).toBe(0);
  expect(await canvasInk(page, 'waterfall')).toBe(0);
  await expect(header).not.toContainText('frames');
  // No demo stream survives in the table.
  await expect(page.getByTestId('streams-table')).not.toContainText('0x40000000');
  // Beacons only: no data hop was judged, so the data lane (title included) is not drawn at all.
  await expect(page.locator('[data-testid^="hop-data:"].track')).toHaveCount(0);
  await expect(page.locator('.lane-title', { hasText: 'Data' })).toHaveCount(0);
  await screenshot(page, 'e-switch-demo-to-capture');
});
