// Capture replay: a simulator capture's own FFT frames and waterfall lines are drawn, with a time
// scrubber, frequency (MHz) and level (dBm) axes from the pan's status, and rate/loss over capture time.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test } from '@playwright/test';
import type { UiServer } from '../../src/bridge/ui-server.js';
import { canvasInk, dist, mtuCapture, screenshot, startProductServer } from './harness.js';

let server: UiServer | undefined;
const cleanup: (() => void)[] = [];
test.afterEach(async () => {
  await server?.close();
  server = undefined;
  for (const c of cleanup.splice(0)) c();
});

test('healthy simulator capture: panadapter and waterfall drawn from the capture, scrubber, axes, charts over capture time', async ({ page }) => {
  const dir = mkdtempSync(join(tmpdir(), 'flexpath-e2e-'));
  cleanup.push(() => rmSync(dir, { recursive: true, force: true }));
  const { recordedSession } = await dist<typeof import('../helpers/sim.js')>('test/helpers/sim.js');
  // 4 s of a GUI session: the simulator's pan is at 14.1 MHz, 0.2 MHz wide, −135…−40 dBm (radio-core addPan).
  const { file } = await recordedSession(join(dir, 'healthy.pcapng'), {}, { ms: 4000 });
  server = await startProductServer();
  await page.goto(server.url);
  await page.getByTestId('capture-input').setInputFiles(file);
  // Whatever the verdict (a loaded test machine may delay the simulator's packets), the replay is drawn.
  await expect(page.getByTestId('verdict')).toBeVisible({ timeout: 20_000 });

  const replay = page.getByTestId('replay');
  await expect(replay).toBeVisible();
  await expect.poll(() => canvasInk(page, 'waterfall')).toBeGreaterThan(5000);
  // Scrub to the middle: the panadapter shows that frame.
  await page.getByTestId('scrubber').fill('2');
  await expect(page.getByTestId('scrub-time')).toContainText('2.00 s');
  await expect.poll(() => canvasInk(page, 'panadapter')).toBeGreaterThan(500);
  // 25 fps for about 4 s: around a hundred frames, whatever the exact start.
  const header = (await replay.locator('h2').textContent()) ?? '';
  expect(Number(/(\d+) frames/.exec(header)?.[1])).toBeGreaterThan(50);
  await expect(page.getByTestId('freq-axis')).toContainText(/^14\.00*/);
  await expect(page.getByTestId('freq-axis')).toContainText(/14\.20* MHz/);
  await expect(replay).toContainText('-40 dBm');
  await expect(replay).toContainText('-135');
  // Rate over capture time: the charts draw lines.
  await expect(page.locator('.charts path.recharts-curve').first()).toBeVisible();
  await screenshot(page, 'g-capture-replay');
});

test('MTU capture: no panadapter frame completes, the waterfall time is hatched as a gap', async ({ page }) => {
  const capture = await mtuCapture('vpn-mtu1400.pcapng');
  cleanup.push(capture.remove);
  server = await startProductServer();
  await page.goto(server.url);
  await page.getByTestId('capture-input').setInputFiles(capture.file);
  await expect(page.getByTestId('verdict')).toHaveAttribute('data-cause', 'mtu', { timeout: 20_000 });
  const replay = page.getByTestId('replay');
  await expect(replay).toContainText('gaps hatched red');
  await expect(replay).toContainText('No panadapter frame of this capture is complete');
  // The hatching is red: count pixels whose red channel dominates.
  const red = await page.getByTestId('waterfall').evaluate((c: HTMLCanvasElement) => {
    const d = c.getContext('2d')!.getImageData(0, 0, c.width, c.height).data;
    let n = 0;
    for (let i = 0; i < d.length; i += 4) if (d[i]! >= 60 && d[i]! > 2 * d[i + 1]! && d[i]! > 2 * d[i + 2]!) n++;
    return n;
  });
  expect(red).toBeGreaterThan(0.5 * 800 * 240);
  // The note about the panadapter covers the panadapter only: the hatched waterfall is what shows at
  // the waterfall's own centre, not a dimming overlay.
  const overlay = await page.getByTestId('replay-overlay').boundingBox();
  const wf = await page.getByTestId('waterfall').boundingBox();
  expect(overlay && wf && overlay.y + overlay.height <= wf.y).toBe(true);
  await page.getByTestId('waterfall').scrollIntoViewIfNeeded();
  const onTop = await page.getByTestId('waterfall').evaluate((c) => {
    const r = c.getBoundingClientRect();
    const hit = document.elementFromPoint(r.x + r.width / 2, r.y + r.height / 2);
    return hit === c ? 'waterfall' : `${hit?.tagName} ${hit?.className}`;
  });
  expect(onTop).toBe('waterfall');
  // The sticky top bar would be painted mid-page in a full-page shot of a scrolled page.
  await page.evaluate(() => window.scrollTo(0, 0));
  await screenshot(page, 'g-capture-replay-mtu');
});
