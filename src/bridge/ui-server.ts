/**
 * Web mode (`flexpath ui`): serves the built renderer and the bridge WebSocket on 127.0.0.1 only.
 * Any page the browser has open could otherwise drive this server, so:
 * - the printed address carries a one-time sign-in code, exchanged for an HttpOnly, SameSite=Strict
 *   session cookie and replaced by a redirect, so neither is left in the address bar or history;
 * - the cookie has a random name and is scoped to a random path prefix under which the whole app lives:
 *   cookies are not kept apart by port, and a browser sends a Path=/ cookie for 127.0.0.1 to every
 *   other local server it visits; a cookie it sends only under an unguessable path reaches only us;
 * - every request names this server in Host (against DNS rebinding) and, when present, Origin.
 * The session secret is never in a URL or on a command line (the argv of xdg-open and the browser is
 * readable by every local user); only one-time codes are, and `--open` gets one that expires quickly.
 */
import { randomBytes, timingSafeEqual } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { rm, writeFile } from 'node:fs/promises';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import type { Duplex } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { WebSocketServer, type WebSocket } from 'ws';
import { webModeCsp } from './csp.js';
import { parseCommand, type Snapshot } from './protocol.js';
import { createSession, type Backends, type ExportFile, type Session } from './session.js';
import { contentTypeFor, resolveStaticFile } from './static-files.js';
import { makeTempDir, removeTempDir } from './temp-dirs.js';

export interface UiServerOptions {
  /** 0 or undefined: any free port. */
  port?: number;
  /** The built renderer (dist/renderer). */
  staticDir: string;
  /** The engines, or a factory given the server's own work dir (for live recordings). */
  backends: Backends | ((workDir: string) => Backends);
  autoDemoMs?: number;
  /** The system the page's capture advice is for (default this process's; e2e tests show each). */
  platform?: NodeJS.Platform;
  /** Largest capture the browser may upload. */
  maxUploadBytes?: number;
  /** A browser has just used a sign-in code (the CLI then prints a fresh one for another browser). */
  onSignIn?(): void;
}

export interface UiServer {
  /** The first sign-in address; it works once. */
  url: string;
  port: number;
  /** Temp folder of this server (uploads, exports, recordings); removed by close() and at process exit. */
  workDir: string;
  /** A fresh one-time sign-in address; `ttlMs` makes it expire unused too (for a command line). */
  signInUrl(ttlMs?: number): string;
  close(): Promise<void>;
}

const LOOPBACK = '127.0.0.1';
const MAX_COMMAND_BYTES = 64 * 1024;
/** A client this far behind gets no spectrum until it catches up: spectrum is the bulky, replaceable part. */
const SPECTRUM_BACKLOG_BYTES = 2 * 1024 * 1024;
const DEFAULT_MAX_UPLOAD = 2 * 1024 ** 3;
/** Unused sign-in codes kept at once; minting more drops the oldest. */
const MAX_CODES = 16;
/** Exports waiting to be fetched; the oldest goes past this. One is fetched right after it is made. */
const MAX_DOWNLOADS = 8;
const DOWNLOAD_TTL_MS = 10 * 60_000;
/** Uploads kept on disk; opening a new one is what the user does next, the older ones are dead weight. */
const MAX_UPLOADS = 4;

const secret = (bytes: number): string => randomBytes(bytes).toString('base64url');

function sameSecret(candidate: string | undefined, expected: Buffer): boolean {
  if (candidate === undefined) return false;
  const c = Buffer.from(candidate);
  return c.length === expected.length && timingSafeEqual(c, expected);
}

/** Insertion-ordered map trimmed to `max` entries; `onEvict` disposes of what falls out. */
function boundedSet<V>(map: Map<string, V>, key: string, value: V, max: number, onEvict: (v: V) => void): void {
  map.set(key, value);
  for (const [k, v] of map) {
    if (map.size <= max) break;
    map.delete(k);
    onEvict(v);
  }
}

export async function startUiServer(opts: UiServerOptions): Promise<UiServer> {
  const workDir = makeTempDir('flexpath-ui-');
  const sessionSecret = Buffer.from(secret(32));
  const cookieName = `fp_${randomBytes(9).toString('hex')}`;
  const base = `/${secret(16)}/`;
  /** One-time sign-in codes → expiry (ms since epoch, Infinity for the printed one). */
  const codes = new Map<string, number>();
  const uploads = new Map<string, string>();
  const downloads = new Map<string, { name: string; mime: string; path: string; timer: ReturnType<typeof setTimeout> }>();
  const sockets = new Set<WebSocket>();
  let port = 0;

  const discard = (path: string): void => void rm(path, { force: true }).catch(() => undefined);
  const dropDownload = (d: { path: string; timer: ReturnType<typeof setTimeout> }): void => {
    clearTimeout(d.timer);
    discard(d.path);
  };
  const signInUrl = (ttlMs?: number): string => {
    const code = secret(24);
    boundedSet(codes, code, ttlMs === undefined ? Infinity : Date.now() + ttlMs, MAX_CODES, () => undefined);
    return `http://${LOOPBACK}:${port}/?code=${code}`;
  };
  const useCode = (code: string | null): boolean => {
    if (code === null) return false;
    for (const [c, expires] of codes) {
      if (!sameSecret(code, Buffer.from(c))) continue;
      codes.delete(c);
      return expires > Date.now();
    }
    return false;
  };
  const hasSession = (req: IncomingMessage): boolean => {
    for (const part of (req.headers.cookie ?? '').split(';')) {
      const eq = part.indexOf('=');
      if (eq > 0 && part.slice(0, eq).trim() === cookieName && sameSecret(part.slice(eq + 1).trim(), sessionSecret)) return true;
    }
    return false;
  };
  const allowedHosts = (): string[] => [`${LOOPBACK}:${port}`, `localhost:${port}`];
  /** Why a request is refused before its path is looked at, or undefined. */
  const foreign = (req: IncomingMessage): string | undefined => {
    if (!allowedHosts().includes((req.headers.host ?? '').toLowerCase())) return 'foreign Host';
    const origin = req.headers.origin;
    if (origin !== undefined && !allowedHosts().some((h) => origin.toLowerCase() === `http://${h}`)) return 'foreign Origin';
    return undefined;
  };
  const SIGN_IN_HELP =
    'not signed in. Open the address that `flexpath ui` (or `npm start`) printed: each one works once, and the terminal shows a fresh one after it is used. Restart FlexPath for a new address if none is left.';

  const broadcast = (snapshot: Snapshot): void => {
    const text = JSON.stringify(snapshot);
    for (const ws of sockets) {
      if (ws.readyState !== ws.OPEN) continue;
      if (snapshot.type === 'spectrum' && ws.bufferedAmount > SPECTRUM_BACKLOG_BYTES) continue;
      ws.send(text);
    }
  };

  /** Writes an export into the work dir (exclusively) and offers it for one download. */
  async function stageExport(file: ExportFile): Promise<{ url: string }> {
    const id = randomBytes(12).toString('hex');
    const path = join(workDir, `export-${id}`);
    try {
      await writeFile(path, file.data, { flag: 'wx', mode: 0o600 });
    } catch (err) {
      discard(path);
      throw err;
    }
    const timer = setTimeout(() => {
      const d = downloads.get(id);
      if (d) (downloads.delete(id), dropDownload(d));
    }, DOWNLOAD_TTL_MS);
    timer.unref();
    boundedSet(downloads, id, { name: file.name, mime: file.mime, path, timer }, MAX_DOWNLOADS, dropDownload);
    return { url: `${base}download/${id}/${encodeURIComponent(file.name)}` };
  }

  let session: Session | undefined;

  const baseHeaders = (): Record<string, string> => ({
    'Content-Security-Policy': webModeCsp(port),
    'X-Content-Type-Options': 'nosniff',
    'X-Frame-Options': 'DENY',
    'Referrer-Policy': 'no-referrer',
    'Cache-Control': 'no-store',
    'Cross-Origin-Opener-Policy': 'same-origin',
    'Cross-Origin-Resource-Policy': 'same-origin',
  });
  const plain = (res: ServerResponse, status: number, text: string, extra: Record<string, string> = {}): void => {
    res.writeHead(status, { ...baseHeaders(), 'Content-Type': 'text/plain; charset=utf-8', ...extra });
    res.end(text + '\n');
  };

  async function receiveUpload(req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> {
    const max = opts.maxUploadBytes ?? DEFAULT_MAX_UPLOAD;
    const declared = Number(req.headers['content-length'] ?? NaN);
    if (!Number.isFinite(declared)) return plain(res, 411, 'Content-Length required');
    if (declared > max) return plain(res, 413, `capture larger than ${max} bytes`);
    const id = randomBytes(12).toString('hex');
    // The kind is read from the bytes (capture/inputs.ts); the extension only names the bundle's copy.
    const ext = (/\.(pcap|pcapng|gz|zip)$/i.exec(url.searchParams.get('name') ?? '')?.[0] ?? '.pcapng').toLowerCase();
    const path = join(workDir, `upload-${id}${ext}`);
    let seen = 0;
    req.on('data', (chunk: Buffer) => {
      seen += chunk.length;
      if (seen > declared) req.destroy(new Error('body longer than Content-Length'));
    });
    // No demo starts by itself while someone is uploading their capture.
    const uploadEnded = session?.uploadStarted() ?? ((): void => undefined);
    try {
      await pipeline(req, createWriteStream(path, { flags: 'wx', mode: 0o600 }));
    } catch (err) {
      await rm(path, { force: true });
      return plain(res, 400, `upload failed: ${err instanceof Error ? err.message : String(err)}`);
    } finally {
      uploadEnded();
    }
    boundedSet(uploads, id, path, MAX_UPLOADS, discard);
    res.writeHead(200, { ...baseHeaders(), 'Content-Type': 'application/json; charset=utf-8' });
    res.end(JSON.stringify({ uploadId: id }));
  }

  async function serveStatic(req: IncomingMessage, res: ServerResponse, path: string): Promise<void> {
    const file = await resolveStaticFile(opts.staticDir, path);
    if (!file) return plain(res, 404, 'not found');
    res.writeHead(200, { ...baseHeaders(), 'Content-Type': contentTypeFor(file) });
    if (req.method === 'HEAD') return void res.end();
    await pipeline(createReadStream(file), res);
  }

  function serveDownload(res: ServerResponse, id: string | undefined): void {
    const file = id ? downloads.get(id) : undefined;
    if (!id || !file) return plain(res, 404, 'no such export (each is fetched once; export again)');
    // Fetched once, then gone: an export holds the customer's report and capture.
    downloads.delete(id);
    clearTimeout(file.timer);
    res.writeHead(200, {
      ...baseHeaders(),
      'Content-Type': file.mime,
      'Content-Disposition': `attachment; filename="${file.name.replace(/[^\w.-]/g, '_')}"`,
    });
    pipeline(createReadStream(file.path), res).then(
      () => discard(file.path),
      () => discard(file.path),
    );
  }

  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', `http://${LOOPBACK}`);
    const why = foreign(req);
    if (why) return plain(res, 403, `forbidden: ${why}`);
    if (url.pathname === '/' && url.searchParams.has('code')) {
      if (!useCode(url.searchParams.get('code'))) return plain(res, 403, `forbidden: this sign-in address was used already or is not from this run; ${SIGN_IN_HELP}`);
      opts.onSignIn?.();
      // A redirect, not a page: the code leaves the address bar and history, the cookie stays.
      res.writeHead(303, {
        ...baseHeaders(),
        Location: base,
        'Set-Cookie': `${cookieName}=${sessionSecret.toString()}; Path=${base}; HttpOnly; SameSite=Strict`,
      });
      return void res.end();
    }
    if (!url.pathname.startsWith(base) || !hasSession(req)) return plain(res, 403, `forbidden: ${SIGN_IN_HELP}`);
    const path = url.pathname.slice(base.length - 1);
    const done = (p: Promise<void>): void => {
      p.catch((err: unknown) => {
        if (!res.headersSent) plain(res, 500, err instanceof Error ? err.message : String(err));
        else res.destroy();
      });
    };
    if (req.method === 'POST' && path === '/upload') return done(receiveUpload(req, res, url));
    if (req.method !== 'GET' && req.method !== 'HEAD') return plain(res, 405, 'method not allowed');
    const download = /^\/download\/([0-9a-f]{24})\//.exec(path);
    if (download) return serveDownload(res, download[1]);
    done(serveStatic(req, res, path));
  });

  const wss = new WebSocketServer({ noServer: true, maxPayload: MAX_COMMAND_BYTES });
  // Past start-up, errors belong to one connection (or are a transient accept failure such as EMFILE):
  // never a reason for the whole server, and its temp files, to go.
  server.on('error', () => undefined);
  wss.on('error', () => undefined);
  server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    // A reset during the handshake would otherwise be an unhandled 'error' on the raw socket.
    socket.on('error', () => socket.destroy());
    const url = new URL(req.url ?? '/', `http://${LOOPBACK}`);
    // Browsers always send Origin on WebSocket handshakes; a missing one is not a page of ours.
    const why =
      url.pathname !== `${base}ws` ? 'not found' : req.headers.origin === undefined ? 'missing Origin' : (foreign(req) ?? (hasSession(req) ? undefined : 'not signed in'));
    if (why) {
      socket.end(`HTTP/1.1 403 Forbidden\r\nContent-Type: text/plain\r\nConnection: close\r\n\r\nforbidden: ${why}\n`);
      return;
    }
    wss.handleUpgrade(req, socket, head, (ws) => {
      if (!session) return void ws.terminate();
      sockets.add(ws);
      ws.on('close', () => sockets.delete(ws));
      // A frame over maxPayload or a text frame that is not UTF-8: `ws` has already sent the close
      // (1009/1007) and reports it here; only this socket goes.
      ws.on('error', () => {
        if (ws.readyState === ws.OPEN) ws.terminate();
      });
      ws.on('message', (data, isBinary) => {
        let parsed: unknown;
        try {
          parsed = isBinary ? undefined : JSON.parse(data.toString());
        } catch {
          parsed = undefined;
        }
        const command = parseCommand(parsed);
        if (!command) {
          ws.send(JSON.stringify({ type: 'error', message: 'malformed command ignored' } satisfies Snapshot));
          return;
        }
        void session?.handle(command);
      });
      for (const s of session.current()) ws.send(JSON.stringify(s));
      session.pageConnected();
    });
  });

  try {
    await new Promise<void>((resolveListen, reject) => {
      server.once('error', reject);
      server.listen(opts.port ?? 0, LOOPBACK, () => {
        server.off('error', reject);
        resolveListen();
      });
    });
  } catch (err) {
    // Nothing has started yet (no discovery, no demo timer): the caller can exit at once.
    removeTempDir(workDir);
    throw err;
  }
  port = (server.address() as AddressInfo).port;
  // Only now: a server that cannot listen must not leave discovery or an auto-started demo running.
  session = createSession({
    backends: typeof opts.backends === 'function' ? opts.backends(workDir) : opts.backends,
    emit: broadcast,
    autoDemoMs: opts.autoDemoMs,
    ...(opts.platform ? { platform: opts.platform } : {}),
    host: { nativeDialogs: false, resolveUpload: (id) => uploads.get(id), deliverExport: stageExport },
  });
  const live = session;

  return {
    url: signInUrl(),
    port,
    workDir,
    signInUrl,
    async close() {
      await live.close();
      for (const ws of sockets) ws.terminate();
      wss.close();
      server.closeAllConnections();
      await new Promise<void>((r) => server.close(() => r()));
      for (const d of downloads.values()) clearTimeout(d.timer);
      removeTempDir(workDir);
    },
  };
}
