// The path view at 1440, 720 and 390 px: nodes of the real path, tracks drawn as far as packets get,
// a break where they stop, the verdict fully visible (never cut) at every width.
import { expect, test, type Locator, type Page } from '@playwright/test';
import type { UiServer } from '../../src/bridge/ui-server.js';
import { blockedDemoVerdict, screenshot, startProductServer } from './harness.js';

let server: UiServer | undefined;
test.afterEach(async () => {
  await server?.close();
  server = undefined;
});

/** Text cut by overflow: an element whose content is wider than its box, or one past the viewport. */
async function expectNotCut(page: Page, el: Locator): Promise<void> {
  await expect(el).toBeVisible();
  const m = await el.evaluate((e: HTMLElement) => ({ scroll: e.scrollWidth, client: e.clientWidth, right: e.getBoundingClientRect().right }));
  expect(m.scroll).toBeLessThanOrEqual(m.client + 1);
  expect(m.right).toBeLessThanOrEqual(page.viewportSize()!.width + 1);
}

/** No two node labels overlap (the "Internerver" bug). */
async function expectNodeLabelsApart(page: Page): Promise<void> {
  const boxes = await page.locator('.node').evaluateAll((els) =>
    els.map((e) => {
      const r = document.createRange();
      r.selectNodeContents(e);
      const b = r.getBoundingClientRect();
      return { left: b.left, right: b.right };
    }),
  );
  for (let i = 1; i < boxes.length; i++) expect(boxes[i]!.left).toBeGreaterThanOrEqual(boxes[i - 1]!.right - 0.5);
}

for (const width of [1440, 720, 390]) {
  test(`path view at ${width} px: UDP-blocked demo, break before this computer, verdict never cut`, async ({ page }) => {
    await page.setViewportSize({ width, height: 1000 });
    server = await startProductServer();
    const verdict = await blockedDemoVerdict(page, server.url);

    for (const sel of ['.verdict-badge', '.verdict-where', '.verdict-cause', '.verdict-summary']) await expectNotCut(page, verdict.locator(sel));
    await expect(verdict.locator('.verdict-badge')).toHaveText('BLOCKED');

    // A LAN session: Radio, LAN, This computer — no SmartLink node, no SmartLink track; the route to the
    // radio (loopback here) is no VPN, so the middle node is the LAN, not "VPN / LAN".
    await expect(page.getByTestId('path')).toHaveAttribute('data-smartlink', 'no');
    await expect(page.getByTestId('node-lan')).toHaveText('LAN');
    await expect(page.getByTestId('hop-smartlink-server')).toHaveCount(0);
    // The UDP data stops on the last segment, before this computer (a host-side block on a LAN).
    const udp = page.getByTestId('hop-udp-return');
    await expect(udp).toHaveAttribute('data-stop', 'lan>computer');
    await expect(udp).toHaveAttribute('aria-label', /stop between LAN and This computer/);
    await expect(page.getByTestId('hop-control')).toHaveAttribute('data-stop', '');
    await expect(page.getByTestId('hop-control')).toHaveAttribute('data-status', 'ok');

    if (width >= 720) {
      await expect(page.locator('.node')).toHaveCount(3);
      await expectNodeLabelsApart(page);
      await expect(udp.locator('.break-mark')).toBeVisible();
    } else {
      // Narrow: each track is a wrapped text chain with the stop spelled out.
      await expect(udp.locator('.track-chain')).toBeVisible();
      await expect(udp.locator('.track-chain')).toContainText('✕ This computer');
      await expectNotCut(page, udp);
    }
    // Evidence one Enter away, from the keyboard.
    await udp.focus();
    await page.keyboard.press('Enter');
    await expect(page.getByTestId('evidence')).toContainText('UDP data path');
    // Nothing makes the page wider than the window (the adapters table once did at 720 and 390 px).
    if (process.platform === 'linux') await expect(page.getByTestId('local-panel')).toBeVisible();
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(width);
    await screenshot(page, `f-path-${width}`);
  });
}
