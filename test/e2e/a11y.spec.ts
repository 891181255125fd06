// Accessibility: axe-core finds no serious or critical violation in the dark and the light theme with
// a running session; the light theme really is light; keyboard order is sources → verdict → hops, and
// the charts add no tab stops.
import { AxeBuilder } from '@axe-core/playwright';
import { expect, test, type Page } from '@playwright/test';
import type { UiServer } from '../../src/bridge/ui-server.js';
import { screenshot, startProductServer } from './harness.js';

let server: UiServer | undefined;
test.afterEach(async () => {
  await server?.close();
  server = undefined;
});

async function runningDemo(page: Page): Promise<void> {
  server = await startProductServer();
  await page.goto(server.url);
  await page.getByTestId('fault-loss').check();
  await page.getByTestId('start-demo').click();
  await expect(page.getByTestId('verdict')).toBeVisible({ timeout: 20_000 });
  await expect(page.getByTestId('charts')).toBeVisible({ timeout: 20_000 });
}

async function seriousViolations(page: Page): Promise<string[]> {
  const r = await new AxeBuilder({ page }).analyze();
  return r.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).slice(0, 3).join(', ')}`);
}

for (const scheme of ['dark', 'light'] as const) {
  test(`axe-core: no serious or critical violation, ${scheme} theme, demo running`, async ({ page }) => {
    await page.emulateMedia({ colorScheme: scheme });
    await runningDemo(page);
    // The theme follows the system setting: the page background is dark or light accordingly.
    const bg = await page.evaluate(() => getComputedStyle(document.documentElement).backgroundColor);
    const [r, g, b] = (bg.match(/\d+/g) ?? []).map(Number);
    const luminance = (0.2126 * r! + 0.7152 * g! + 0.0722 * b!) / 255;
    if (scheme === 'light') expect(luminance).toBeGreaterThan(0.8);
    else expect(luminance).toBeLessThan(0.2);
    expect(await seriousViolations(page)).toEqual([]);
    await screenshot(page, `j-theme-${scheme}`);
  });
}

test('keyboard order: sources, then the verdict, then the hops, then before/after; no tab stop inside the charts', async ({ page }) => {
  await runningDemo(page);
  const order: string[] = [];
  await page.locator('body').focus();
  for (let i = 0; i < 60; i++) {
    await page.keyboard.press('Tab');
    order.push(
      await page.evaluate(() => {
        const el = document.activeElement;
        if (!el) return 'none';
        if (el.closest('.charts')) return 'chart';
        if (el.closest('aside')) return 'sources';
        if (el.closest('.path')) return 'hops';
        if (el.closest('.verdict')) return 'verdict';
        if (el.closest('.diff')) return 'diff';
        return el.tagName.toLowerCase();
      }),
    );
  }
  expect(order).not.toContain('chart');
  // One full cycle, from the first source control to the end of the page: sources, verdict, hops, then
  // the before/after comparison below them.
  const start = order.indexOf('sources');
  const end = order.indexOf('body', start);
  const cycle = order.slice(start, end < 0 ? undefined : end).filter((k, i, a) => a[i - 1] !== k);
  expect(cycle).toEqual(['sources', 'verdict', 'hops', 'diff']);
});
