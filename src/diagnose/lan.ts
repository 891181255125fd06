/**
 * `flexpath diagnose --host IP`: walks the path a SmartSDR client walks on a LAN or VPN — discovery,
 * TCP 4992, stream setup, UDP — and watches where packets stop (issue: live diagnosis; reference §5).
 *
 * Two modes, never hidden from the user:
 * - observer: a non-GUI client bound to the operator's GUI client. It only subscribes to meters, which
 *   prove the small-packet UDP path, and changes nothing of the operator's. What it cannot prove (the
 *   large-packet MTU path, audio) is reported as not tested.
 * - probe: a GUI client (only with a free GUI slot) that creates a small panafall — its waterfall tiles
 *   are the large DF packets, the MTU probe — and an Opus stream, then removes everything it created.
 * Which one is decided before `client gui`, from the beacon, the status lines and the M lines
 * (preflight.ts): `client gui` is the step that could disturb an operator. Either way it disconnects
 * cleanly, also when stopped or failing half-way, and never sends a transmit command.
 */
import type { RemoteInfo } from 'node:dgram';
import { REPLY, formatCode } from '../api/codes.js';
import { setTimeout as sleep } from 'node:timers/promises';
import type { ApiClient } from '../api/client.js';
import type { AnalysisReport } from '../analysis/model.js';
import type { Endpoint } from '../capture/types.js';
import { listenForRadios, type DiscoveryListener, DISCOVERY_PORT, type SeenRadio } from './discovery.js';
import { CONTINUOUS_RECORD_BYTES, LiveEvidence } from './live.js';
import { type RadioBeacon } from '../vita/payload/discovery.js';
import { SMARTSDR_DEFAULT_MTU, stepAfterRun } from './mtu-step.js';
import { type RadioFacts, decideMode, describeFacts, factsFromBeacon, firmwareFromVersionReply, mergeGuiClients, radioFactsCollector } from './preflight.js';
import { becomeObserver, commander, type Created, createProbeStreams, tidyUp, trackGuiClients } from './probe.js';
import { connectControl, type DataPath, type DiagnoseMode, type Diagnosis, noteLocalFacts, openDataPath, failedReport, noteTidy, type RunLimits, startPings, watchAndReport } from './walk.js';

export interface LanOptions extends RunLimits {
  host: string;
  port?: number;
  mode?: DiagnoseMode;
  /** Record what FlexPath sent and received as pcapng. */
  write?: string;
  /** Data socket: FlexLib's 4991…6010 (default), or false for any free port. */
  flexlibRange?: boolean;
  /** Address the data socket binds to (default every address). */
  dataHost?: string;
  /**
   * Bind exactly this UDP port, as the user's client does (SmartSDR binds 4991): when another program
   * holds it, the run says which (reference §12 #10) instead of moving to the next free port.
   */
  dataPort?: number;
  /** Where beacons arrive (default 4992); false: do not listen. */
  discoveryPort?: number | false;
  /** Pan size for the probe's panafall (default FlexLib's 100 × 100). */
  probePixels?: { x: number; y: number };
  /** The beacon the caller already has for this host (the CLI's discovery), so it need not be awaited. */
  beacon?: RadioBeacon;
  /** Client MTU to probe at, as the user's SmartSDR sets it (default SmartSDR v4's 1450). */
  mtu?: number;
  /** Open an audio stream even where it would mute the radio's own outputs. */
  audio?: boolean;
  /** Leave the client MTU as it is when large packets vanish (no 1500 → 1300 steps after the run). */
  noMtuStep?: boolean;
  /** Progress lines for a terminal. */
  onStep?(text: string): void;
}


/** The beacon of `host`, from the caller or the listener, waiting until `deadline` (performance.now()). */
async function beaconOf(host: string, o: LanOptions, discovery: DiscoveryListener | undefined, deadline: number): Promise<RadioBeacon | undefined> {
  if (o.beacon) return o.beacon;
  for (;;) {
    const r = discovery?.radios().find((x) => x.from.ip === host || x.beacon.ip === host);
    if (r || !discovery || performance.now() >= deadline) return r?.beacon;
    await sleep(100);
  }
}

export function startLanDiagnosis(o: LanOptions): Diagnosis {
  const port = o.port ?? 4992;
  const requestedMode = o.mode ?? 'auto';
  const ev = new LiveEvidence(`live: LAN ${o.host}:${port}`, o.write, { apiPorts: [port] }, o.continuous ? CONTINUOUS_RECORD_BYTES : undefined);
  const abort = new AbortController();
  let mode: 'observer' | 'probe' | undefined;
  const say = (text: string): void => o.onStep?.(text);
  const mtu = o.mtu ?? SMARTSDR_DEFAULT_MTU;

  const done = (async (): Promise<AnalysisReport> => {
    let discovery: DiscoveryListener | undefined;
    let data: DataPath | undefined;
    let api: ApiClient | undefined;
    let stopPings = (): void => undefined;
    const created: Created[] = [];
    let report: AnalysisReport | undefined;
    const beaconDeadline = performance.now() + BEACON_WAIT_MS;
    try {
      // Until the data path is open, what reaches the discovery port is recorded as it came.
      let atDiscovery = (payload: Buffer, from: RemoteInfo, to: Endpoint): void => ev.udp({ ip: from.address, port: from.port }, to, payload);
      if (o.discoveryPort !== false) {
        discovery = await listenForRadios({
          port: o.discoveryPort ?? DISCOVERY_PORT,
          onDatagram: (payload, from, to) => atDiscovery(payload, from, to),
        }).catch(() => undefined);
      }
      try {
        data = await openDataPath(ev, { ...(o.flexlibRange !== undefined ? { flexlibRange: o.flexlibRange } : {}), ...(o.dataHost ? { host: o.dataHost } : {}), ...(o.dataPort !== undefined ? { port: o.dataPort } : {}) });
      } catch (e) {
        const code = ((e as Error).cause as NodeJS.ErrnoException | undefined)?.code;
        if (o.dataPort === undefined || (code !== 'EADDRINUSE' && code !== 'EACCES')) throw e;
        say(`UDP ${o.dataPort} cannot be bound (${code}): looking for the program that holds it`);
        await noteLocalFacts(ev, { radio: o.host, bindError: { port: o.dataPort, code } });
        return (report = ev.report());
      }
      if (discovery) {
        // The discovery socket is the sentinel of its port: data sent there is data at this computer.
        const sentinel = data.receiverAt(discovery.port);
        atDiscovery = (payload, from) => sentinel(payload, from);
      }
      say(`data socket bound to UDP ${data.socket.local.port} (receive buffer ${Math.round(data.socket.receiveBuffer / 1024)} KiB)`);

      const seen = radioFactsCollector();
      api = await connectControl(ev, data, { host: o.host, port, say, onLine: (l) => seen.line(l) });
      if (!api) {
        // This computer's side says why it could not connect when the cause is here: no IPv4 address at all
        // on an IPv6-only network (the radio is IPv4-only, reference §12 #15), a route by the wrong adapter.
        await noteLocalFacts(ev, { radio: o.host, bound: data.socket.local });
        // A wrong --host is the commonest cause: give the radios on this LAN time to announce themselves.
        if (discovery) await beaconsBesides(discovery, o.host, ev, say);
        return (report = ev.report());
      }
      const a = api;
      const local = a.local;
      const remote = a.remote;
      say(`connected: radio API V${a.version}, our handle 0x${(a.handle ?? 0).toString(16).toUpperCase()}`);

      const operators = trackGuiClients(a);
      const cmd = commander(a, say, (c) => ev.gaveUp(c));
      // Read before any stream is asked for: the checks spawn tools and walk /proc, which must not
      // delay the datagrams whose timing is measured.
      await noteLocalFacts(ev, { radio: remote.ip, bound: data.socket.local, controlSource: local.ip });
      // First, as FlexLib does (reference §5.6): the address the radio sees us at — another than our own
      // means a NAT between us, and the radio's data goes to it.
      await cmd('client ip');
      await cmd('client program FlexPath');
      await cmd('sub client all');
      const beacon = await beaconOf(o.host, o, discovery, beaconDeadline);
      const facts = await gatherFacts(cmd, seen.facts(a.handle), beacon, a.handle);
      for (const line of describeFacts(facts)) ev.step('control', line);

      // Stopped while connecting: no GUI slot taken, no pan made only to be removed again.
      if (abort.signal.aborted) return (report = ev.report());
      let decision = decideMode(facts, requestedMode, o.audio === true);
      mode = decision.mode;
      if (mode === 'probe') {
        // No saved session restored for us: everything the probe owns, it creates (reference §5.6).
        await cmd('client start_persistence off');
        const gui = await cmd('client gui');
        if (gui.code !== 0) {
          const msgs = seen.facts(a.handle).messages.filter((m) => !facts.messages.includes(m));
          decision = { mode: 'observer', why: `no GUI slot free (client gui → ${formatCode(gui.code)}${msgs.length ? `; ${msgs.join('; ')}` : ''}): observer mode`, audio: false };
          mode = 'observer';
        }
      }
      ev.step('stream-setup', decision.why);
      say(`mode: ${mode} — ${decision.why}`);
      if (mode === 'observer') await becomeObserver(cmd, ev, operators);
      // Packets sized as the user's client asks for them: the large ones are the MTU probe (reference §3.2).
      else await cmd(`client set enforce_network_mtu=1 network_mtu=${mtu}`);
      await cmd('sub meter all');
      data.requested('data:meter');
      const udpport = await cmd(`client udpport ${data.socket.local.port}`);
      if (udpport.code === REPLY.portInUse) say('  another client on this computer already uses that UDP port with this radio');
      await cmd('keepalive enable');
      stopPings = startPings(a);
      if (mode === 'probe' && !abort.signal.aborted) await createProbeStreams(a, cmd, ev, data, { ...(o.probePixels ? { pixels: o.probePixels } : {}), audio: decision.audio, ...(decision.audioWhy ? { audioWhy: decision.audioWhy } : {}) }, created);
      report = await watchAndReport(ev, data, a, o, 20, abort.signal, say);
      if (mode === 'probe' && !o.noMtuStep && !a.closed) report = await stepAfterRun(ev, cmd, data, report, { mtu, signal: abort.signal, closed: () => a.closed, say });
      return report;
    } catch (e) {
      return (report = failedReport(ev, e));
    } finally {
      stopPings();
      // Streams removed and the client gone, the radio stops; its last packets land before the socket closes.
      const tidy = await tidyUp(api, created);
      await data?.drained();
      await data?.close();
      await discovery?.stop();
      await ev.close();
      noteTidy(report, tidy);
    }
  })();

  return {
    evidence: ev,
    mode: () => mode,
    done,
    async stop() {
      abort.abort();
      return done;
    },
  };
}

/** Beacons come about once a second (reference §4: median 1.001 s over 83 beacons); two intervals and a half. */
const BEACON_WAIT_MS = 2500;

/** Waits (bounded) for beacons of radios at another address than `host`, and names them in the evidence. */
async function beaconsBesides(discovery: DiscoveryListener, host: string, ev: LiveEvidence, say: (t: string) => void): Promise<void> {
  const elsewhere = (): SeenRadio[] => discovery.radios().filter((r) => (r.beacon.ip ?? r.from.ip) !== host && r.from.ip !== host);
  const until = performance.now() + BEACON_WAIT_MS;
  while (elsewhere().length === 0 && performance.now() < until) await new Promise((r) => setTimeout(r, 100));
  for (const r of elsewhere()) {
    const where = `${r.beacon.ip ?? r.from.ip}:${r.beacon.port ?? 4992}`;
    const what = `${r.beacon.model ?? 'a radio'}${r.beacon.serial ? ` ${r.beacon.serial}` : ''}${r.beacon.nickname ? ` “${r.beacon.nickname}”` : ''}`;
    ev.step('control', `no radio answered at ${host}, but ${what} announces itself at ${where}: is --host right?`);
    ev.analyzer.warn(`${what} announces itself at ${where}, not at ${host}: try \`flexpath diagnose --host ${r.beacon.ip ?? r.from.ip}\``);
    say(`${what} announces itself at ${where}`);
  }
}

/** The facts before `client gui`: beacon, status lines, M lines, and the firmware version (asked when no beacon told it). */
async function gatherFacts(cmd: (c: string) => Promise<{ code: number; message: string }>, seen: ReturnType<ReturnType<typeof radioFactsCollector>['facts']>, beacon: RadioBeacon | undefined, ourHandle: number | undefined): Promise<RadioFacts> {
  const fromBeacon = factsFromBeacon(beacon);
  const facts: RadioFacts = {
    ...fromBeacon,
    ...seen,
    // mf_enable from the radio's status line, else from the beacon.
    ...(seen.multiFlex === undefined && fromBeacon.multiFlex !== undefined ? { multiFlex: fromBeacon.multiFlex } : {}),
    beaconSeen: beacon !== undefined,
    guiClients: mergeGuiClients(seen.guiClients, beacon?.guiClients ?? [], ourHandle),
  };
  if (!facts.firmware) {
    const v = await cmd('version');
    const fw = v.code === 0 ? firmwareFromVersionReply(v.message) : undefined;
    if (fw) facts.firmware = fw;
  }
  return facts;
}
