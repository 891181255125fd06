/**
 * Web mode (`flexpath ui`): serves the built renderer and the bridge WebSocket on 127.0.0.1 only.
 * Any page the browser has open could otherwise drive this server, so every request must carry the
 * per-run token (URL query, or the cookie set when the tokened URL is first opened) and name this
 * server in Host (against DNS rebinding) and, when present, Origin (against cross-site requests).
 */
import { randomBytes, timingSafeEqual } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Duplex } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { WebSocketServer, type WebSocket } from 'ws';
import { webModeCsp } from './csp.js';
import { parseCommand, type Snapshot } from './protocol.js';
import { createSession, type Backends, type Session } from './session.js';
import { contentTypeFor, resolveStaticFile } from './static-files.js';

export interface UiServerOptions {
  /** 0 or undefined: any free port. */
  port?: number;
  /** The built renderer (dist/renderer). */
  staticDir: string;
  backends: Backends;
  autoDemoMs?: number;
  /** Largest capture the browser may upload. */
  maxUploadBytes?: number;
}

export interface UiServer {
  url: string;
  port: number;
  token: string;
  close(): Promise<void>;
}

const LOOPBACK = '127.0.0.1';
const MAX_COMMAND_BYTES = 64 * 1024;
/** A client this far behind gets no spectrum until it catches up: spectrum is the bulky, replaceable part. */
const SPECTRUM_BACKLOG_BYTES = 2 * 1024 * 1024;
const DEFAULT_MAX_UPLOAD = 2 * 1024 ** 3;

export async function startUiServer(opts: UiServerOptions): Promise<UiServer> {
  const token = randomBytes(24).toString('base64url');
  const tokenBuf = Buffer.from(token);
  const workDir = await mkdtemp(join(tmpdir(), 'flexpath-ui-'));
  const uploads = new Map<string, string>();
  const downloads = new Map<string, { name: string; mime: string; data: Buffer }>();
  const sockets = new Set<WebSocket>();
  let port = 0;

  const tokenOk = (candidate: string | undefined): boolean => {
    if (candidate === undefined) return false;
    const c = Buffer.from(candidate);
    return c.length === tokenBuf.length && timingSafeEqual(c, tokenBuf);
  };
  const cookieName = (): string => `flexpath_token_${port}`;
  const requestToken = (req: IncomingMessage, url: URL): string | undefined => {
    const q = url.searchParams.get('token');
    if (q !== null) return q;
    for (const part of (req.headers.cookie ?? '').split(';')) {
      const [k, ...v] = part.trim().split('=');
      if (k === cookieName()) return v.join('=');
    }
    return undefined;
  };
  const allowedHosts = (): string[] => [`${LOOPBACK}:${port}`, `localhost:${port}`];
  /** Why a request is refused, or undefined when it may proceed. */
  const refusal = (req: IncomingMessage, url: URL): string | undefined => {
    if (!allowedHosts().includes((req.headers.host ?? '').toLowerCase())) return 'foreign Host';
    const origin = req.headers.origin;
    if (origin !== undefined && !allowedHosts().some((h) => origin.toLowerCase() === `http://${h}`)) return 'foreign Origin';
    if (!tokenOk(requestToken(req, url))) {
      return 'missing or wrong token. Open the full address that `flexpath ui` (or `npm start`) printed — it ends in ?token=… and changes every time FlexPath starts.';
    }
    return undefined;
  };

  const broadcast = (snapshot: Snapshot): void => {
    const text = JSON.stringify(snapshot);
    for (const ws of sockets) {
      if (ws.readyState !== ws.OPEN) continue;
      if (snapshot.type === 'spectrum' && ws.bufferedAmount > SPECTRUM_BACKLOG_BYTES) continue;
      ws.send(text);
    }
  };

  const session: Session = createSession({
    backends: opts.backends,
    emit: broadcast,
    autoDemoMs: opts.autoDemoMs,
    host: {
      nativeDialogs: false,
      resolveUpload: (id) => uploads.get(id),
      deliverExport: async (file) => {
        const id = randomBytes(12).toString('hex');
        downloads.set(id, file);
        return { url: `/download/${id}/${encodeURIComponent(file.name)}` };
      },
    },
  });

  const baseHeaders = (): Record<string, string> => ({
    'Content-Security-Policy': webModeCsp(port),
    'X-Content-Type-Options': 'nosniff',
    'X-Frame-Options': 'DENY',
    // The token is in the URL: never leak it through Referer.
    'Referrer-Policy': 'no-referrer',
    'Cache-Control': 'no-store',
    'Cross-Origin-Opener-Policy': 'same-origin',
    'Cross-Origin-Resource-Policy': 'same-origin',
  });
  const plain = (res: ServerResponse, status: number, text: string): void => {
    res.writeHead(status, { ...baseHeaders(), 'Content-Type': 'text/plain; charset=utf-8' });
    res.end(text + '\n');
  };

  async function receiveUpload(req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> {
    const max = opts.maxUploadBytes ?? DEFAULT_MAX_UPLOAD;
    const declared = Number(req.headers['content-length'] ?? NaN);
    if (!Number.isFinite(declared)) return plain(res, 411, 'Content-Length required');
    if (declared > max) return plain(res, 413, `capture larger than ${max} bytes`);
    const id = randomBytes(12).toString('hex');
    const ext = /\.pcap$/i.test(url.searchParams.get('name') ?? '') ? '.pcap' : '.pcapng';
    const path = join(workDir, `upload-${id}${ext}`);
    let seen = 0;
    req.on('data', (chunk: Buffer) => {
      seen += chunk.length;
      if (seen > declared) req.destroy(new Error('body longer than Content-Length'));
    });
    try {
      await pipeline(req, createWriteStream(path, { mode: 0o600 }));
    } catch (err) {
      await rm(path, { force: true });
      return plain(res, 400, `upload failed: ${err instanceof Error ? err.message : String(err)}`);
    }
    uploads.set(id, path);
    res.writeHead(200, { ...baseHeaders(), 'Content-Type': 'application/json; charset=utf-8' });
    res.end(JSON.stringify({ uploadId: id }));
  }

  async function serveStatic(req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> {
    const file = await resolveStaticFile(opts.staticDir, url.pathname);
    if (!file) return plain(res, 404, 'not found');
    const headers: Record<string, string> = { ...baseHeaders(), 'Content-Type': contentTypeFor(file) };
    if (url.searchParams.has('token')) {
      // Lets the page's own scripts and styles load without the token in their URLs.
      headers['Set-Cookie'] = `${cookieName()}=${token}; Path=/; HttpOnly; SameSite=Strict`;
    }
    res.writeHead(200, headers);
    if (req.method === 'HEAD') return void res.end();
    await pipeline(createReadStream(file), res);
  }

  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', `http://${LOOPBACK}`);
    const why = refusal(req, url);
    if (why) return plain(res, 403, `forbidden: ${why}`);
    const download = /^\/download\/([0-9a-f]{24})\//.exec(url.pathname);
    const done = (p: Promise<void>): void => {
      p.catch((err: unknown) => {
        if (!res.headersSent) plain(res, 500, err instanceof Error ? err.message : String(err));
        else res.destroy();
      });
    };
    if (req.method === 'POST' && url.pathname === '/upload') return done(receiveUpload(req, res, url));
    if (req.method !== 'GET' && req.method !== 'HEAD') return plain(res, 405, 'method not allowed');
    if (download) {
      const file = download[1] ? downloads.get(download[1]) : undefined;
      if (!file) return plain(res, 404, 'no such export');
      res.writeHead(200, {
        ...baseHeaders(),
        'Content-Type': file.mime,
        'Content-Disposition': `attachment; filename="${file.name.replace(/[^\w.-]/g, '_')}"`,
      });
      return void res.end(file.data);
    }
    done(serveStatic(req, res, url));
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
    const why = url.pathname !== '/ws' ? 'not found' : req.headers.origin === undefined ? 'missing Origin' : refusal(req, url);
    if (why) {
      socket.end(`HTTP/1.1 403 Forbidden\r\nContent-Type: text/plain\r\nConnection: close\r\n\r\nforbidden: ${why}\n`);
      return;
    }
    wss.handleUpgrade(req, socket, head, (ws) => {
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
        void session.handle(command);
      });
      for (const s of session.current()) ws.send(JSON.stringify(s));
    });
  });

  await new Promise<void>((resolveListen, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, LOOPBACK, () => {
      server.off('error', reject);
      resolveListen();
    });
  });
  port = (server.address() as AddressInfo).port;

  return {
    url: `http://${LOOPBACK}:${port}/?token=${token}`,
    port,
    token,
    async close() {
      await session.close();
      for (const ws of sockets) ws.terminate();
      wss.close();
      server.closeAllConnections();
      await new Promise<void>((r) => server.close(() => r()));
      await rm(workDir, { recursive: true, force: true });
    },
  };
}
