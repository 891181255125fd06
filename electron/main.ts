/**
 * Electron shell: one hardened window, the native menus and dialogs, and IPC — nothing else. The core
 * (capture parsing, live sessions: src/bridge) runs in a utility process (core-process.ts), so a 1 GB
 * capture never parses on the thread that serves the window and its menus. Main checks every command
 * of the page before the core sees it (core-link.ts).
 */
import { app, BrowserWindow, dialog, ipcMain, Menu, protocol, safeStorage, session as electronSession, utilityProcess } from 'electron';
import { readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ELECTRON_CSP } from '../src/bridge/csp.js';
import { IPC_CHANNELS, type Snapshot } from '../src/bridge/protocol.js';
import { contentTypeFor, resolveStaticFile } from '../src/bridge/static-files.js';
import { createCaptureAllowList } from './capture-allow-list.js';
import { createCoreLink, type CoreLink } from './core-link.js';
import { CORE_CONFIG_ARG, type CoreConfig } from './core-messages.js';
import { APP_ORIGIN, APP_SCHEME, APP_START_URL, buildWindowOptions, hardenWebContents, isAllowedRequest } from './window-options.js';

const here = dirname(fileURLToPath(import.meta.url)); // dist/electron
const RENDERER_DIR = join(here, '..', 'renderer');
const PRELOAD = join(here, 'preload.cjs');
const CORE_ENTRY = join(here, 'core-process.js');

protocol.registerSchemesAsPrivileged([{ scheme: APP_SCHEME, privileges: { standard: true, secure: true, supportFetchAPI: true } }]);

let win: BrowserWindow | undefined;
let core: CoreLink | undefined;

function toPage(snapshot: Snapshot): void {
  if (win && !win.isDestroyed()) win.webContents.send(IPC_CHANNELS.snapshot, snapshot);
}

function buildMenu(): Menu {
  return Menu.buildFromTemplate([
    {
      label: 'File',
      submenu: [
        { label: 'Open capture…', accelerator: 'CmdOrCtrl+O', click: () => core?.command({ type: 'pick-capture' }) },
        { label: 'Export report…', accelerator: 'CmdOrCtrl+E', click: () => core?.command({ type: 'export', format: 'markdown', redact: true }) },
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

  // safeStorage answers only in the main process, after ready: here; the core gets what it said.
  const config: CoreConfig = {
    userData: app.getPath('userData'),
    encryption: safeStorage.isEncryptionAvailable(),
    ...(process.platform === 'linux' ? { storageBackend: safeStorage.getSelectedStorageBackend() } : {}),
  };
  core = createCoreLink({
    child: utilityProcess.fork(CORE_ENTRY, [CORE_CONFIG_ARG + JSON.stringify(config)], { serviceName: 'FlexPath core', stdio: 'inherit' }),
    keychain: safeStorage,
    // The captures the user chose in this session: the only paths open-capture may read.
    allowList: createCaptureAllowList(),
    toPage,
    async pickCapture() {
      const r = await dialog.showOpenDialog({
        title: 'Open capture',
        properties: ['openFile'],
        filters: [{ name: 'Packet captures', extensions: ['pcap', 'pcapng', 'cap', 'gz', 'zip'] }, { name: 'All files', extensions: ['*'] }],
      });
      return r.canceled ? undefined : r.filePaths[0];
    },
    async pickSavePath(name) {
      const r = await dialog.showSaveDialog({ title: 'Export', defaultPath: name });
      return r.canceled ? undefined : r.filePath;
    },
  });

  // Only our own page may drive the core.
  const fromOurPage = (event: Electron.IpcMainEvent): boolean => !!event.senderFrame && new URL(event.senderFrame.url).origin === APP_ORIGIN;
  ipcMain.on(IPC_CHANNELS.chosenFile, (event, path: unknown) => {
    if (fromOurPage(event)) core?.chosenFile(path);
  });
  ipcMain.on(IPC_CHANNELS.command, (event, raw: unknown) => {
    if (fromOurPage(event)) core?.command(raw);
  });

  Menu.setApplicationMenu(buildMenu());
  win = new BrowserWindow(buildWindowOptions(PRELOAD));
  win.once('ready-to-show', () => win?.show());
  win.webContents.on('did-finish-load', () => core?.pageConnected());
  await win.loadURL(APP_START_URL);
}

app.on('web-contents-created', (_event, contents) => hardenWebContents(contents));
app.on('window-all-closed', () => {
  void (core?.close() ?? Promise.resolve()).finally(() => app.quit());
});

start().catch((err: unknown) => {
  dialog.showErrorBox('FlexPath could not start', err instanceof Error ? err.message : String(err));
  app.exit(1);
});
