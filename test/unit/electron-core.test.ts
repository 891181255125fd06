/**
 * The Electron core in its utility process, without the Electron binary: main's link in front of it
 * (the capture allow-list gate, the dialogs main does for the core) driven with a fake child, the
 * core's host at the other end of an in-memory channel, and the import graphs — the core's entry loads
 * no Electron, main loads none of the engines.
 */
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import type { AnalysisReport } from '../../src/analysis/model.js';
import type { Snapshot } from '../../src/bridge/protocol.js';
import type { Backends } from '../../src/bridge/session.js';
import { createCaptureAllowList } from '../../electron/capture-allow-list.js';
import { serveCore, type RemoteKeychain } from '../../electron/core-host.js';
import { createCoreLink, type CoreChild, type CoreLinkOptions } from '../../electron/core-link.js';
import type { FromCore, ToCore } from '../../electron/core-messages.js';
import { testKeychain } from '../helpers/test-keychain.js';

const tick = (): Promise<void> => new Promise((r) => setTimeout(r, 0));
const waitFor = async (cond: () => boolean, what: string): Promise<void> => {
  for (let i = 0; i < 300 && !cond(); i++) await new Promise((r) => setTimeout(r, 10));
  assert.ok(cond(), `${what}: not within 3 s`);
};

/** A stand-in for Electron's UtilityProcess: records what main posts, lets the test speak for the core. */
function fakeChild() {
  const posted: ToCore[] = [];
  const listeners = { message: [] as ((m: unknown) => void)[], exit: [] as ((code: number) => void)[] };
  let killed = false;
  const child: CoreChild = {
    postMessage: (m) => posted.push(m),
    on: ((event: 'message' | 'exit', l: never) => listeners[event].push(l)) as CoreChild['on'],
    kill: () => (killed = true),
  };
  return { child, posted, fromCore: (m: FromCore) => listeners.message.forEach((l) => l(m)), exit: (code: number) => listeners.exit.forEach((l) => l(code)), killed: () => killed };
}

function link(o: { pick?: string; save?: string } = {}) {
  const fake = fakeChild();
  const page: Snapshot[] = [];
  const saveAsked: string[] = [];
  const core = createCoreLink({
    child: fake.child,
    allowList: createCaptureAllowList(),
    toPage: (s) => page.push(s),
    pickCapture: async () => o.pick,
    pickSavePath: async (name) => {
      saveAsked.push(name);
      return o.save;
    },
  });
  return { ...fake, page, saveAsked, core };
}

const errors = (page: Snapshot[]): string[] => page.flatMap((s) => (s.type === 'error' ? [s.message] : []));

test('core link: an open-capture for a path the user never chose is refused in main and never reaches the core', async () => {
  const l = link();
  for (const path of ['/etc/shadow', '/home/op/.ssh/id_ed25519', 'relative.pcapng', '/captures/../etc/passwd']) l.core.command({ type: 'open-capture', path });
  assert.deepEqual(l.posted, []);
  assert.equal(errors(l.page).length, 4);
  assert.match(errors(l.page)[0]!, /file dialog|drop it/);
  // A relative path or a non-string from the preload grants nothing.
  l.core.chosenFile('relative.pcapng');
  l.core.chosenFile({ path: '/captures/x.pcapng' });
  l.core.command({ type: 'open-capture', path: 'relative.pcapng' });
  l.core.command({ type: 'open-capture', path: '/captures/x.pcapng' });
  assert.deepEqual(l.posted, []);
  // Before/after names captures by path as well: one path not chosen stops the whole command.
  l.core.chosenFile('/captures/before.pcapng');
  l.core.command({ type: 'diff', before: { path: '/captures/before.pcapng' }, after: { path: '/etc/shadow' } });
  l.core.command({ type: 'diff', before: { path: '/etc/shadow' }, after: { path: '/captures/before.pcapng' } });
  assert.deepEqual(l.posted, []);
  l.core.chosenFile('/captures/after.pcapng');
  l.core.command({ type: 'diff', before: { path: '/captures/before.pcapng' }, after: { path: '/captures/after.pcapng' } });
  assert.deepEqual(l.posted, [{ type: 'command', command: { type: 'diff', before: { path: '/captures/before.pcapng' }, after: { path: '/captures/after.pcapng' } } }]);
});

test('core link: a dropped file (chosen-file) and a dialog result are granted and forwarded; a cancelled dialog sends nothing', async () => {
  const l = link({ pick: '/home/op/captures/vpn.pcapng' });
  l.core.chosenFile('/home/op/dropped.pcapng');
  // The same file, named another way, is the same grant.
  l.core.command({ type: 'open-capture', path: '/home/op/captures/../dropped.pcapng' });
  assert.deepEqual(l.posted, [{ type: 'command', command: { type: 'open-capture', path: '/home/op/captures/../dropped.pcapng' } }]);
  l.core.command({ type: 'pick-capture' });
  await tick();
  assert.deepEqual(l.posted[1], { type: 'command', command: { type: 'open-capture', path: '/home/op/captures/vpn.pcapng' } });
  // Picked once, it may be opened again by path (the page's "open again").
  l.core.command({ type: 'open-capture', path: '/home/op/captures/vpn.pcapng' });
  assert.equal(l.posted.length, 3);

  const cancelled = link({});
  cancelled.core.command({ type: 'pick-capture' });
  await tick();
  assert.deepEqual(cancelled.posted, []);
  assert.deepEqual(errors(cancelled.page), []);
});

test('core link: commands are parsed in main (malformed ones stop there, extra fields are dropped); snapshots go to the page', () => {
  const l = link();
  l.core.command({ type: 'start-demo', faults: ['mtu'], evil: 'x' });
  l.core.command({ type: 'start-demo', faults: ['no-such-fault'] });
  l.core.command('rm -rf /');
  assert.deepEqual(l.posted, [{ type: 'command', command: { type: 'start-demo', faults: ['mtu'] } }]);
  assert.deepEqual(errors(l.page), ['malformed command ignored', 'malformed command ignored']);
  l.fromCore({ type: 'snapshot', snapshot: { type: 'radios', radios: [] } });
  assert.deepEqual(l.page.at(-1), { type: 'radios', radios: [] });
});

test('core link: the save dialog is main\'s, its answer goes back by id; the core stopping by itself is told to the page', async () => {
  const l = link({ save: '/home/op/report.md' });
  l.fromCore({ type: 'ask-save-path', id: 7, name: 'flexpath-report-x.md' });
  await tick();
  assert.deepEqual(l.saveAsked, ['flexpath-report-x.md']);
  assert.deepEqual(l.posted, [{ type: 'answer', id: 7, path: '/home/op/report.md' }]);
  l.exit(139);
  assert.match(errors(l.page).at(-1) ?? '', /stopped \(exit code 139\)/);
  // Nothing is posted to a process that is gone.
  l.core.command({ type: 'stop' });
  assert.equal(l.posted.length, 1);
});

test('core link: close asks the core to stop its sources, waits for it, and kills it if it never answers', async () => {
  const answering = link();
  const closed = answering.core.close(5000);
  assert.deepEqual(answering.posted, [{ type: 'close' }]);
  answering.fromCore({ type: 'closed' });
  await closed;
  assert.equal(answering.killed(), true);
  // A core that hangs is ended after the timeout, and its exit is not an error the page sees.
  const hung = link();
  await hung.core.close(20);
  assert.equal(hung.killed(), true);
  hung.exit(0);
  assert.deepEqual(errors(hung.page), []);
});

function report(file: string): AnalysisReport {
  return {
    source: { file, packets: 1, bytes: 100, durationS: 1 },
    radios: [],
    streams: [],
    hops: [],
    verdict: { status: 'healthy', cause: 'healthy', rule: 'verdict-healthy', summary: `judged ${file}`, advice: [] },
    warnings: [],
  };
}

/** Main's link and the core's host joined by an in-memory channel, as the utility process joins them. */
function wired(backends: Backends, o: { pick?: string; save?: string; keychain?: CoreLinkOptions['keychain'] } = {}) {
  const toHost: ((e: { data: unknown }) => void)[] = [];
  const toMain: ((m: unknown) => void)[] = [];
  const exitListeners: ((code: number) => void)[] = [];
  let exited = false;
  const page: Snapshot[] = [];
  let keychain: RemoteKeychain | undefined;
  // Structured clone, as Electron's port does: nothing but data crosses.
  const child: CoreChild = {
    postMessage: (m) => setImmediate(() => toHost.forEach((l) => l({ data: structuredClone(m) }))),
    on: ((event: 'message' | 'exit', l: never) => (event === 'message' ? toMain : exitListeners).push(l)) as CoreChild['on'],
    kill: () => true,
  };
  serveCore(
    { on: (_e, l) => toHost.push(l), postMessage: (m) => setImmediate(() => toMain.forEach((l) => l(structuredClone(m)))) },
    {
      backends: (k) => {
        keychain = k;
        return backends;
      },
      exit: () => {
        exited = true;
        exitListeners.forEach((l) => l(0));
      },
    },
  );
  const core = createCoreLink({
    child,
    allowList: createCaptureAllowList(),
    toPage: (s) => page.push(s),
    pickCapture: async () => o.pick,
    pickSavePath: async () => o.save,
    ...(o.keychain ? { keychain: o.keychain } : {}),
  });
  return { core, page, exited: () => exited, keychain: () => keychain! };
}

test('main + core host: only granted captures are analysed in the core; exports are written where the user chose; close ends the core', async () => {
  const analysed: string[] = [];
  const dir = mkdtempSync(join(tmpdir(), 'flexpath-core-'));
  try {
    const saveTo = join(dir, 'chosen-name.md');
    const w = wired(
      {
        analyzeCaptureFile: async (path) => {
          analysed.push(path);
          return { report: report(path) };
        },
        formatReport: (r, fmt) => `${fmt}: ${r.verdict.summary}\n`,
      },
      { pick: '/captures/picked.pcapng', save: saveTo },
    );
    w.core.command({ type: 'open-capture', path: '/etc/passwd' });
    w.core.command({ type: 'pick-capture' });
    await waitFor(() => w.page.some((s) => s.type === 'model'), 'model of the picked capture');
    assert.deepEqual(analysed, ['/captures/picked.pcapng']);
    const model = w.page.find((s) => s.type === 'model');
    assert.ok(model?.type === 'model' && model.verdict.summary === 'judged /captures/picked.pcapng');

    w.core.command({ type: 'export', format: 'markdown', redact: false });
    await waitFor(() => w.page.some((s) => s.type === 'export-ready'), 'export-ready');
    const ready = w.page.find((s) => s.type === 'export-ready');
    assert.ok(ready?.type === 'export-ready' && ready.savedTo === saveTo);
    assert.equal(readFileSync(saveTo, 'utf8'), 'markdown: judged /captures/picked.pcapng\n');

    // A reloaded window gets the current state again, from the core.
    const before = w.page.length;
    w.core.pageConnected();
    await waitFor(() => w.page.slice(before).some((s) => s.type === 'model'), 'state replayed to a reloaded page');

    await w.core.close(3000);
    assert.equal(w.exited(), true);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('main + core host: a cancelled save dialog writes nothing and says nothing is ready', async () => {
  const w = wired({ analyzeCaptureFile: async (p) => ({ report: report(p) }), formatReport: () => 'x' }, { pick: '/captures/a.pcapng' });
  w.core.command({ type: 'pick-capture' });
  await waitFor(() => w.page.some((s) => s.type === 'model'), 'model');
  w.core.command({ type: 'export', format: 'html', redact: true });
  await waitFor(() => w.page.some((s) => s.type === 'export-ready'), 'export answer');
  const ready = w.page.find((s) => s.type === 'export-ready');
  assert.ok(ready?.type === 'export-ready' && ready.savedTo === undefined);
  await w.core.close(3000);
});

test('main + core host: the core seals and opens its SmartLink sign-in with main\'s keychain; without one it is told so', async () => {
  // safeStorage's stand-in: AES-256-GCM under a key only "main" holds.
  const keychain = testKeychain();
  const w = wired({}, { keychain });
  const secret = '{"id_token":"eyJhbGciOiJFUzI1NiJ9.x.y"}';
  const sealed = await w.keychain().encrypt(secret);
  assert.ok(!sealed.includes(Buffer.from('id_token')), 'sealed bytes hold no plain text');
  assert.equal(keychain.decryptString(sealed), secret, 'sealed by main\'s key');
  assert.equal(await w.keychain().decrypt(sealed), secret);
  // A tampered blob fails in main, and the failure reaches the core as an error, not a hang.
  sealed[sealed.length - 1]! ^= 1;
  await assert.rejects(w.keychain().decrypt(sealed));
  await w.core.close(3000);

  const none = wired({});
  await assert.rejects(none.keychain().encrypt('x'), /no system keychain/);
  await none.core.close(3000);
});

// ---- import graphs of the compiled entries ----

const distRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');

/** Every module the compiled file loads, transitively: relative files by path, packages by name. */
function importGraph(entry: string): { files: Set<string>; packages: Set<string> } {
  const files = new Set<string>();
  const packages = new Set<string>();
  const todo = [entry];
  while (todo.length) {
    const file = todo.pop()!;
    if (files.has(file)) continue;
    files.add(file);
    const text = readFileSync(file, 'utf8');
    for (const m of text.matchAll(/(?:^|[;\s])(?:import|export)\b[^'"`;]*?from\s*['"]([^'"]+)['"]|\bimport\s*\(\s*['"]([^'"]+)['"]\s*\)|^import\s+['"]([^'"]+)['"]|\brequire\(\s*['"]([^'"]+)['"]\s*\)/gm)) {
      const spec = m[1] ?? m[2] ?? m[3] ?? m[4]!;
      if (spec.startsWith('.')) todo.push(resolve(dirname(file), spec));
      else packages.add(spec.replace(/^node:/, 'node:'));
    }
  }
  return { files, packages };
}

test('the core entry loads no Electron at all; main loads none of the engines (they live in the core process)', () => {
  const coreEntry = join(distRoot, 'electron', 'core-process.js');
  const mainEntry = join(distRoot, 'electron', 'main.js');
  assert.ok(existsSync(coreEntry) && existsSync(mainEntry), 'build first');
  const core = importGraph(coreEntry);
  assert.deepEqual([...core.packages].filter((p) => p === 'electron' || p.startsWith('electron/')), []);
  // It does host the engines: the graph is really walked.
  assert.ok([...core.files].some((f) => f.endsWith(join('src', 'bridge', 'session.js'))));
  assert.ok([...core.files].some((f) => f.endsWith(join('src', 'bridge', 'backends.js'))));

  const main = importGraph(mainEntry);
  assert.ok(main.packages.has('electron'));
  const engines = [...main.files].map((f) => f.slice(distRoot.length + 1)).filter((f) => /^src\/(analysis|capture|diagnose|sim|vita|report)\/|^src\/bridge\/(session|backends)\.js$/.test(f.split('\\').join('/')));
  assert.deepEqual(engines, []);
});
