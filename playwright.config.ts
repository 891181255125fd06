import { defineConfig } from '@playwright/test';

// Web mode on Debian's chromium; never a downloaded browser. The Electron smoke test is a project of
// its own: it runs where the Electron binary is installed, and scripts/run-tests.mjs reports its skip
// apart ("electron(1) no Electron binary") from the web-mode suite.
export default defineConfig({
  testDir: 'test/e2e',
  outputDir: 'test-results/playwright',
  timeout: 60_000,
  expect: { timeout: 10_000 },
  workers: 1,
  retries: 0,
  reporter: 'list',
  projects: [
    { name: 'web', testIgnore: /electron\.spec\.ts$/ },
    { name: 'electron', testMatch: /electron\.spec\.ts$/ },
  ],
  use: {
    browserName: 'chromium',
    headless: true,
    viewport: { width: 1440, height: 1000 },
    acceptDownloads: true,
    launchOptions: {
      executablePath: '/usr/bin/chromium',
      args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
    },
  },
});
