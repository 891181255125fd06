/**
 * A test's browser for web mode: signs in with a one-time code as a browser would (GET the printed
 * address, keep the cookie the redirect sets) and talks HTTP and WebSocket with that cookie.
 */
import { request } from 'node:http';
import { WebSocket } from 'ws';
import type { Snapshot } from '../../src/bridge/protocol.js';
import type { UiServer } from '../../src/bridge/ui-server.js';

export interface Reply {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: Buffer;
  text: string;
}

export interface SignedIn {
  /** `name=value`, for a Cookie header. */
  cookie: string;
  /** The path prefix the app lives under, with both slashes (`/…/`). */
  base: string;
  /** The whole Set-Cookie line the server sent. */
  setCookie: string;
}

export function http(port: number, path: string, opts: { method?: string; headers?: Record<string, string>; body?: Buffer } = {}): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const req = request(
      { host: '127.0.0.1', port, path, method: opts.method ?? 'GET', headers: { host: `127.0.0.1:${port}`, ...opts.headers }, timeout: 10_000 },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          const body = Buffer.concat(chunks);
          resolve({ status: res.statusCode ?? 0, headers: res.headers, body, text: body.toString('utf8') });
        });
      },
    );
    req.on('timeout', () => req.destroy(new Error('timeout')));
    req.on('error', reject);
    req.end(opts.body);
  });
}

/** Exchanges a sign-in address (a fresh one unless given) for the session cookie. */
export async function signIn(server: UiServer, url = server.signInUrl()): Promise<SignedIn> {
  const u = new URL(url);
  const r = await http(server.port, u.pathname + u.search);
  if (r.status !== 303) throw new Error(`sign-in answered ${r.status}: ${r.text}`);
  const setCookie = String(r.headers['set-cookie']);
  return { cookie: setCookie.split(';')[0] ?? '', base: String(r.headers.location), setCookie };
}

export type WsResult = { ws: WebSocket; first: Snapshot } | { status: number };

/** Opens the bridge socket; resolves with the first snapshot, or the HTTP status of a refusal. */
export function openWs(port: number, path: string, headers: Record<string, string>): Promise<WsResult> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(`ws://127.0.0.1:${port}${path}`, { headers, handshakeTimeout: 5000 });
    ws.once('message', (data) => resolve({ ws, first: JSON.parse(data.toString()) as Snapshot }));
    ws.once('unexpected-response', (_req, res) => {
      resolve({ status: res.statusCode ?? 0 });
      ws.terminate();
    });
    ws.once('error', reject);
  });
}

/** The bridge socket of a signed-in page, as the browser would open it (our Origin, the cookie). */
export async function openBridge(server: UiServer, s: SignedIn): Promise<{ ws: WebSocket; first: Snapshot }> {
  const r = await openWs(server.port, `${s.base}ws`, { origin: `http://127.0.0.1:${server.port}`, cookie: s.cookie });
  if (!('ws' in r)) throw new Error(`bridge socket refused: ${r.status}`);
  return r;
}
