/**
 * The SmartLink broker, simulated (reference §6): a TLS line server that logs in an application with a
 * token, lists the account's radio with its forwarding fields, runs `test_connection`, and brokers a
 * session (`application connect` → `radio connect_ready handle=…`). Server lines end CRLF (§6.1).
 */
import { createServer, type TLSSocket } from 'node:tls';
import { LineSplitter } from '../api/lines.js';
import type { Endpoint } from '../capture/types.js';
import { plainIp } from './api-server.js';
import { closeServer, listenOn } from './listen.js';
import { unixNow } from '../capture/timestamp.js';
import type { Recorder } from './recorder.js';

export interface TestConnectionResult {
  upnpTcp: boolean;
  upnpUdp: boolean;
  forwardTcp: boolean;
  forwardUdp: boolean;
  holePunch: boolean;
}

/** What the broker knows of the one radio on the simulated account. */
interface BrokerRadio {
  serial: string;
  /** Absent from the radio list when the radio is not registered. */
  registered(): boolean;
  /** `radio list` fields in the real order (reference §6.3). */
  listFields(): Array<[string, string]>;
  testConnection(): TestConnectionResult | Promise<TestConnectionResult>;
  /** Prepares the radio for a brokered client and returns the WAN handle for `wan validate`. */
  connect(holePunchPort: number): Promise<string>;
}

export interface BrokerOptions {
  host: string;
  port: number;
  cert: string;
  key: string;
  radio: BrokerRadio;
  /** Accepted tokens; undefined accepts any non-empty token. */
  tokens?: string[];
  /** Checks a token's signature and expiry (the simulated Auth0 tenant's); replaces `tokens` when given. */
  verifyToken?(token: string): boolean;
  recorder?: Recorder;
  /** The account's callsign in `application user_settings`. */
  callsign?: string;
  /** The address the broker says it sees the client at (a NAT's public side); default the socket's peer. */
  clientPublicIp?: string;
}

export interface Broker {
  port: number;
  close(): Promise<void>;
}

function fields(words: string[]): Map<string, string> {
  const m = new Map<string, string>();
  for (const w of words) {
    const eq = w.indexOf('=');
    if (eq > 0) m.set(w.slice(0, eq), w.slice(eq + 1));
  }
  return m;
}

export async function startBroker(o: BrokerOptions): Promise<Broker> {
  const sockets = new Set<TLSSocket>();
  const server = createServer({ cert: o.cert, key: o.key, minVersion: 'TLSv1.2' }, (socket) => {
    sockets.add(socket);
    const client: Endpoint = { ip: plainIp(socket.remoteAddress), port: socket.remotePort ?? 0 };
    const me: Endpoint = { ip: plainIp(socket.localAddress), port: socket.localPort ?? 0 };
    o.recorder?.event({ type: 'tcp-open', ts: unixNow(), src: client, dst: me });
    let registered = false;
    const send = (line: string): void => {
      if (socket.destroyed) return;
      socket.write(line + '\r\n');
      o.recorder?.text(unixNow(), me, client, line + '\r\n');
    };
    const radioList = (): void => {
      const r = o.radio;
      send(r.registered() ? `radio list ${r.listFields().map(([k, v]) => `${k}=${v}`).join(' ')}|` : 'radio list ');
    };
    const onLine = async (line: string): Promise<void> => {
      const words = line.trim().split(/\s+/);
      const f = fields(words.slice(2));
      const verb = `${words[0] ?? ''} ${words[1] ?? ''}`;
      if (verb === 'ping from') return;
      if (verb === 'application register') {
        const token = f.get('token') ?? '';
        registered = token.length > 0 && (o.verifyToken ? o.verifyToken(token) : o.tokens === undefined || o.tokens.includes(token));
        if (!registered) return send('application registration_invalid');
        send(`application user_settings callsign=${o.callsign ?? 'N0CALL'} first_name=Demo last_name=Operator`);
        send(`application info public_ip=${o.clientPublicIp ?? client.ip}`);
        radioList();
        return;
      }
      // Anything else needs a login first; the real broker's answer to that is not known, silence is safe.
      if (!registered) return;
      const serialOk = f.get('serial') === o.radio.serial && o.radio.registered();
      switch (verb) {
        case 'application connect': {
          if (!serialOk) return;
          const port = Number(f.get('hole_punch_port') ?? '0');
          const handle = await o.radio.connect(Number.isInteger(port) && port > 0 && port < 65536 ? port : 0);
          send(`radio connect_ready handle=${handle} serial=${o.radio.serial}`);
          return;
        }
        case 'application test_connection': {
          if (!serialOk) return;
          const t = await o.radio.testConnection();
          send(
            `radio test_connection serial=${o.radio.serial} upnp_tcp_port_working=${t.upnpTcp} upnp_udp_port_working=${t.upnpUdp} ` +
              `forward_tcp_port_working=${t.forwardTcp} forward_udp_port_working=${t.forwardUdp} nat_supports_hole_punch=${t.holePunch}`,
          );
          return;
        }
        case 'application info':
          send(`application info public_ip=${o.clientPublicIp ?? client.ip}`);
          return;
        default:
          return;
      }
    };
    const splitter = new LineSplitter();
    let chain = Promise.resolve();
    socket.on('data', (chunk: Buffer) => {
      const text = chunk.toString('latin1');
      o.recorder?.text(unixNow(), client, me, text);
      splitter.push(text, (line) => {
        chain = chain.then(() => onLine(line)).catch(() => void socket.destroy());
      });
    });
    const done = (reset: boolean): void => {
      if (!sockets.delete(socket)) return;
      o.recorder?.event({ type: reset ? 'tcp-reset' : 'tcp-close', ts: unixNow(), src: client, dst: me });
    };
    socket.on('error', () => done(true));
    socket.on('close', () => done(false));
  });
  server.on('tlsClientError', () => {});
  const port = await listenOn(server, o.port, o.host);
  return { port, close: () => closeServer(server, sockets) };
}
