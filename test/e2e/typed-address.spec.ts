// A radio by typed address (a VPN, another subnet): the user chooses observer or probe, and the
// session does what was chosen. What the simulated radio holds is the judge: a probe creates a
// panadapter on it (and removes it when stopped); an observer creates nothing.
import { expect, test } from '@playwright/test';
import type { Simulator } from '../../src/sim/radio-sim.js';
import type { UiServer } from '../../src/bridge/ui-server.js';
import { canvasInk, dist, startProductServer } from './harness.js';

let server: UiServer | undefined;
let sim: Simulator | undefined;
test.afterEach(async () => {
  await server?.close();
  await sim?.stop();
  server = undefined;
  sim = undefined;
});

test('typed address: observer leaves the radio untouched, full probe creates its panadapter and removes it on stop', async ({ page }) => {
  const { startSimulator } = await dist<typeof import('../../src/sim/radio-sim.js')>('src/sim/radio-sim.js');
  const radio = (sim = await startSimulator({ portBase: 0, discovery: false }));
  server = await startProductServer();
  await page.goto(server.url);
  const address = `127.0.0.1:${radio.ports.api}`;
  const verdict = page.getByTestId('verdict');

  // Observer is the default: nothing is created on the radio, so no panadapter is drawn.
  await expect(page.getByTestId('host-mode-observer')).toBeChecked();
  await page.getByLabel('Radio address (VPN, other subnet)').fill(address);
  await page.getByTestId('diagnose-host').click();
  await expect(page.getByTestId('source')).toContainText(`LAN radio ${address} — observer`);
  await expect(verdict).toBeVisible({ timeout: 20_000 });
  await expect(page.getByTestId('streams-table')).toContainText('Meters', { timeout: 20_000 });
  expect(radio.core.pans.size).toBe(0);
  expect(await canvasInk(page, 'panadapter')).toBe(0);
  await page.getByRole('button', { name: 'Stop' }).click();

  // Full probe on the same address: the radio now holds a pan, its frames are drawn here.
  await page.getByTestId('host-mode-probe').check();
  await page.getByTestId('diagnose-host').click();
  await expect(page.getByTestId('source')).toContainText(`LAN radio ${address} — probe`);
  await expect.poll(() => radio.core.pans.size, { timeout: 20_000 }).toBe(1);
  await expect.poll(() => canvasInk(page, 'panadapter'), { timeout: 20_000 }).toBeGreaterThan(500);
  await page.getByRole('button', { name: 'Stop' }).click();
  // The probe leaves the radio as it found it.
  await expect.poll(() => radio.core.pans.size, { timeout: 20_000 }).toBe(0);
});
