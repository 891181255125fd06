// (c) The demo with "Inbound UDP blocked": the control channel works, no VITA-49 datagram arrives.
import { expect, test } from '@playwright/test';
import type { UiServer } from '../../src/bridge/ui-server.js';
import { blockedDemoVerdict, screenshot, startProductServer } from './harness.js';

let server: UiServer | undefined;
test.afterEach(async () => {
  await server?.close();
  server = undefined;
});

test('demo with inbound UDP blocked: the verdict names udp-return, blocked, udp-blocked-inbound', async ({ page }) => {
  server = await startProductServer();
  const verdict = await blockedDemoVerdict(page, server.url);
  await expect(verdict).toHaveAttribute('data-cause', 'udp-blocked-inbound');
  await expect(verdict).toContainText('UDP data path');
  await expect(verdict).toContainText('Inbound UDP blocked');
  await expect(page.getByTestId('hop-udp-return')).toHaveAttribute('data-status', 'blocked');
  await expect(page.getByTestId('hop-control')).toHaveAttribute('data-status', 'ok');
  // A filter the evidence names (`udp or tcp port 4992`) is shown as code, not between raw backticks.
  await expect(page.getByTestId('evidence')).not.toContainText('`');
  await expect(page.getByTestId('simulated-badge')).toBeVisible();
  await expect(page.getByTestId('source')).toContainText('Demo radio — fault: Inbound UDP blocked');
  await screenshot(page, 'c-demo-udp-blocked');
});
