/**
 * Where the desktop app keeps its SmartLink sign-in: `smartlink.bin` in the app's userData folder,
 * encrypted by Electron's safeStorage (Keychain on macOS, DPAPI on Windows, the desktop's secret store
 * on Linux). When the system offers no real encryption, the sign-in is kept in memory until the app
 * closes — never written in plain text — and the user is told so.
 *
 * Takes safeStorage as a parameter (this module must load without the Electron binary, for its tests).
 */
import { join } from 'node:path';
import { type SmartLinkAccount, smartLinkAccount } from '../src/smartlink/account.js';
import { authConfig } from '../src/smartlink/auth.js';
import { encryptedTokenStore, memoryTokenStore, type TokenStore } from '../src/smartlink/token-store.js';

/**
 * The part of Electron's `safeStorage` used here (Electron 40, main process). The core runs in a
 * utility process, which has no safeStorage: there sealing is asked of main and answers with a promise.
 */
export interface SafeStorageLike {
  isEncryptionAvailable(): boolean;
  encryptString(plainText: string): Buffer | Promise<Buffer>;
  decryptString(encrypted: Buffer): string | Promise<string>;
  /** Linux only. */
  getSelectedStorageBackend?(): string;
}

export interface DesktopTokenStore {
  store: TokenStore;
  /** Set when the sign-in cannot be kept encrypted: what that means for the user. */
  note?: string;
}

export function desktopTokenStore(safe: SafeStorageLike, userDataDir: string, platform: NodeJS.Platform = process.platform): DesktopTokenStore {
  // On Linux without a secret store, safeStorage still "encrypts" — with a password hard-coded in
  // Chromium (Electron docs, safeStorage: getSelectedStorageBackend() is then 'basic_text'): plain
  // text in all but name, so it counts as no encryption.
  const basicText = platform === 'linux' && safe.getSelectedStorageBackend?.() === 'basic_text';
  if (!safe.isEncryptionAvailable() || basicText) {
    const why = basicText ? 'no keyring (secret service or KWallet) is running' : 'the system offers no encryption for it';
    return {
      store: memoryTokenStore('memory only, until FlexPath closes'),
      note: `Your SmartLink sign-in is not saved on this computer: ${why}, and FlexPath does not store it in plain text. Sign in again after restarting FlexPath.`,
    };
  }
  return {
    store: encryptedTokenStore(join(userDataDir, 'smartlink.bin'), {
      encrypt: (plain) => safe.encryptString(plain),
      decrypt: (sealed) => safe.decryptString(sealed),
    }),
  };
}

/** "Sign in to SmartLink" for the desktop app: FlexRadio's tenant (or the environment's), this store. */
export function desktopSmartLinkAccount(safe: SafeStorageLike, userDataDir: string): SmartLinkAccount {
  const { store, note } = desktopTokenStore(safe, userDataDir);
  return smartLinkAccount(authConfig(), store, note);
}
