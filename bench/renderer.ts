/**
 * Renderer cost of the live view: the demo (simulator walked by FlexPath's probe, 25-fps panadapter +
 * waterfall, charts, table) drawn in headless Chromium for 10 s. Prints the renderer main thread's
 * busy time (Chrome DevTools Protocol Performance.getMetrics: TaskDuration, ScriptDuration) as a share
 * of one core, against the same page idle for the same time, measured in this run. Target: < 30 % of
 * one core while drawing; nothing is asserted.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type CDPSession, type Page } from '@playwright/test';
import { productBackends } from '../src/bridge/backends.js';
import { startUiServer } from '../src/bridge/ui-server.js';

const CHROMIUM = '/usr/bin/chromium';
const WINDOW_S = 10;
const distDir = join(fileURLToPath(import.meta.url), '..', '..');

type Metrics = Record<string, number>;

async function metrics(cdp: CDPSession): Promise<Metrics> {
  const r = (await cdp.send('Performance.getMetrics')) as { metrics: { name: string; value: number }[] };
  return Object.fromEntries(r.metrics.map((m) => [m.name, m.value]));
}

/** Busy shares of one core over `seconds`, and how many frames/lines the page drew meanwhile. */
async function measure(page: Page, cdp: CDPSession, seconds: number): Promise<{ task: number; script: number; layout: number; frames: number; lines: number }> {
  const drawn = async (): Promise<{ frames: number; lines: number }> => {
    const text = (await page.locator('.spectrum h2').textContent()) ?? '';
    return { frames: Number(/(\d+) frames/.exec(text)?.[1] ?? 0), lines: Number(/(\d+) lines/.exec(text)?.[1] ?? 0) };
  };
  const a = await metrics(cdp);
  const d0 = await drawn();
  await new Promise((r) => setTimeout(r, seconds * 1000));
  const b = await metrics(cdp);
  const d1 = await drawn();
  const wall = (b.Timestamp ?? 0) - (a.Timestamp ?? 0);
  const share = (k: string): number => (100 * ((b[k] ?? 0) - (a[k] ?? 0))) / wall;
  return {
    task: share('TaskDuration'),
    script: share('ScriptDuration'),
    layout: share('LayoutDuration') + share('RecalcStyleDuration'),
    frames: (d1.frames - d0.frames) / wall,
    lines: (d1.lines - d0.lines) / wall,
  };
}

export async function benchRenderer(): Promise<void> {
  if (!existsSync(CHROMIUM)) {
    console.log(`renderer: skipped — ${CHROMIUM} is missing (Debian package chromium; scripts/ensure-system-deps.sh installs it)`);
    return;
  }
  const server = await startUiServer({ staticDir: join(distDir, 'renderer'), backends: productBackends() });
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
  });
  try {
    const page = await browser.newPage({ viewport: { width: 1440, height: 1000 } });
    await page.goto(server.url);
    const cdp = await page.context().newCDPSession(page);
    await cdp.send('Performance.enable', { timeDomain: 'threadTicks' });
    await page.locator('.phase').waitFor();
    const idle = await measure(page, cdp, WINDOW_S);

    await page.getByTestId('start-demo').click();
    await page.locator('[data-testid="verdict"][data-status="healthy"]').waitFor({ timeout: 30_000 });
    await page.waitForTimeout(2000); // past the first chart points and canvas clears
    const live = await measure(page, cdp, WINDOW_S);

    const pct = (v: number): string => `${v.toFixed(1).padStart(5)} %`;
    console.log(`renderer: healthy demo drawn for ${WINDOW_S} s in headless Chromium (main thread busy time, share of one core)`);
    console.log(`  drawing   task ${pct(live.task)}  script ${pct(live.script)}  style+layout ${pct(live.layout)}  (${live.frames.toFixed(1)} FFT frames/s, ${live.lines.toFixed(1)} waterfall lines/s)`);
    console.log(`  idle page task ${pct(idle.task)}  script ${pct(idle.script)}  style+layout ${pct(idle.layout)}  (reference)`);
    console.log(`  ratio drawing/idle task time = ${(live.task / Math.max(idle.task, 0.01)).toFixed(1)}; target: drawing < 30 % of one core`);
  } finally {
    await browser.close();
    await server.close();
  }
}
