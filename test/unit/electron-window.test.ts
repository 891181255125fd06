import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ELECTRON_CSP } from '../../src/bridge/csp.js';
import { APP_START_URL, buildWindowOptions, hardenWebContents, isAllowedRequest, type NavigableContents } from '../../electron/window-options.js';

test('window: context isolation, sandbox, no node integration anywhere, web security on, preload set', () => {
  const wp = buildWindowOptions('/x/preload.cjs').webPreferences;
  assert.ok(wp);
  assert.equal(wp.contextIsolation, true);
  assert.equal(wp.sandbox, true);
  assert.equal(wp.nodeIntegration, false);
  assert.equal(wp.nodeIntegrationInWorker, false);
  assert.equal(wp.nodeIntegrationInSubFrames, false);
  assert.equal(wp.webSecurity, true);
  assert.equal(wp.allowRunningInsecureContent, false);
  assert.equal(wp.webviewTag, false);
  assert.equal(wp.preload, '/x/preload.cjs');
});

test('window: navigation, redirects, webviews and new windows are all refused', () => {
  const listeners = new Map<string, (event: { preventDefault(): void }, url: string) => void>();
  let openHandler: ((d: never) => { action: string }) | undefined;
  const contents = {
    on(name: string, l: (event: { preventDefault(): void }, url: string) => void) {
      listeners.set(name, l);
      return contents;
    },
    setWindowOpenHandler(h: (d: never) => { action: string }) {
      openHandler = h;
    },
  } as unknown as NavigableContents;
  hardenWebContents(contents);
  for (const name of ['will-navigate', 'will-redirect', 'will-attach-webview']) {
    let prevented = false;
    const l = listeners.get(name);
    assert.ok(l, `${name} handled`);
    l({ preventDefault: () => (prevented = true) }, 'https://example.com/');
    assert.equal(prevented, true, name);
  }
  assert.deepEqual(openHandler?.({ url: 'https://example.com/' } as never), { action: 'deny' });
});

test('window: only the app scheme loads; the CSP allows no remote scripts and no network', () => {
  assert.equal(isAllowedRequest(APP_START_URL), true);
  assert.equal(isAllowedRequest('app://flexpath/assets/index.js'), true);
  for (const u of ['https://example.com/x.js', 'http://127.0.0.1:8080/', 'file:///etc/passwd', 'app://other/index.html', 'ws://127.0.0.1:1/']) {
    assert.equal(isAllowedRequest(u), false, u);
  }
  const directives = new Map(ELECTRON_CSP.split(';').map((d) => d.trim().split(/\s+/)).map(([k, ...v]) => [k, v]));
  assert.deepEqual(directives.get('default-src'), ["'none'"]);
  assert.deepEqual(directives.get('script-src'), ["'self'"]);
  assert.deepEqual(directives.get('connect-src'), ["'none'"]);
  assert.deepEqual(directives.get('object-src'), ["'none'"]);
});
