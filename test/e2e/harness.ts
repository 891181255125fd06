/**
 * Starts the real web-mode server (compiled, from dist/) for a Playwright test, with the backends the
 * test chooses. Screenshots go to test-results/screens/.
 */
import { mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Page } from '@playwright/test';
import type { Backends } from '../../src/bridge/session.js';
import type { UiServer } from '../../src/bridge/ui-server.js';

export const repoRoot = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const screensDir = join(repoRoot, 'test-results', 'screens');

export async function startServer(backends: Backends, autoDemoMs = 0): Promise<UiServer> {
  const mod = (await import(join(repoRoot, 'dist/src/bridge/ui-server.js'))) as typeof import('../../src/bridge/ui-server.js');
  return mod.startUiServer({ staticDir: join(repoRoot, 'dist/renderer'), backends, autoDemoMs });
}

export async function screenshot(page: Page, name: string): Promise<void> {
  mkdirSync(screensDir, { recursive: true });
  await page.screenshot({ path: join(screensDir, `${name}.png`), fullPage: true });
}
