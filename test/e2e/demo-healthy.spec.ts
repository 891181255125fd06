// (b) The healthy demo, end to end: the simulator walked live by FlexPath's own LAN probe.
import { expect, test, type Page } from '@playwright/test';
import type { UiServer } from '../../src/bridge/ui-server.js';
import { canvasInk, screenshot, startProductServer } from './harness.js';

let server: UiServer | undefined;
test.afterEach(async () => {
  await server?.close();
  server = undefined;
});

/** What the charts draw right now: the SVG path of every line, joined. */
const chartPaths = (page: Page): Promise<string> =>
  page.getByTestId('charts').locator('path.recharts-curve').evaluateAll((paths) => paths.map((p) => p.getAttribute('d') ?? '').join('|'));

/** The packet count of a streams-table row, by its kind. */
const packets = async (page: Page, kind: string): Promise<number> =>
  Number(await page.getByTestId('streams-table').locator('tr', { hasText: kind }).first().locator('td').last().textContent());

test('healthy demo: SIMULATED badge, verdict HEALTHY, charts move, panadapter and waterfall drawn', async ({ page }) => {
  server = await startProductServer();
  await page.goto(server.url);
  await page.getByTestId('start-demo').click();
  await expect(page.getByTestId('simulated-badge')).toBeVisible();
  await expect(page.getByTestId('simulated-badge')).toContainText('SIMULATED');
  await expect(page.getByTestId('source')).toContainText('Demo radio');

  const verdict = page.getByTestId('verdict');
  await expect(verdict).toHaveAttribute('data-status', 'healthy', { timeout: 20_000 });
  await expect(verdict).toContainText('HEALTHY');
  for (const id of ['control', 'stream-setup', 'udp-return', 'data:meter', 'data:panadapter', 'data:waterfall', 'data:audio']) {
    await expect(page.getByTestId(`hop-${id}`)).toHaveAttribute('data-status', 'ok');
  }
  // Hops a LAN session never uses are not counted as faults.
  await expect(page.getByTestId('hop-counts')).not.toContainText('blocked');
  await expect(page.getByTestId('hop-counts')).toContainText('not judged');

  // Panadapter and waterfall canvases carry a drawn trace, not just the background.
  await expect.poll(() => canvasInk(page, 'panadapter'), { timeout: 15_000 }).toBeGreaterThan(500);
  await expect.poll(() => canvasInk(page, 'waterfall'), { timeout: 15_000 }).toBeGreaterThan(500);

  // The charts move: what they draw changes between two reads, and so do the packet counters.
  await expect(page.getByTestId('charts')).toBeVisible({ timeout: 15_000 });
  const before = await chartPaths(page);
  const metersBefore = await packets(page, 'Meters');
  expect(before).not.toBe('');
  await expect.poll(() => chartPaths(page), { timeout: 15_000 }).not.toBe(before);
  await expect.poll(() => packets(page, 'Meters'), { timeout: 15_000 }).toBeGreaterThan(metersBefore);

  // Jitter is measured for every stream that has run a while.
  await expect
    .poll(() => page.getByTestId('streams-table').locator('tbody tr td:nth-child(7)').allTextContents(), { timeout: 15_000 })
    .toEqual(expect.arrayContaining([expect.stringMatching(/^\d+\.\d$/)]));
  await expect(page.getByTestId('streams-table').locator('tbody tr td:nth-child(7)', { hasText: '—' })).toHaveCount(0);

  await page.waitForTimeout(3000); // a fuller waterfall for the screenshot
  await screenshot(page, 'b-demo-healthy');

  // On a phone (390 px) the panadapter's dBm labels stay apart: each one ends above the next one's top.
  await page.setViewportSize({ width: 390, height: 800 });
  const labels = await page.locator('.db-axis span').evaluateAll((spans) => spans.map((s) => s.getBoundingClientRect()).map((r) => ({ top: r.top, bottom: r.bottom })));
  expect(labels.length).toBe(6);
  for (let i = 1; i < labels.length; i++) expect(labels[i]!.top).toBeGreaterThanOrEqual(labels[i - 1]!.bottom);
});
