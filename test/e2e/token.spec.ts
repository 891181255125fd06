// (e) Sign-in: the printed address carries a one-time code; the browser swaps it for an HttpOnly,
// SameSite=Strict cookie that only this server gets back, and the code leaves the address bar.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
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

test('without signing in the browser gets 403 and no app', async ({ page }) => {
  const res = await page.goto(`http://127.0.0.1:${server.port}/`);
  expect(res?.status()).toBe(403);
  await expect(page.locator('body')).toContainText('forbidden');
  await expect(page.locator('body')).toContainText('flexpath ui');
  await expect(page.locator('#root')).toHaveCount(0);
  await screenshot(page, 'e-no-token');
});

test('the printed address signs in once: the app loads and connects, the code leaves the address bar, the cookie is HttpOnly', async ({ page, browser }) => {
  const printed = server.signInUrl();
  await page.goto(printed);
  await expect(page.getByRole('heading', { name: 'Verdict' })).toBeVisible();
  // The product listens for radio beacons until a source is chosen.
  await expect(page.locator('.phase')).toHaveText('DISCOVERING');
  await expect(page.getByText('Disconnected from FlexPath')).toHaveCount(0);
  await expect(page.getByTestId('start-demo')).toBeEnabled();
  await expect(page.getByTestId('open-capture')).toBeEnabled();
  expect(page.url()).not.toContain('code=');
  expect(page.url()).not.toContain(new URL(printed).searchParams.get('code'));
  expect(await page.evaluate(() => document.cookie)).toBe('');
  const [cookie] = await page.context().cookies();
  expect(cookie?.httpOnly).toBe(true);
  expect(cookie?.sameSite).toBe('Strict');
  expect(cookie?.path).toMatch(/^\/[\w-]{20,}\/$/);
  // A reload keeps the session (the cookie), not the code.
  await page.reload();
  await expect(page.getByTestId('start-demo')).toBeEnabled();
  await screenshot(page, 'e-with-token');

  // The same address in another browser profile: used up.
  const other = await browser.newContext();
  try {
    const again = await (await other.newPage()).goto(printed);
    expect(again?.status()).toBe(403);
  } finally {
    await other.close();
  }
});

test('another server on 127.0.0.1 never receives the session cookie', async ({ page }) => {
  // Browsers do not keep cookies apart by port: a Path=/ cookie would go to every local server.
  const seen: string[] = [];
  const spy: Server = createServer((req, res) => {
    seen.push(req.headers.cookie ?? '');
    res.end('other local server');
  });
  await new Promise<void>((r) => spy.listen(0, '127.0.0.1', r));
  try {
    await page.goto(server.signInUrl());
    await expect(page.getByTestId('start-demo')).toBeEnabled();
    const [cookie] = await page.context().cookies();
    expect(cookie?.value.length).toBeGreaterThan(30);
    const spyPort = (spy.address() as AddressInfo).port;
    for (const path of ['/', '/ws', '/assets/index.js', '/download/x']) await page.goto(`http://127.0.0.1:${spyPort}${path}`);
    expect(seen.length).toBeGreaterThanOrEqual(4); // and the favicon
    for (const header of seen) expect(header).not.toContain(cookie!.value);
  } finally {
    spy.close();
  }
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
