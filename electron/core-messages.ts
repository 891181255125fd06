/**
 * What the Electron main process and the core's utility process say to each other. The page's
 * Commands and the core's Snapshots travel inside these unchanged (src/bridge/protocol.ts); the rest
 * is what only main can do for the core: the native save dialog, the OS keychain (Electron's
 * safeStorage exists in the main process only) for the SmartLink sign-in, and shutting down.
 * Plain types: both ends import this, and the core end must not load Electron.
 */
import type { Command, Snapshot } from '../src/bridge/protocol.js';

/** Main → core. */
export type ToCore =
  /** Already checked by main: parsed, and an open-capture only for a path the user chose. */
  | { type: 'command'; command: Command }
  /** The window (re)loaded: send it the current state; the auto-demo may be armed. */
  | { type: 'page-connected' }
  /** The answer to the core's ask-save-path `id`: the path the user chose, or null (cancelled). */
  | { type: 'answer'; id: number; path: string | null }
  /** The answer to the core's keychain request `id`: the result (base64 when sealed), or why it failed. */
  | { type: 'keychain-answer'; id: number; data?: string; error?: string }
  | { type: 'close' };

/** Core → main. */
export type FromCore =
  | { type: 'snapshot'; snapshot: Snapshot }
  /** An export is ready: main asks the user where to save it, and answers with `answer`. */
  | { type: 'ask-save-path'; id: number; name: string }
  /** Seal (plain text in) or open (base64 in) the SmartLink sign-in with safeStorage. */
  | { type: 'keychain'; id: number; op: 'encrypt' | 'decrypt'; data: string }
  /** Every source stopped and the session closed: the process may end. */
  | { type: 'closed' };

/**
 * What the core must know at start that only main can tell: given to utilityProcess.fork as one
 * argument, `--flexpath-core=<JSON>`.
 */
export interface CoreConfig {
  /** Electron's userData folder: where the SmartLink sign-in is kept. */
  userData: string;
  /** safeStorage.isEncryptionAvailable(), asked after ready. */
  encryption: boolean;
  /** Linux: safeStorage.getSelectedStorageBackend() ('basic_text' means no real encryption). */
  storageBackend?: string;
}

export const CORE_CONFIG_ARG = '--flexpath-core=';
