// This computer's side in the UI: the demo walks the simulated radio on loopback, so the route to it
// leaves by the loopback adapter and FlexPath's own data socket is among the UDP port holders.
import { expect, test } from '@playwright/test';
import type { UiServer } from '../../src/bridge/ui-server.js';
import { startProductServer } from './harness.js';

let server: UiServer | undefined;
test.afterEach(async () => {
  await server?.close();
  server = undefined;
});

test('demo: the "This computer" panel shows the route by lo, FlexPath on its UDP port, and the firewall check', async ({ page }) => {
  test.skip(process.platform !== 'linux', 'the local checks are verified on Linux');
  server = await startProductServer();
  await page.goto(server.url);
  await page.getByTestId('start-demo').click();
  const panel = page.getByTestId('local-panel');
  await expect(panel).toBeVisible({ timeout: 20_000 });
  await expect(page.getByTestId('local-route')).toContainText('Route to the radio 127.0.0.1: lo');
  await expect(page.getByTestId('local-ports')).toContainText('FlexPath');
  await expect(page.getByTestId('local-firewall')).toContainText('nftables');
});
