/**
 * FlexPath's side of the SmartLink broker (reference §6): TLS with the server certificate verified,
 * `application register`, the radio list, `test_connection`, `application connect` → `connect_ready`,
 * and the `ping from client` keepalive every 10 s.
 *
 * The login token lives only in this object's call to `register`: the text it reports to listeners
 * (for the analysis and the capture) has the token replaced, so it can reach no log, report or file.
 */
import { isIP } from 'node:net';
import { connect, type ConnectionOptions, type TLSSocket } from 'node:tls';
import { LineSplitter } from '../api/lines.js';
import { redactSecrets } from '../common/secrets.js';
import { type BrokerRadio, isBrokerLine, pairs, parseRadioList, parseTestConnection, type TestConnection } from './protocol.js';

export const SMARTLINK_HOST = 'smartlink.flexradio.com';
export const SMARTLINK_PORT = 443;
const PING_MS = 10_000;

export interface BrokerConnectOptions {
  host: string;
  port: number;
  /** Extra TLS settings: a test CA and server name for the simulator, never to weaken verification. */
  tls?: Pick<ConnectionOptions, 'ca' | 'servername'>;
  timeoutMs?: number;
}

/**
 * OpenSSL's verification failures as Node reports them (`err.code`): the server answered, but with a
 * certificate this computer does not trust for that name.
 */
const CERTIFICATE_ERRORS = new Set([
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE', 'UNABLE_TO_GET_ISSUER_CERT', 'UNABLE_TO_GET_ISSUER_CERT_LOCALLY', 'SELF_SIGNED_CERT_IN_CHAIN',
  'DEPTH_ZERO_SELF_SIGNED_CERT', 'CERT_UNTRUSTED', 'CERT_HAS_EXPIRED', 'CERT_NOT_YET_VALID', 'CERT_REVOKED', 'CERT_SIGNATURE_FAILURE',
  'CERT_REJECTED', 'INVALID_CA', 'ERR_TLS_CERT_ALTNAME_INVALID', 'HOSTNAME_MISMATCH',
]);

export class BrokerError extends Error {
  /** The TLS handshake failed on the server's certificate (not trusted, expired, wrong name). */
  certificate = false;
}

export interface Registration {
  publicIp?: string;
  radios: BrokerRadio[];
}

type TextListener = (direction: 'out' | 'in', text: string) => void;

export class BrokerClient {
  readonly local: { ip: string; port: number };
  readonly remote: { ip: string; port: number };
  private readonly splitter = new LineSplitter(64 * 1024, 'utf8');
  private readonly waiters: Array<{ match(line: string): boolean; resolve(line: string): void; reject(e: Error): void; timer: ReturnType<typeof setTimeout> }> = [];
  private readonly listeners = new Set<TextListener>();
  private readonly pinger: ReturnType<typeof setInterval>;
  closedBecause: string | undefined;

  private constructor(private readonly socket: TLSSocket) {
    this.local = { ip: (socket.localAddress ?? '').replace(/^::ffff:/, ''), port: socket.localPort ?? 0 };
    this.remote = { ip: (socket.remoteAddress ?? '').replace(/^::ffff:/, ''), port: socket.remotePort ?? 0 };
    socket.on('data', (chunk: Buffer) => {
      const text = chunk.toString('utf8');
      for (const l of this.listeners) l('in', text);
      this.splitter.push(chunk, (line) => this.receive(line));
    });
    socket.on('error', (e) => this.ended(e.message));
    socket.on('close', () => this.ended('closed by the server'));
    this.pinger = setInterval(() => this.write('ping from client'), PING_MS);
    this.pinger.unref();
  }

  static async connect(o: BrokerConnectOptions): Promise<BrokerClient> {
    const timeoutMs = o.timeoutMs ?? 10_000;
    const socket = await new Promise<TLSSocket>((resolve, reject) => {
      // SNI carries host names only (RFC 6066 §3); for an address the certificate is checked against the IP.
      const servername = o.tls?.servername ?? (isIP(o.host) ? undefined : o.host);
      const s = connect({ host: o.host, port: o.port, ...(servername ? { servername } : {}), ...(o.tls?.ca ? { ca: o.tls.ca } : {}), rejectUnauthorized: true });
      const timer = setTimeout(() => {
        s.destroy();
        reject(new BrokerError(`no TLS session with ${o.host}:${o.port} within ${timeoutMs} ms`));
      }, timeoutMs);
      s.once('secureConnect', () => {
        clearTimeout(timer);
        resolve(s);
      });
      s.once('error', (e: NodeJS.ErrnoException) => {
        clearTimeout(timer);
        const err = new BrokerError(`${o.host}:${o.port}: ${e.code === 'ECONNREFUSED' ? 'connection refused' : e.message}`);
        err.certificate = e.code !== undefined && CERTIFICATE_ERRORS.has(e.code);
        reject(err);
      });
    });
    return new BrokerClient(socket);
  }

  onText(l: TextListener): () => void {
    this.listeners.add(l);
    return () => this.listeners.delete(l);
  }

  /** Logs in; resolves with the radio list, rejects when the token is refused. */
  async register(token: string, timeoutMs = 10_000): Promise<Registration> {
    const reply = this.expect((l) => l.startsWith('radio list') || l.startsWith('application registration_invalid'), timeoutMs, 'the radio list');
    let publicIp: string | undefined;
    const stop = this.watch((l) => {
      if (l.startsWith('application info')) publicIp = pairs(l).get('public_ip');
    });
    this.write(`application register name=FlexPath platform=${process.platform} token=${token}`);
    try {
      const line = await reply;
      if (line.startsWith('application registration_invalid')) throw new BrokerError('the SmartLink server refused the login token (application registration_invalid)');
      return { ...(publicIp ? { publicIp } : {}), radios: parseRadioList(line) };
    } finally {
      stop();
    }
  }

  async testConnection(serial: string, timeoutMs = 20_000): Promise<TestConnection> {
    const reply = this.expect((l) => l.startsWith('radio test_connection'), timeoutMs, 'the test_connection result');
    this.write(`application test_connection serial=${serial}`);
    return parseTestConnection(await reply);
  }

  /** Asks the broker to broker a session; resolves with the WAN handle for `wan validate`. */
  async connectRadio(serial: string, holePunchPort: number, timeoutMs = 20_000): Promise<string> {
    const reply = this.expect((l) => l.startsWith('radio connect_ready'), timeoutMs, 'radio connect_ready');
    this.write(`application connect serial=${serial} hole_punch_port=${holePunchPort}`);
    const handle = pairs(await reply).get('handle');
    if (!handle) throw new BrokerError('connect_ready carried no handle');
    return handle;
  }

  close(): void {
    clearInterval(this.pinger);
    this.socket.end();
    this.socket.destroy();
    this.ended('closed by FlexPath');
  }

  /** Listeners see the line with its secrets hidden: they log and record it. */
  private write(line: string): void {
    if (this.closedBecause !== undefined) return;
    this.socket.write(line + '\r\n');
    const shown = redactSecrets(line);
    for (const l of this.listeners) l('out', shown + '\r\n');
  }

  private expect(match: (line: string) => boolean, timeoutMs: number, what: string): Promise<string> {
    if (this.closedBecause !== undefined) return Promise.reject(new BrokerError(`SmartLink connection ${this.closedBecause}`));
    return new Promise((resolve, reject) => {
      const w = {
        match,
        resolve,
        reject,
        timer: setTimeout(() => {
          this.waiters.splice(this.waiters.indexOf(w), 1);
          reject(new BrokerError(`the SmartLink server did not send ${what} within ${timeoutMs / 1000} s`));
        }, timeoutMs),
      };
      this.waiters.push(w);
    });
  }

  private readonly watchers = new Set<(line: string) => void>();

  private watch(fn: (line: string) => void): () => void {
    this.watchers.add(fn);
    return () => this.watchers.delete(fn);
  }

  private receive(line: string): void {
    if (!isBrokerLine(line) && !line.startsWith('Received')) return;
    for (const w of this.watchers) w(line);
    const i = this.waiters.findIndex((w) => w.match(line));
    if (i < 0) return;
    const [w] = this.waiters.splice(i, 1);
    if (w) {
      clearTimeout(w.timer);
      w.resolve(line);
    }
  }

  private ended(why: string): void {
    if (this.closedBecause !== undefined) return;
    this.closedBecause = why;
    clearInterval(this.pinger);
    for (const w of this.waiters.splice(0)) {
      clearTimeout(w.timer);
      w.reject(new BrokerError(`SmartLink connection ${why}`));
    }
  }
}
