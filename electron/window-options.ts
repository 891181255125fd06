/**
 * Everything security-relevant about the window, as plain functions the unit test can check without
 * an Electron binary: web preferences, the app:// origin, navigation and new-window blocking.
 * Only type imports from electron here — requiring it outside Electron fails.
 */
import type { BrowserWindowConstructorOptions, HandlerDetails, WindowOpenHandlerResponse } from 'electron';

/** The renderer is served from this privileged custom scheme, never file:// or the network. */
export const APP_SCHEME = 'app';
export const APP_ORIGIN = `${APP_SCHEME}://flexpath`;
export const APP_START_URL = `${APP_ORIGIN}/index.html`;

export function buildWindowOptions(preloadPath: string): BrowserWindowConstructorOptions {
  return {
    width: 1400,
    height: 900,
    minWidth: 960,
    minHeight: 640,
    title: 'FlexPath',
    backgroundColor: '#0e1116',
    show: false,
    webPreferences: {
      preload: preloadPath,
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
      navigateOnDragDrop: false,
      spellcheck: false,
      safeDialogs: true,
    },
  };
}

/** The part of WebContents the hardening needs (so a test can pass a stand-in). */
export interface NavigableContents {
  on(event: 'will-navigate' | 'will-redirect', listener: (event: { preventDefault(): void }, url: string) => void): unknown;
  on(event: 'will-attach-webview', listener: (event: { preventDefault(): void }) => void): unknown;
  setWindowOpenHandler(handler: (details: HandlerDetails) => WindowOpenHandlerResponse): void;
}

/**
 * The page never leaves the app: every navigation, redirect, webview and new window is refused. A
 * reload of the app's own page is not a navigation event, so nothing legitimate is lost.
 */
export function hardenWebContents(contents: NavigableContents): void {
  contents.on('will-navigate', (event) => event.preventDefault());
  contents.on('will-redirect', (event) => event.preventDefault());
  contents.on('will-attach-webview', (event) => event.preventDefault());
  contents.setWindowOpenHandler(() => ({ action: 'deny' }));
}

/** Requests the renderer may make: its own scheme and Chromium's devtools; nothing remote. */
export function isAllowedRequest(url: string): boolean {
  return url.startsWith(`${APP_ORIGIN}/`) || url.startsWith('devtools://');
}
