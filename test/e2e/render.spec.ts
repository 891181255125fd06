// Renderer checks with hand-built inputs (test/e2e/fixtures.ts) through the real server and session:
// what the user sees for a blocked MTU capture and for a running live source.
import { expect, test, type Page } from '@playwright/test';
import type { UiServer } from '../../src/bridge/ui-server.js';
import { mtuReport, scriptedLive } from './fixtures.js';
import { screenshot, startServer } from './harness.js';

let server: UiServer | undefined;
test.afterEach(async () => {
  await server?.close();
  server = undefined;
});

async function canvasInk(page: Page, testId: string): Promise<number> {
  return page.getByTestId(testId).evaluate((c: HTMLCanvasElement) => {
    const d = c.getContext('2d')!.getImageData(0, 0, c.width, c.height).data;
    let bright = 0;
    for (let i = 0; i < d.length; i += 4) if (d[i]! + d[i + 1]! + d[i + 2]! > 120) bright++;
    return bright;
  });
}

test('a capture with an MTU fault: the panadapter hop is BLOCKED with cause MTU, meters OK', async ({ page }) => {
  server = await startServer({ analyzeCaptureFile: async () => mtuReport() });
  await page.goto(server.url);
  await page.getByTestId('capture-input').setInputFiles({ name: 'mtu-vpn.pcapng', mimeType: 'application/octet-stream', buffer: Buffer.from('placeholder') });
  const pan = page.getByTestId('hop-data:panadapter');
  await expect(pan).toHaveAttribute('data-status', 'blocked');
  await expect(pan).toContainText('BLOCKED');
  await expect(pan).toContainText('MTU');
  await expect(page.getByTestId('hop-data:meter')).toContainText('OK');
  await expect(page.getByTestId('verdict')).toHaveAttribute('data-cause', 'mtu');
  await expect(page.getByTestId('evidence')).toContainText('next-hop MTU 1400');
  await expect(page.getByTestId('simulated-badge')).toHaveCount(0);
  await screenshot(page, 'render-mtu-capture');
});

test('a live source: charts move, the panadapter is drawn, the badge says SIMULATED for the demo', async ({ page }) => {
  server = await startServer({ startDemo: async () => scriptedLive(undefined) });
  await page.goto(server.url);
  await page.getByTestId('start-demo').click();
  await expect(page.getByTestId('simulated-badge')).toBeVisible();
  await expect(page.getByTestId('verdict')).toHaveAttribute('data-status', 'healthy');
  await expect(page.getByTestId('charts')).toBeVisible({ timeout: 8000 });
  await expect.poll(() => canvasInk(page, 'panadapter')).toBeGreaterThan(500);
  await expect.poll(() => canvasInk(page, 'waterfall')).toBeGreaterThan(500);
  await page.waitForTimeout(3500); // let the waterfall pass its gap
  await screenshot(page, 'render-live-healthy');
});

test('a live source that loses its data plane: the verdict names the hop', async ({ page }) => {
  server = await startServer({ startDemo: async () => scriptedLive(2500) });
  await page.goto(server.url);
  await page.getByTestId('fault-udp-blocked').check();
  await page.getByTestId('start-demo').click();
  await expect(page.getByTestId('verdict')).toHaveAttribute('data-status', 'blocked', { timeout: 6000 });
  await expect(page.getByTestId('verdict')).toContainText('Meters');
  await page.waitForTimeout(2500);
  await screenshot(page, 'render-live-blocked');
});
