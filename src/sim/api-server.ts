/**
 * Sockets for the radio's command API: plain TCP on the LAN port, TLS on the WAN port (reference §0).
 * Each connection becomes a Peer of the RadioCore; lines in both directions also go to the recorder.
 */
import { createServer, type Server, type Socket } from 'node:net';
import { TLSSocket, createSecureContext } from 'node:tls';
import { LineSplitter } from '../api/lines.js';
import type { Endpoint } from '../capture/types.js';
import type { RadioCore } from './radio-core.js';
import { closeServer, listenOn } from './listen.js';
import { unixNow } from '../capture/timestamp.js';
import type { Recorder } from './recorder.js';

export interface ApiServerOptions {
  core: RadioCore;
  host: string;
  port: number;
  /** TLS identity for a WAN port; absent for the LAN port. */
  tls?: { cert: string; key: string };
  recorder?: Recorder;
  /** Reset each connection this many seconds after it opened (fault `tcp-reset`). */
  resetAfterS?: number;
  /** Every line to the client (and the radio's own close) leaves this many ms late (fault `latency`). */
  lineDelayMs?: number;
}

export interface ApiServer {
  port: number;
  close(): Promise<void>;
}

/** `::ffff:127.0.0.1` → `127.0.0.1`: the radio reports IPv4 clients as IPv4. */
export function plainIp(ip: string | undefined): string {
  return (ip ?? '').replace(/^::ffff:/, '');
}

export async function startApiServer(o: ApiServerOptions): Promise<ApiServer> {
  const sockets = new Set<Socket>();
  /** `raw`: the TCP socket under a TLS one, which sends the resets (see tlsServer). */
  const onSocket = (socket: Socket, raw: Socket = socket): void => {
    sockets.add(socket);
    socket.setNoDelay(true);
    const client: Endpoint = { ip: plainIp(socket.remoteAddress), port: socket.remotePort ?? 0 };
    const server: Endpoint = { ip: plainIp(socket.localAddress), port: socket.localPort ?? 0 };
    const rec = o.recorder;
    rec?.event({ type: 'tcp-open', ts: unixNow(), src: client, dst: server });
    let closed = false;
    let resetTimer: ReturnType<typeof setTimeout> | undefined;
    const finish = (reset: boolean, by: 'radio' | 'client'): void => {
      if (closed) return;
      closed = true;
      if (resetTimer) clearTimeout(resetTimer);
      sockets.delete(socket);
      const [src, dst] = by === 'radio' ? [server, client] : [client, server];
      rec?.event({ type: reset ? 'tcp-reset' : 'tcp-close', ts: unixNow(), src, dst });
      o.core.disconnect(handle);
    };
    // Equal delays keep the lines in order (timers of equal time run first in, first out).
    const later = (fn: () => void): void => void (o.lineDelayMs ? setTimeout(fn, o.lineDelayMs) : fn());
    const c = o.core.connect({
      ip: client.ip,
      wan: o.tls !== undefined,
      sendLine(line) {
        later(() => {
          if (closed || socket.destroyed) return;
          socket.write(line + '\n');
          rec?.text(unixNow(), server, client, line + '\n');
        });
      },
      close(reset) {
        later(() => {
          if (closed) return;
          if (reset) raw.resetAndDestroy();
          else socket.end();
          finish(reset === true, 'radio');
        });
      },
    });
    const handle = c.handle;
    const splitter = new LineSplitter();
    socket.on('data', (chunk: Buffer) => {
      const text = chunk.toString('latin1');
      rec?.text(unixNow(), client, server, text);
      splitter.push(text, (line) => o.core.line(handle, line));
    });
    socket.on('error', () => finish(true, 'client'));
    socket.on('close', () => finish(false, 'client'));
    if (o.resetAfterS !== undefined) {
      resetTimer = setTimeout(() => {
        if (closed) return;
        raw.resetAndDestroy();
        finish(true, 'radio');
      }, o.resetAfterS * 1000);
    }
  };
  const server: Server = o.tls ? tlsServer(o.tls, onSocket) : createServer((socket) => onSocket(socket));
  const port = await listenOn(server, o.port, o.host);
  return { port, close: () => closeServer(server, sockets) };
}

/**
 * A TLS server whose connections keep their TCP socket: a TLSSocket cannot send a reset itself (its
 * resetAndDestroy throws ERR_INVALID_HANDLE_TYPE, Node 20), and the fault tcp-reset over SmartLink needs one.
 */
function tlsServer(id: { cert: string; key: string }, onSocket: (socket: Socket, raw: Socket) => void): Server {
  const secureContext = createSecureContext({ cert: id.cert, key: id.key, minVersion: 'TLSv1.2' });
  return createServer((raw) => {
    const socket = new TLSSocket(raw, { isServer: true, secureContext });
    // A failed handshake (scanner, wrong protocol) must not take the simulator down.
    raw.on('error', () => undefined);
    socket.on('error', () => raw.destroy());
    socket.once('secure', () => onSocket(socket, raw));
  });
}
