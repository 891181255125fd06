/**
 * Electron shell: runs the core (the bridge session) in the main process, shows one hardened window,
 * carries Commands and Snapshots over IPC, and offers the native File menu. Nothing else lives here.
 */
import { app, BrowserWindow, dialog, ipcMain, Menu, protocol, safeStorage, session as electronSession } from 'electron';
import { readFile, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { productBackends } from '../src/bridge/backends.js';
import { ELECTRON_CSP } from '../src/bridge/csp.js';
import { IPC_CHANNELS, parseCommand, type Command, type Snapshot } from '../src/bridge/protocol.js';
import { createSession, type Session } from '../src/bridge/session.js';
import { contentTypeFor, resolveStaticFile } from '../src/bridge/static-files.js';
import { createCaptureAllowList } from './capture-allow-list.js';
import { desktopSmartLinkAccount } from './token-store.js';
import { APP_ORIGIN, APP_SCHEME, APP_START_URL, buildWindowOptions, hardenWebContents, isAllowedRequest } from './window-options.js';

const here = dirname(fileURLToPath(import.meta.url)); // dist/electron
const RENDERER_DIR = join(here, '..', 'renderer');
const PRELOAD = join(here, 'preload.cjs');
const AUTO_DEMO_MS = 4000;

protocol.registerSchemesAsPrivileged([{ scheme: APP_SCHEME, privileges: { standard: true, secure: true, supportFetchAPI: true } }]);

let win: BrowserWindow | undefined;
let core: Session | undefined;
/** The captures the user chose in this session: the only paths open-capture may read. */
const chosenCaptures = createCaptureAllowList();

function emit(snapshot: Snapshot): void {
  if (win && !win.isDestroyed()) win.webContents.send(IPC_CHANNELS.snapshot, snapshot);
}

function run(command: Command): void {
  void core?.handle(command);
}

function buildMenu(): Menu {
  return Menu.buildFromTemplate([
    {
      label: 'File',
      submenu: [
        { label: 'Open capture…', accelerator: 'CmdOrCtrl+O', click: () => run({ type: 'pick-capture' }) },
        { label: 'Export report…', accelerator: 'CmdOrCtrl+E', click: () => run({ type: 'export', format: 'markdown', redact: true }) },
        { type: 'separator' },
        { role: 'quit', label: 'Quit' },
      ],
    },
    { label: 'View', submenu: [{ role: 'reload' }, { role: 'toggleDevTools' }, { type: 'separator' }, { role: 'resetZoom' }, { role: 'zoomIn' }, { role: 'zoomOut' }] },
  ]);
}

async function start(): Promise<void> {
  await app.whenReady();
  const ses = electronSession.defaultSession;
  // No remote content, no permissions (camera, notifications, …): the app needs none.
  ses.webRequest.onBeforeRequest((details, callback) => callback({ cancel: !isAllowedRequest(details.url) }));
  ses.setPermissionRequestHandler((_wc, _permission, callback) => callback(false));
  ses.setPermissionCheckHandler(() => false);
  protocol.handle(APP_SCHEME, async (request) => {
    const url = new URL(request.url);
    const file = url.origin === APP_ORIGIN ? await resolveStaticFile(RENDERER_DIR, url.pathname) : undefined;
    if (!file) return new Response('not found', { status: 404 });
    return new Response(await readFile(file), {
      headers: { 'Content-Type': contentTypeFor(file), 'Content-Security-Policy': ELECTRON_CSP, 'X-Content-Type-Options': 'nosniff' },
    });
  });

  core = createSession({
    // safeStorage works only in the main process, after ready: here.
    backends: productBackends({ smartLinkAccount: desktopSmartLinkAccount(safeStorage, app.getPath('userData')) }),
    emit,
    autoDemoMs: AUTO_DEMO_MS,
    host: {
      nativeDialogs: true,
      async pickCapture() {
        const r = await dialog.showOpenDialog({
          title: 'Open capture',
          properties: ['openFile'],
          filters: [{ name: 'Packet captures', extensions: ['pcap', 'pcapng', 'cap', 'gz', 'zip'] }, { name: 'All files', extensions: ['*'] }],
        });
        const path = r.canceled ? undefined : r.filePaths[0];
        if (path) chosenCaptures.grant(path);
        return path;
      },
      mayOpenCapture: (path) => chosenCaptures.mayOpen(path),
      async deliverExport(file) {
        const r = await dialog.showSaveDialog({ title: 'Export', defaultPath: file.name });
        if (r.canceled || !r.filePath) return {};
        await writeFile(r.filePath, file.data);
        return { savedTo: r.filePath };
      },
    },
  });

  const fromOurPage = (event: Electron.IpcMainEvent): boolean => !!event.senderFrame && new URL(event.senderFrame.url).origin === APP_ORIGIN;
  ipcMain.on(IPC_CHANNELS.chosenFile, (event, path: unknown) => {
    if (fromOurPage(event) && typeof path === 'string') chosenCaptures.grant(path);
  });
  ipcMain.on(IPC_CHANNELS.command, (event, raw: unknown) => {
    // Only our own page may drive the core.
    if (!fromOurPage(event)) return;
    const command = parseCommand(raw);
    if (command) run(command);
    else emit({ type: 'error', message: 'malformed command ignored' });
  });

  Menu.setApplicationMenu(buildMenu());
  win = new BrowserWindow(buildWindowOptions(PRELOAD));
  win.once('ready-to-show', () => win?.show());
  win.webContents.on('did-finish-load', () => {
    core?.current().forEach(emit);
    core?.pageConnected();
  });
  await win.loadURL(APP_START_URL);
}

app.on('web-contents-created', (_event, contents) => hardenWebContents(contents));
app.on('window-all-closed', () => {
  void core?.close().finally(() => app.quit());
});

start().catch((err: unknown) => {
  dialog.showErrorBox('FlexPath could not start', err instanceof Error ? err.message : String(err));
  app.exit(1);
});
