/**
 * Main's end of the core: checks what the page asks before the utility process sees it, and does for
 * the core what only main can (native dialogs). The security decision stays here, in main: the page may
 * be compromised (a hostile capture rendered into it), so an `open-capture` or `diff` reaches the core
 * only for paths the user chose in this session — a dialog result or a file dropped on the window
 * (capture-allow-list.ts). Plain Node, no Electron import: the unit test drives it with a fake child.
 */
import { parseCommand, type Command, type Snapshot } from '../src/bridge/protocol.js';
import type { CaptureAllowList } from './capture-allow-list.js';
import type { FromCore, ToCore } from './core-messages.js';

/** The part of Electron's UtilityProcess used here. */
export interface CoreChild {
  postMessage(message: ToCore): void;
  on(event: 'message', listener: (message: unknown) => void): unknown;
  on(event: 'exit', listener: (code: number) => void): unknown;
  kill(): boolean;
}

export interface CoreLinkOptions {
  child: CoreChild;
  allowList: CaptureAllowList;
  toPage(snapshot: Snapshot): void;
  /** The native open dialog; undefined when cancelled. */
  pickCapture(): Promise<string | undefined>;
  /** The native save dialog for an export named `name`; undefined when cancelled. */
  pickSavePath(name: string): Promise<string | undefined>;
  /** Electron's safeStorage (main process only), for the core's SmartLink sign-in store. */
  keychain?: { encryptString(plain: string): Buffer; decryptString(sealed: Buffer): string };
}

export interface CoreLink {
  /** A Command from the page (untrusted, unparsed) or from the menu. */
  command(raw: unknown): void;
  /** The preload's report of a file the user dropped or picked in the page: granted for open-capture. */
  chosenFile(path: unknown): void;
  pageConnected(): void;
  /** Asks the core to stop every source and waits for it (at most `timeoutMs`), then ends the process. */
  close(timeoutMs?: number): Promise<void>;
}

const NOT_CHOSEN = 'Open the capture with the file dialog (File → Open capture…) or drop it on the window.';

export function createCoreLink(o: CoreLinkOptions): CoreLink {
  const { child, allowList } = o;
  let closing = false;
  let gone = false;
  let onGone: () => void = () => undefined;
  const ended = new Promise<void>((resolve) => (onGone = resolve));
  const send = (m: ToCore): void => {
    if (!gone) child.postMessage(m);
  };
  const forward = (command: Command): void => send({ type: 'command', command });
  const error = (message: string): void => o.toPage({ type: 'error', message });

  child.on('message', (raw) => {
    const m = raw as FromCore;
    if (typeof m !== 'object' || m === null) return;
    switch (m.type) {
      case 'snapshot':
        o.toPage(m.snapshot);
        return;
      case 'ask-save-path':
        o.pickSavePath(String(m.name)).then(
          (path) => send({ type: 'answer', id: m.id, path: path ?? null }),
          () => send({ type: 'answer', id: m.id, path: null }),
        );
        return;
      case 'keychain': {
        try {
          if (!o.keychain) throw new Error('no system keychain in this build');
          const data = m.op === 'encrypt' ? o.keychain.encryptString(String(m.data)).toString('base64') : o.keychain.decryptString(Buffer.from(String(m.data), 'base64'));
          send({ type: 'keychain-answer', id: m.id, data });
        } catch (e) {
          send({ type: 'keychain-answer', id: m.id, error: e instanceof Error ? e.message : String(e) });
        }
        return;
      }
      case 'closed':
        onGone();
        return;
    }
  });
  child.on('exit', (code) => {
    gone = true;
    onGone();
    if (!closing) error(`FlexPath's analysis process stopped (exit code ${code}). Restart FlexPath to continue.`);
  });

  return {
    command(raw) {
      const command = parseCommand(raw);
      if (!command) return error('malformed command ignored');
      switch (command.type) {
        case 'pick-capture':
          o.pickCapture().then(
            (path) => {
              if (!path) return;
              allowList.grant(path);
              forward({ type: 'open-capture', path });
            },
            (e: unknown) => error(`The file dialog failed: ${e instanceof Error ? e.message : String(e)}`),
          );
          return;
        case 'open-capture':
          if (!allowList.mayOpen(command.path)) return error(NOT_CHOSEN);
          return forward(command);
        case 'diff':
          // Before/after name captures by path too: the same rule as open-capture, for both.
          for (const ref of [command.before, command.after]) if ('path' in ref && !allowList.mayOpen(ref.path)) return error(NOT_CHOSEN);
          return forward(command);
        default:
          return forward(command);
      }
    },
    chosenFile(path) {
      if (typeof path === 'string') allowList.grant(path);
    },
    pageConnected() {
      send({ type: 'page-connected' });
    },
    async close(timeoutMs = 5000) {
      closing = true;
      send({ type: 'close' });
      let timer: ReturnType<typeof setTimeout> | undefined;
      await Promise.race([ended, new Promise<void>((r) => (timer = setTimeout(r, timeoutMs)))]);
      clearTimeout(timer);
      if (!gone) child.kill();
    },
  };
}
