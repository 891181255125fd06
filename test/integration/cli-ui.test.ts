/**
 * `flexpath ui` as a user runs it: the printed address signs in once and the next one is printed; a
 * hostile frame from a signed-in page does not take the server down; Ctrl+C/SIGTERM leaves no temp
 * files; `--open` hands the browser a one-time code, not the session; a busy port exits 2 at once.
 */
import assert from 'node:assert/strict';
import { chmodSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { startCli, type CliRun } from '../helpers/cli.js';
import { http, openWs } from '../helpers/ui-client.js';

/** A private TMPDIR, so the check for leftovers sees only this run's files. */
function privateTmp(t: { after(fn: () => void): void }): string {
  const dir = mkdtempSync(join(tmpdir(), 'flexpath-cli-ui-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

/** Everything the command prints on stdout, and a wait for a line matching `re` (printed before or after). */
function stdoutOf(run: CliRun): (re: RegExp) => Promise<RegExpExecArray> {
  let text = '';
  run.child.stdout?.on('data', (d: Buffer) => (text += d.toString()));
  return async (re) => {
    for (let i = 0; i < 400; i++) {
      const m = re.exec(text);
      if (m) return m;
      if (run.child.exitCode !== null) break;
      await new Promise((r) => setTimeout(r, 50));
    }
    throw new Error(`no line matching ${re} in: ${text}`);
  };
}

async function signInWith(url: string): Promise<{ cookie: string; base: string; port: number }> {
  const u = new URL(url);
  const r = await http(Number(u.port), u.pathname + u.search);
  assert.equal(r.status, 303, r.text);
  return { cookie: String(r.headers['set-cookie']).split(';')[0]!, base: String(r.headers.location), port: Number(u.port) };
}

test('ui: sign in with the printed address, the next one is printed; a bad frame closes one socket; SIGTERM leaves no temp files', async (t) => {
  const tmp = privateTmp(t);
  const run = startCli(['ui'], { timeoutMs: 60_000, env: { TMPDIR: tmp, DISPLAY: '', WAYLAND_DISPLAY: '' } });
  const printed = stdoutOf(run);
  const [, url] = await printed(/running at (http:\S+)/);
  const me = await signInWith(url!);
  const [, next] = await printed(/another browser or window: (http:\S+)/);
  assert.notEqual(next, url);
  assert.equal((await http(me.port, new URL(url!).pathname + new URL(url!).search)).status, 403, 'the printed address was used');
  await signInWith(next!);
  assert.ok(readdirSync(tmp).some((n) => n.startsWith('flexpath-ui-')), 'the work dir is in TMPDIR');

  // The reported crash: one frame over 64 KiB from a signed-in page.
  const r = await openWs(me.port, `${me.base}ws`, { origin: `http://127.0.0.1:${me.port}`, cookie: me.cookie });
  assert.ok('ws' in r);
  const closed = new Promise<number>((resolve) => r.ws.once('close', resolve));
  r.ws.on('error', () => undefined);
  r.ws.send('x'.repeat(64 * 1024 + 1));
  assert.equal(await closed, 1009);
  assert.equal((await http(me.port, me.base, { headers: { cookie: me.cookie } })).status, 200, 'still serving');
  assert.equal(run.child.exitCode, null);

  run.child.kill('SIGTERM');
  const done = await run.done;
  assert.equal(done.code, 0, done.stderr);
  assert.deepEqual(readdirSync(tmp), [], 'uploads, exports and recordings are gone');
});

test('ui --open: the browser’s command line carries a one-time code of its own, never the session', async (t) => {
  const tmp = privateTmp(t);
  const bin = mkdtempSync(join(tmp, 'bin-'));
  const argvFile = join(tmp, 'browser.argv');
  // A stand-in for the browser ($BROWSER): records its argv as `ps` shows it.
  const fake = join(bin, 'browser');
  writeFileSync(fake, `#!/bin/sh\nprintf '%s\\n' "$@" > '${argvFile}'\n`);
  chmodSync(fake, 0o755);
  const env = { TMPDIR: tmp, DISPLAY: ':99', BROWSER: fake };
  const run = startCli(['ui', '--open'], { timeoutMs: 60_000, env });
  const [, url] = await stdoutOf(run)(/running at (http:\S+)/);
  let argv = '';
  for (let i = 0; i < 100 && !argv; i++) {
    await new Promise((r) => setTimeout(r, 50));
    try {
      argv = readFileSync(argvFile, 'utf8').trim();
    } catch {
      // not run yet
    }
  }
  const opened = new URL(argv);
  assert.deepEqual([...opened.searchParams.keys()], ['code']);
  assert.notEqual(argv, url, 'its own code: the printed one still works for the user');
  const me = await signInWith(argv);
  assert.ok(!argv.includes(me.cookie.split('=')[1]!), 'the session secret is not on the command line');
  await signInWith(url!);
  run.child.kill('SIGTERM');
  assert.equal((await run.done).code, 0);
});

test('ui --port <busy>: exits 2 at once with a clear message, starts nothing, leaves nothing', async (t) => {
  const tmp = privateTmp(t);
  const holder = createServer();
  await new Promise<void>((r) => holder.listen(0, '127.0.0.1', r));
  t.after(() => holder.close());
  const port = (holder.address() as AddressInfo).port;
  const r = await startCli(['ui', '--port', String(port)], { timeoutMs: 20_000, env: { TMPDIR: tmp, DISPLAY: '' } }).done;
  assert.equal(r.code, 2);
  assert.match(r.stderr, new RegExp(`cannot listen on 127\\.0\\.0\\.1:${port}: the port is in use`));
  assert.doesNotMatch(r.stdout, /running at/);
  assert.deepEqual(readdirSync(tmp), []);
});
