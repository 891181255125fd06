import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { WebSocket } from 'ws';
import type { Snapshot } from '../../src/bridge/protocol.js';
import { startUiServer, type UiServer } from '../../src/bridge/ui-server.js';

let server: UiServer;
let dir: string;

before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'flexpath-ui-test-'));
  mkdirSync(join(dir, 'renderer', 'assets'), { recursive: true });
  writeFileSync(join(dir, 'renderer', 'index.html'), '<!doctype html><title>FlexPath</title>');
  writeFileSync(join(dir, 'renderer', 'assets', 'app.js'), 'console.log(1)');
  writeFileSync(join(dir, 'secret.txt'), 'outside the web root');
  server = await startUiServer({ staticDir: join(dir, 'renderer'), backends: {} });
});
after(async () => {
  await server.close();
  rmSync(dir, { recursive: true, force: true });
});

interface Reply {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

function get(path: string, headers: Record<string, string> = {}, method = 'GET'): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const req = request(
      { host: '127.0.0.1', port: server.port, path, method, headers: { host: `127.0.0.1:${server.port}`, ...headers }, timeout: 5000 },
      (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (c: string) => (body += c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
      },
    );
    req.on('timeout', () => req.destroy(new Error('timeout')));
    req.on('error', reject);
    req.end();
  });
}

const tok = (): string => `token=${server.token}`;

test('the printed URL is on 127.0.0.1 with a long random token', () => {
  const u = new URL(server.url);
  assert.equal(u.hostname, '127.0.0.1');
  assert.equal(Number(u.port), server.port);
  assert.equal(u.searchParams.get('token'), server.token);
  assert.ok(server.token.length >= 32);
});

test('a second server gets a different token', async () => {
  const other = await startUiServer({ staticDir: join(dir, 'renderer'), backends: {} });
  try {
    assert.notEqual(other.token, server.token);
  } finally {
    await other.close();
  }
});

test('the server does not answer on other local addresses', async () => {
  // 127.0.0.2 is loopback too, but the socket is bound to 127.0.0.1 only.
  await assert.rejects(
    new Promise((resolve, reject) => {
      const req = request({ host: '127.0.0.2', port: server.port, path: '/', timeout: 3000 }, resolve);
      req.on('timeout', () => req.destroy(new Error('timeout')));
      req.on('error', reject);
      req.end();
    }),
    /ECONNREFUSED|timeout/,
  );
});

test('no token → 403; wrong token → 403; right token → page, with CSP and a cookie for the assets', async () => {
  assert.equal((await get('/')).status, 403);
  assert.equal((await get('/?token=nope')).status, 403);
  assert.equal((await get(`/?token=${server.token.slice(0, -1)}X`)).status, 403);
  const ok = await get(`/?${tok()}`);
  assert.equal(ok.status, 200);
  assert.match(ok.body, /<title>FlexPath<\/title>/);
  assert.equal(ok.headers['content-type'], 'text/html; charset=utf-8');
  assert.match(String(ok.headers['content-security-policy']), /script-src 'self'/);
  assert.equal(ok.headers['referrer-policy'], 'no-referrer');
  const cookie = String(ok.headers['set-cookie']).split(';')[0] ?? '';
  assert.match(String(ok.headers['set-cookie']), /HttpOnly; SameSite=Strict/);
  const js = await get('/assets/app.js', { cookie });
  assert.equal(js.status, 200);
  assert.equal(js.headers['content-type'], 'text/javascript; charset=utf-8');
  assert.equal((await get('/assets/app.js')).status, 403);
});

test('foreign Host (DNS rebinding) and foreign Origin are refused even with the token', async () => {
  assert.equal((await get(`/?${tok()}`, { host: 'evil.example:80' })).status, 403);
  assert.equal((await get(`/?${tok()}`, { host: `attacker.test:${server.port}` })).status, 403);
  assert.equal((await get(`/?${tok()}`, { origin: 'http://evil.example' })).status, 403);
  assert.equal((await get(`/?${tok()}`, { origin: `http://127.0.0.1:${server.port + 1}` })).status, 403);
  assert.equal((await get(`/?${tok()}`, { host: `localhost:${server.port}`, origin: `http://localhost:${server.port}` })).status, 200);
});

test('paths outside the renderer directory are not served', async () => {
  for (const p of ['/../secret.txt', '/%2e%2e/secret.txt', '/assets/%2e%2e/%2e%2e/secret.txt', '/assets/..%5c..%5csecret.txt', '/assets', '/%00', '/%E0%A4%A']) {
    const r = await get(`${p}?${tok()}`);
    assert.equal(r.status, 404, p);
    assert.doesNotMatch(r.body, /outside the web root/);
  }
});

test('uploads and downloads need the token too', async () => {
  assert.equal((await get('/upload', { 'content-length': '0' }, 'POST')).status, 403);
  assert.equal((await get('/download/000000000000000000000000/x.md')).status, 403);
});

function openWs(query: string, headers: Record<string, string>): Promise<{ ws: WebSocket; first: Snapshot } | { status: number }> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(`ws://127.0.0.1:${server.port}/ws${query}`, { headers, handshakeTimeout: 5000 });
    ws.once('message', (data) => resolve({ ws, first: JSON.parse(data.toString()) as Snapshot }));
    ws.once('unexpected-response', (_req, res) => {
      resolve({ status: res.statusCode ?? 0 });
      ws.terminate();
    });
    ws.once('error', reject);
  });
}

test('WebSocket: refused without token or with a foreign Origin; with both it sends the session state', async () => {
  const origin = `http://127.0.0.1:${server.port}`;
  assert.deepEqual(await openWs('', { origin }), { status: 403 });
  assert.deepEqual(await openWs(`?${tok()}`, {}), { status: 403 });
  assert.deepEqual(await openWs(`?${tok()}`, { origin: 'http://evil.example' }), { status: 403 });
  const ok = await openWs(`?${tok()}`, { origin });
  assert.ok('ws' in ok);
  assert.equal(ok.first.type, 'state');
  // this build has no engines wired in: the UI must be told so, not shown invented data
  if (ok.first.type === 'state') assert.deepEqual(ok.first.state.capabilities, { capture: false, lan: false, smartlink: false, demo: false, export: false, nativeDialogs: false });
  const reply = new Promise<Snapshot>((resolve) => {
    ok.ws.on('message', (d) => {
      const s = JSON.parse(d.toString()) as Snapshot;
      if (s.type === 'error') resolve(s);
    });
  });
  ok.ws.send(JSON.stringify({ type: 'start-demo', faults: ['mtu'] }));
  const err = await reply;
  assert.equal(err.type, 'error');
  if (err.type === 'error') assert.match(err.message, /demo simulator is not available/);
  ok.ws.close();
});

test('WebSocket: a wrong token or a foreign Host is refused even with our Origin', async () => {
  const origin = `http://127.0.0.1:${server.port}`;
  assert.deepEqual(await openWs(`?token=${server.token.slice(0, -1)}X`, { origin }), { status: 403 });
  assert.deepEqual(await openWs(`?${tok()}`, { origin, host: `rebind.example:${server.port}` }), { status: 403 });
});

test('an upload’s name cannot place the file: it only picks the extension inside the server’s own folder', async () => {
  const target = join(tmpdir(), `flexpath-escape-${process.pid}.pcap`);
  const name = encodeURIComponent(`../../../../../..${target}`);
  const body = Buffer.from('not a capture');
  const r = await new Promise<Reply>((resolve, reject) => {
    const req = request(
      { host: '127.0.0.1', port: server.port, method: 'POST', path: `/upload?${tok()}&name=${name}`, headers: { host: `127.0.0.1:${server.port}`, 'content-length': String(body.length) } },
      (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (c: string) => (text += c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: text }));
      },
    );
    req.on('error', reject);
    req.end(body);
  });
  assert.equal(r.status, 200);
  assert.match((JSON.parse(r.body) as { uploadId: string }).uploadId, /^[0-9a-f]{24}$/);
  assert.equal(existsSync(target), false);
});

/** An open, authenticated socket and the close code it ends with. */
async function openAuthed(): Promise<{ ws: WebSocket; closed: Promise<number> }> {
  const r = await openWs(`?${tok()}`, { origin: `http://127.0.0.1:${server.port}` });
  assert.ok('ws' in r, 'the authenticated socket opens');
  const closed = new Promise<number>((resolve) => r.ws.once('close', (code) => resolve(code)));
  r.ws.on('error', () => undefined);
  return { ws: r.ws, closed };
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
  assert.equal((await get(`/?${tok()}`)).status, 200, 'HTTP still answers');
  bystander.ws.close();
  fresh.ws.close();
});
