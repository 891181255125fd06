/**
 * A SmartSDR API client over TCP (LAN) or TLS (WAN): reads the prologue, numbers commands, matches each
 * `R` reply to its command, hands every line to listeners. What FlexPath's own diagnosis speaks, and
 * what the tests use to talk to the simulator as a real client would.
 *
 * Every byte in and out is also reported through `onText`, so a caller can feed the analysis and a
 * capture writer with exactly what crossed the wire (plaintext, also for TLS).
 */
import { connect as tcpConnect, type Socket } from 'node:net';
import { connect as tlsConnect, type ConnectionOptions } from 'node:tls';
import { DecodeError } from '../common/decode-error.js';
import { type ApiLine, LineSplitter, parseLine } from './lines.js';
import { replyWait, smoothRtt } from './reply-wait.js';

/**
 * A reply missing after this long on a path whose round trip is short: empirical, the radio answers a
 * command within milliseconds on a LAN (reference §5.6 sequences); longer paths get 3 × their measured
 * round trip (reply-wait.ts).
 */
const REPLY_BASE_MS = 5000;

export interface Reply {
  seq: number;
  command: string;
  code: number;
  message: string;
  /** performance.now() at send and at reply, ms. */
  sentAt: number;
  repliedAt: number;
}

export interface ConnectOptions {
  host: string;
  port: number;
  /** TLS options for the WAN port; absent for plain TCP. */
  tls?: ConnectionOptions;
  /** Local port (and address) to connect from (SmartLink hole punching, reference §6.4). */
  localPort?: number;
  localAddress?: string;
  /** Gives up on connect and on the prologue after this long. */
  timeoutMs?: number;
  /** A command's reply counts as missing after max(this, 3 × the measured round trip); default REPLY_BASE_MS. */
  replyBaseMs?: number;
  /** Wait for V and H before resolving (the WAN prologue may come only after `wan validate`). */
  waitForPrologue?: boolean;
  /** Called once connected, before any byte is read: who talks to whom. */
  onOpen?(local: { ip: string; port: number }, remote: { ip: string; port: number }): void;
  /** Every byte in and out from the very first (the prologue included). */
  onText?: TextListener;
  /** Every parsed line from the very first, so the connect burst (M lines, radio status) is not missed. */
  onLine?: LineListener;
}

export class ApiError extends Error {
  /** The socket's error code (errno name) when the connection itself failed: ECONNREFUSED, EHOSTUNREACH, … */
  code?: string;
}

type LineListener = (line: ApiLine, raw: string) => void;
type TextListener = (direction: 'out' | 'in', text: string) => void;

export class ApiClient {
  version: string | undefined;
  handle: number | undefined;
  /** Why the connection ended, once it has. */
  closedBecause: string | undefined;
  private closing = false;
  readonly local: { ip: string; port: number };
  readonly remote: { ip: string; port: number };
  private seq = 0;
  private readonly pending = new Map<number, { command: string; sentAt: number; resolve(r: Reply): void; reject(e: Error): void; timer: ReturnType<typeof setTimeout> }>();
  private readonly lineListeners = new Set<LineListener>();
  private readonly textListeners = new Set<TextListener>();
  private readonly closeListeners = new Set<(why: string) => void>();
  private readonly splitter = new LineSplitter();
  private prologue: { resolve(): void; reject(e: Error): void } | undefined;
  /** Smoothed round trip of this connection, ms (RFC 6298), from the handshake, the prologue and every reply. */
  private srttMs: number | undefined;
  private readonly replyBaseMs: number;

  private constructor(
    private readonly socket: Socket,
    o: Pick<ConnectOptions, 'onOpen' | 'onText' | 'onLine' | 'replyBaseMs'>,
    handshakeMs: number,
  ) {
    this.replyBaseMs = o.replyBaseMs ?? REPLY_BASE_MS;
    this.srttMs = handshakeMs;
    this.local = { ip: (socket.localAddress ?? '').replace(/^::ffff:/, ''), port: socket.localPort ?? 0 };
    this.remote = { ip: (socket.remoteAddress ?? '').replace(/^::ffff:/, ''), port: socket.remotePort ?? 0 };
    o.onOpen?.(this.local, this.remote);
    if (o.onText) this.textListeners.add(o.onText);
    if (o.onLine) this.lineListeners.add(o.onLine);
    socket.setNoDelay(true);
    socket.on('data', (chunk: Buffer) => {
      const text = chunk.toString('latin1');
      for (const l of this.textListeners) l('in', text);
      this.splitter.push(text, (raw) => this.receive(raw));
    });
    socket.on('error', (e) => this.ended(e.message));
    socket.on('close', () => this.ended(this.closing ? 'closed by this client' : 'closed by the radio'));
  }

  static async connect(o: ConnectOptions): Promise<ApiClient> {
    const timeoutMs = o.timeoutMs ?? 5000;
    const started = performance.now();
    const socket = await new Promise<Socket>((resolve, reject) => {
      const opts = { host: o.host, port: o.port, ...(o.localPort ? { localPort: o.localPort } : {}), ...(o.localAddress ? { localAddress: o.localAddress } : {}) };
      const s: Socket = o.tls ? tlsConnect({ ...opts, ...o.tls }) : tcpConnect(opts);
      const timer = setTimeout(() => {
        s.destroy();
        reject(new ApiError(`no answer from ${o.host}:${o.port} within ${timeoutMs} ms`));
      }, timeoutMs);
      s.once(o.tls ? 'secureConnect' : 'connect', () => {
        clearTimeout(timer);
        resolve(s);
      });
      s.once('error', (e) => {
        clearTimeout(timer);
        const err = new ApiError(`${o.host}:${o.port}: ${e.message}`);
        const code = (e as NodeJS.ErrnoException).code;
        if (code !== undefined) err.code = code;
        reject(err);
      });
    });
    const c = new ApiClient(socket, o, performance.now() - started);
    if (o.waitForPrologue !== false) {
      await c.waitForPrologue(timeoutMs);
      // The radio sends V and H as it accepts (reference §5.2): they arrive a round trip after the SYN.
      c.srttMs = Math.max(c.srttMs ?? 0, performance.now() - started);
    }
    return c;
  }

  /** Resolves once V and H have arrived. */
  waitForPrologue(timeoutMs = 5000): Promise<void> {
    if (this.version !== undefined && this.handle !== undefined) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        reject(new ApiError(`no V/H prologue within ${timeoutMs} ms`));
        // No prologue, no session: end the connection, or a peer that accepted and stays silent keeps it
        // (and the process) open for good.
        this.closing = true;
        this.socket.destroy();
      }, timeoutMs);
      this.prologue = {
        resolve: () => {
          clearTimeout(timer);
          resolve();
        },
        reject: (e) => {
          clearTimeout(timer);
          reject(e);
        },
      };
    });
  }

  /** True once `close()` was called: the connection ends because this side ended it. */
  get closedLocally(): boolean {
    return this.closing;
  }

  get closed(): boolean {
    return this.closedBecause !== undefined;
  }

  onLine(l: LineListener): () => void {
    this.lineListeners.add(l);
    return () => this.lineListeners.delete(l);
  }

  onText(l: TextListener): () => void {
    this.textListeners.add(l);
    return () => this.textListeners.delete(l);
  }

  onClose(l: (why: string) => void): () => void {
    this.closeListeners.add(l);
    return () => this.closeListeners.delete(l);
  }

  /** The connection's smoothed round trip so far, ms. */
  get rttMs(): number {
    return this.srttMs ?? 0;
  }

  /** How long a reply may take before it counts as missing: max(base, 3 × the measured round trip). */
  replyWaitMs(baseMs = this.replyBaseMs): number {
    return replyWait(baseMs, this.rttMs);
  }

  /** Sends a command and resolves with its reply (any code); rejects on timeout or a closed connection. */
  command(command: string, timeoutMs = this.replyWaitMs()): Promise<Reply> {
    if (this.closed) return Promise.reject(new ApiError(`"${command}" not sent: connection ${this.closedBecause}`));
    const seq = this.send(command);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pending.delete(seq);
        reject(new ApiError(`no reply to "${command}" within ${timeoutMs} ms`));
      }, timeoutMs);
      this.pending.set(seq, { command, sentAt: performance.now(), resolve, reject, timer });
    });
  }

  /** Sends without waiting; returns the sequence number. */
  send(command: string): number {
    const seq = ++this.seq;
    this.write(`C${seq}|${command}\n`);
    return seq;
  }

  /** Ends the session the way FlexLib does: a 0x04 byte, then FIN. Resolves when the socket is closed. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closing = true;
    await new Promise<void>((resolve) => {
      this.socket.once('close', () => resolve());
      this.write('\x04');
      this.socket.end();
      setTimeout(() => {
        this.socket.destroy();
        resolve();
      }, 1000).unref();
    });
  }

  private write(text: string): void {
    if (this.closed || this.socket.destroyed) return;
    this.socket.write(text, 'latin1');
    for (const l of this.textListeners) l('out', text);
  }

  private receive(raw: string): void {
    let line: ApiLine;
    try {
      line = parseLine(raw);
    } catch (e) {
      if (e instanceof DecodeError) return;
      throw e;
    }
    if (line.type === 'version') this.version = line.version;
    else if (line.type === 'handle') this.handle = line.handle;
    if (this.version !== undefined && this.handle !== undefined && this.prologue) {
      this.prologue.resolve();
      this.prologue = undefined;
    }
    if (line.type === 'reply') {
      const p = this.pending.get(line.seq);
      if (p) {
        this.pending.delete(line.seq);
        clearTimeout(p.timer);
        const repliedAt = performance.now();
        this.srttMs = smoothRtt(this.srttMs, repliedAt - p.sentAt);
        p.resolve({ seq: line.seq, command: p.command, code: line.code, message: line.message, sentAt: p.sentAt, repliedAt });
      }
    }
    for (const l of this.lineListeners) l(line, raw);
  }

  private ended(why: string): void {
    if (this.closedBecause !== undefined) return;
    this.closedBecause = why;
    const err = new ApiError(`connection ${why}`);
    for (const p of this.pending.values()) {
      clearTimeout(p.timer);
      p.reject(err);
    }
    this.pending.clear();
    this.prologue?.reject(err);
    this.prologue = undefined;
    for (const l of this.closeListeners) l(why);
  }
}
