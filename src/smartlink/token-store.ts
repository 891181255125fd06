/**
 * Where a SmartLink sign-in is kept between runs: the id_token (to check `exp` locally) and the refresh
 * token (to renew it without the password). Never printed, logged, reported or recorded.
 *
 * Two stores behind one interface: a file readable by this user only (mode 0600 in a 0700 folder of
 * the user's config directory) for the CLI, and an encrypted file for the desktop app, whose caller
 * passes the encryption (Electron `safeStorage.encryptString`/`decryptString`) — src/ knows nothing of
 * Electron.
 */
import { chmod, mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';
import type { Tokens } from './auth.js';

export interface TokenStore {
  /** What the store holds, or undefined when signed out (or the file is unreadable or corrupt). */
  load(): Promise<Tokens | undefined>;
  save(t: Tokens): Promise<void>;
  clear(): Promise<void>;
  /** Where, for the README-style "stored in …" line. */
  readonly where: string;
}

/** `$FLEXPATH_CONFIG_DIR`, else `$XDG_CONFIG_HOME/flexpath`, else `~/.config/flexpath` (`%APPDATA%\flexpath` on Windows). */
function configDir(env: NodeJS.ProcessEnv = process.env): string {
  if (env['FLEXPATH_CONFIG_DIR']) return env['FLEXPATH_CONFIG_DIR'];
  if (process.platform === 'win32' && env['APPDATA']) return join(env['APPDATA'], 'flexpath');
  return join(env['XDG_CONFIG_HOME'] || join(homedir(), '.config'), 'flexpath');
}

function parse(text: string): Tokens | undefined {
  try {
    const j = JSON.parse(text) as { idToken?: unknown; refreshToken?: unknown };
    if (typeof j.idToken !== 'string') return undefined;
    return { idToken: j.idToken, ...(typeof j.refreshToken === 'string' ? { refreshToken: j.refreshToken } : {}) };
  } catch {
    return undefined;
  }
}

async function writePrivate(file: string, data: string | Buffer): Promise<void> {
  await mkdir(dirname(file), { recursive: true, mode: 0o700 });
  // Created 0600; chmod as well, for a file that existed with wider rights.
  await writeFile(file, data, { mode: 0o600 });
  await chmod(file, 0o600);
}

/** The CLI's store: plain JSON in a file only this user may read. */
export function fileTokenStore(file = join(configDir(), 'smartlink.json')): TokenStore {
  return {
    where: `${file} (readable by you only)`,
    async load() {
      try {
        return parse(await readFile(file, 'utf8'));
      } catch {
        return undefined;
      }
    },
    save: (t) => writePrivate(file, JSON.stringify(t)),
    clear: () => rm(file, { force: true }),
  };
}

/**
 * What Electron's `safeStorage` offers (encryptString/decryptString), passed in by the desktop shell.
 * Either may answer with a promise: a core running outside Electron's main process (a utilityProcess
 * has no safeStorage) asks the main process over a message port.
 */
export interface Encryption {
  encrypt(plain: string): Buffer | Promise<Buffer>;
  decrypt(sealed: Buffer): string | Promise<string>;
}

/** The desktop store: the same JSON, encrypted by the OS keychain-backed key before it reaches the disk. */
export function encryptedTokenStore(file: string, enc: Encryption): TokenStore {
  return {
    where: `${file} (encrypted with the system keychain)`,
    async load() {
      try {
        return parse(await enc.decrypt(await readFile(file)));
      } catch {
        return undefined;
      }
    },
    save: async (t) => writePrivate(file, await enc.encrypt(JSON.stringify(t))),
    clear: () => rm(file, { force: true }),
  };
}

/** A sign-in kept only while this process runs (no encryption available, and plain text is refused). */
export function memoryTokenStore(where: string): TokenStore {
  let held: Tokens | undefined;
  return {
    where,
    load: async () => held,
    save: async (t) => {
      held = { ...t };
    },
    clear: async () => {
      held = undefined;
    },
  };
}
