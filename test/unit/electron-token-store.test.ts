/**
 * The desktop app's SmartLink store (electron/token-store.ts) with a stand-in for Electron's
 * safeStorage (no Electron binary here): an AES-256-GCM sealer with a key only the fake holds, so
 * what reaches the disk can be checked for the tokens' bytes. No encryption, or Linux's 'basic_text'
 * backend (a hard-coded password, per Electron's safeStorage docs): nothing written, the user told.
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { testKeychain } from '../helpers/test-keychain.js';
import { desktopSmartLinkAccount, desktopTokenStore, type SafeStorageLike } from '../../electron/token-store.js';

const dirs: string[] = [];
after(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));
function userData(): string {
  const d = mkdtempSync(join(tmpdir(), 'flexpath-userdata-'));
  dirs.push(d);
  return d;
}

function fakeSafeStorage(available: boolean, backend?: string): SafeStorageLike & { sealed: number } {
  const keychain = testKeychain();
  const fake = {
    sealed: 0,
    isEncryptionAvailable: () => available,
    ...(backend ? { getSelectedStorageBackend: () => backend } : {}),
    encryptString(plain: string): Buffer {
      if (!available) throw new Error('Encryption is not available.');
      fake.sealed++;
      return keychain.encryptString(plain);
    },
    decryptString: (sealed: Buffer): string => keychain.decryptString(sealed),
  };
  return fake;
}

/** A JWT-shaped id_token with an exp an hour ahead, and a refresh token, both with distinct markers. */
function tokens(): { idToken: string; refreshToken: string } {
  const body = Buffer.from(JSON.stringify({ email: 'op@example.invalid', exp: Math.floor(Date.now() / 1000) + 3600 })).toString('base64url');
  return { idToken: `eyJhbGciOiJFUzI1NiJ9.${body}.SIG-${randomBytes(8).toString('hex')}`, refreshToken: `RT-${randomBytes(12).toString('hex')}` };
}

test('encryption available: userData/smartlink.bin holds only what safeStorage sealed; it loads back, and clear() removes it', async () => {
  const dir = userData();
  const safe = fakeSafeStorage(true, 'gnome_libsecret');
  const { store, note } = desktopTokenStore(safe, dir, 'linux');
  assert.equal(note, undefined);
  const t = tokens();
  await store.save(t);
  assert.equal(safe.sealed, 1);
  assert.deepEqual(readdirSync(dir), ['smartlink.bin']);
  const onDisk = readFileSync(join(dir, 'smartlink.bin'));
  for (const secret of [t.idToken, t.refreshToken, t.idToken.split('.')[1]!, t.idToken.split('.')[2]!]) assert.equal(onDisk.indexOf(secret), -1, 'a token in plain text on disk');
  assert.deepEqual(await store.load(), t);
  assert.match(store.where, /smartlink\.bin \(encrypted/);
  await store.clear();
  assert.deepEqual(readdirSync(dir), []);
  assert.equal(await store.load(), undefined);
});

test('a file safeStorage cannot open (another user’s key, damaged) reads as signed out, not as a crash', async () => {
  const dir = userData();
  writeFileSync(join(dir, 'smartlink.bin'), randomBytes(64));
  const account = desktopSmartLinkAccount(fakeSafeStorage(true), dir);
  assert.equal((await account.status()).state, 'signed-out');
});

test('no encryption, or Linux’s basic_text backend: nothing is written, the sign-in lasts the session, and the user is told why', async () => {
  for (const [safe, platform, why] of [
    [fakeSafeStorage(false), 'win32', /offers no encryption/],
    [fakeSafeStorage(true, 'basic_text'), 'linux', /no keyring/],
  ] as const) {
    const dir = userData();
    const { store, note } = desktopTokenStore(safe, dir, platform);
    assert.match(note ?? '', why);
    assert.match(note ?? '', /not saved on this computer/);
    assert.match(note ?? '', /plain text/);
    const t = tokens();
    await store.save(t);
    assert.deepEqual(readdirSync(dir), [], `${platform}: nothing on disk`);
    assert.equal(safe.sealed, 0, 'not even a basic_text "encryption"');
    assert.deepEqual(await store.load(), t, 'usable until the app closes');
    assert.match(store.where, /memory only/);
  }
  // basic_text is Linux's word only: elsewhere the backend name is not consulted.
  const mac = desktopTokenStore(fakeSafeStorage(true, 'basic_text'), userData(), 'darwin');
  assert.equal(mac.note, undefined);
});

test('the app’s account view carries the note and where, never a token', async () => {
  const account = desktopSmartLinkAccount(fakeSafeStorage(false), userData());
  const view = await account.status();
  assert.equal(view.state, 'signed-out');
  assert.match(view.note ?? '', /not saved on this computer/);
  assert.match(view.where, /memory only/);
});
