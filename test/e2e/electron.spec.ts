// The desktop app itself: Electron starts dist/electron/main.js, the window opens, the demo runs in the
// core's utility process and its verdict reaches the window. Runs wherever the Electron binary is
// installed (npm's electron package downloads it at install time; this project's allowScripts keeps
// that off, so most machines, this one and CI included, skip it and say so).
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { _electron as electron, expect, test } from '@playwright/test';
import { repoRoot, screenshot } from './harness.js';

/** The binary's path as the electron package gives it, or undefined when it was never downloaded. */
function electronBinary(): string | undefined {
  try {
    const path: unknown = createRequire(import.meta.url)('electron');
    return typeof path === 'string' && existsSync(path) ? path : undefined;
  } catch {
    return undefined;
  }
}

test('electron: the window opens, the demo runs in the core process, a verdict is shown', async () => {
  const binary = electronBinary();
  test.skip(!binary, 'no Electron binary (node_modules/electron was installed without its download)');
  // Chromium refuses its sandbox to root; the page's own sandbox setting is tested in electron-window.test.ts.
  const args = [...(process.getuid?.() === 0 ? ['--no-sandbox'] : []), join(repoRoot, 'dist/electron/main.js')];
  const app = await electron.launch({ executablePath: binary!, args });
  try {
    const win = await app.firstWindow();
    await win.getByTestId('start-demo').click();
    await expect(win.getByTestId('simulated-badge')).toBeVisible({ timeout: 20_000 });
    await expect(win.getByTestId('verdict')).toHaveAttribute('data-status', /healthy|degraded|blocked|inconclusive/, { timeout: 30_000 });
    // The core is a utility process of its own (electron/main.ts names it), not the main process.
    const utilities = await app.evaluate(({ app: a }) => a.getAppMetrics().filter((m) => m.type === 'Utility').map((m) => m.serviceName ?? m.name ?? ''));
    expect(utilities).toContain('FlexPath core');
    await screenshot(win, 'electron-demo');
  } finally {
    await app.close();
  }
});
