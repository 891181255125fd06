/**
 * The control plane as seen on the wire: SmartSDR API sessions (TCP 4992, or inside TLS when we can read
 * it), SmartLink broker lines, the client's UDP registration datagrams, TLS sessions we cannot read
 * (timing and direction still count), and ICMP errors. It records facts; `rules.ts` judges them.
 */
import { type Holder, ReassemblyBudget } from '../capture/budget.js';
import { PairMap } from '../capture/endpoint-map.js';
import type { Endpoint, IcmpEvent, TcpControlEvent, TcpDataEvent, TcpGapEvent, UdpEvent } from '../capture/types.js';
import { formatEndpoint } from '../capture/types.js';
import { LineSplitter, readLine } from '../api/lines.js';
import { AgeQueue } from '../common/age-queue.js';
import { type MeterDefinition, parseMeterBody, parseStatusBody } from '../api/status.js';
import { type BrokerRadio, type TestConnection as BrokerTestConnection, isBrokerLine, pairs, parseRadioList, parseTestConnection } from '../smartlink/protocol.js';
import { formatStreamId, parseStreamId } from '../vita/stream-id.js';


/** Commands remembered while waiting for their reply; more than this outstanding is not a real client. */
export const MAX_OUTSTANDING = 4096;
/**
 * The same across all sessions: MAX_SESSIONS × MAX_OUTSTANDING would be 16 M records. The oldest waiting
 * command of any session is forgotten first, so a flooding session cannot push out a real client's ping.
 */
export const MAX_OUTSTANDING_TOTAL = 16_384;
/** Status objects `status()` reads (meters are handled before it looks). */
const STATUS_OBJECTS = /^ *(display|stream|client|wan)\b/;
const MAX_LIST = 200;
/**
 * A client's UDP datagram after this long without one is a keep-open of its own (FlexLib: registrations
 * every 50 ms until data flows, then a ping every 5 s, reference §5.7); 1024 of them cover 85 minutes.
 */
const SEND_QUIET_S = 1;
const MAX_SENDS = 1024;
/** `client set … network_mtu=N` (reference §5.6): the radio re-sizes this client's large packets to N − 64. */
/** `slice set N audio_mute=1` (FlexLib Slice.cs Mute): the value, 0 or 1. */
const AUDIO_MUTE = /\baudio_mute=([01])\b/;
const NETWORK_MTU_SET = /^client set\b.*\bnetwork_mtu=(\d{1,5})\b/;
/**
 * TCP connections, and objects announced in status lines (pans, waterfalls, streams, clients; meters),
 * tracked at most: without a bound, a capture of SYNs from new ports grew memory by ~1.6 kB per packet.
 * What lies past a bound is counted in `untracked`.
 */
export const MAX_SESSIONS = 4096;
export const MAX_OBJECTS = 1024;
export const MAX_METERS = 4096;

export interface CommandRecord {
  seq: number;
  command: string;
  ts: number;
  code?: number;
  message?: string;
  replyTs?: number;
  /** The client stopped waiting for the reply (known live only: FlexPath's own walk says so). */
  gaveUp?: true;
}

interface PingStats {
  sent: number;
  answered: number;
  minMs: number;
  maxMs: number;
  sumMs: number;
  lastMs: number;
  /** Longest time between two pings sent by the client, and when the ping that ended it was sent. */
  maxGapS: number;
  maxGapEndTs: number;
  /** When the latest answered ping was sent. */
  lastAnsweredSentTs: number;
  lastSentTs: number;
  /** Longest time a ping waited for its reply (or until the end, if never answered). */
  maxOutstandingS: number;
}

type SessionKind = 'radio-api' | 'broker' | 'tls' | 'unknown';

export interface ControlSession {
  id: string;
  client: Endpoint;
  server: Endpoint;
  kind: SessionKind;
  /**
   * The connection is TLS on the wire: its bytes began with a TLS record, or FlexPath opened it as TLS
   * itself (a live SmartLink session), or its readable text is what only runs over TLS (`wan validate`,
   * the SmartLink server's lines: reference §6.1, §6.5).
   */
  tls: boolean;
  /** Its bytes as seen are TLS records (a capture): the text cannot be read. */
  encrypted: boolean;
  sni?: string;
  openTs?: number;
  firstTs: number;
  lastTs: number;
  closeTs?: number;
  resetBy?: 'client' | 'server';
  /** The side whose FIN or RST ended the connection first. */
  closedBy?: 'client' | 'server';
  synOnly: boolean;
  bytesToServer: number;
  bytesToClient: number;
  gaps: number;
  /**
   * The latest time the capture missed bytes the radio sent this client (a gap in that direction): a
   * command sent before it whose reply never came may have had its reply in those bytes.
   */
  replyGapTs?: number;
  version?: string;
  handle?: number;
  program?: string;
  gui?: boolean;
  lines: number;
  lineErrors: number;
  lastLineError?: string;
  commands: Map<number, CommandRecord>;
  /** Replies with a non-zero code (bounded list). */
  failed: CommandRecord[];
  replies: number;
  /** When the latest command (pings included) whose reply came was sent. */
  lastAnsweredSentTs?: number;
  /** Longest any command (pings included) waited for its reply, ms. */
  maxReplyMs?: number;
  udpport?: CommandRecord;
  /** `keepalive enable` sent (its time): only then does the radio drop a client for silence (reference §11). */
  keepaliveEnabledTs?: number;
  /** The reply to `client ip`: the address the radio sees this client at (reference §5.10). */
  clientIpSeen?: string;
  pings: PingStats;
  wanValidate?: CommandRecord;
  /** Commands whose reply never came (bounded list, filled at finish). */
  unanswered: CommandRecord[];
  streamCreates: CommandRecord[];
  messages: Array<{ ts: number; code: number; text: string }>;
  /**
   * `slice set N audio_mute=0|1` as the client sent them (FlexLib Slice.cs), per slice index; created at the
   * first. `audioMutedTs`: since when every slice so named is muted (remote audio carries the unmuted
   * slices' mix), undefined while one is not.
   */
  sliceMuted?: Map<string, boolean>;
  audioMutedTs?: number;
  /**
   * Since when the client has unsubscribed every meter (`unsub meter all`, FlexLib Radio.cs; reference
   * §3.3: meter data follows `sub meter all`), undefined while it is subscribed again (`sub meter …`).
   */
  metersUnsubscribedTs?: number;
}

export interface PanInfo {
  id: string;
  clientHandle?: number;
  xPixels?: number;
  yPixels?: number;
  fps?: number;
  /** A waterfall's `line_duration`, ms (reference §3.2). */
  lineDurationMs?: number;
  /** Display span and level scale from the pan's status (`center`, `bandwidth` in MHz; `min_dbm`, `max_dbm`). */
  centerMhz?: number;
  bandwidthMhz?: number;
  minDbm?: number;
  maxDbm?: number;
  waterfall?: string;
  removed: boolean;
  /** First status line (creation, as far as the evidence goes). */
  firstTs: number;
  /** When the `removed` status came (unset again when the ID is announced anew: `remade`). */
  removedTs?: number;
  /** Latest status line. */
  ts: number;
  remade?: Remade[];
}

/**
 * The object was removed and its ID announced again later (a new object under the same ID, reference §5.8,
 * §5.9): between the two the radio had nothing to send under it. The last REMADE_KEPT are kept.
 */
export interface Remade {
  removedTs: number;
  ts: number;
}

const REMADE_KEPT = 16;

/** A status line for `prev`'s ID: removed now, or — after a removal — announced anew. */
function lifeOf<T extends { removed: boolean; removedTs?: number; remade?: Remade[] }>(prev: T, removed: boolean, ts: number): T {
  if (removed) return prev.removed ? prev : { ...prev, removed: true, removedTs: ts };
  if (!prev.removed || prev.removedTs === undefined) return prev;
  const next = { ...prev, removed: false, remade: [...(prev.remade ?? []), { removedTs: prev.removedTs, ts }].slice(-REMADE_KEPT) };
  delete next.removedTs;
  return next;
}

export interface StreamAnnouncement {
  id: string;
  type: string;
  clientHandle?: number;
  ip?: string;
  compression?: string;
  removed: boolean;
  firstTs: number;
  removedTs?: number;
  ts: number;
  remade?: Remade[];
}

export interface WanStatus {
  serverConnected?: boolean;
  radioAuthenticated?: boolean;
  publicTlsPort?: number;
  publicUdpPort?: number;
  upnpSupported?: boolean;
  ts: number;
}

interface TestConnection extends BrokerTestConnection {
  ts: number;
}

export interface BrokerFacts {
  registerSent: number;
  registrationInvalid: boolean;
  publicIp?: string;
  radios: BrokerRadio[];
  connectReady?: { handle: string; serial?: string; ts: number };
  connectSent: number;
  testConnection?: TestConnection;
  pingsFromClient: number;
  /** Live only: the server's certificate was refused during the TLS handshake, and why. */
  certificateRefused?: string;
}

export interface UdpRegistration {
  /** `client udp_register` datagrams seen (client → radio). */
  registers: number;
  /** `client ping` datagrams. */
  pings: number;
  firstTs: number;
  lastTs: number;
  client: Endpoint;
  radio: Endpoint;
  /**
   * When the client sent after ≥ SEND_QUIET_S without sending (its keep-open pings, the first of a burst
   * of registrations), at most MAX_SENDS: what a NAT mapping that expired between them reopens.
   */
  sends: number[];
}

export interface ClientInfo {
  handle: number;
  program?: string;
  station?: string;
  connected: boolean;
  wanValidationFailed: boolean;
  ts: number;
}

export class ControlTracker {
  readonly sessions: ControlSession[] = [];
  /** Each connection under both (src, dst) orders. */
  private readonly byPair = new PairMap<{ session: ControlSession; toServer: Side; toClient: Side }>();
  readonly pans = new Map<string, PanInfo>();
  readonly waterfalls = new Map<string, PanInfo>();
  readonly streams = new Map<string, StreamAnnouncement>();
  readonly clients = new Map<number, ClientInfo>();
  readonly meters = new Map<number, MeterDefinition>();
  wan: WanStatus | undefined;
  /** Told when a client asks for another `network_mtu`, and when the radio accepts or refuses it (the analyzer cuts the session there). */
  onNetworkMtu: ((e: { mtu: number; ts: number; step: 'asked' | 'accepted' | 'refused' }) => void) | undefined;
  readonly broker: BrokerFacts = { registerSent: 0, registrationInvalid: false, radios: [], connectSent: 0, pingsFromClient: 0 };
  readonly udpRegistrations: UdpRegistration[] = [];
  readonly icmp: IcmpEvent[] = [];
  /** Live only: datagrams this computer's own kernel refused to send (EPERM: an outbound firewall). */
  readonly localSendErrors: Array<{ ts: number; code: string; dst: Endpoint }> = [];
  /** Live only: TCP connects this computer's kernel failed with an error code (EHOSTUNREACH, ECONNREFUSED, …). */
  /** A live connect's errno (or OpenSSL code) for `dst`; `tls`: the connect was to set up TLS (SmartLink). */
  readonly connectErrors: Array<{ ts: number; code: string; dst: Endpoint; tls: boolean }> = [];
  radioInfo: Map<string, string> | undefined;
  /** TCP events of connections past MAX_SESSIONS; status objects and meters past their bounds. */
  readonly untracked = { tcpEvents: 0, objects: 0, commands: 0 };
  /** Every command waiting for its reply, oldest first (the global bound's queue), and its session. */
  private readonly outstanding = new AgeQueue<CommandRecord>();
  private readonly ownerOf = new Map<CommandRecord, ControlSession>();
  /**
   * `sniOf`: the capture layer's ClientHello parser (injected so this file stays pure). `apiPorts`: TCP
   * ports the radio's API listens on — 4992 on every radio; a live diagnosis adds the one it dialled.
   * `budget`: the capture's reassembly budget, which also counts the unfinished lines held here (up to
   * 64 KiB per direction of each of MAX_SESSIONS connections would otherwise be outside it).
   */
  constructor(
    private readonly sniOf: (firstBytes: Buffer) => string | undefined = () => undefined,
    private readonly apiPorts: number[] = [4992],
    private readonly brokerPorts: number[] = [443],
    private readonly budget: ReassemblyBudget = new ReassemblyBudget(),
  ) {}

  /**
   * A live diagnosis opened this connection as TLS and feeds its decrypted text: the session is TLS on the
   * wire, as a capture of it would show.
   */
  openedAsTls(client: Endpoint, server: Endpoint, ts: number): void {
    const entry = this.entry({ src: client, dst: server, ts, type: 'tcp-open' });
    if (entry !== undefined) entry.session.tls = true;
  }

  /** A live diagnosis learns the radio's WAN port only from the broker, after the tracker exists. */
  addApiPort(port: number): void {
    if (!this.apiPorts.includes(port)) this.apiPorts.push(port);
  }

  isApiPort(port: number): boolean {
    return this.apiPorts.includes(port);
  }

  /**
   * FlexPath's live walk stopped waiting for the reply to `command` (its newest unanswered one of that
   * text): a fact of the walk, not of the wire, so a recording of the run does not hold it.
   */
  gaveUpOn(command: string): void {
    for (const s of this.sessions) {
      const waiting = [...s.commands.values()].filter((c) => c.command === command && c.code === undefined);
      const newest = waiting[waiting.length - 1];
      if (newest) newest.gaveUp = true;
    }
  }

  /** Commands still waiting for their reply, oldest first (not those whose reply the capture may have missed). */
  pending(s: ControlSession): CommandRecord[] {
    return [...s.commands.values()].filter((c) => c.code === undefined && !replyMaybeMissed(s, c));
  }

  /** Commands without a reply sent before a gap in the radio's bytes: their reply may be in what the capture missed. */
  repliesMaybeMissed(s: ControlSession): CommandRecord[] {
    return [...s.commands.values()].filter((c) => c.code === undefined && replyMaybeMissed(s, c));
  }

  tcp(e: TcpDataEvent | TcpControlEvent | TcpGapEvent): void {
    const entry = this.entry(e);
    if (entry === undefined) {
      this.untracked.tcpEvents++;
      return;
    }
    const { session } = entry;
    session.lastTs = Math.max(session.lastTs, e.ts);
    const fromClient = sameEndpoint(e.src, session.client);
    switch (e.type) {
      case 'tcp-open':
        session.openTs ??= e.ts;
        return;
      case 'tcp-close':
        session.closeTs ??= e.ts;
        session.closedBy ??= fromClient ? 'client' : 'server';
        return;
      case 'tcp-reset':
        session.closeTs ??= e.ts;
        session.closedBy ??= fromClient ? 'client' : 'server';
        session.resetBy ??= fromClient ? 'client' : 'server';
        return;
      case 'tcp-gap': {
        session.gaps++;
        if (!fromClient) session.replyGapTs = Math.max(session.replyGapTs ?? -Infinity, e.beforeTs ?? e.ts);
        const side = fromClient ? entry.toServer : entry.toClient;
        this.dropLine(side);
        side.resync = true;
        return;
      }
      case 'tcp-data':
        break;
    }
    this.data(session, fromClient ? entry.toServer : entry.toClient, e, fromClient);
  }

  /** Bytes of a tracked connection (apart from `tcp`, whose every call would otherwise allocate these closures' context). */
  private data(session: ControlSession, side: Side, e: TcpDataEvent, fromClient: boolean): void {
    session.synOnly = false;
    if (fromClient) session.bytesToServer += e.data.length;
    else session.bytesToClient += e.data.length;
    if (side.firstChunk) {
      side.firstChunk = false;
      if (e.data.length >= 3 && e.data[0] === 0x16 && e.data[1] === 0x03) {
        session.tls = true;
        session.encrypted = true;
        if (session.kind === 'unknown') session.kind = 'tls';
        if (fromClient) {
          const sni = this.sniOf(e.data);
          if (sni !== undefined) session.sni = sni;
          // Port 443 alone is any HTTPS; the broker's name is what marks a TLS session as SmartLink's.
          if (sni !== undefined && isBrokerName(sni)) session.kind = 'broker';
        }
      }
    }
    if (session.encrypted) return;
    const held = side.splitter.heldBytes;
    // Held behind a hole the capture never filled, the bytes reached the receiver when they arrived.
    const ts = e.arrivedTs ?? e.ts;
    // After a gap the text resumes mid-line: the first piece up to a line end is the rest of a line whose
    // start was lost, unless it reads as a whole line (the gap ended at a line end).
    let resync = side.resync;
    side.resync = false;
    side.splitter.push(
      e.data,
      (line) => {
        if (resync) {
          resync = false;
          if (session.kind !== 'broker' && !isBrokerLine(line) && readLine(line).type === 'invalid') return;
        }
        this.line(session, line, fromClient, ts);
      },
      (n) => this.lineError(session, `a line of ${n} bytes without a line end (not the API text protocol?)`),
      // The radio's status of objects `status()` does not read is most of its text: counted, not decoded.
      !fromClient && session.kind === 'radio-api'
        ? (buf, from, to) => {
            // A well-formed status line, claimed unread: a whole line, so the text is in step again.
            const claimed = this.skipUnread(session, buf, from, to);
            if (claimed) resync = false;
            return claimed;
          }
        : undefined,
    );
    side.resync = resync;
    if (side.splitter.heldBytes !== held) {
      this.budget.set(side, side.splitter.heldBytes);
      this.budget.enforce(side);
    }
  }

  private skipUnread(session: ControlSession, buf: Buffer, from: number, to: number): boolean {
    if (!unreadStatus(buf, from, to)) return false;
    session.lines++;
    return true;
  }

  private dropLine(side: Side): void {
    side.splitter.reset();
    this.budget.set(side, 0);
  }

  /** Non-VITA UDP: the client's `client udp_register` / `client ping` datagrams (reference §5.7). */
  udp(e: UdpEvent): boolean {
    const p = e.payload;
    if (p.length < 11 || p.length > 200 || p[0] !== 0x63 /* c */) return false;
    const text = p.toString('latin1');
    const register = text.startsWith('client udp_register');
    const ping = text.startsWith('client ping');
    if (!register && !ping) return false;
    let r = this.udpRegistrations.find((x) => sameEndpoint(x.client, e.src) && sameEndpoint(x.radio, e.dst));
    if (!r) {
      if (this.udpRegistrations.length >= MAX_LIST) return true;
      r = { registers: 0, pings: 0, firstTs: e.ts, lastTs: e.ts, client: { ...e.src }, radio: { ...e.dst }, sends: [e.ts] };
      this.udpRegistrations.push(r);
    } else if (e.ts - r.lastTs >= SEND_QUIET_S && r.sends.length < MAX_SENDS) r.sends.push(e.ts);
    if (register) r.registers++;
    else r.pings++;
    r.lastTs = e.ts;
    return true;
  }

  localSendError(ts: number, code: string, dst: Endpoint): void {
    if (this.localSendErrors.length < MAX_LIST) this.localSendErrors.push({ ts, code, dst: { ...dst } });
  }

  connectError(ts: number, code: string, dst: Endpoint, tls = false): void {
    if (this.connectErrors.length < MAX_LIST) this.connectErrors.push({ ts, code, dst: { ...dst }, tls });
  }

  icmpEvent(e: IcmpEvent): void {
    if (this.icmp.length < MAX_LIST) this.icmp.push(e);
  }

  /** End of input: pings and commands still waiting count as unanswered up to `endTs`. */
  finish(endTs: number): void {
    for (const s of this.sessions) {
      for (const c of s.commands.values()) {
        if (c.code !== undefined || replyMaybeMissed(s, c)) continue;
        if (s.unanswered.length < MAX_LIST) s.unanswered.push(c);
        if (/^ping\b/.test(c.command)) s.pings.maxOutstandingS = Math.max(s.pings.maxOutstandingS, endTs - c.ts);
      }
    }
  }

  apiSessions(): ControlSession[] {
    return this.sessions.filter((s) => s.kind === 'radio-api');
  }

  private entry(e: { src: Endpoint; dst: Endpoint; ts: number; type: string }) {
    return this.byPair.get(e.src, e.dst) ?? (this.sessions.length >= MAX_SESSIONS ? undefined : this.newSession(e));
  }

  /**
   * Kept apart from `entry`: its closures would make every call of `entry` allocate their context, and a
   * flood of connections past MAX_SESSIONS calls it for every segment.
   */
  private newSession(e: { src: Endpoint; dst: Endpoint; ts: number; type: string }) {
    // The side that opens the connection is the client; failing that, whoever talks to the well-known
    // ports (the API, 443 broker) is.
    const well = (p: number): boolean => this.isApiPort(p) || this.brokerPorts.includes(p);
    const srcIsServer = e.type !== 'tcp-open' && (well(e.src.port) || (e.src.port < e.dst.port && !well(e.dst.port)));
    const client = srcIsServer ? e.dst : e.src;
    const server = srcIsServer ? e.src : e.dst;
    const session: ControlSession = {
      id: `${formatEndpoint(client)} → ${formatEndpoint(server)}`,
      client: { ...client },
      server: { ...server },
      kind: 'unknown',
      tls: false,
      encrypted: false,
      firstTs: e.ts,
      lastTs: e.ts,
      synOnly: true,
      bytesToServer: 0,
      bytesToClient: 0,
      gaps: 0,
      lines: 0,
      lineErrors: 0,
      commands: new Map(),
      failed: [],
      replies: 0,
      pings: { sent: 0, answered: 0, minMs: Infinity, maxMs: 0, sumMs: 0, lastMs: 0, maxGapS: 0, maxGapEndTs: 0, lastAnsweredSentTs: 0, lastSentTs: 0, maxOutstandingS: 0 },
      unanswered: [],
      streamCreates: [],
      messages: [],
    };
    if (this.isApiPort(server.port)) session.kind = 'radio-api';
    else if (this.brokerPorts.includes(server.port) && server.port !== 443) session.kind = 'broker';
    const lost = (n: number): void => this.lineError(session, `an unfinished line (${n} bytes held) was dropped to keep memory within the reassembly budget`);
    const entry = { session, toServer: new Side(lost), toClient: new Side(lost) };
    this.byPair.set(e.src, e.dst, entry);
    this.byPair.set(e.dst, e.src, entry);
    this.sessions.push(session);
    return entry;
  }

  private lineError(s: ControlSession, message: string): void {
    s.lineErrors++;
    s.lastLineError = message;
  }

  private line(s: ControlSession, text: string, fromClient: boolean, ts: number): void {
    if (text.length === 0) return;
    s.lines++;
    if (s.kind !== 'radio-api' && isBrokerLine(text)) {
      s.kind = 'broker';
      // The SmartLink server speaks only over TLS (reference §6.1): readable, its text was decrypted.
      s.tls = true;
      this.brokerLine(text, fromClient, ts);
      return;
    }
    if (s.kind === 'broker') {
      this.brokerLine(text, fromClient, ts);
      return;
    }
    const l = readLine(text);
    if (l.type === 'invalid') {
      this.lineError(s, `${fromClient ? 'client' : 'radio'} line ${s.lines}: offset ${l.offset}: ${l.field}: ${l.detail}`);
      return;
    }
    if (s.kind === 'unknown' && (l.type === 'version' || l.type === 'handle' || l.type === 'command')) s.kind = 'radio-api';
    if (fromClient) {
      if (l.type === 'command') this.command(s, l.seq, l.command, ts);
      else this.lineError(s, `client sent a ${l.type} line`);
      return;
    }
    switch (l.type) {
      case 'version':
        s.version = l.version;
        return;
      case 'handle':
        s.handle = l.handle;
        return;
      case 'reply':
        this.reply(s, l.seq, l.code, l.message, ts);
        return;
      case 'status':
        this.status(l.body, ts);
        return;
      case 'message':
        if (s.messages.length < MAX_LIST) s.messages.push({ ts, code: l.code, text: l.text });
        return;
      case 'command':
        this.lineError(s, 'radio sent a command line');
        return;
    }
  }

  private command(s: ControlSession, seq: number, command: string, ts: number): void {
    const again = s.commands.get(seq);
    if (again !== undefined) this.forget(s, again);
    if (s.commands.size >= MAX_OUTSTANDING) {
      const oldest = s.commands.values().next().value;
      if (oldest !== undefined) this.forget(s, oldest, true);
    }
    const oldest = this.outstanding.size >= MAX_OUTSTANDING_TOTAL ? this.outstanding.oldest() : undefined;
    if (oldest !== undefined) this.forget(this.ownerOf.get(oldest)!, oldest, true);
    const rec: CommandRecord = { seq, command, ts };
    s.commands.set(seq, rec);
    this.outstanding.add(rec);
    this.ownerOf.set(rec, s);
    const words = command.split(' ');
    const [w0, w1] = words;
    const mtu = NETWORK_MTU_SET.exec(command)?.[1];
    if (mtu !== undefined) this.onNetworkMtu?.({ mtu: Number(mtu), ts, step: 'asked' });
    if (w0 === 'ping') {
      const p = s.pings;
      if (p.sent > 0 && ts - p.lastSentTs > p.maxGapS) {
        p.maxGapS = ts - p.lastSentTs;
        p.maxGapEndTs = ts;
      }
      p.sent++;
      p.lastSentTs = ts;
    } else if (w0 === 'client') {
      if (w1 === 'program' && words[2]) s.program = words.slice(2).join(' ');
      else if (w1 === 'gui') s.gui = true;
      else if (w1 === 'bind') s.gui = false;
      else if (w1 === 'udpport') s.udpport = rec;
    } else if (w0 === 'keepalive') {
      if (w1 === 'enable') s.keepaliveEnabledTs = ts;
      else if (w1 === 'disable') delete s.keepaliveEnabledTs;
    } else if (w0 === 'slice' && (w1 === 'set' || w1 === 's')) {
      const mute = AUDIO_MUTE.exec(command)?.[1];
      if (mute !== undefined && words[2]) this.sliceMute(s, words[2], mute === '1', ts);
    } else if (w0 === 'unsub' && w1 === 'meter' && words[2] === 'all') {
      s.metersUnsubscribedTs ??= ts;
    } else if (w0 === 'sub' && w1 === 'meter') {
      delete s.metersUnsubscribedTs;
    } else if (w0 === 'wan' && w1 === 'validate') {
      s.wanValidate = rec;
      // Sent first on SmartLink's TLS connection to the radio, never on the LAN's TCP (reference §5.6, §6.5).
      s.tls = true;
    } else if ((w0 === 'stream' && (w1 === 'create' || w1 === 'c')) || (w0 === 'display' && (w1 === 'pan' || w1 === 'panafall' || w1 === 'panf') && (words[2] === 'create' || words[2] === 'c'))) {
      if (s.streamCreates.length < MAX_LIST) s.streamCreates.push(rec);
    }
  }

  private sliceMute(s: ControlSession, slice: string, muted: boolean, ts: number): void {
    const m = (s.sliceMuted ??= new Map());
    // A client names a handful of slices; past the bound a new one is left out rather than grown without end.
    if (!m.has(slice) && m.size >= MAX_OBJECTS) return;
    m.set(slice, muted);
    const all = [...m.values()].every(Boolean);
    if (!all) delete s.audioMutedTs;
    else s.audioMutedTs ??= ts;
  }

  /** Stops waiting for `rec`'s reply (answered, re-sent, or forgotten to stay within the bounds). */
  private forget(s: ControlSession, rec: CommandRecord, dropped = false): void {
    s.commands.delete(rec.seq);
    this.outstanding.delete(rec);
    this.ownerOf.delete(rec);
    if (dropped) this.untracked.commands++;
  }

  private reply(s: ControlSession, seq: number, code: number, message: string, ts: number): void {
    s.replies++;
    const rec = s.commands.get(seq);
    if (!rec) return;
    rec.code = code;
    rec.message = message;
    rec.replyTs = ts;
    s.lastAnsweredSentTs = Math.max(s.lastAnsweredSentTs ?? rec.ts, rec.ts);
    s.maxReplyMs = Math.max(s.maxReplyMs ?? 0, (ts - rec.ts) * 1000);
    this.forget(s, rec);
    if (code !== 0 && s.failed.length < MAX_LIST) s.failed.push(rec);
    if (/^ping\b/.test(rec.command)) {
      const p = s.pings;
      const ms = (ts - rec.ts) * 1000;
      p.answered++;
      p.lastAnsweredSentTs = Math.max(p.lastAnsweredSentTs, rec.ts);
      p.minMs = Math.min(p.minMs, ms);
      p.maxMs = Math.max(p.maxMs, ms);
      p.sumMs += ms;
      p.lastMs = ms;
      p.maxOutstandingS = Math.max(p.maxOutstandingS, ts - rec.ts);
    }
    if (/^info\b/.test(rec.command) && code === 0) this.radioInfo = parseInfo(message);
    const mtu = NETWORK_MTU_SET.exec(rec.command)?.[1];
    if (mtu !== undefined) this.onNetworkMtu?.({ mtu: Number(mtu), ts, step: code === 0 ? 'accepted' : 'refused' });
    if (rec.command === 'client ip' && code === 0 && message.trim() !== '') s.clientIpSeen = message.trim();
  }

  private status(body: string, ts: number): void {
    if (body.startsWith('meter ')) {
      const { defs, removed } = parseMeterBody(body);
      for (const d of defs) this.put(this.meters, d.id, { ...this.meters.get(d.id), ...d }, MAX_METERS);
      for (const id of removed) this.meters.delete(id);
      return;
    }
    // Only these objects carry facts; the others (slices, transmit, …) are most of a session's status
    // text, and splitting them into fields cost more than everything else the capture path does.
    if (!STATUS_OBJECTS.test(body)) return;
    const st = parseStatusBody(body);
    const [o0, o1, o2] = st.object;
    const f = st.fields;
    const removed = st.flags.includes('removed');
    if (o0 === 'display' && (o1 === 'pan' || o1 === 'waterfall') && o2) {
      const map = o1 === 'pan' ? this.pans : this.waterfalls;
      const id = normaliseId(o2);
      const prev = map.get(id) ?? { id, removed: false, firstTs: ts, ts };
      const next: PanInfo = { ...lifeOf(prev, removed, ts), ts };
      const h = hexField(f.get('client_handle'));
      if (h !== undefined) next.clientHandle = h;
      const x = intField(f.get('x_pixels'));
      if (x !== undefined) next.xPixels = x;
      const y = intField(f.get('y_pixels'));
      if (y !== undefined) next.yPixels = y;
      const fps = intField(f.get('fps'));
      if (fps !== undefined) next.fps = fps;
      const line = intField(f.get('line_duration'));
      if (line !== undefined) next.lineDurationMs = line;
      for (const [key, field] of [['centerMhz', 'center'], ['bandwidthMhz', 'bandwidth'], ['minDbm', 'min_dbm'], ['maxDbm', 'max_dbm']] as const) {
        const v = floatField(f.get(field));
        if (v !== undefined) next[key] = v;
      }
      const wf = f.get('waterfall') ?? f.get('panadapter');
      if (wf) next.waterfall = normaliseId(wf);
      this.put(map, id, next, MAX_OBJECTS);
      return;
    }
    if (o0 === 'stream' && o1) {
      const id = normaliseId(o1);
      const prev = this.streams.get(id) ?? { id, type: '', removed: false, firstTs: ts, ts };
      const next: StreamAnnouncement = { ...lifeOf(prev, removed, ts), ts };
      const type = f.get('type');
      if (type) next.type = type;
      const h = hexField(f.get('client_handle'));
      if (h !== undefined) next.clientHandle = h;
      const ip = f.get('ip');
      if (ip) next.ip = ip;
      const c = f.get('compression');
      if (c) next.compression = c.toUpperCase();
      this.put(this.streams, id, next, MAX_OBJECTS);
      return;
    }
    if (o0 === 'client' && o1) {
      const handle = hexField(o1);
      if (handle === undefined) return;
      const prev = this.clients.get(handle) ?? { handle, connected: false, wanValidationFailed: false, ts };
      const next: ClientInfo = { ...prev, ts };
      if (st.flags.includes('connected')) next.connected = true;
      if (st.flags.includes('disconnected')) next.connected = false;
      if (f.get('wan_validation_failed') === '1') next.wanValidationFailed = true;
      const program = f.get('program');
      if (program) next.program = program;
      const station = f.get('station');
      if (station) next.station = station.replaceAll('\x7f', ' ');
      this.put(this.clients, handle, next, MAX_OBJECTS);
      return;
    }
    if (o0 === 'wan') {
      const w: WanStatus = { ...this.wan, ts };
      const sc = f.get('server_connected');
      if (sc !== undefined) w.serverConnected = sc === '1';
      const ra = f.get('radio_authenticated');
      if (ra !== undefined) w.radioAuthenticated = ra === '1';
      const tp = intField(f.get('public_tls_port'));
      if (tp !== undefined) w.publicTlsPort = tp;
      const up = intField(f.get('public_udp_port'));
      if (up !== undefined) w.publicUdpPort = up;
      const upnp = f.get('upnp_supported');
      if (upnp !== undefined) w.upnpSupported = upnp === '1';
      this.wan = w;
    }
  }

  /** Updates `key`, or adds it while the map holds fewer than `max`. */
  private put<K, V>(map: Map<K, V>, key: K, value: V, max: number): void {
    if (map.size < max || map.has(key)) map.set(key, value);
    else this.untracked.objects++;
  }

  private brokerLine(text: string, fromClient: boolean, ts: number): void {
    if (fromClient) {
      if (text.startsWith('application register')) this.broker.registerSent++;
      else if (text.startsWith('application connect')) this.broker.connectSent++;
      else if (text.startsWith('ping from client')) this.broker.pingsFromClient++;
      return;
    }
    if (text.startsWith('application registration_invalid')) {
      this.broker.registrationInvalid = true;
    } else if (text.startsWith('application info')) {
      const ip = pairs(text).get('public_ip');
      if (ip) this.broker.publicIp = ip;
    } else if (text.startsWith('radio list')) {
      this.broker.radios = parseRadioList(text, MAX_LIST);
    } else if (text.startsWith('radio connect_ready')) {
      const f = pairs(text);
      this.broker.connectReady = { handle: f.get('handle') ?? '', ts, ...(f.get('serial') ? { serial: f.get('serial') } : {}) };
    } else if (text.startsWith('radio test_connection')) {
      this.broker.testConnection = { ...parseTestConnection(text), ts };
    }
  }
}

/** One direction of a connection: its unfinished line is held memory the budget may take back. */
class Side implements Holder {
  readonly kind = 'api-lines';
  readonly splitter = new LineSplitter();
  firstChunk = true;
  /** A gap was just skipped: the text resumes mid-line (see `data`). */
  resync = false;

  constructor(private readonly lost: (bytes: number) => void) {}

  evict(): void {
    this.lost(this.splitter.heldBytes);
    this.splitter.reset();
  }
}

/**
 * A well-formed status line (`S` + 1–8 hex digits + `|`, as readLine wants) whose body is none of what
 * `status()` reads — `meter …` or STATUS_OBJECTS — judged on the bytes. Anything else (read objects,
 * malformed lines, other line types) is decoded as before.
 */
function unreadStatus(buf: Buffer, from: number, to: number): boolean {
  if (buf[from] !== 0x53 /* S */) return false;
  let bar = from + 1;
  while (bar < to && bar - from <= 9 && isHexDigit(buf[bar]!)) bar++;
  if (bar === from + 1 || bar - from > 9 || bar >= to || buf[bar] !== 0x7c /* | */) return false;
  let w = bar + 1;
  while (w < to && buf[w] === 0x20) w++;
  let end = w;
  while (end < to && end - w < 8 && isWordChar(buf[end]!)) end++;
  return !READ_OBJECTS.some((o) => o.length === end - w && o.every((c, i) => buf[w + i] === c));
}

/** First words of the status bodies `status()` reads (STATUS_OBJECTS and `meter`), as bytes. */
const READ_OBJECTS = ['display', 'stream', 'client', 'wan', 'meter'].map((word) => [...Buffer.from(word, 'latin1')]);

/** A character regex `\w` matches: where `\b` after a word is not. */
function isWordChar(c: number): boolean {
  return (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95;
}

function isHexDigit(c: number): boolean {
  return (c >= 48 && c <= 57) || (c >= 65 && c <= 70) || (c >= 97 && c <= 102);
}

/** The SmartLink server's name (reference §6.1: `smartlink.flexradio.com`, port 443). */
const BROKER_HOST = 'smartlink.flexradio.com';

function isBrokerName(sni: string): boolean {
  const name = sni.toLowerCase().replace(/\.$/, '');
  return name === BROKER_HOST || name.endsWith(`.${BROKER_HOST}`);
}

function replyMaybeMissed(s: ControlSession, c: CommandRecord): boolean {
  return s.replyGapTs !== undefined && c.ts <= s.replyGapTs;
}

function sameEndpoint(a: Endpoint, b: Endpoint): boolean {
  return a.port === b.port && a.ip === b.ip;
}

/** `model="FLEX-6600",chassis_serial="…",…` from the `info` reply. */
function parseInfo(message: string): Map<string, string> {
  const m = new Map<string, string>();
  for (const part of message.split(',')) {
    const eq = part.indexOf('=');
    if (eq > 0) m.set(part.slice(0, eq), part.slice(eq + 1).replace(/^"|"$/g, ''));
  }
  return m;
}

function normaliseId(text: string): string {
  const id = parseStreamId(text);
  return id === undefined ? text : formatStreamId(id);
}

function hexField(v: string | undefined): number | undefined {
  if (v === undefined) return undefined;
  const m = /^(?:0x)?([0-9a-fA-F]{1,8})$/.exec(v);
  return m?.[1] ? parseInt(m[1], 16) >>> 0 : undefined;
}

function floatField(v: string | undefined): number | undefined {
  return v !== undefined && /^-?\d+(\.\d+)?$/.test(v) ? Number(v) : undefined;
}

function intField(v: string | undefined): number | undefined {
  return v !== undefined && /^-?\d+$/.test(v) ? Number(v) : undefined;
}
