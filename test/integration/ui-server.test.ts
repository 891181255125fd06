import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { WebSocket } from 'ws';
import type { Snapshot } from '../../src/bridge/protocol.js';
import { startUiServer, type UiServer } from '../../src/bridge/ui-server.js';
import { http, openBridge, openWs, signIn, type SignedIn } from '../helpers/ui-client.js';

let server: UiServer;
let dir: string;
let me: SignedIn;

before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'flexpath-ui-test-'));
  mkdirSync(join(dir, 'renderer', 'assets'), { recursive: true });
  writeFileSync(join(dir, 'renderer', 'index.html'), '<!doctype html><title>FlexPath</title>');
  writeFileSync(join(dir, 'renderer', 'assets', 'app.js'), 'console.log(1)');
  writeFileSync(join(dir, 'secret.txt'), 'outside the web root');
  server = await startUiServer({ staticDir: join(dir, 'renderer'), backends: {} });
  me = await signIn(server);
});
after(async () => {
  await server.close();
  rmSync(dir, { recursive: true, force: true });
});

const get = (path: string, headers: Record<string, string> = {}, method = 'GET') => http(server.port, path, { method, headers });
const withCookie = (extra: Record<string, string> = {}): Record<string, string> => ({ cookie: me.cookie, ...extra });
const origin = (): string => `http://127.0.0.1:${server.port}`;

test('the printed address is on 127.0.0.1 and carries a long one-time code, nothing else', () => {
  const u = new URL(server.url);
  assert.equal(u.hostname, '127.0.0.1');
  assert.equal(Number(u.port), server.port);
  assert.equal(u.pathname, '/');
  assert.deepEqual([...u.searchParams.keys()], ['code']);
  assert.ok((u.searchParams.get('code') ?? '').length >= 32);
});

test('a sign-in code works once; the redirect leaves no code in the address; an expired code is refused', async () => {
  const url = server.signInUrl();
  const first = await get(new URL(url).pathname + new URL(url).search);
  assert.equal(first.status, 303);
  const location = String(first.headers.location);
  assert.doesNotMatch(location, /code|\?/, 'the page the browser lands on has no code in its address');
  const again = await get(new URL(url).pathname + new URL(url).search);
  assert.equal(again.status, 403, 'a used code');
  assert.match(again.text, /works once/);
  assert.equal(again.headers['set-cookie'], undefined);
  const short = new URL(server.signInUrl(1));
  await new Promise((r) => setTimeout(r, 20));
  assert.equal((await get(short.pathname + short.search)).status, 403, 'an expired code');
  assert.equal((await get('/?code=')).status, 403);
  // A code one character off: the last one changed for sure (a code ending in A made 'A' the right one, 1 run in 64).
  const code = new URL(server.signInUrl()).searchParams.get('code')!;
  assert.equal((await get(`/?code=${code.slice(0, -1)}${code.endsWith('A') ? 'B' : 'A'}`)).status, 403);
});

test('the session cookie: HttpOnly, SameSite=Strict, a random name, scoped to a random path; never in a URL', async () => {
  const attrs = me.setCookie.split(';').map((a) => a.trim());
  const [name, value] = (attrs[0] ?? '').split('=');
  assert.ok(attrs.includes('HttpOnly'));
  assert.ok(attrs.includes('SameSite=Strict'));
  assert.ok(attrs.includes(`Path=${me.base}`));
  // A browser sends cookies for 127.0.0.1 to every port: only a path nobody else serves keeps ours to us.
  assert.match(me.base, /^\/[\w-]{20,}\/$/);
  assert.doesNotMatch(name ?? '', new RegExp(String(server.port)), 'the name is not derived from the port');
  assert.ok((value ?? '').length >= 40);
  const other = await startUiServer({ staticDir: join(dir, 'renderer'), backends: {} });
  try {
    const them = await signIn(other);
    assert.notEqual(them.cookie.split('=')[0], name, 'another server names its cookie differently');
    assert.notEqual(them.base, me.base);
    assert.notEqual(them.cookie.split('=')[1], value);
    // Its cookie is no key to us, even sent to our path under our name.
    assert.equal((await get(me.base, { cookie: `${name}=${them.cookie.split('=')[1]}` })).status, 403);
  } finally {
    await other.close();
  }
  assert.ok(!server.url.includes(value ?? '-'), 'the session secret is not in the printed address');
});

test('no cookie → 403; wrong cookie → 403; signed in → page with CSP; the app lives only under its path', async () => {
  assert.equal((await get(me.base)).status, 403);
  const [name, value] = me.cookie.split('=') as [string, string];
  assert.equal((await get(me.base, { cookie: `${name}=${value.slice(0, -1)}${value.endsWith('A') ? 'B' : 'A'}` })).status, 403);
  assert.equal((await get(me.base, { cookie: `fp_other=${value}` })).status, 403, 'the right value under another name');
  const ok = await get(me.base, withCookie());
  assert.equal(ok.status, 200);
  assert.match(ok.text, /<title>FlexPath<\/title>/);
  assert.equal(ok.headers['content-type'], 'text/html; charset=utf-8');
  assert.match(String(ok.headers['content-security-policy']), /script-src 'self'/);
  assert.equal(ok.headers['referrer-policy'], 'no-referrer');
  const js = await get(`${me.base}assets/app.js`, withCookie());
  assert.equal(js.status, 200);
  assert.equal(js.headers['content-type'], 'text/javascript; charset=utf-8');
  assert.equal((await get(`${me.base}assets/app.js`)).status, 403);
  // Outside the path even the right cookie opens nothing (and a browser would not send it there).
  assert.equal((await get('/', withCookie())).status, 403);
  assert.equal((await get('/assets/app.js', withCookie())).status, 403);
  // The old ?token= way in is gone.
  assert.equal((await get(`/?token=${value}`)).status, 403);
});

test('foreign Host (DNS rebinding) and foreign Origin are refused even signed in, and for a sign-in code', async () => {
  assert.equal((await get(me.base, withCookie({ host: 'evil.example:80' }))).status, 403);
  assert.equal((await get(me.base, withCookie({ host: `attacker.test:${server.port}` }))).status, 403);
  assert.equal((await get(me.base, withCookie({ origin: 'http://evil.example' }))).status, 403);
  assert.equal((await get(me.base, withCookie({ origin: `http://127.0.0.1:${server.port + 1}` }))).status, 403);
  const code = new URL(server.signInUrl());
  assert.equal((await get(code.pathname + code.search, { host: `rebind.example:${server.port}` })).status, 403);
  assert.equal((await get(me.base, withCookie({ host: `localhost:${server.port}`, origin: `http://localhost:${server.port}` }))).status, 200);
});

test('paths outside the renderer directory are not served', async () => {
  for (const p of ['../secret.txt', '%2e%2e/secret.txt', 'assets/%2e%2e/%2e%2e/secret.txt', 'assets/..%5c..%5csecret.txt', 'assets', '%00', '%E0%A4%A']) {
    const r = await get(`${me.base}${p}`, withCookie());
    // A `..` the URL parser resolves (also written %2e%2e) lands outside the app's path: 403; the rest: 404.
    assert.ok(r.status === 404 || r.status === 403, `${p}: ${r.status}`);
    assert.doesNotMatch(r.text, /outside the web root/);
  }
});

test('uploads and downloads need the cookie too', async () => {
  assert.equal((await get(`${me.base}upload`, { 'content-length': '0' }, 'POST')).status, 403);
  assert.equal((await get(`${me.base}download/000000000000000000000000/x.md`)).status, 403);
  assert.equal((await get(`${me.base}download/000000000000000000000000/x.md`, withCookie())).status, 404);
});

test('WebSocket: refused without the cookie, with a foreign Origin or Host, outside the app path; signed in it sends the session state', async () => {
  const ws = `${me.base}ws`;
  assert.deepEqual(await openWs(server.port, ws, { origin: origin() }), { status: 403 });
  assert.deepEqual(await openWs(server.port, ws, { cookie: me.cookie }), { status: 403 }, 'no Origin');
  assert.deepEqual(await openWs(server.port, ws, { cookie: me.cookie, origin: 'http://evil.example' }), { status: 403 });
  assert.deepEqual(await openWs(server.port, ws, { cookie: me.cookie, origin: origin(), host: `rebind.example:${server.port}` }), { status: 403 });
  assert.deepEqual(await openWs(server.port, '/ws', { cookie: me.cookie, origin: origin() }), { status: 403 });
  const ok = await openBridge(server, me);
  assert.equal(ok.first.type, 'state');
  // this build has no engines wired in: the UI must be told so, not shown invented data
  if (ok.first.type === 'state') assert.deepEqual(ok.first.state.capabilities, { capture: false, lan: false, smartlink: false, demo: false, export: false, nativeDialogs: false });
  const reply = nextError(ok.ws);
  ok.ws.send(JSON.stringify({ type: 'start-demo', faults: ['mtu'] }));
  assert.match((await reply).message, /demo simulator is not available/);
  ok.ws.close();
});

function nextError(ws: WebSocket): Promise<{ message: string }> {
  return new Promise((resolve) => {
    ws.on('message', (d) => {
      const s = JSON.parse(d.toString()) as Snapshot;
      if (s.type === 'error') resolve(s);
    });
  });
}

test('WebSocket: open-capture with a server-side path is refused, the same way whether the file exists or not', async () => {
  const ok = await openBridge(server, me);
  const answers: string[] = [];
  for (const path of [join(dir, 'secret.txt'), join(dir, 'no-such-file.pcapng'), '/etc/passwd']) {
    const reply = nextError(ok.ws);
    ok.ws.send(JSON.stringify({ type: 'open-capture', path }));
    answers.push((await reply).message);
  }
  assert.match(answers[0]!, /uploaded captures only/);
  assert.equal(new Set(answers).size, 1, 'no existence oracle');
  assert.doesNotMatch(answers.join(''), /outside the web root|secret|passwd|0x/);
  ok.ws.close();
});

test('an upload’s name cannot place the file: it only picks the extension inside the server’s own folder', async () => {
  const target = join(tmpdir(), `flexpath-escape-${process.pid}.pcap`);
  const name = encodeURIComponent(`../../../../../..${target}`);
  const body = Buffer.from('not a capture');
  const r = await http(server.port, `${me.base}upload?name=${name}`, { method: 'POST', headers: { cookie: me.cookie, 'content-length': String(body.length) }, body });
  assert.equal(r.status, 200);
  assert.match((JSON.parse(r.text) as { uploadId: string }).uploadId, /^[0-9a-f]{24}$/);
  assert.equal(existsSync(target), false);
  assert.ok(readdirSync(server.workDir).some((n) => /^upload-[0-9a-f]{24}\.pcap$/.test(n)));
});

/** An open, signed-in socket and the close code it ends with. */
async function openAuthed(): Promise<{ ws: WebSocket; closed: Promise<number> }> {
  const { ws } = await openBridge(server, me);
  const closed = new Promise<number>((resolve) => ws.once('close', (code) => resolve(code)));
  ws.on('error', () => undefined);
  return { ws, closed };
}

test('WebSocket: a frame over 64 KiB or invalid UTF-8 closes that socket only; the server and its other sockets keep serving', async () => {
  const bystander = await openAuthed();
  // RFC 6455 §7.4.1: 1009 message too big, 1007 inconsistent data (not UTF-8 in a text frame).
  const big = await openAuthed();
  big.ws.send(JSON.stringify({ type: 'stop', pad: 'x'.repeat(64 * 1024) }));
  assert.equal(await big.closed, 1009);
  const bad = await openAuthed();
  bad.ws.send(Buffer.from([0xc3, 0x28]), { binary: false });
  assert.equal(await bad.closed, 1007);
  assert.equal(bystander.ws.readyState, WebSocket.OPEN, 'the other socket stays open');
  const fresh = await openAuthed();
  const reply = new Promise<Snapshot>((resolve) => fresh.ws.on('message', (d) => resolve(JSON.parse(d.toString()) as Snapshot)));
  fresh.ws.send('{"type":"nonsense"}');
  assert.deepEqual(await reply, { type: 'error', message: 'malformed command ignored' });
  assert.equal((await get(me.base, withCookie())).status, 200, 'HTTP still answers');
  bystander.ws.close();
  fresh.ws.close();
});
