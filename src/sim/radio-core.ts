/**
 * The simulated radio's brain: clients, objects and the command API (reference §5), with no sockets.
 * Connections talk to it through `Peer`s, so the same core serves TCP (LAN) and TLS (WAN) clients and
 * unit tests drive it line by line.
 *
 * Behaviour follows the reference and the real SmartSDR-Win session: prologue V/H/M, one `R` reply
 * per command with the real codes, status lines to subscribers, GUI clients up to the licence and
 * non-GUI clients bound to them, pans only for GUI clients, `client udpport` (LAN) and
 * `client udp_register` datagrams (WAN) deciding where VITA-49 goes.
 */
import { REPLY } from '../api/codes.js';
import { formatHandle, formatLine } from '../api/lines.js';
import type { Endpoint } from '../capture/types.js';
import type { SimFaults } from './faults.js';
import type { RadioIdentity } from './model.js';
import {
  type ClientRecord,
  type Pan,
  type RadioStream,
  type Slice,
  type StreamType,
  type WanState,
  METERS,
  clientGone,
  clientStatus,
  infoReply,
  interlockStatus,
  meterStatusLines,
  panRemoved,
  panStatus,
  radioStatus,
  sliceStatus,
  streamRemoved,
  streamStatus,
  waterfallStatus,
  wanStatus,
} from './objects.js';

/** One control connection as the core sees it. */
export interface Peer {
  /** The client's address as the radio sees it (its public address on WAN). */
  ip: string;
  wan: boolean;
  sendLine(line: string): void;
  /** Ends the connection; `reset` sends a TCP RST instead of a FIN. */
  close(reset?: boolean): void;
}

export interface Client extends ClientRecord {
  peer: Peer | undefined;
  subs: Set<string>;
  udpDest?: Endpoint;
  /** Largest UDP payload the radio sends this client: network_mtu − 64 (1500 → 1436, reference §3.2). */
  networkMtu: number;
  reducedBwDax: boolean;
  persistence: boolean;
  /** WAN: `wan validate` accepted. LAN clients are valid from the start. */
  validated: boolean;
  keepalive: boolean;
  lastHeardMs: number;
  connectedMs: number;
  boundTo?: number;
}

export interface RadioCoreOptions {
  identity: RadioIdentity;
  /** The radio's own IP, for `info` and beacons. */
  ip: string;
  faults: SimFaults;
  wan: WanState;
  now(): number;
  /** Called whenever what a client should receive over UDP may have changed. */
  onDataChange(client: Client): void;
  /** Called when the set of clients changes (beacons carry the GUI client lists). */
  onClientsChange(): void;
  /** WAN handles the broker issued (`radio connect_ready handle=…`) and not yet used. */
  takeWanHandle(handle: string): boolean;
  /** Radio-side keepalive limit after `keepalive enable`, s. UNCONFIRMED on real radios (reference §5.5); FlexLib uses 17 s client-side. */
  keepaliveTimeoutS?: number;
  /** How the pan-create reply spells the new IDs (reference §11 "Pan-create reply"): default `0x…,0x…`. */
  panReply?: PanReplyForm;
  /** Radio setting `mute_local_audio_when_remote` (firmware default 1, reference §11). */
  muteLocalAudioWhenRemote?: boolean;
  /** Extra `M` lines sent after the prologue (e.g. `F3000001|…`), for tests of what a client reads before `client gui`. */
  connectMessages?: Array<{ code: number; text: string }>;
  /** WAN: V/H only after `wan validate` (AetherSDR's account) instead of on connect (K3TZR's); reference §5.2. */
  wanPrologueAfterValidate?: boolean;
  /** WAN: accept `wan validate` without replying to it (FlexLib does not wait for the reply, reference §11). */
  wanValidateSilent?: boolean;
  /** Commands (by their start) the radio carries out but never answers: a reply lost, a handler that hangs. */
  unanswered?: string[];
  /** Commands (by their start) at which the radio resets the control connection instead of carrying them out. */
  resetOn?: string[];
}

/** Pan-create reply forms clients meet: documented `0x…,0x…`, bare hex, keyed, or nothing useful. */
export type PanReplyForm = 'hex' | 'bare' | 'keyed' | 'empty';

/** Commands that key the transmitter or start a transmission; a diagnosis must never send one. */
export const TRANSMIT_COMMAND = /^(xmit\b|mox\b|transmit\s+(tune|mox|xmit)\b|cw\s+(key|ptt)\b|cwx\s+send\b|atu\s+start\b|dax\s+tx\b)/i;

/** `sub X all` objects SmartSDR and FlexLib subscribe to (reference §5.6); anything else is 0x500000A3. */
const SUBSCRIPTIONS = new Set([
  'client', 'tx', 'atu', 'amplifier', 'meter', 'pan', 'slice', 'gps', 'audio_stream', 'cwx', 'xvtr', 'memories', 'daxiq', 'dax', 'usb_cable',
  'tnf', 'spot', 'rapidm', 'ale', 'log_manager', 'radio', 'codec', 'apd', 'dvk', 'ha_api', 'waveform', 'foundation', 'scu', 'license',
]);

/** Which subscription receives a status line, by its first words. */
function subscriptionFor(body: string): string | undefined {
  if (body.startsWith('display ')) return 'pan';
  if (body.startsWith('slice ')) return 'slice';
  if (body.startsWith('meter ')) return 'meter';
  if (body.startsWith('client ')) return 'client';
  if (body.startsWith('stream ')) return 'stream';
  return undefined;
}

const STREAM_SUBS = ['audio_stream', 'dax', 'daxiq'];
const FPS_MAX = 60;

type Result = { code: number; message?: string };
const ok = (message = ''): Result => ({ code: REPLY.ok, message });
const fail = (code: number, message = ''): Result => ({ code, message });

export class RadioCore {
  readonly clients = new Map<number, Client>();
  readonly pans = new Map<number, Pan>();
  readonly slices = new Map<number, Slice>();
  readonly streams = new Map<number, RadioStream>();
  private readonly o: RadioCoreOptions;
  private nextPan = 0x40000000;
  private nextRxStream = 0x04000008;
  private nextTxStream = 0x84000000;
  private nextIqStream = 0x20000000;
  /** Every command each client sent, in order (bounded): tests check what a diagnosis asked of the radio. */
  readonly commandLog: Array<{ handle: number; program: string; command: string }> = [];
  /** GUI clients that lost their GUI status to another client's `client gui` (sole-GUI firmware). */
  readonly displaced: number[] = [];

  constructor(o: RadioCoreOptions) {
    this.o = o;
  }

  get identity(): RadioIdentity {
    return this.o.identity;
  }

  get faults(): SimFaults {
    return this.o.faults;
  }

  guiClients(): Client[] {
    return [...this.clients.values()].filter((c) => c.gui);
  }

  /** A new control connection: prologue, then the radio's unsolicited status burst (fixture lines 1–13). */
  connect(peer: Peer): Client {
    const handle = this.newHandle();
    const now = this.o.now();
    const c: Client = {
      handle, peer, ip: peer.ip, program: '', station: '', gui: false, subs: new Set(), networkMtu: 1500, reducedBwDax: false,
      persistence: true, validated: !peer.wan, keepalive: false, lastHeardMs: now, connectedMs: now,
    };
    this.clients.set(handle, c);
    if (!peer.wan || !this.o.wanPrologueAfterValidate) this.prologue(c);
    return c;
  }

  private prologue(c: Client): void {
    const peer = c.peer;
    if (!peer) return;
    const handle = c.handle;
    peer.sendLine(formatLine({ type: 'version', version: this.o.identity.apiVersion }));
    peer.sendLine(formatLine({ type: 'handle', handle }));
    peer.sendLine(formatLine({ type: 'message', code: 0x10000001, text: `Client connected from IP ${peer.ip}` }));
    for (const m of this.o.connectMessages ?? []) peer.sendLine(formatLine({ type: 'message', code: m.code, text: m.text }));
    this.send(c, handle, this.radioLine());
    this.send(c, handle, interlockStatus());
    this.send(c, handle, wanStatus(this.o.wan));
  }

  /** A virtual GUI client with no connection: the operator whose session an observer must not disturb. */
  addVirtualOperator(program: string, station: string, ip: string): Client {
    const handle = this.newHandle();
    const now = this.o.now();
    const c: Client = {
      handle, peer: undefined, ip, program, station, gui: true, clientId: uuid(handle), subs: new Set(), networkMtu: 1500,
      reducedBwDax: false, persistence: true, validated: true, keepalive: false, lastHeardMs: now, connectedMs: now,
    };
    this.clients.set(handle, c);
    this.restorePersistence(c);
    this.o.onClientsChange();
    return c;
  }

  /** The connection ended (either side); everything the client owned goes with it. */
  disconnect(handle: number, o: { wanValidationFailed?: boolean } = {}): void {
    const c = this.clients.get(handle);
    if (!c) return;
    this.clients.delete(handle);
    for (const s of [...this.streams.values()]) if (s.owner === handle) this.removeStream(s);
    for (const p of [...this.pans.values()]) if (p.owner === handle) this.removePan(p);
    for (const s of [...this.slices.values()]) if (s.owner === handle) this.slices.delete(s.index);
    for (const other of this.clients.values()) if (other.boundTo === handle) delete other.boundTo;
    this.broadcast(handle, clientGone(handle, o));
    this.o.onDataChange(c);
    this.o.onClientsChange();
  }

  /** One line from a client. Blank lines are ignored; anything that is not `C<seq>|…` gets no reply, as on a real radio. */
  line(handle: number, text: string): void {
    const c = this.clients.get(handle);
    if (!c) return;
    c.lastHeardMs = this.o.now();
    const m = /^CD?(\d{1,10})\|(.*)$/.exec(text.trim());
    if (!m?.[1] || m[2] === undefined) return;
    const seq = Number(m[1]);
    const command = m[2].trim();
    if (this.commandLog.length < 10_000) this.commandLog.push({ handle, program: c.program, command });
    const at = (list: string[] | undefined): boolean => list?.some((p) => command.startsWith(p)) === true;
    if (at(this.o.resetOn)) return c.peer?.close(true);
    const r = this.execute(c, command);
    if (r === undefined || at(this.o.unanswered)) return;
    c.peer?.sendLine(formatLine({ type: 'reply', seq, code: r.code, message: r.message ?? '' }));
  }

  /**
   * A plain-text UDP datagram to the radio's data port (reference §5.7): `client udp_register
   * handle=0x…` tells a WAN client's address; `client ping handle=0x…` keeps the NAT mapping open.
   */
  udpText(text: string, from: Endpoint): { recognised: boolean; registered?: Client } {
    const m = /^client (udp_register|ping) handle=(?:0x)?([0-9a-fA-F]{1,8})\s*$/.exec(text.replace(/\0+$/, ''));
    if (!m?.[2]) return { recognised: false };
    const c = this.clients.get(parseInt(m[2], 16) >>> 0);
    if (!c || !c.validated) return { recognised: true };
    c.lastHeardMs = this.o.now();
    if (m[1] !== 'udp_register' || this.o.faults.ignoreUdpRegister) return { recognised: true };
    if (c.udpDest?.ip !== from.ip || c.udpDest.port !== from.port) {
      c.udpDest = { ...from };
      this.o.onDataChange(c);
    }
    return { recognised: true, registered: c };
  }

  /** Clients past the keepalive limit; the server closes them. */
  expired(): Client[] {
    const limit = (this.o.keepaliveTimeoutS ?? 17) * 1000;
    const now = this.o.now();
    return [...this.clients.values()].filter((c) => c.peer && c.keepalive && now - c.lastHeardMs > limit);
  }

  // ---- commands ----

  private execute(c: Client, command: string): Result | undefined {
    const words = command.split(/\s+/);
    const [w0 = '', w1 = '', w2 = ''] = words;
    if (c.peer?.wan && !c.validated && !(w0 === 'wan' && w1 === 'validate')) return fail(REPLY.handlerNoAnswer, 'wan validate first');
    switch (w0) {
      case 'ping':
        return this.ping(c);
      case 'keepalive':
        if (w1 !== 'enable' && w1 !== 'disable') return fail(REPLY.malformedCommand);
        c.keepalive = w1 === 'enable';
        return ok();
      case 'client':
        return this.client(c, words);
      case 'wan':
        return this.wan(c, words);
      case 'sub':
      case 'unsub':
        return this.sub(c, w0 === 'sub', w1, w2);
      case 'info':
        return ok(infoReply(this.radioInfo(), this.o.identity.spec.maxSlices));
      case 'version':
        return ok(`SmartSDR-MB=${this.o.identity.version}#PIC-DECPU=1.0.3.0#PSoC-MBPA100=3.0.1.1#FPGA-MB=0.0.23.205`);
      case 'ant':
        return w1 === 'list' ? ok('ANT1,ANT2,RX_A,RX_B,XVTA,XVTB') : fail(REPLY.unknownCommand);
      case 'mic':
        return w1 === 'list' ? ok('MIC,BAL,LINE,ACC,PC') : fail(REPLY.unknownCommand);
      case 'profile':
        return w2 === 'info' ? ok() : fail(REPLY.malformedCommand);
      case 'meter':
        if (w1 !== 'list') return fail(REPLY.unknownCommand);
        for (const l of meterStatusLines()) this.send(c, c.handle, l);
        return ok(METERS.map((m) => m.id).join(','));
      case 'display':
        return this.display(c, words);
      case 'stream':
        return this.stream(c, words);
      case 'slice':
        return this.slice(c, words);
      case 'transmit':
      case 'atu':
      case 'interlock':
      case 'cwx':
      case 'tnf':
      case 'radio':
      case 'eq':
        // Accepted and ignored: the simulator has no transmitter; SmartSDR sends these routinely.
        return ok();
      default:
        return fail(REPLY.unknownCommand);
    }
  }

  private ping(c: Client): Result | undefined {
    const after = this.o.faults.noPingReplyAfterS;
    if (after !== undefined && this.o.now() - c.connectedMs >= after * 1000) return undefined;
    return ok();
  }

  private client(c: Client, words: string[]): Result {
    const [, w1 = '', w2] = words;
    const rest = words.slice(2);
    switch (w1) {
      case 'ip':
        return ok(c.ip);
      case 'program':
        if (!w2) return fail(REPLY.incorrectParameterCount);
        c.program = rest.join(' ');
        return ok();
      case 'station':
        if (!w2) return fail(REPLY.incorrectParameterCount);
        c.station = rest.join(' ').replaceAll('\x7f', ' ');
        if (c.gui) {
          this.broadcast(c.handle, clientStatus(c));
          this.o.onClientsChange();
        }
        return ok();
      case 'gui':
        return this.gui(c, w2);
      case 'bind':
        return this.bind(c, pairs(rest).get('client_id'));
      case 'set':
        return this.clientSet(c, pairs(rest));
      case 'start_persistence':
        c.persistence = w2 !== 'off';
        return ok();
      case 'low_bw_connect':
        return ok();
      case 'udpport':
        return this.udpport(c, w2);
      case 'disconnect': {
        if (!w2) {
          c.peer?.close();
          return ok();
        }
        const target = this.clients.get(parseInt(w2.replace(/^0x/i, ''), 16) >>> 0);
        if (!target) return fail(REPLY.invalidClient);
        target.peer?.close();
        if (!target.peer) this.disconnect(target.handle);
        return ok();
      }
      default:
        return fail(REPLY.unknownCommand);
    }
  }

  /**
   * `client gui [<id>]`: takes a GUI slot. A refusal code for "no slot left" is not in the reference
   * (UNCONFIRMED); we answer SL_RESP_UNKNOWN with the reason in the message.
   */
  private gui(c: Client, clientId: string | undefined): Result {
    if (c.gui) return ok(c.clientId ?? '');
    if (this.soleGui()) {
      // Pre-multiFLEX firmware: the newcomer becomes the sole GUI and takes the displays (reference §11).
      for (const other of this.guiClients()) {
        other.gui = false;
        this.displaced.push(other.handle);
        for (const p of this.pans.values()) if (p.owner === other.handle) p.owner = c.handle;
        for (const s of this.slices.values()) if (s.owner === other.handle) s.owner = c.handle;
      }
    } else if (this.guiClients().length >= this.o.identity.spec.licensedClients) {
      // "Maximum clients reached" is an M message (reference §5.4, §11); no R code is documented.
      c.peer?.sendLine(formatLine({ type: 'message', code: 0xf3000001, text: 'Max number of clients reached' }));
      return fail(REPLY.handlerNoAnswer, 'no GUI client slot available');
    }
    c.gui = true;
    c.clientId = clientId && /^[0-9A-Fa-f-]{36}$/.test(clientId) ? clientId.toUpperCase() : uuid(c.handle);
    this.broadcast(c.handle, clientStatus(c));
    if (c.persistence) this.restorePersistence(c);
    this.o.onClientsChange();
    return ok(c.clientId);
  }

  /** Firmware 1.x/2.x: one GUI client, and `client gui` hands the radio to the newcomer. */
  soleGui(): boolean {
    return /^[12]\./.test(this.o.identity.version);
  }

  /** Non-GUI clients bind to a GUI client by its client_id; the reply is that client's handle (reference §5.10). */
  private bind(c: Client, clientId: string | undefined): Result {
    const target = this.guiClients().find((g) => g.clientId !== undefined && g.clientId === clientId?.toUpperCase());
    if (!target || c.gui) return fail(REPLY.invalidBinding);
    c.boundTo = target.handle;
    return ok(formatHandle(target.handle));
  }

  private clientSet(c: Client, f: Map<string, string>): Result {
    if (f.size === 0) return fail(REPLY.incorrectParameterCount);
    for (const [k, v] of f) {
      if (k === 'enforce_network_mtu' || k === 'send_reduced_bw_dax') continue;
      if (k === 'network_mtu') {
        const mtu = Number(v);
        if (!Number.isInteger(mtu) || mtu < 576 || mtu > 9000) return fail(REPLY.badField, `network_mtu ${v}`);
        continue;
      }
      // `client set udpport=…` is the wrong form (reference §5.4: SL_RESP_UNKNOWN).
      return fail(REPLY.handlerNoAnswer);
    }
    if (f.get('enforce_network_mtu') === '1' && f.has('network_mtu')) c.networkMtu = Number(f.get('network_mtu'));
    if (f.get('enforce_network_mtu') === '0') c.networkMtu = 1500;
    if (f.has('send_reduced_bw_dax')) c.reducedBwDax = f.get('send_reduced_bw_dax') === '1';
    this.o.onDataChange(c);
    return ok();
  }

  private udpport(c: Client, port: string | undefined): Result {
    const p = Number(port);
    if (!port || !Number.isInteger(p) || p < 1 || p > 65535) return fail(REPLY.badField, `udpport ${port ?? ''}`);
    for (const other of this.clients.values()) {
      if (other !== c && other.udpDest?.ip === c.ip && other.udpDest.port === p) return fail(REPLY.portInUse, 'Port/IP pair already in use');
    }
    c.udpDest = { ip: c.ip, port: p };
    this.o.onDataChange(c);
    return ok();
  }

  private wan(c: Client, words: string[]): Result | undefined {
    if (words[1] !== 'validate') return ok();
    const handle = pairs(words.slice(2)).get('handle');
    if (!c.peer?.wan) return fail(REPLY.handlerNoAnswer, 'not a WAN connection');
    if (this.o.faults.refuseWanValidate || handle === undefined || !this.o.takeWanHandle(handle)) {
      // FlexLib learns of the failure from the client status (reference §5.9, §6.5), then the radio hangs up.
      c.peer.sendLine(formatLine({ type: 'status', handle: c.handle, body: clientGone(c.handle, { wanValidationFailed: true }) }));
      const peer = c.peer;
      setTimeout(() => peer.close(), 50);
      return fail(REPLY.handlerNoAnswer, 'wan validation failed');
    }
    c.validated = true;
    if (this.o.wanPrologueAfterValidate) this.prologue(c);
    return this.o.wanValidateSilent ? undefined : ok();
  }

  private sub(c: Client, on: boolean, what: string, all: string): Result {
    if (!SUBSCRIPTIONS.has(what) || (all !== 'all' && all !== '')) return fail(REPLY.invalidSubscription);
    if (!on) {
      c.subs.delete(what);
      if (what === 'meter') this.o.onDataChange(c);
      return ok();
    }
    c.subs.add(what);
    // A new subscriber gets the current state of what it subscribed to.
    if (what === 'meter') {
      for (const l of meterStatusLines()) this.send(c, c.handle, l);
      this.o.onDataChange(c);
    } else if (what === 'pan') {
      for (const p of this.pans.values()) {
        this.send(c, p.owner, panStatus(p));
        this.send(c, p.owner, waterfallStatus(p));
      }
    } else if (what === 'slice') {
      for (const s of this.slices.values()) this.send(c, s.owner, sliceStatus(s));
    } else if (what === 'client') {
      for (const g of this.guiClients()) this.send(c, g.handle, clientStatus(g));
    } else if (STREAM_SUBS.includes(what)) {
      for (const s of this.streams.values()) this.send(c, s.owner, streamStatus(s));
    }
    return ok();
  }

  private display(c: Client, words: string[]): Result {
    const [, obj = '', verb = '', target = ''] = words;
    if (obj !== 'pan' && obj !== 'panafall' && obj !== 'panf' && obj !== 'waterfall') return fail(REPLY.unknownCommand);
    switch (verb) {
      case 'create':
      case 'c':
        if (obj === 'waterfall') return fail(REPLY.unknownCommand);
        return this.createPan(c, pairs(words.slice(3)));
      case 'set':
      case 's':
        return this.setDisplay(c, obj, target, pairs(words.slice(4)));
      case 'remove':
      case 'r': {
        const p = this.findPan(target);
        if (!p) return fail(REPLY.streamIdNotFound);
        this.removePan(p);
        return ok();
      }
      case 'rfgain_info': {
        // The real radio answers `display panafall rfgain_info 0x0` with 50000029 (fixture R39) and a
        // known pan with the gain steps (fixture R41).
        return this.findPan(target) ? ok('-8,32,8,0,16,32') : fail(REPLY.streamIdNotFound);
      }
      default:
        return fail(REPLY.unknownCommand);
    }
  }

  /**
   * Only GUI clients may create panadapters (reference §5.8). The refusal code for a non-GUI client is
   * not in the reference (UNCONFIRMED): SL_RESP_UNKNOWN with the reason.
   */
  private createPan(c: Client, f: Map<string, string>): Result {
    if (!c.gui) return fail(REPLY.handlerNoAnswer, 'only GUI clients may create panadapters');
    if (this.o.faults.refuseCreate !== undefined) return fail(this.o.faults.refuseCreate);
    if (this.pans.size >= this.o.identity.spec.maxPanadapters) return fail(REPLY.allSlicesInUse, 'no panadapter available');
    const x = intOr(f.get('x') ?? f.get('xpixels'), 50);
    const y = intOr(f.get('y') ?? f.get('ypixels'), 20);
    const freq = Number(f.get('freq') ?? '14.1');
    const p = this.addPan(c, Number.isFinite(freq) ? freq : 14.1, x, y);
    // The firmware puts a slice on a new panafall (reference §11 "PTT and slices").
    if (this.slices.size < this.o.identity.spec.maxSlices) this.addSlice(c, p);
    switch (this.o.panReply ?? 'hex') {
      case 'bare':
        return ok(`${p.id.toString(16).toUpperCase()},${p.waterfallId.toString(16).toUpperCase()}`);
      case 'keyed':
        return ok(`pan=${fmtId(p.id)} waterfall=${fmtId(p.waterfallId)}`);
      case 'empty':
        return ok();
      default:
        return ok(`${fmtId(p.id)},${fmtId(p.waterfallId)}`);
    }
  }

  private setDisplay(c: Client, obj: string, target: string, f: Map<string, string>): Result {
    const p = this.findPan(target);
    if (!p) return fail(REPLY.streamIdNotFound);
    if (p.owner !== c.handle && c.boundTo !== p.owner) return fail(REPLY.handlerNoAnswer, 'not your panadapter');
    const isWaterfall = obj === 'waterfall' || (obj === 'panafall' && parseId(target) === p.waterfallId);
    for (const [k, v] of f) {
      const n = Number(v);
      switch (k) {
        case 'xpixels':
        case 'x_pixels':
          if (!Number.isInteger(n) || n < 1 || n > 8192) return fail(REPLY.badField, k);
          p.xPixels = n;
          break;
        case 'ypixels':
        case 'y_pixels':
          if (!Number.isInteger(n) || n < 1 || n > 4096) return fail(REPLY.badField, k);
          p.yPixels = n;
          break;
        case 'fps':
          if (!Number.isInteger(n) || n < 1 || n > FPS_MAX) return fail(REPLY.fftFpsOutOfRange);
          p.fps = n;
          break;
        case 'center':
          if (!Number.isFinite(n)) return fail(REPLY.badField, k);
          p.centerMhz = n;
          break;
        case 'bandwidth':
          if (!Number.isFinite(n) || n <= 0) return fail(REPLY.badField, k);
          p.bandwidthMhz = n;
          break;
        case 'min_dbm':
          if (Number.isFinite(n)) p.minDbm = n;
          break;
        case 'max_dbm':
          if (Number.isFinite(n)) p.maxDbm = n;
          break;
        case 'line_duration':
          if (!Number.isInteger(n) || n < 10 || n > 10_000) return fail(REPLY.badField, k);
          p.lineDurationMs = n;
          break;
        case 'daxiq_channel':
          if (Number.isInteger(n)) p.daxiqChannel = n;
          break;
        default:
          // Gains, averaging, colours: accepted, they change nothing the network carries.
          break;
      }
    }
    this.broadcast(c.handle, isWaterfall ? waterfallStatus(p) : panStatus(p));
    this.o.onDataChange(this.clients.get(p.owner) ?? c);
    return ok();
  }

  private slice(c: Client, words: string[]): Result {
    const [, verb = '', idx = ''] = words;
    if (verb === 'list') return ok([...this.slices.keys()].join(' '));
    const s = this.slices.get(Number(idx));
    if (!s) return fail(REPLY.badField, `slice ${idx}`);
    if (verb === 'remove' || verb === 'r') {
      this.slices.delete(s.index);
      this.broadcast(c.handle, `slice ${s.index} in_use=0`);
      return ok();
    }
    if (verb === 'tune' || verb === 't') {
      const f = Number(words[3]);
      if (!Number.isFinite(f)) return fail(REPLY.badField, 'frequency');
      s.freqMhz = f;
      this.broadcast(c.handle, `slice ${s.index} RF_frequency=${f.toFixed(6)}`);
      return ok();
    }
    if (verb === 'set' || verb === 's') {
      const f = pairs(words.slice(3));
      const dax = f.get('dax');
      if (dax !== undefined && /^\d$/.test(dax)) s.daxChannel = Number(dax);
      const mode = f.get('mode');
      if (mode) s.mode = mode.toUpperCase();
      this.broadcast(c.handle, `slice ${s.index} ${[...f].map(([k, v]) => `${k}=${v}`).join(' ')}`);
      return ok();
    }
    return ok();
  }

  private stream(c: Client, words: string[]): Result {
    const [, verb = '', target = ''] = words;
    if (verb === 'remove' || verb === 'r') {
      const s = this.streams.get(parseId(target) ?? -1);
      if (!s || (s.owner !== c.handle && c.boundTo !== s.owner)) return fail(REPLY.invalidStreamId);
      this.removeStream(s);
      return ok();
    }
    if (verb === 'set' || verb === 's') {
      const s = this.streams.get(parseId(target) ?? -1);
      if (!s) return fail(REPLY.invalidStreamId);
      const rate = pairs(words.slice(3)).get('daxiq_rate');
      if (rate !== undefined) {
        if (!['24000', '48000', '96000', '192000'].includes(rate) || s.type !== 'dax_iq') return fail(REPLY.badField, 'daxiq_rate');
        s.daxiqRate = Number(rate);
        this.broadcast(c.handle, streamStatus(s));
        this.o.onDataChange(c);
      }
      return ok();
    }
    if (verb !== 'create' && verb !== 'c') return fail(REPLY.unknownCommand);
    const f = pairs(words.slice(2));
    const type = f.get('type') as StreamType | undefined;
    const types: StreamType[] = ['remote_audio_rx', 'remote_audio_tx', 'dax_rx', 'dax_tx', 'dax_mic', 'dax_iq'];
    if (!type || !types.includes(type)) return fail(REPLY.badField, `type ${type ?? ''}`);
    const rx = type === 'remote_audio_rx' || type === 'dax_rx' || type === 'dax_iq' || type === 'dax_mic';
    // Streams to the client need a UDP destination first (reference §5.8: 0x50000064 "No IP or PORT").
    if (rx && !c.udpDest) return fail(REPLY.noIpOrPort, 'No IP or PORT');
    if (this.o.faults.refuseCreate !== undefined) return fail(this.o.faults.refuseCreate);
    const s: RadioStream = { id: 0, type, owner: c.handle, ip: c.udpDest?.ip ?? c.ip };
    if (type === 'remote_audio_rx') {
      const comp = (f.get('compression') ?? 'none').toUpperCase();
      if (comp !== 'OPUS' && comp !== 'NONE') return fail(REPLY.badField, `compression ${comp}`);
      s.compression = comp;
    }
    if (type === 'dax_rx') {
      const ch = intOr(f.get('dax_channel'), -1);
      if (ch < 1 || ch > 8) return fail(REPLY.badField, 'dax_channel');
      s.daxChannel = ch;
    }
    if (type === 'dax_iq') {
      const ch = intOr(f.get('daxiq_channel'), -1);
      if (ch < 1 || ch > 4) return fail(REPLY.badField, 'daxiq_channel');
      s.daxiqChannel = ch;
      s.daxiqRate = 24000;
      s.pan = [...this.pans.values()].find((p) => p.daxiqChannel === ch)?.id ?? 0;
      s.id = this.nextIqStream++;
    } else {
      s.id = rx ? this.nextRxStream++ : this.nextTxStream++;
    }
    this.streams.set(s.id, s);
    this.broadcast(c.handle, streamStatus(s));
    this.o.onDataChange(c);
    // The reply carries the new stream ID in bare hex (fixture R145: `4000009`).
    return ok(s.id.toString(16).toUpperCase());
  }

  // ---- objects ----

  /** A GUI client's saved session: one panafall and a slice on 20 m, as SmartSDR-Win got back in the fixture. */
  private restorePersistence(c: Client): void {
    if (this.pans.size >= this.o.identity.spec.maxPanadapters || this.slices.size >= this.o.identity.spec.maxSlices) return;
    this.addSlice(c, this.addPan(c, 14.1, 50, 20));
  }

  private addSlice(c: Client, p: Pan): Slice {
    let index = 0;
    while (this.slices.has(index)) index++;
    // The first slice on the radio becomes the TX slice, as in the fixture (tx=1).
    const s: Slice = { index, owner: c.handle, pan: p.id, freqMhz: 14.074, mode: 'DIGU', daxChannel: 0, tx: this.slices.size === 0 };
    this.slices.set(index, s);
    this.broadcast(c.handle, sliceStatus(s));
    return s;
  }

  private addPan(c: Client, centerMhz: number, x: number, y: number): Pan {
    let id = this.nextPan;
    while (this.pans.has(id)) id++;
    const p: Pan = {
      id, waterfallId: id + 0x02000000, owner: c.handle, xPixels: x, yPixels: y, fps: 25, centerMhz, bandwidthMhz: 0.2,
      minDbm: -135, maxDbm: -40, lineDurationMs: 50, daxiqChannel: 0,
    };
    this.pans.set(id, p);
    this.broadcast(c.handle, panStatus(p));
    this.broadcast(c.handle, waterfallStatus(p));
    this.broadcast(c.handle, this.radioLine());
    this.o.onDataChange(c);
    return p;
  }

  private removePan(p: Pan): void {
    this.pans.delete(p.id);
    for (const s of [...this.slices.values()]) if (s.pan === p.id) this.slices.delete(s.index);
    for (const l of panRemoved(p)) this.broadcast(p.owner, l);
    const owner = this.clients.get(p.owner);
    if (owner) this.o.onDataChange(owner);
  }

  private removeStream(s: RadioStream): void {
    this.streams.delete(s.id);
    this.broadcast(s.owner, streamRemoved(s));
    const owner = this.clients.get(s.owner);
    if (owner) this.o.onDataChange(owner);
  }

  private findPan(text: string): Pan | undefined {
    const id = parseId(text);
    if (id === undefined) return undefined;
    return this.pans.get(id) ?? [...this.pans.values()].find((p) => p.waterfallId === id);
  }

  // ---- output ----

  private radioInfo() {
    const i = this.o.identity;
    return { model: i.spec.model, serial: i.serial, nickname: i.nickname, callsign: i.callsign, version: i.version, mac: i.mac, ip: this.o.ip };
  }

  private radioLine(): string {
    const spec = this.o.identity.spec;
    return radioStatus(this.radioInfo(), spec.maxSlices - this.slices.size, spec.maxPanadapters - this.pans.size, this.o.muteLocalAudioWhenRemote ?? true);
  }

  private send(c: Client, cause: number, body: string): void {
    c.peer?.sendLine(formatLine({ type: 'status', handle: cause, body }));
  }

  /** A status line goes to every subscriber of its object class, and always to the client that caused it. */
  private broadcast(cause: number, body: string): void {
    const sub = subscriptionFor(body);
    for (const c of this.clients.values()) {
      const subscribed = sub === undefined || (sub === 'stream' ? STREAM_SUBS.some((s) => c.subs.has(s)) : c.subs.has(sub));
      if (subscribed || c.handle === cause) this.send(c, cause, body);
    }
  }

  private newHandle(): number {
    for (;;) {
      // Real handles look random (0x10C05077, 0x7F6B5B); never 0, which means "the radio".
      const h = (0x10000000 + Math.floor(Math.random() * 0x6fffffff)) >>> 0;
      if (!this.clients.has(h)) return h;
    }
  }
}

function pairs(words: string[]): Map<string, string> {
  const m = new Map<string, string>();
  for (const w of words) {
    const eq = w.indexOf('=');
    if (eq > 0) m.set(w.slice(0, eq).toLowerCase(), w.slice(eq + 1));
  }
  return m;
}

function intOr(v: string | undefined, fallback: number): number {
  const n = Number(v);
  return v !== undefined && Number.isInteger(n) ? n : fallback;
}

function parseId(text: string): number | undefined {
  const m = /^(?:0x)?([0-9a-fA-F]{1,8})$/.exec(text);
  return m?.[1] ? parseInt(m[1], 16) >>> 0 : undefined;
}

function fmtId(n: number): string {
  return '0x' + n.toString(16).toUpperCase().padStart(8, '0');
}

/** A stable client_id per handle, in the UUID shape FlexLib persists. */
function uuid(handle: number): string {
  const h = handle.toString(16).toUpperCase().padStart(8, '0');
  return `${h}-F1E8-4A7E-9A11-00${h}00`.slice(0, 36);
}
