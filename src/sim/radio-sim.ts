/**
 * The simulated radio (and its SmartLink broker) on real sockets: discovery beacons, the LAN API on TCP,
 * the WAN API on TLS, VITA-49 from the data port, with faults applied. `startSimulator` is what
 * `flexpath sim`, the UI's demo mode and the tests run.
 *
 * Ports follow the radio's: with port base P the API listens on TCP P (4992), data leaves from UDP P+1
 * (4993, the observed source port), the WAN TLS port is P+2 (4994, the usual manual forward) and the
 * broker P+3. Port base 0 picks free ports for everything, so tests can run side by side.
 */
import { randomBytes } from 'node:crypto';
import { createSocket, type Socket as UdpSocket } from 'node:dgram';
import { connect as tcpConnect } from 'node:net';
import type { Endpoint } from '../capture/types.js';
import { type ApiServer, startApiServer } from './api-server.js';
import { type SimAuth, startSimAuth } from './auth0.js';
import { type Broker, type TestConnectionResult, startBroker } from './broker.js';
import { DataPlane } from './data-plane.js';
import { beaconPacket } from './discovery.js';
import type { SimFaults } from './faults.js';
import { DEFAULT_MODEL, type RadioIdentity, simulatedIdentity } from './model.js';
import type { WanState } from './objects.js';
import { type Client, type PanReplyForm, RadioCore } from './radio-core.js';
import { unixNow } from '../capture/timestamp.js';
import { pcapngRecorder, type Recorder } from './recorder.js';
import { prng } from './rng.js';
import type { StreamCount } from './shaper.js';
import { SIM_SERVER_CERT, SIM_SERVER_KEY } from './test-cert.js';
import { FLEX_OUI, PCC } from '../vita/classes.js';
import { SIZE_FIELD } from '../vita/header.js';
import { newScan, scanPacket } from '../vita/scan.js';

export interface SimOptions {
  /** Address every socket binds to; loopback by default. */
  host?: string;
  /** 4992 like a real radio; 0 for free ports. */
  portBase?: number;
  model?: string;
  faults?: SimFaults;
  seed?: number;
  /** Multiplies every stream's rate (soak tests). */
  rateScale?: number;
  /** Where beacons go; false: none. Default: the broadcast address of `host`'s network, port 4992. */
  discovery?: { address: string; port: number; intervalMs?: number } | false;
  /** Run the SmartLink broker too. */
  broker?: boolean;
  /**
   * Address the broker listens on (default `host`). Given one of its own — routed so that it reaches
   * the radio from the internet side, as in the network lab — the broker stands for the real SmartLink
   * server: `test_connection` then measures whether the radio's advertised ports answer at `publicIp`
   * instead of answering from the faults.
   */
  brokerHost?: string;
  /** The radio's public address in the broker's radio list (default `host`). */
  publicIp?: string;
  /** The client's public address as the broker reports it (default the address it connects from). */
  clientPublicIp?: string;
  /** Identity fields to use instead of the obviously simulated ones (tests plant values to find). */
  identity?: Partial<Pick<RadioIdentity, 'serial' | 'callsign' | 'nickname'>>;
  /**
   * A GUI operator already connected, owning a pan and a slice: SmartSDR on another PC (true), or a given
   * program — `SmartSDR-M` is an M model's front panel (reference §5.9).
   */
  operator?: boolean | { program: string; station: string };
  /** Firmware version the radio reports (default 4.1.5); `2.x` gives sole-GUI semantics and one licensed client. */
  firmware?: string;
  /**
   * Beacons without `licensed_clients`/`available_clients` (older firmware, reference §4.2), and a
   * SmartLink radio list without `licensed_clients` (FlexLib WanServer.cs then assumes a default).
   */
  beaconWithoutClientCounts?: boolean;
  /** How the pan-create reply spells the IDs (reference §11). */
  panReply?: PanReplyForm;
  /** Radio setting `mute_local_audio_when_remote` (default 1, the firmware default). */
  muteLocalAudioWhenRemote?: boolean;
  /** Extra `M` lines after each prologue. */
  connectMessages?: Array<{ code: number; text: string }>;
  /**
   * Words added to every Opus packet's size field (−2…2): encoders round it differently, and reference
   * clients ignore it (reference §3.5, §11 "Opus payload length").
   */
  opusSizeSkewWords?: number;
  /** WAN: V/H only after `wan validate` (reference §5.2, disputed order). */
  wanPrologueAfterValidate?: boolean;
  /** WAN: no reply to `wan validate` (reference §11). */
  wanValidateSilent?: boolean;
  /** Commands (by their start) carried out but never answered. */
  unanswered?: string[];
  /** Commands (by their start) at which the radio resets the control connection. */
  resetOn?: string[];
  /** Record everything as pcapng at this path. */
  write?: string;
  /** Accepted SmartLink tokens; default any non-empty token. */
  tokens?: string[];
  /**
   * A simulated Auth0 tenant (HTTPS on `host`, test certificate) with these accounts; the broker then
   * accepts only id_tokens it signed that have not expired.
   */
  auth?: { users: Record<string, string>; idTokenTtlS?: number };
  /** Radio-side keepalive limit after `keepalive enable`, s (default 17). */
  keepaliveTimeoutS?: number;
}

type WanMode = 'forward' | 'upnp' | 'hole-punch';

interface SimPorts {
  api: number;
  data: number;
  tls: number;
  broker?: number;
  /** Source port of the beacons. */
  discovery?: number;
}

export interface Simulator {
  host: string;
  /** Where the broker listens, when it has an address of its own (test_connection is then measured). */
  brokerHost?: string;
  ports: SimPorts;
  wanMode: WanMode;
  /** The simulated Auth0 tenant, when `auth` was given. */
  auth?: SimAuth;
  core: RadioCore;
  /** Per stream and destination: datagrams sent after faults, and what each fault dropped. */
  streamStats(): StreamCount[];
  beaconsSent(): number;
  stop(): Promise<void>;
}

function isLoopback(host: string): boolean {
  return host.startsWith('127.') || host === '::1' || host === 'localhost';
}

export async function startSimulator(opts: SimOptions = {}): Promise<Simulator> {
  const host = opts.host ?? '127.0.0.1';
  const base = opts.portBase ?? 4992;
  const port = (offset: number): number => (base === 0 ? 0 : base + offset);
  const faults = opts.faults ?? {};
  const base0 = simulatedIdentity(opts.model ?? DEFAULT_MODEL);
  const identity: RadioIdentity = { ...base0, ...opts.identity, ...(opts.firmware ? firmwareIdentity(base0, opts.firmware) : {}) };
  const rnd = prng(opts.seed ?? 0x51a);
  const recorder: Recorder | undefined = opts.write ? pcapngRecorder(opts.write) : undefined;
  const wanMode: WanMode = faults.noForward ? (faults.noUpnp ? 'hole-punch' : 'upnp') : 'forward';
  const registered = opts.broker === true && !faults.notRegistered;
  const now = (): number => performance.now();
  const closers: Array<() => Promise<void> | void> = [];
  /** Set once stopping: late send callbacks must not write to a closing recorder. */
  let closing = false;

  const wanHandles = new Set<string>();
  /** Nonces of the broker's UDP reachability probes that reached one of the radio's sockets. */
  const probesSeen = new Set<string>();
  const wan: WanState = { serverConnected: registered, radioAuthenticated: registered, publicTlsPort: -1, publicUdpPort: -1, upnpSupported: wanMode === 'upnp' };
  const udpSocketOf = new Map<number, UdpSocket>();
  let beacons = 0;
  let dataPlane: DataPlane | undefined;
  let beaconTimer: ReturnType<typeof setInterval> | undefined;

  const core: RadioCore = new RadioCore({
    identity,
    ip: host,
    faults,
    wan,
    now,
    keepaliveTimeoutS: opts.keepaliveTimeoutS ?? 17,
    onDataChange: (c) => dataPlane?.sync(c, core),
    onClientsChange: () => undefined,
    takeWanHandle: (h) => wanHandles.delete(h.toUpperCase()),
    ...(opts.panReply ? { panReply: opts.panReply } : {}),
    ...(opts.muteLocalAudioWhenRemote !== undefined ? { muteLocalAudioWhenRemote: opts.muteLocalAudioWhenRemote } : {}),
    ...(opts.connectMessages ? { connectMessages: opts.connectMessages } : {}),
    ...(opts.wanPrologueAfterValidate ? { wanPrologueAfterValidate: true } : {}),
    ...(opts.wanValidateSilent ? { wanValidateSilent: true } : {}),
    ...(opts.unanswered ? { unanswered: opts.unanswered } : {}),
    ...(opts.resetOn ? { resetOn: opts.resetOn } : {}),
  });

  try {
    const data = await bindUdp(host, port(1), false);
    closers.push(() => void data.close());
    listenUdp(data, core, recorder, udpSocketOf, probesSeen);

    dataPlane = new DataPlane({
      faults,
      rnd,
      rateScale: opts.rateScale ?? 1,
      now,
      unixNow,
      send(d, client, failed) {
        const socket = udpSocketOf.get(client.handle) ?? data;
        const ts = unixNow();
        if (opts.opusSizeSkewWords) skewOpusSize(d.payload, opts.opusSizeSkewWords);
        socket.send(d.payload, d.dst.port, d.dst.ip, (err) => {
          // Recorded only once the kernel took it, so the capture holds exactly what was sent.
          if (err) failed();
          else if (!closing) recorder?.event({ type: 'udp', ts, src: localEndpoint(socket), dst: d.dst, payload: d.payload, df: true, ipLength: d.payload.length + 28 });
        });
      },
    });
    dataPlane.start();
    closers.push(() => dataPlane?.stop());

    const lineDelay = faults.controlLatencyMs !== undefined ? { lineDelayMs: faults.controlLatencyMs } : {};
    const lan = await startApiServer({ core, host, port: port(0), ...(recorder ? { recorder } : {}), ...(faults.tcpResetAfterS !== undefined ? { resetAfterS: faults.tcpResetAfterS } : {}), ...lineDelay });
    closers.push(() => lan.close());
    const wanServer = await startApiServer({
      core, host, port: port(2), tls: { cert: SIM_SERVER_CERT, key: SIM_SERVER_KEY },
      ...(recorder ? { recorder } : {}),
      ...(faults.tcpResetAfterS !== undefined ? { resetAfterS: faults.tcpResetAfterS } : {}),
      ...lineDelay,
    });
    closers.push(() => wanServer.close());
    const dataPort = localEndpoint(data).port;
    if (wanMode === 'forward') {
      wan.publicTlsPort = wanServer.port;
      wan.publicUdpPort = dataPort;
    }

    const holePunch: ApiServer[] = [];
    closers.push(async () => {
      for (const s of holePunch) await s.close();
    });
    let auth: SimAuth | undefined;
    if (opts.auth) {
      auth = await startSimAuth({ host, port: 0, cert: SIM_SERVER_CERT, key: SIM_SERVER_KEY, users: opts.auth.users, ...(opts.auth.idTokenTtlS ? { idTokenTtlS: opts.auth.idTokenTtlS } : {}) });
      closers.push(() => auth?.close());
    }
    let broker: Broker | undefined;
    if (opts.broker && !faults.brokerDown) {
      const publicIp = opts.publicIp ?? host;
      const brokerHost = opts.brokerHost ?? host;
      const measured = brokerHost !== host;
      broker = await startBroker({
        host: brokerHost,
        port: port(3),
        cert: SIM_SERVER_CERT,
        key: SIM_SERVER_KEY,
        ...(opts.tokens ? { tokens: opts.tokens } : {}),
        ...(auth ? { verifyToken: (t: string) => auth?.verify(t).ok === true } : {}),
        callsign: identity.callsign,
        ...(opts.clientPublicIp ? { clientPublicIp: opts.clientPublicIp } : {}),
        ...(recorder ? { recorder } : {}),
        radio: {
          serial: identity.serial,
          registered: () => registered,
          listFields: () => radioListFields(core, publicIp, wanMode, wanServer.port, dataPort).filter(([k]) => !(opts.beaconWithoutClientCounts && k === 'licensed_clients')),
          testConnection: () =>
            measured && !faults.testConnectionFail
              ? measureTestConnection({ from: brokerHost, publicIp, mode: wanMode, tlsPort: wanServer.port, udpPort: dataPort, seen: probesSeen })
              : testConnection(faults, wanMode),
          async connect(holePunchPort) {
            // Hole punching: the radio meets the client on the negotiated port, TLS and UDP alike (§6.4).
            if (wanMode === 'hole-punch' && holePunchPort > 0 && !holePunch.some((s) => s.port === holePunchPort)) {
              try {
                holePunch.push(await startApiServer({ core, host, port: holePunchPort, tls: { cert: SIM_SERVER_CERT, key: SIM_SERVER_KEY }, ...(recorder ? { recorder } : {}) }));
                const punched = await bindUdp(host, holePunchPort, false);
                listenUdp(punched, core, recorder, udpSocketOf, probesSeen);
                closers.push(() => void punched.close());
              } catch {
                // Port taken on this host: the client's TLS connect will fail, as a failed punch does.
              }
            }
            const h = randomBytes(4).toString('hex').toUpperCase();
            wanHandles.add(h);
            return h;
          },
        },
      });
      closers.push(() => broker?.close());
    }

    let beaconPort: number | undefined;
    if (opts.discovery !== false) {
      const target = opts.discovery ?? { address: isLoopback(host) ? '127.255.255.255' : '255.255.255.255', port: 4992 };
      const beaconSocket = await bindUdp(host, port(0), true);
      closers.push(() => void beaconSocket.close());
      beaconPort = localEndpoint(beaconSocket).port;
      const sendBeacon = (): void => {
        const gui = core.guiClients();
        const payload = beaconPacket(
          { identity, ip: host, port: lan.port, wanConnected: registered, guiClients: gui, pansInUse: core.pans.size, slicesInUse: core.slices.size, withoutClientCounts: opts.beaconWithoutClientCounts === true },
          beacons++,
          Math.floor(unixNow()),
        );
        beaconSocket.send(payload, target.port, target.address);
        recorder?.event({ type: 'udp', ts: unixNow(), src: { ip: host, port: beaconPort ?? 0 }, dst: { ip: target.address, port: target.port }, payload, df: false });
      };
      sendBeacon();
      beaconTimer = setInterval(sendBeacon, target.intervalMs ?? 1000);
      closers.push(() => clearInterval(beaconTimer));
    }

    const keepalive = setInterval(() => {
      for (const c of core.expired()) c.peer?.close();
    }, 1000);
    closers.push(() => clearInterval(keepalive));

    if (opts.operator) {
      const op = opts.operator === true ? { program: 'SmartSDR-Win', station: 'SHACK-PC' } : opts.operator;
      core.addVirtualOperator(op.program, op.station, host);
    }

    const ports: SimPorts = { api: lan.port, data: dataPort, tls: wanServer.port };
    if (broker) ports.broker = broker.port;
    if (beaconPort !== undefined) ports.discovery = beaconPort;
    let stopped = false;
    return {
      host,
      ...(broker && opts.brokerHost && opts.brokerHost !== host ? { brokerHost: opts.brokerHost } : {}),
      ports,
      wanMode,
      ...(auth ? { auth } : {}),
      core,
      streamStats: () => dataPlane?.stats() ?? [],
      beaconsSent: () => beacons,
      async stop() {
        if (stopped) return;
        stopped = true;
        closing = true;
        for (const c of closers.reverse()) await c();
        await recorder?.close();
      },
    };
  } catch (e) {
    for (const c of closers.reverse()) await c();
    await recorder?.close();
    throw e;
  }
}

/**
 * The identity a radio on older firmware announces: 2.x radios predate multiFLEX, so one licensed GUI
 * client and licence v2 (reference §4.2 max_licensed_version, §11), and beacon protocol 2.0.0.0.
 */
function firmwareIdentity(id: RadioIdentity, version: string): Partial<RadioIdentity> {
  if (!/^[12]\./.test(version)) return { version };
  return { version, discoveryProtocolVersion: '2.0.0.0', spec: { ...id.spec, licensedClients: 1, maxLicensedVersion: version.startsWith('1.') ? 'v1' : 'v2' } };
}

/** An Opus packet with its size field moved by `words`. */
function skewOpusSize(d: Buffer, words: number): void {
  const s = newScan();
  if (!scanPacket(d, s) || s.oui !== FLEX_OUI || s.packetClassCode !== PCC.opus) return;
  d.writeUInt16BE(Math.max(1, s.declaredBytes / 4 + words), SIZE_FIELD);
}

async function bindUdp(host: string, port: number, broadcast: boolean): Promise<UdpSocket> {
  const s = createSocket({ type: host.includes(':') ? 'udp6' : 'udp4', reuseAddr: broadcast });
  await new Promise<void>((resolve, reject) => {
    s.once('error', reject);
    s.bind(port, host, () => {
      s.off('error', reject);
      resolve();
    });
  });
  if (broadcast) s.setBroadcast(true);
  // A send error (nobody listening, ICMP) must never end the simulator.
  s.on('error', () => undefined);
  return s;
}

function localEndpoint(s: UdpSocket): Endpoint {
  const a = s.address();
  return { ip: a.address, port: a.port };
}

/** The simulated broker's UDP reachability probe (our own format: the real server's is not known). */
const PROBE_PREFIX = 'flexpath-sim test_connection nonce=';

/** Registration and keep-open datagrams from WAN clients (reference §5.7), and the broker's probes. */
function listenUdp(s: UdpSocket, core: RadioCore, recorder: Recorder | undefined, socketOf: Map<number, UdpSocket>, probesSeen: Set<string>): void {
  s.on('message', (msg, rinfo) => {
    const from: Endpoint = { ip: rinfo.address.replace(/^::ffff:/, ''), port: rinfo.port };
    recorder?.event({ type: 'udp', ts: unixNow(), src: from, dst: localEndpoint(s), payload: msg });
    if (msg.length > 200) return;
    const text = msg.toString('latin1');
    if (text.startsWith(PROBE_PREFIX)) {
      if (probesSeen.size < 1000) probesSeen.add(text.slice(PROBE_PREFIX.length));
      return;
    }
    const r = core.udpText(text, from);
    if (r.registered) socketOf.set(r.registered.handle, s);
  });
}

/** The `radio list` entry (reference §6.3) for the mode the radio's router is in. */
function radioListFields(core: RadioCore, publicIp: string, mode: WanMode, tlsPort: number, udpPort: number): Array<[string, string]> {
  const id = core.identity;
  const gui: Client[] = core.guiClients();
  const fwd = mode === 'forward';
  const upnp = mode === 'upnp';
  return [
    ['radio_name', id.nickname],
    ['callsign', id.callsign],
    ['serial', id.serial],
    ['model', id.spec.model],
    ['version', id.version],
    ['status', gui.length > 0 ? 'In_Use' : 'Available'],
    ['last_seen', new Date().toLocaleString('en-US', { hour12: true }).replace(', ', '_').replaceAll(' ', '_')],
    ['public_ip', publicIp],
    ['public_tls_port', String(fwd ? tlsPort : -1)],
    ['public_udp_port', String(fwd ? udpPort : -1)],
    ['upnp_supported', upnp ? '1' : '0'],
    ['public_upnp_tls_port', String(upnp ? tlsPort : -1)],
    ['public_upnp_udp_port', String(upnp ? udpPort : -1)],
    ['max_licensed_version', id.spec.maxLicensedVersion],
    ['licensed_clients', String(id.spec.licensedClients)],
    ['license_is_unknown', '0'],
    ['radio_license_id', id.licenseId],
    ['gui_client_ips', gui.map((c) => c.ip).join(',')],
    ['gui_client_hosts', gui.map((c) => c.station || c.ip).join(',')],
    ['gui_client_programs', gui.map((c) => c.program).join(',')],
    ['gui_client_stations', gui.map((c) => c.station.replaceAll(' ', '\x7f')).join(',')],
    ['gui_client_handles', gui.map((c) => '0x' + c.handle.toString(16).toUpperCase()).join(',')],
  ];
}

function testConnection(f: SimFaults, mode: WanMode): TestConnectionResult {
  if (f.testConnectionFail) return { upnpTcp: false, upnpUdp: false, forwardTcp: false, forwardUdp: false, holePunch: false };
  return { upnpTcp: mode === 'upnp', upnpUdp: mode === 'upnp', forwardTcp: mode === 'forward', forwardUdp: mode === 'forward', holePunch: mode === 'hole-punch' };
}

interface Measure {
  /** The broker's address: probes leave from here. */
  from: string;
  publicIp: string;
  mode: WanMode;
  tlsPort: number;
  udpPort: number;
  seen: Set<string>;
}

const PROBE_TIMEOUT_MS = 1500;

/**
 * test_connection as the SmartLink server runs it, from outside: does a TCP connection to the advertised
 * TLS port reach the radio, and does a datagram to the advertised UDP port reach one of its sockets?
 * The forwarded pair is tested when the radio advertises forwarded ports, else the UPnP pair. Whether
 * the NAT preserves ports (hole punching) needs the radio's own outbound flow through its router, which
 * a broker in the radio's process cannot observe: that one is still answered from the router mode.
 */
async function measureTestConnection(m: Measure): Promise<TestConnectionResult> {
  const none: TestConnectionResult = { upnpTcp: false, upnpUdp: false, forwardTcp: false, forwardUdp: false, holePunch: false };
  if (m.mode === 'hole-punch') return { ...none, holePunch: true };
  const [tcp, udp] = await Promise.all([tcpReaches(m), udpReaches(m)]);
  return m.mode === 'forward' ? { ...none, forwardTcp: tcp, forwardUdp: udp } : { ...none, upnpTcp: tcp, upnpUdp: udp };
}

function tcpReaches(m: Measure): Promise<boolean> {
  return new Promise((resolve) => {
    const s = tcpConnect({ host: m.publicIp, port: m.tlsPort, localAddress: m.from });
    const done = (ok: boolean): void => {
      clearTimeout(timer);
      s.destroy();
      resolve(ok);
    };
    const timer = setTimeout(() => done(false), PROBE_TIMEOUT_MS);
    s.once('connect', () => done(true));
    s.once('error', () => done(false));
  });
}

async function udpReaches(m: Measure): Promise<boolean> {
  const nonce = randomBytes(8).toString('hex');
  const s = await bindUdp(m.from, 0, false);
  try {
    const payload = Buffer.from(PROBE_PREFIX + nonce, 'latin1');
    // Three tries 100 ms apart, so that one lost datagram does not fail the test.
    for (let attempt = 0; attempt < 3; attempt++) {
      s.send(payload, m.udpPort, m.publicIp);
      if (await seenWithin(m.seen, nonce, 100)) return true;
    }
    return await seenWithin(m.seen, nonce, PROBE_TIMEOUT_MS);
  } finally {
    s.close();
  }
}

async function seenWithin(seen: Set<string>, nonce: string, ms: number): Promise<boolean> {
  const end = performance.now() + ms;
  for (;;) {
    if (seen.delete(nonce)) return true;
    if (performance.now() >= end) return false;
    await new Promise((r) => setTimeout(r, 10));
  }
}
