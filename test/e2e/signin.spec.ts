// SmartLink sign-in from the app (web mode): "Sign in to SmartLink" against the simulator's Auth0
// stand-in — a wrong password is refused in words, the right one shows "signed in … until …", the page
// never holds a token, "Sign out" forgets the sign-in. The token paste field is still there, folded
// away as the advanced way.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AxeBuilder } from '@axe-core/playwright';
import { expect, test } from '@playwright/test';
import type { UiServer } from '../../src/bridge/ui-server.js';
import type { Simulator } from '../../src/sim/radio-sim.js';
import type { TokenStore } from '../../src/smartlink/token-store.js';
import { dist, screenshot, startServer } from './harness.js';

const EMAIL = 'op@example.invalid';
const PASSWORD = `pw-e2e-${process.pid}`;
let sim: Simulator;
let server: UiServer;
let store: TokenStore;
let dir: string;

test.beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'flexpath-e2e-signin-'));
  const { startSimulator } = await dist<typeof import('../../src/sim/radio-sim.js')>('src/sim/radio-sim.js');
  const { SIM_CA_CERT } = await dist<typeof import('../../src/sim/test-cert.js')>('src/sim/test-cert.js');
  const { fileTokenStore } = await dist<typeof import('../../src/smartlink/token-store.js')>('src/smartlink/token-store.js');
  const { smartLinkAccount } = await dist<typeof import('../../src/smartlink/account.js')>('src/smartlink/account.js');
  const { FLEX_AUTH0 } = await dist<typeof import('../../src/smartlink/auth.js')>('src/smartlink/auth.js');
  const { productBackends } = await dist<typeof import('../../src/bridge/backends.js')>('src/bridge/backends.js');
  sim = await startSimulator({ portBase: 0, discovery: false, broker: true, auth: { users: { [EMAIL]: PASSWORD }, idTokenTtlS: 3600 } });
  store = fileTokenStore(join(dir, 'smartlink.json'));
  server = await startServer(productBackends({ smartLinkAccount: smartLinkAccount({ ...FLEX_AUTH0, domain: sim.auth!.domain, ca: SIM_CA_CERT }, store) }));
});
test.afterAll(async () => {
  await server?.close();
  await sim?.stop();
  rmSync(dir, { recursive: true, force: true });
});

test('Sign in to SmartLink: wrong password refused, then “signed in … until …”, no token in the page; Sign out', async ({ page }) => {
  await page.goto(server.signInUrl());
  const state = page.getByTestId('signin-state');
  await expect(state).toHaveText('not signed in to SmartLink');
  // The paste field is the advanced way now: folded away until asked for.
  await expect(page.locator('#sl-token')).toBeHidden();
  await expect(page.getByText('Advanced: paste a token')).toBeVisible();

  await page.getByTestId('smartlink-sign-in').click();
  await page.getByLabel('FlexRadio account email').fill(EMAIL);
  await page.getByLabel(/^Password/).fill('not-the-password');
  await page.getByTestId('smartlink-sign-in-submit').click();
  await expect(page.getByTestId('signin-error')).toHaveText('wrong email or password');
  await expect(page.getByLabel(/^Password/)).toHaveValue('');
  // The open form and its error, in both themes: labelled fields, readable error text.
  for (const scheme of ['dark', 'light'] as const) {
    await page.emulateMedia({ colorScheme: scheme });
    const axe = await new AxeBuilder({ page }).include('nav.sources').analyze();
    expect(axe.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => v.id)).toEqual([]);
  }
  await screenshot(page, 'signin-refused');

  await page.getByLabel(/^Password/).fill(PASSWORD);
  await page.getByTestId('smartlink-sign-in-submit').click();
  await expect(state).toHaveText(/^signed in to SmartLink as op@example\.invalid until \d{4}-\d\d-\d\dT\d\d:\d\dZ?/);
  await expect(page.getByTestId('signin-error')).toHaveCount(0);
  await expect(page.getByLabel(/^Password/)).toHaveCount(0);
  await expect(page.getByTestId('smartlink-diagnose')).toBeEnabled();
  await screenshot(page, 'signin-signed-in');

  const kept = (await store.load())!;
  const html = await page.content();
  for (const secret of [PASSWORD, kept.idToken, kept.idToken.split('.')[2]!, kept.refreshToken!]) expect(html.includes(secret), 'a secret in the page').toBe(false);

  await page.getByTestId('smartlink-sign-out').click();
  await expect(state).toHaveText('not signed in to SmartLink');
  await expect(page.getByTestId('smartlink-sign-in')).toBeVisible();
  expect(await store.load()).toBeUndefined();
  await screenshot(page, 'signin-signed-out');
});
