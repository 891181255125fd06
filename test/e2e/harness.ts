/**
 * Starts the real web-mode server (compiled, from dist/) for a Playwright test, with the product's own
 * engines (capture analysis, the simulator walked by FlexPath's probe, reports) unless a test needs
 * none. Screenshots go to test-results/screens/.
 */
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { test as base, expect, type Locator, type Page } from '@playwright/test';
import type { Backends } from '../../src/bridge/session.js';
import type { UiServer } from '../../src/bridge/ui-server.js';

export const repoRoot = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const screensDir = join(repoRoot, 'test-results', 'screens');

/** A compiled module of this repository, typed from its source. */
export function dist<T>(path: string): Promise<T> {
  return import(join(repoRoot, 'dist', path)) as Promise<T>;
}

export async function startServer(backends: Backends, autoDemoMs = 0, platform?: NodeJS.Platform): Promise<UiServer> {
  const mod = await dist<typeof import('../../src/bridge/ui-server.js')>('src/bridge/ui-server.js');
  return mod.startUiServer({ staticDir: join(repoRoot, 'dist/renderer'), backends, autoDemoMs, ...(platform ? { platform } : {}) });
}

/** The server `flexpath ui` runs: every real backend. */
export async function startProductServer(): Promise<UiServer> {
  const { productBackends } = await dist<typeof import('../../src/bridge/backends.js')>('src/bridge/backends.js');
  return startServer(productBackends());
}

export async function screenshot(page: Page, name: string): Promise<string> {
  mkdirSync(screensDir, { recursive: true });
  const path = join(screensDir, `${name}.png`);
  await page.screenshot({ path, fullPage: true });
  return path;
}

/** Pixels of a canvas brighter than its dark background: 0 for a blank one. */
export function canvasInk(page: Page, testId: string): Promise<number> {
  return page.getByTestId(testId).evaluate((c: HTMLCanvasElement) => {
    const d = c.getContext('2d')!.getImageData(0, 0, c.width, c.height).data;
    let bright = 0;
    for (let i = 0; i < d.length; i += 4) if (d[i]! + d[i + 1]! + d[i + 2]! > 120) bright++;
    return bright;
  });
}

/**
 * A customer-style capture: a simulated radio behind a 1400-byte path MTU, recorded by the simulator
 * during a short GUI session with a 1024-pixel pan (its first FFT fragment and every full waterfall
 * tile exceed 1400 B, reference §3.9). `remove` deletes it.
 */
export async function mtuCapture(name: string): Promise<{ file: string; remove(): void }> {
  const dir = mkdtempSync(join(tmpdir(), 'flexpath-e2e-'));
  const { recordedSession } = await dist<typeof import('../helpers/sim.js')>('test/helpers/sim.js');
  const { file } = await recordedSession(join(dir, name), { mtu: 1400 }, { ms: 3000 });
  return { file, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

/**
 * A test whose `openMtuCapture(name)` records a customer-style MTU capture (mtuCapture) under that file
 * name, starts the product's server and opens its page, and gives the capture's path for the file
 * picker. The server and the capture go away when the test ends, whatever it did.
 */
export const mtuCaptureTest = base.extend<{ openMtuCapture: (name: string) => Promise<string> }>({
  openMtuCapture: async ({ page }, use) => {
    let server: UiServer | undefined;
    let capture: { file: string; remove(): void } | undefined;
    await use(async (name) => {
      capture = await mtuCapture(name);
      server = await startProductServer();
      await page.goto(server.url);
      return capture.file;
    });
    await server?.close();
    capture?.remove();
  },
});

/** Opens the app and runs the demo with inbound UDP blocked until the verdict says blocked at udp-return. */
export async function blockedDemoVerdict(page: Page, url: string): Promise<Locator> {
  await page.goto(url);
  await page.getByTestId('fault-udp-blocked').check();
  await page.getByTestId('start-demo').click();
  const verdict = page.getByTestId('verdict');
  await expect(verdict).toHaveAttribute('data-status', 'blocked', { timeout: 20_000 });
  await expect(verdict).toHaveAttribute('data-hop', 'udp-return');
  return verdict;
}
