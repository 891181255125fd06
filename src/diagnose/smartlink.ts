/**
 * `flexpath diagnose --smartlink`: the remote path, step by step as FlexLib walks it (reference §6):
 * broker over TLS (certificate verified) → `application register` → radio list with its forwarding
 * fields → `test_connection` → `application connect` → `connect_ready` → TLS to the radio → `wan
 * validate` → `client udp_register` every 50 ms until the first datagram, then `client ping` every 5 s.
 * Each step is a hop with its evidence and time.
 *
 * The token is used for `application register` and nothing else: the broker client reports that line
 * with the token replaced, so it reaches no report, log or capture.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import type { ApiClient, Reply } from '../api/client.js';
import type { AnalysisReport, HopId } from '../analysis/model.js';
import type { Endpoint } from '../capture/types.js';
import { BrokerClient, BrokerError, SMARTLINK_HOST, SMARTLINK_PORT } from '../smartlink/broker-client.js';
import { type BrokerRadio, choosePorts } from '../smartlink/protocol.js';
import { newScan, scanPacket } from '../vita/scan.js';
import { FLEX_OUI } from '../vita/classes.js';
import { CONTINUOUS_RECORD_BYTES, LiveEvidence } from './live.js';
import { SMARTSDR_DEFAULT_MTU, stepAfterRun } from './mtu-step.js';
import { type RadioFacts, decideMode, describeFacts, factsFromRadioList } from './preflight.js';
import { becomeObserver, commander, type Created, createProbeStreams, tidyUp, trackGuiClients } from './probe.js';
import { connectControl, type DataPath, type Diagnosis, noteLocalFacts, openDataPath, failedReport, noteTidy, type RunLimits, startPings, watchAndReport } from './walk.js';

/** FlexLib's registration cadence and NAT keep-open interval (reference §5.7). */
const REGISTER_MS = 50;
const UDP_PING_MS = 5000;
/** How long the probe waits for registration to work before it creates its streams anyway. */
const FIRST_DATA_WAIT_MS = 3000;
/** How long a `wan validate` reply is awaited before going on without it (a refusal comes at once). */
const WAN_VALIDATE_WAIT_MS = 2000;

export interface SmartLinkOptions extends RunLimits {
  token: string;
  /** Radio serial; default the only (or first) radio on the account. */
  serial?: string;
  brokerHost?: string;
  brokerPort?: number;
  /** Test only: trust this CA and expect this server name (the simulator's broker). */
  brokerTls?: { ca: string; servername: string };
  write?: string;
  flexlibRange?: boolean;
  /** Address the data socket binds to (default every address). */
  dataHost?: string;
  /** Client MTU to probe at (default SmartSDR v4's 1450). */
  mtu?: number;
  /** Open an audio stream even where it would mute the radio's own outputs. */
  audio?: boolean;
  /** Leave the client MTU as it is when large packets vanish (no 1500 → 1300 steps after the run). */
  noMtuStep?: boolean;
  onStep?(text: string): void;
}

const NO_SLOT: Array<[HopId, string]> = [
  ['control', 'no GUI slot is free on the radio, so FlexPath did not open a remote session; close another SmartSDR/Maestro session and run again'],
  ['stream-setup', 'no remote session was opened (no GUI slot free)'],
  ['udp-return', 'no remote session was opened (no GUI slot free)'],
];

export function startSmartLinkDiagnosis(o: SmartLinkOptions): Diagnosis {
  const host = o.brokerHost ?? SMARTLINK_HOST;
  const brokerPort = o.brokerPort ?? SMARTLINK_PORT;
  const ev = new LiveEvidence(`live: SmartLink via ${host}:${brokerPort}`, o.write, { brokerPorts: [brokerPort] }, o.continuous ? CONTINUOUS_RECORD_BYTES : undefined);
  const abort = new AbortController();
  const say = (text: string): void => o.onStep?.(text);
  let mode: 'probe' | undefined;

  const done = (async (): Promise<AnalysisReport> => {
    let broker: BrokerClient | undefined;
    let data: DataPath | undefined;
    let api: ApiClient | undefined;
    let stopPings = (): void => undefined;
    let stopUdp = (): void => undefined;
    const undo: Created[] = [];
    let report: AnalysisReport | undefined;
    try {
      // 1. The broker.
      say(`connecting to the SmartLink server ${host}:${brokerPort} …`);
      let bLocal: Endpoint = { ip: '0.0.0.0', port: 0 };
      let bRemote: Endpoint = { ip: host, port: brokerPort };
      try {
        broker = await BrokerClient.connect({ host, port: brokerPort, timeoutMs: 10_000, ...(o.brokerTls ? { tls: o.brokerTls } : {}) });
      } catch (e) {
        if (e instanceof BrokerError && e.certificate) ev.analyzer.control.broker.certificateRefused = e.message;
        ev.tcpOpen(bLocal, bRemote, true);
        ev.step('smartlink-server', `no TLS session with ${host}:${brokerPort}: ${e instanceof Error ? e.message : String(e)}`);
        say(`SmartLink server unreachable: ${e instanceof Error ? e.message : String(e)}`);
        return (report = ev.report());
      }
      const b = broker;
      bLocal = b.local;
      bRemote = b.remote;
      ev.tcpOpen(bLocal, bRemote, true);
      b.onText((dir, text) => (dir === 'out' ? ev.tcpText(bLocal, bRemote, text) : ev.tcpText(bRemote, bLocal, text)));
      ev.step('smartlink-server', `TLS to ${host}:${brokerPort}, server certificate verified`);

      let radios: BrokerRadio[];
      try {
        radios = (await b.register(o.token)).radios;
      } catch (e) {
        ev.step('smartlink-server', e instanceof Error ? e.message : String(e));
        say(e instanceof Error ? e.message : String(e));
        return (report = ev.report());
      }
      ev.step('smartlink-server', `logged in; ${radios.length} radio(s) on this account`);
      const radio = o.serial ? radios.find((r) => r.serial === o.serial) : radios[0];
      if (!radio) {
        ev.step('radio-registration', o.serial ? `radio ${o.serial} is not on this account’s list` : 'no radio on this account’s list');
        say('the SmartLink server lists no such radio');
        return (report = ev.report());
      }
      say(`radio ${radio.fields.get('model') ?? ''} ${radio.serial} at ${radio.fields.get('public_ip') ?? '?'}`);

      // 2. The radio's router, as the broker tests it.
      say('asking the SmartLink server to test the radio’s ports …');
      const test = await b.testConnection(radio.serial).catch((e: unknown) => {
        ev.step('radio-forwarding', `test_connection: ${e instanceof Error ? e.message : String(e)}`);
        return undefined;
      });
      if (test) ev.step('radio-forwarding', 'test_connection answered');

      // 3. A GUI slot: a remote session is a GUI client (reference §5.8). Decided from the radio list
      // before anything touches the radio; a missing licensed_clients is FlexLib's default (preflight.ts).
      const listed: RadioFacts = { guiClients: [], messages: [], beaconSeen: false, ...factsFromRadioList(radio.fields) };
      ev.step('control', describeFacts(listed)[0]!.replace('no beacon; status lines only', 'SmartLink radio list'));
      const decision = decideMode(listed, 'probe', o.audio === true);
      if (decision.mode === 'observer') {
        for (const [hop, why] of NO_SLOT) ev.analyzer.markNotTested(hop, `${why} (${decision.why})`);
        say(`${decision.why}: stopping after the port test`);
        return (report = ev.report());
      }

      // 4. Ports, FlexLib's choice (§6.4), and the brokered session.
      const choice = choosePorts(radio);
      const publicIp = radio.fields.get('public_ip') ?? '';
      data = await openDataPath(ev, { ...(o.flexlibRange !== undefined ? { flexlibRange: o.flexlibRange } : {}), ...(o.dataHost ? { host: o.dataHost } : {}) });
      const punch = choice.mode === 'hole-punch' ? data.socket.local.port : 0;
      const tlsPort = choice.mode === 'hole-punch' ? punch : choice.tlsPort;
      const udpPort = choice.mode === 'hole-punch' ? punch : choice.udpPort;
      ev.step('radio-forwarding', choice.mode === 'hole-punch' ? `no forwarded or UPnP ports: hole punching on port ${punch}` : `using the ${choice.mode === 'forward' ? 'forwarded' : 'UPnP'} ports: TLS ${tlsPort}, UDP ${udpPort}`);
      ev.analyzer.control.addApiPort(tlsPort);
      const handle = await b.connectRadio(radio.serial, punch).catch((e: unknown) => {
        ev.step('radio-registration', `application connect: ${e instanceof Error ? e.message : String(e)}`);
        return undefined;
      });
      if (handle === undefined) return (report = ev.report());
      ev.step('radio-registration', 'the SmartLink server brokered the session (connect_ready)');

      // 5. TLS to the radio, `wan validate` first.
      api = await connectControl(ev, data, { host: publicIp, port: tlsPort, tls: true, ...(punch ? { localPort: punch, ...(o.dataHost ? { localAddress: o.dataHost } : {}) } : {}), say });
      if (!api) return (report = ev.report());
      const a = api;
      await noteLocalFacts(ev, { radio: publicIp, bound: data.socket.local, controlSource: a.local.ip, radioPort: udpPort, flow: 'established' });
      const cmd = commander(a, say, (c) => ev.gaveUp(c));
      // FlexLib and AetherSDR do not wait for this reply (reference §11): a refusal counts, silence does not.
      const validating = cmd(`wan validate handle=${handle}`).catch(() => undefined);
      const validated = await Promise.race([validating, sleep(WAN_VALIDATE_WAIT_MS).then(() => 'silent' as const)]);
      if (validated === undefined || a.closed || (validated !== 'silent' && validated.code !== 0)) {
        ev.step('control', 'the radio refused `wan validate`');
        await sleep(300);
        return (report = ev.report());
      }
      if (validated === 'silent') ev.step('control', `no reply to \`wan validate\` within ${WAN_VALIDATE_WAIT_MS / 1000} s; going on as FlexLib does`);
      // V/H may arrive before or after `wan validate` (reference §5.2, UNCONFIRMED); wait for them either way.
      await a.waitForPrologue(5000);
      const operators = trackGuiClients(a);
      await cmd('client ip');
      await cmd('client program FlexPath');
      await cmd('sub client all');
      // Stopped while connecting: no GUI slot taken, no pan made only to be removed again.
      if (abort.signal.aborted) return (report = ev.report());
      await cmd('client start_persistence off');
      const gui: Reply = await cmd('client gui');
      if (gui.code !== 0) {
        await becomeObserver(cmd, ev, operators);
        ev.step('stream-setup', 'the radio refused a GUI session: observer mode (meters only)');
      } else {
        mode = 'probe';
        await cmd(`client set enforce_network_mtu=1 network_mtu=${o.mtu ?? SMARTSDR_DEFAULT_MTU}`);
      }
      await cmd('sub meter all');
      data.requested('data:meter');
      await cmd('keepalive enable');
      stopPings = startPings(a);

      // 6. UDP registration until the first VITA-49 datagram, then keep-open pings.
      const udp = registerUdp(ev, data, { ip: publicIp, port: udpPort }, a.handle ?? 0, say);
      stopUdp = udp.stop;
      // Streams need the radio to know where to send (else 0x50000064): wait for the meters to arrive.
      const flowing = await Promise.race([udp.flowing, sleep(FIRST_DATA_WAIT_MS).then(() => false)]);
      if (!flowing) say(`no data ${FIRST_DATA_WAIT_MS / 1000} s after the first UDP registration`);
      if (mode === 'probe' && !abort.signal.aborted) await createProbeStreams(a, cmd, ev, data, { audio: decision.audio, ...(decision.audioWhy ? { audioWhy: decision.audioWhy } : {}) }, undo);
      report = await watchAndReport(ev, data, a, o, 25, abort.signal, say);
      // The same steps as on the LAN: a tunnel at either end of a SmartLink path drops the large packets alike.
      if (mode === 'probe' && !o.noMtuStep && !a.closed) report = await stepAfterRun(ev, cmd, data, report, { mtu: o.mtu ?? SMARTSDR_DEFAULT_MTU, signal: abort.signal, closed: () => a.closed, say });
      return report;
    } catch (e) {
      return (report = failedReport(ev, e));
    } finally {
      stopPings();
      stopUdp();
      // Streams removed and the client gone, the radio stops; its last packets land before the socket closes.
      const tidy = await tidyUp(api, undo);
      broker?.close();
      await data?.drained();
      await data?.close();
      await ev.close();
      noteTidy(report, tidy);
    }
  })();

  return { evidence: ev, mode: () => mode, done, stop: async () => (abort.abort(), done) };
}

/**
 * FlexLib's WAN UDP start (reference §5.7): `client udp_register handle=0x<HANDLE>` (upper-case hex, no
 * padding) every 50 ms until a Flex datagram arrives, then `client ping handle=0x…` every 5 s.
 */
function registerUdp(ev: LiveEvidence, data: DataPath, radio: Endpoint, handle: number, say: (t: string) => void): { stop(): void; flowing: Promise<boolean> } {
  const h = handle.toString(16).toUpperCase();
  const send = (text: string): void => {
    const payload = Buffer.from(text, 'latin1');
    // Recorded once the kernel took it: a datagram an outbound firewall refused never left this computer.
    data.socket.send(payload, radio, (e) => (e ? ev.sendRefused(radio, e.code ?? e.message) : ev.udp(data.localEndpoint(), radio, payload)));
  };
  const scan = newScan();
  let flowing = false;
  let arrived: (yes: boolean) => void = () => undefined;
  const first = new Promise<boolean>((resolve) => (arrived = resolve));
  const onFirst = (msg: Buffer): void => {
    if (flowing || !scanPacket(msg, scan) || scan.oui !== FLEX_OUI) return;
    flowing = true;
    arrived(true);
    clearInterval(register);
    ev.step('udp-return', `first VITA-49 datagram after ${sent} udp_register datagram(s)`);
    say('UDP registration answered: data is flowing');
  };
  data.socket.socket.on('message', onFirst);
  let sent = 0;
  const registerOnce = (): void => {
    sent++;
    send(`client udp_register handle=0x${h}`);
  };
  registerOnce();
  const register = setInterval(registerOnce, REGISTER_MS);
  const ping = setInterval(() => {
    if (flowing) send(`client ping handle=0x${h}`);
  }, UDP_PING_MS);
  ev.step('udp-return', `registering UDP from port ${data.socket.local.port} to ${radio.ip}:${radio.port} every ${REGISTER_MS} ms`);
  return {
    flowing: first,
    stop() {
      clearInterval(register);
      clearInterval(ping);
      data.socket.socket.off('message', onFirst);
      arrived(false);
    },
  };
}
