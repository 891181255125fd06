/**
 * The core's end in the utility process: one bridge session (the same src/bridge code web mode runs)
 * driven by main's messages. Capture parsing and live sessions run here, never on the thread that
 * serves the window and the menus. Main is the only peer and has already applied the security checks
 * (the capture allow-list); this end still parses each Command, as every transport does.
 */
import { createWriteStream } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { pipeline } from 'node:stream/promises';
import { parseCommand } from '../src/bridge/protocol.js';
import { createSession, type Backends, type ExportFile } from '../src/bridge/session.js';
import type { FromCore, ToCore } from './core-messages.js';

/** Electron's `process.parentPort` as far as used here (a test passes a stand-in). */
export interface ParentPortLike {
  on(event: 'message', listener: (event: { data: unknown }) => void): unknown;
  postMessage(message: FromCore): void;
}

/** safeStorage, reached through main: the same calls, answered asynchronously. */
export interface RemoteKeychain {
  encrypt(plain: string): Promise<Buffer>;
  decrypt(sealed: Buffer): Promise<string>;
}

export interface CoreHostOptions {
  /** The engines; given the keychain for the SmartLink sign-in store. */
  backends(keychain: RemoteKeychain): Backends;
  autoDemoMs?: number;
  /** Ends the process once the session closed. */
  exit(): void;
}

type Answer = Extract<ToCore, { type: 'answer' | 'keychain-answer' }>;
type Ask = Extract<FromCore, { type: 'ask-save-path' | 'keychain' }>;
type DistributiveOmit<T, K extends keyof T> = T extends unknown ? Omit<T, K> : never;

export function serveCore(port: ParentPortLike, o: CoreHostOptions): void {
  const post = (m: FromCore): void => port.postMessage(m);
  const waiting = new Map<number, (answer: Answer | undefined) => void>();
  let nextId = 1;
  let closing = false;

  /** A question for main; settles with its answer, or undefined when the core closes first. */
  const ask = (m: DistributiveOmit<Ask, 'id'>): Promise<Answer | undefined> =>
    new Promise((resolve) => {
      if (closing) return resolve(undefined);
      const id = nextId++;
      waiting.set(id, resolve);
      post({ ...m, id } as Ask);
    });

  const keychain: RemoteKeychain = {
    async encrypt(plain) {
      return Buffer.from(await keychainCall('encrypt', plain), 'base64');
    },
    decrypt: (sealed) => keychainCall('decrypt', sealed.toString('base64')),
  };
  async function keychainCall(op: 'encrypt' | 'decrypt', data: string): Promise<string> {
    const a = await ask({ type: 'keychain', op, data });
    if (a?.type !== 'keychain-answer' || typeof a.data !== 'string') throw new Error(a?.type === 'keychain-answer' && a.error ? a.error : 'the system keychain did not answer');
    return a.data;
  }

  async function deliverExport(file: ExportFile): Promise<{ savedTo?: string }> {
    const a = await ask({ type: 'ask-save-path', name: file.name });
    const path = a?.type === 'answer' && typeof a.path === 'string' ? a.path : undefined;
    if (path === undefined) {
      // Cancelled: a streamed bundle must not keep its capture open.
      if (!Buffer.isBuffer(file.data)) file.data.destroy();
      return {};
    }
    if (Buffer.isBuffer(file.data)) await writeFile(path, file.data);
    else await pipeline(file.data, createWriteStream(path));
    return { savedTo: path };
  }

  const session = createSession({
    backends: o.backends(keychain),
    emit: (snapshot) => post({ type: 'snapshot', snapshot }),
    ...(o.autoDemoMs ? { autoDemoMs: o.autoDemoMs } : {}),
    host: {
      nativeDialogs: true,
      // Main opened the dialog, or checked the path against the paths the user chose, before sending.
      mayOpenCapture: () => true,
      deliverExport,
    },
  });

  port.on('message', ({ data }) => {
    const m = data as ToCore;
    if (typeof m !== 'object' || m === null || closing) return;
    switch (m.type) {
      case 'command': {
        const command = parseCommand(m.command);
        if (command) void session.handle(command);
        return;
      }
      case 'page-connected':
        for (const s of session.current()) post({ type: 'snapshot', snapshot: s });
        session.pageConnected();
        return;
      case 'answer':
      case 'keychain-answer': {
        const resolve = waiting.get(m.id);
        waiting.delete(m.id);
        resolve?.(m);
        return;
      }
      case 'close':
        closing = true;
        for (const resolve of waiting.values()) resolve(undefined);
        waiting.clear();
        void session.close().finally(() => {
          post({ type: 'closed' });
          o.exit();
        });
        return;
    }
  });
}
