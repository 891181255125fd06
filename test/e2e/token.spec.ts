// (e) The token is required: the page, its assets and the WebSocket refuse a browser without it.
import { expect, test } from '@playwright/test';
import type { UiServer } from '../../src/bridge/ui-server.js';
import { screenshot, startProductServer } from './harness.js';

let server: UiServer;
test.beforeAll(async () => {
  server = await startProductServer();
});
test.afterAll(async () => {
  await server.close();
});

test('without the token the browser gets 403 and no app', async ({ page }) => {
  const res = await page.goto(`http://127.0.0.1:${server.port}/`);
  expect(res?.status()).toBe(403);
  await expect(page.locator('body')).toContainText('forbidden');
  await expect(page.locator('body')).toContainText('?token=');
  await expect(page.locator('#root')).toHaveCount(0);
  await screenshot(page, 'e-no-token');
});

test('with the token the app loads and connects', async ({ page }) => {
  await page.goto(server.url);
  await expect(page.getByRole('heading', { name: 'Verdict' })).toBeVisible();
  // The product listens for radio beacons until a source is chosen.
  await expect(page.locator('.phase')).toHaveText('DISCOVERING');
  await expect(page.getByText('Disconnected from FlexPath')).toHaveCount(0);
  await expect(page.getByTestId('start-demo')).toBeEnabled();
  await expect(page.getByTestId('open-capture')).toBeEnabled();
  await screenshot(page, 'e-with-token');
});

test('a WebSocket opened from another origin without the cookie is refused', async ({ page }) => {
  await page.goto('about:blank');
  const closed = await page.evaluate(
    (port) =>
      new Promise<string>((resolve) => {
        const ws = new WebSocket(`ws://127.0.0.1:${port}/ws`);
        ws.onopen = () => resolve('open');
        ws.onerror = () => resolve('refused');
        setTimeout(() => resolve('timeout'), 5000);
      }),
    server.port,
  );
  expect(closed).toBe('refused');
});
