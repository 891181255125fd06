// Capture advice per system: the block shown first is the one for the system the core reports (not a
// guess from the browser's user agent: here the server says Windows, macOS or Linux while the browser
// is always Linux chromium), and each copy button puts exactly its command on the clipboard. The
// expected commands are written out by hand from Microsoft's pktmon reference and tcpdump's manual.
import { expect, test } from '@playwright/test';
import type { UiServer } from '../../src/bridge/ui-server.js';
import { screenshot, startServer } from './harness.js';

let server: UiServer | undefined;
test.afterEach(async () => {
  await server?.close();
  server = undefined;
});

const FILTER = '"udp or tcp port 4992 or tcp port 4994 or icmp"';

test('Windows: dumpcap and pktmon first, pktmon start/stop/etl2pcap copied exactly; tcpdump folded away', async ({ page, context }) => {
  await context.grantPermissions(['clipboard-read', 'clipboard-write']);
  server = await startServer({}, 0, 'win32');
  await page.goto(server.url);
  const advice = page.getByTestId('capture-advice');
  await advice.locator('summary').first().click();
  await expect(advice.locator('summary').first()).toHaveText('How to capture on this computer (Windows)');
  // The first block, open, is Windows'; the others are folded (their text not visible).
  const first = advice.locator('.advice').first();
  await expect(first).toHaveAttribute('data-testid', 'advice-windows');
  await expect(first).toBeVisible();
  await expect(page.getByTestId('advice-linux')).toBeHidden();
  await expect(page.getByTestId('advice-macos')).toBeHidden();
  const expected = [
    '"C:\\Program Files\\Wireshark\\dumpcap.exe" -D',
    `"C:\\Program Files\\Wireshark\\dumpcap.exe" -i 1 -f ${FILTER} -w "%USERPROFILE%\\Desktop\\flexpath.pcapng"`,
    'pktmon start --capture --comp nics --pkt-size 0 --file-name "%USERPROFILE%\\Desktop\\flexpath.etl"',
    'pktmon stop',
    'pktmon etl2pcap "%USERPROFILE%\\Desktop\\flexpath.etl" --out "%USERPROFILE%\\Desktop\\flexpath.pcapng"',
  ];
  await expect(first.locator('code')).toHaveText(expected);
  const buttons = first.getByTestId('copy-command');
  for (let i = 0; i < expected.length; i++) {
    await buttons.nth(i).click();
    await expect(buttons.nth(i)).toHaveText('Copied');
    expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(expected[i]);
  }
  await screenshot(page, 'h-capture-advice-windows');
});

test('Linux and macOS: tcpdump into flexpath analyze - and to a file; Linux names -i any, macOS needs none', async ({ page, context }) => {
  await context.grantPermissions(['clipboard-read', 'clipboard-write']);
  for (const [platform, os, iface] of [['linux', 'Linux', '-i any '], ['darwin', 'macOS', '']] as const) {
    server = await startServer({}, 0, platform);
    await page.goto(server.url);
    const advice = page.getByTestId('capture-advice');
    await advice.locator('summary').first().click();
    await expect(advice.locator('summary').first()).toHaveText(`How to capture on this computer (${os})`);
    const first = advice.locator('.advice').first();
    await expect(first).toBeVisible();
    await expect(page.getByTestId('advice-windows')).toBeHidden();
    const pipe = `sudo tcpdump ${iface}-U -w - ${FILTER} | flexpath analyze -`;
    await expect(first.locator('code').first()).toHaveText(pipe);
    await expect(first.locator('code').nth(1)).toContainText(`sudo tcpdump ${iface}-U -w `);
    await first.getByTestId('copy-command').first().click();
    expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(pipe);
    await server.close();
    server = undefined;
  }
});
