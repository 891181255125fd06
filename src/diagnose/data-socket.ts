/**
 * The UDP socket VITA-49 arrives on. Bound like FlexLib binds its own (reference §5.6, §1.6): port 4991,
 * or the next free one up to 6010, with a large receive buffer (FlexLib asks for 750 000 bytes; we ask
 * for 4 MiB so a burst of waterfall tiles never overflows it while the event loop is busy).
 *
 * Receiving is the socket's 'message' event, never dgram-as-promised's async iterator: that iterator
 * awaits per packet and was measured to deliver 63 of 2000 datagrams under load. The package is used
 * for what it does well — bind and close as promises.
 */
import type { RemoteInfo, Socket } from 'node:dgram';
import { readFile } from 'node:fs/promises';
import DgramAsPromised from 'dgram-as-promised';
import type { Endpoint } from '../capture/types.js';

export const RECEIVE_BUFFER_BYTES = 4 * 1024 * 1024;
const FLEXLIB_FIRST_PORT = 4991;
const FLEXLIB_LAST_PORT = 6010;

export interface DataSocket {
  socket: Socket;
  local: Endpoint;
  /** Receive buffer the kernel granted (it may cap the request at net.core.rmem_max). */
  receiveBuffer: number;
  /** `done` learns whether the kernel took the datagram (an outbound firewall refuses it with EPERM). */
  send(payload: Buffer, to: Endpoint, done?: (error: NodeJS.ErrnoException | null) => void): void;
  /** Datagrams the kernel dropped for this socket (full buffer), where the OS exposes it; else undefined. */
  kernelDrops(): Promise<number | undefined>;
  close(): Promise<void>;
}

export interface DataSocketOptions {
  host?: string;
  /** A fixed port (hole punching); otherwise 4991…6010 as FlexLib, or 0 for any. */
  port?: number;
  /** Try FlexLib's 4991…6010 range (default); false binds an ephemeral port. */
  flexlibRange?: boolean;
  onMessage(payload: Buffer, from: RemoteInfo): void;
}

export async function openDataSocket(o: DataSocketOptions): Promise<DataSocket> {
  const host = o.host ?? '0.0.0.0';
  const candidates = o.port !== undefined ? [o.port] : o.flexlibRange === false ? [0] : range(FLEXLIB_FIRST_PORT, FLEXLIB_LAST_PORT);
  let lastError: unknown;
  for (const port of candidates) {
    const s = DgramAsPromised.createSocket({ type: host.includes(':') ? 'udp6' : 'udp4', recvBufferSize: RECEIVE_BUFFER_BYTES });
    // Attach before binding so not even the first datagram can be missed.
    s.socket.on('message', o.onMessage);
    s.socket.on('error', () => undefined);
    try {
      const a = await s.bind(port, host);
      const local: Endpoint = { ip: a.address, port: a.port };
      return {
        socket: s.socket,
        local,
        receiveBuffer: s.getRecvBufferSize(),
        send: (payload, to, done) => s.socket.send(payload, to.port, to.ip, (e) => done?.(e ?? null)),
        kernelDrops: () => kernelDrops(local.port, host.includes(':')),
        close: () => s.close(),
      };
    } catch (e) {
      lastError = e;
      await s.close().catch(() => undefined);
    }
  }
  throw new Error(`no free UDP port for the data socket (${candidates.length === 1 ? candidates[0] : `${candidates[0]}–${candidates[candidates.length - 1]}`}): ${lastError instanceof Error ? lastError.message : String(lastError)}`, { cause: lastError });
}

function range(a: number, b: number): number[] {
  const out: number[] = [];
  for (let p = a; p <= b; p++) out.push(p);
  return out;
}

/** Linux: the last column of /proc/net/udp{,6} counts drops per socket; the local port is hex after the colon. */
async function kernelDrops(port: number, v6: boolean): Promise<number | undefined> {
  try {
    const text = await readFile(v6 ? '/proc/net/udp6' : '/proc/net/udp', 'utf8');
    const hex = port.toString(16).toUpperCase().padStart(4, '0');
    let drops: number | undefined;
    for (const line of text.split('\n').slice(1)) {
      const cols = line.trim().split(/\s+/);
      if (cols[1]?.endsWith(`:${hex}`)) drops = (drops ?? 0) + Number(cols[cols.length - 1]);
    }
    return drops;
  } catch {
    return undefined;
  }
}
