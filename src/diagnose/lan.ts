/**
 * `flexpath diagnose --host IP`: walks the path a SmartSDR client walks on a LAN or VPN — discovery,
 * TCP 4992, stream setup, UDP — and watches where packets stop (issue: live diagnosis; reference §5).
 *
 * Two modes, never hidden from the user:
 * - observer: a non-GUI client bound to the operator's GUI client. It only subscribes to meters, which
 *   prove the small-packet UDP path, and changes nothing of the operator's. What it cannot prove (the
 *   large-packet MTU path, audio) is reported as not tested.
 * - probe: a GUI client (only with a free GUI slot) that creates a small panafall — its waterfall tiles
 *   are ~1436-byte DF packets, the MTU probe — and an Opus stream, then removes everything it created.
 * Either way it disconnects cleanly, also when stopped or failing half-way.
 */
import type { RemoteInfo } from 'node:dgram';
import { REPLY, formatCode } from '../api/codes.js';
import type { ApiClient } from '../api/client.js';
import type { AnalysisReport } from '../analysis/model.js';
import type { Endpoint } from '../capture/types.js';
import { listenForRadios, type DiscoveryListener, DISCOVERY_PORT, type SeenRadio } from './discovery.js';
import { CONTINUOUS_RECORD_BYTES, LiveEvidence } from './live.js';
import { becomeObserver, commander, createProbeStreams, tidyUp, trackGuiClients } from './probe.js';
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
  /** Progress lines for a terminal. */
  onStep?(text: string): void;
}


export function startLanDiagnosis(o: LanOptions): Diagnosis {
  const port = o.port ?? 4992;
  const requestedMode = o.mode ?? 'auto';
  const ev = new LiveEvidence(`live: LAN ${o.host}:${port}`, o.write, { apiPorts: [port] }, o.continuous ? CONTINUOUS_RECORD_BYTES : undefined);
  const abort = new AbortController();
  let mode: 'observer' | 'probe' | undefined;
  const say = (text: string): void => o.onStep?.(text);

  const done = (async (): Promise<AnalysisReport> => {
    let discovery: DiscoveryListener | undefined;
    let data: DataPath | undefined;
    let api: ApiClient | undefined;
    let stopPings = (): void => undefined;
    const created: string[] = [];
    let report: AnalysisReport | undefined;
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

      api = await connectControl(ev, data, { host: o.host, port, say });
      if (!api) {
        // A wrong --host is the commonest cause: give the radios on this LAN time to announce themselves.
        if (discovery) await beaconsBesides(discovery, o.host, ev, say);
        return (report = ev.report());
      }
      const a = api;
      const local = a.local;
      const remote = a.remote;
      say(`connected: radio API V${a.version}, our handle 0x${(a.handle ?? 0).toString(16).toUpperCase()}`);

      const operators = trackGuiClients(a);
      const cmd = commander(a, say);
      // First, as FlexLib does (reference §5.6): the address the radio sees us at — another than our own
      // means a NAT between us, and the radio's data goes to it.
      await cmd('client ip');
      await cmd('client program FlexPath');
      await cmd('sub client all');
      const beaconGui = discovery?.radios().find((r) => r.from.ip === remote.ip || r.beacon.ip === remote.ip)?.beacon.guiClients.length ?? 0;
      const operator = operators.size > 0 || beaconGui > 0;

      mode = requestedMode === 'observer' || (requestedMode === 'auto' && operator) ? 'observer' : 'probe';
      if (mode === 'probe') {
        // No saved session restored for us: everything the probe owns, it creates (reference §5.6).
        await cmd('client start_persistence off');
        const gui = await cmd('client gui');
        if (gui.code !== 0) {
          mode = 'observer';
          ev.step('stream-setup', `no GUI slot free (client gui → ${formatCode(gui.code)}): falling back to observer mode`);
        }
      }
      ev.step('stream-setup', mode === 'probe' ? 'probe mode: a GUI client with its own small panafall and Opus stream, removed afterwards' : `observer mode: a non-GUI client${operator ? ' beside the operator’s session' : ''}; nothing of the operator’s is changed`);
      say(`mode: ${mode}${operator ? ' (an operator is connected)' : ''}`);
      if (mode === 'observer') await becomeObserver(cmd, ev, operators);
      // Full-size packets, so the waterfall tiles are the ~1436-byte MTU probe (reference §3.2).
      else await cmd('client set enforce_network_mtu=1 network_mtu=1500');
      await cmd('sub meter all');
      data.requested('data:meter');
      const udpport = await cmd(`client udpport ${data.socket.local.port}`);
      if (udpport.code === REPLY.portInUse) say('  another client on this computer already uses that UDP port with this radio');
      await cmd('keepalive enable');
      stopPings = startPings(a);
      await noteLocalFacts(ev, { radio: remote.ip, bound: data.socket.local, controlSource: local.ip });
      if (mode === 'probe') created.push(...(await createProbeStreams(cmd, data, o.probePixels)));
      report = await watchAndReport(ev, data, a, o, 20, abort.signal, say);
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
export const BEACON_WAIT_MS = 2500;

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
