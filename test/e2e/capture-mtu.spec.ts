// (a) A capture of a simulated radio behind a 1400-byte path MTU, recorded in this test by the
// simulator itself, uploaded through the page's file picker and analysed by the real engine.
import { expect } from '@playwright/test';
import { mtuCaptureTest as test, screenshot } from './harness.js';

test('MTU capture: panadapter and waterfall BLOCKED with cause MTU, meters OK', async ({ page, openMtuCapture }) => {
  const file = await openMtuCapture('vpn-mtu1400.pcapng');
  await page.getByTestId('capture-input').setInputFiles(file);

  await expect(page.getByTestId('source')).toContainText('vpn-mtu1400.pcapng');
  const verdict = page.getByTestId('verdict');
  await expect(verdict).toHaveAttribute('data-status', 'blocked', { timeout: 20_000 });
  await expect(verdict).toHaveAttribute('data-cause', 'mtu');
  await expect(verdict).toContainText('MTU');
  for (const id of ['data:panadapter', 'data:waterfall']) {
    const hop = page.getByTestId(`hop-${id}`);
    await expect(hop).toHaveAttribute('data-status', 'blocked');
    await expect(hop).toContainText('BLOCKED');
  }
  // The hop the verdict names carries the cause in words, not only in colour.
  await expect(page.getByTestId('hop-data:panadapter')).toContainText('MTU');
  await expect(page.getByTestId('hop-data:panadapter')).toHaveAttribute('aria-label', /Panadapter.*BLOCKED.*MTU/);
  await expect(page.getByTestId('hop-data:meter')).toHaveAttribute('data-status', 'ok');
  await expect(page.getByTestId('hop-data:meter')).toContainText('OK');
  // The evidence of the named hop is open and says what never arrived.
  await expect(page.getByTestId('evidence')).toContainText('no frame is ever complete');
  // The command the advice names reads as code, not as markdown backticks.
  await expect(verdict.locator('li code', { hasText: 'client set enforce_network_mtu=1 network_mtu=<n>' })).toBeVisible();
  await expect(verdict).not.toContainText('`');
  await expect(page.getByTestId('simulated-badge')).toHaveCount(0);
  // The table expects what the analysis expects — the pan's evidence line and `analyze` say "(expected ≈25/s)",
  // the simulated pan's default 25 fps (reference §3.9) — not "varies".
  await expect(page.getByTestId('hop-data:panadapter')).toHaveAttribute('title', /expected ≈25\/s/);
  const panRow = page.getByTestId('streams-table').locator('tr', { hasText: 'Panadapter' });
  await expect(panRow.locator('td').nth(4)).toHaveText('≈25.0');
  // The footer counts faults apart from hops this LAN session never used.
  await expect(page.getByTestId('hop-counts')).toContainText('2 blocked');
  await expect(page.getByTestId('hop-counts')).toContainText('not judged');

  // Every evidence line of a hop is reachable: on hover (tooltip) and from the keyboard (panel).
  const wf = page.getByTestId('hop-data:waterfall');
  await expect(wf).toHaveAttribute('title', /requested: display waterfall 0x42000000/);
  await wf.focus();
  await page.keyboard.press('Enter');
  await expect(wf).toHaveAttribute('aria-pressed', 'true');
  await expect(page.getByTestId('evidence')).toContainText('Waterfall');
  await expect(page.getByTestId('evidence')).toContainText('requested: display waterfall 0x42000000');
  // Back to the hop the verdict names, for the screenshot.
  await page.getByTestId('hop-data:panadapter').click();
  await screenshot(page, 'a-capture-mtu');
});
