/**
 * What every live diagnosis shares once its control channel is up: the data socket (plus a few
 * sentinel sockets on the neighbouring ports, to catch data a NAT or a wrong setting sends beside the
 * announced port), pings once a second as FlexLib sends them, first-packet latency per class, and the
 * loop that ends the run as soon as every hop is decided.
 */
import type { RemoteInfo } from 'node:dgram';
import { ApiClient, ApiError, type ConnectOptions } from '../api/client.js';
import type { AnalysisReport, Hop, HopId } from '../analysis/model.js';
import { FINAL_WHEN_CALLED, MAY_COME_BACK, OUTAGE_MIN_S, STOPPED_AFTER_S } from '../analysis/rules.js';
import type { Endpoint } from '../capture/types.js';
import { gatherLocalFacts, probeFor } from '../local/gather.js';
import type { LocalFacts } from '../local/types.js';
import { classifyCodes } from '../vita/classes.js';
import { newScan, scanPacket } from '../vita/scan.js';
import { type DataSocket, openDataSocket } from './data-socket.js';
import type { LiveEvidence } from './live.js';

export type DiagnoseMode = 'auto' | 'observer' | 'probe';

export interface Diagnosis {
  evidence: LiveEvidence;
  /** The mode in effect, once decided. */
  mode(): 'observer' | 'probe' | undefined;
  /** Settles with the final report (computed before FlexPath tidies up). */
  done: Promise<AnalysisReport>;
  /** Stops early; resolves when everything FlexPath created is removed and the connection is closed. */
  stop(): Promise<AnalysisReport>;
}

/** How long a flowing session is watched for loss and jitter figures before the run ends (issue target ≤ 10 s). */
const SETTLE_S = 10;
const SENTINELS = 3;
/**
 * Silence that means the radio has stopped sending to us: meters alone come ~28 times a second
 * (reference §3.3, observed), so 0.5 s without a datagram is ≥ 14 missing meter packets — stopped, not a gap —
 * and it covers a one-way delay up to 0.5 s (satellite paths are ~0.3 s).
 */
const DRAIN_QUIET_MS = 500;
/** A radio that goes on sending (another client's streams to this port) does not hold the exit longer. */
const DRAIN_MAX_MS = 3000;
const PING_MS = 1000;
const DECIDE_MS = 250;

const HOP_OF_KIND: Record<string, HopId> = {
  meter: 'data:meter',
  panadapter: 'data:panadapter',
  waterfall: 'data:waterfall',
  audio: 'data:audio',
  'dax-iq': 'data:dax',
};

export interface DataPath {
  socket: DataSocket;
  sentinels: DataSocket[];
  /**
   * The address the radio sends to — the control connection's local IP (reference §5.7) — recorded as
   * the datagrams' destination, since the socket itself listens on every address.
   */
  setLocalIp(ip: string): void;
  /** The data socket as the radio addresses it. */
  localEndpoint(): Endpoint;
  /**
   * Datagrams another of our sockets receives on `port`, taken in as a sentinel's: the discovery
   * listener holds 4992 — the port next to FlexLib's first data port — so no sentinel can bind there.
   */
  receiverAt(port: number): (payload: Buffer, from: RemoteInfo) => void;
  /** When each data hop was asked for (performance.now() ms), for first-packet latency. */
  requested(hop: HopId): void;
  /**
   * Resolves once no datagram has arrived for DRAIN_QUIET_MS (or after DRAIN_MAX_MS): the radio's last
   * packets are still on the way when it stops sending, and a socket closed under them makes this
   * computer answer each with ICMP port-unreachable — which a capture then shows as a firewall.
   */
  drained(): Promise<void>;
  close(): Promise<void>;
}

/** Binds the data socket (and sentinels) and feeds every datagram into the evidence. */
export async function openDataPath(ev: LiveEvidence, o: { host?: string; port?: number; flexlibRange?: boolean }): Promise<DataPath> {
  const asked = new Map<HopId, number>();
  let localIp: string | undefined;
  const seen = new Set<HopId>();
  const scan = newScan();
  let lastArrival = performance.now();
  const receiver = (local: () => Endpoint) => (payload: Buffer, from: RemoteInfo): void => {
    lastArrival = performance.now();
    const src = { ip: from.address.replace(/^::ffff:/, ''), port: from.port };
    const me = local();
    ev.udp(src, localIp !== undefined ? { ip: localIp, port: me.port } : me, payload);
    if (!scanPacket(payload, scan) || !scan.hasClassId) return;
    const hop = HOP_OF_KIND[classifyCodes(scan.oui, scan.packetClassCode).kind];
    if (hop === undefined || seen.has(hop)) return;
    seen.add(hop);
    const at = asked.get(hop);
    ev.step(hop, `first packet from ${src.ip}:${src.port}${at !== undefined ? `, ${((performance.now() - at) / 1000).toFixed(2)} s after it was requested` : ''}`);
  };
  let main: DataSocket | undefined;
  main = await openDataSocket({
    ...(o.host ? { host: o.host } : {}),
    ...(o.port !== undefined ? { port: o.port } : {}),
    ...(o.flexlibRange !== undefined ? { flexlibRange: o.flexlibRange } : {}),
    onMessage: receiver(() => main?.local ?? { ip: '0.0.0.0', port: 0 }),
  });
  const sentinels: DataSocket[] = [];
  for (let i = 1; i <= SENTINELS; i++) {
    let s: DataSocket | undefined;
    try {
      s = await openDataSocket({ host: o.host ?? '0.0.0.0', port: main.local.port + i, onMessage: receiver(() => s?.local ?? { ip: '0.0.0.0', port: 0 }) });
      sentinels.push(s);
    } catch {
      // Taken by someone else: that port simply is not watched.
    }
  }
  const m = main;
  return {
    socket: m,
    sentinels,
    requested: (hop) => asked.set(hop, performance.now()),
    setLocalIp: (ip) => {
      localIp = ip;
    },
    localEndpoint: () => ({ ip: localIp ?? m.local.ip, port: m.local.port }),
    receiverAt: (port) => receiver(() => ({ ip: m.local.ip, port })),
    async drained() {
      const until = performance.now() + DRAIN_MAX_MS;
      while (performance.now() - lastArrival < DRAIN_QUIET_MS && performance.now() < until) await sleep(DRAIN_QUIET_MS / 5);
    },
    async close() {
      for (const s of sentinels) await s.close();
      await m.close();
    },
  };
}

/** `ping ms_timestamp=…` once a second, as non-Maestro FlexLib clients send it (reference §5.5). */
export function startPings(api: ApiClient): () => void {
  const t0 = performance.now();
  const timer = setInterval(() => {
    if (!api.closed) api.send(`ping ms_timestamp=${(performance.now() - t0).toFixed(4)}`);
  }, PING_MS);
  return () => clearInterval(timer);
}

/**
 * A blocked hop whose rule has no bar of its own (one broken frame before any completes, a datagram at a
 * sentinel) stands only after this much of the stream setup: the fixed grace every blocked call had
 * before the rules carried their own evidence (empirical: at 25 frames/s, 2 s is 50 frames).
 */
export const COUNTED_BLOCK_AFTER_S = 2;

/**
 * True once the verdict cannot change by waiting: a hop is blocked by a rule with its own bar of evidence
 * (FINAL_WHEN_CALLED: silence once an open path would have delivered, P < SILENCE_ALPHA; the MTU
 * signature), another blocked hop has had COUNTED_BLOCK_AFTER_S, or everything requested flows and has
 * been watched for `settleS`.
 *
 * Data that flowed and went silent (MAY_COME_BACK: STOPPED_AFTER_S of silence) is no verdict yet: if it
 * comes back, the silence was an outage, as the capture of the same session says. So a stopped hop ends
 * the run only at the settle time — the run's normal length — and there a silence in progress of
 * OUTAGE_MIN_S or more (`silentS`: since the last datagram of data that flowed) holds the run until the
 * data comes back (an outage) or has been silent STOPPED_AFTER_S (stopped). The run's hard limit bounds
 * both waits.
 */
export function decided(hops: Hop[], setupAgeS: number, settleS: number, silentS = 0): boolean {
  if (hops.some((h) => h.status === 'blocked' && FINAL_WHEN_CALLED.has(h.rule))) return true;
  if (setupAgeS < COUNTED_BLOCK_AFTER_S) return false;
  if (hops.some((h) => h.status === 'blocked' && !MAY_COME_BACK.has(h.rule))) return true;
  if (setupAgeS < settleS) return false;
  return silentS < OUTAGE_MIN_S || silentS >= STOPPED_AFTER_S;
}

interface RunUntil {
  /** performance.now() of stream setup; the decision clock starts there. */
  setupAt(): number | undefined;
  signal?: AbortSignal;
  /** Hard limit for the whole run, s. */
  maxS: number;
  settleS: number;
  /** Keep going until aborted (the UI), never ending on a decision. */
  continuous: boolean;
  /** Resolves early when the control channel drops. */
  closed(): boolean;
}

/** Waits until the run is decided, aborted, timed out or its control channel is gone. Returns why. */
async function runUntilDecided(ev: LiveEvidence, o: RunUntil): Promise<'decided' | 'aborted' | 'timeout' | 'closed'> {
  const started = performance.now();
  for (;;) {
    if (o.signal?.aborted) return 'aborted';
    if (performance.now() - started >= o.maxS * 1000) return 'timeout';
    if (o.closed()) {
      // Let the last lines and datagrams land before judging.
      await sleep(200);
      return 'closed';
    }
    const setup = o.setupAt();
    if (!o.continuous && setup !== undefined) {
      const ageS = (performance.now() - setup) / 1000;
      // The silence in progress matters only from the settle time on (and costs a second pass over the facts).
      if (decided(ev.judge().hops, ageS, o.settleS, ageS >= o.settleS ? ev.silentS() : 0)) return 'decided';
    }
    await sleep(DECIDE_MS, o.signal);
  }
}

function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const wake = (): void => {
      clearTimeout(t);
      signal?.removeEventListener('abort', wake);
      resolve();
    };
    const t = setTimeout(wake, ms);
    signal?.addEventListener('abort', wake, { once: true });
  });
}

type LocalQuery = { radio: string; bound?: Endpoint; controlSource?: string; radioPort?: number; flow?: 'new' | 'established'; bindError?: { port: number; code: string } };

/** What each run's local facts were read for, to read them again when the data stops (watchAndReport). */
const localQueries = new WeakMap<LiveEvidence, LocalQuery>();

/**
 * Reads this computer's side of the path (src/local: route, adapters, who holds the radio's ports, host
 * firewall) once the addresses are known, keeps it with the evidence for the rules and the report, and
 * notes the essentials as timed steps.
 */
export async function noteLocalFacts(ev: LiveEvidence, o: LocalQuery): Promise<LocalFacts> {
  localQueries.set(ev, o);
  const f = await gatherLocalFacts(probeFor(), {
    radio: o.radio,
    ...(o.bound ? { bound: o.bound } : {}),
    ...(o.controlSource ? { controlSource: o.controlSource } : {}),
    ...(o.radioPort ? { radioPort: o.radioPort } : {}),
    ...(o.flow ? { flow: o.flow } : {}),
    ...(o.bindError ? { bindError: o.bindError } : {}),
  });
  ev.analyzer.local = f;
  const ifs = f.interfaces.checked ? f.interfaces.list : [];
  if (f.route.checked) {
    const r = f.route.value;
    const i = ifs.find((x) => x.name === r.interface);
    ev.step('udp-return', `this computer: the route to ${o.radio} leaves by ${r.interface}${i ? ` (${i.kind}${i.mtu ? `, MTU ${i.mtu}` : ''})` : ''}${r.source ? ` from ${r.source}` : ''}${f.bound ? `; FlexPath's data socket is ${f.bound.ip}:${f.bound.port}${f.bound.interface ? ` on ${f.bound.interface}` : ''}` : ''}`);
  } else ev.step('udp-return', `this computer: route to ${o.radio} not checked (${f.route.reason})`);
  for (const fw of f.firewalls) {
    if (!fw.checked) ev.step('udp-return', `host firewall ${fw.tool}: ${fw.reason}`);
  }
  return f;
}

export interface ControlOptions {
  host: string;
  port: number;
  /** TLS to the radio's WAN port; FlexLib does not verify the radio's certificate (reference §6.5). */
  tls?: boolean;
  /** Local port and address (hole punching). */
  localPort?: number;
  localAddress?: string;
  /** Every line from the first, before any command is sent (the connect burst). */
  onLine?: ConnectOptions['onLine'];
  say(text: string): void;
}

/**
 * Opens the API connection with every byte going into the evidence; on failure the attempt itself is
 * the evidence (a connection with no answer) and undefined is returned.
 */
export async function connectControl(ev: LiveEvidence, data: DataPath | undefined, o: ControlOptions): Promise<ApiClient | undefined> {
  const what = o.tls ? 'TLS' : 'TCP';
  let local: Endpoint = { ip: '0.0.0.0', port: o.localPort ?? 0 };
  let remote: Endpoint = { ip: o.host, port: o.port };
  o.say(`connecting to ${o.host}:${o.port} (${what}) …`);
  let api: ApiClient;
  try {
    api = await ApiClient.connect({
      host: o.host,
      port: o.port,
      timeoutMs: 5000,
      waitForPrologue: !o.tls,
      ...(o.tls ? { tls: { rejectUnauthorized: false } } : {}),
      ...(o.localPort ? { localPort: o.localPort } : {}),
      ...(o.localAddress ? { localAddress: o.localAddress } : {}),
      ...(o.onLine ? { onLine: o.onLine } : {}),
      onOpen: (l, r) => {
        local = l;
        remote = r;
        data?.setLocalIp(l.ip);
        ev.tcpOpen(l, r, o.tls === true);
        ev.step('control', `${what} connected ${l.ip}:${l.port} → ${r.ip}:${r.port}`);
      },
      onText: (dir, text) => (dir === 'out' ? ev.tcpText(local, remote, text) : ev.tcpText(remote, local, text)),
    });
  } catch (e) {
    const why = e instanceof Error ? e.message : String(e);
    ev.connectFailed(local, remote, { code: e instanceof ApiError ? e.code : undefined, tls: o.tls === true, opened: local.ip !== '0.0.0.0' });
    ev.step('control', `could not open the control channel: ${why}`);
    o.say(`control channel failed: ${why}`);
    return undefined;
  }
  api.onClose((why) => {
    // Who closed matters: the radio ending a session mid-run is a fault, FlexPath's own tidy-up is not.
    const ours = api.closedLocally;
    ev.tcpClose(ours ? local : remote, ours ? remote : local, /RESET/i.test(why));
    ev.step('control', `control channel ended: ${why}`);
  });
  return api;
}

/** How long a diagnosis may run and watch; every walk takes these. */
export interface RunLimits {
  /** Hard limit for the whole run, s (default per walk; unlimited when continuous). */
  maxSeconds?: number;
  /** How long a flowing session is watched before the run ends (default 10 s). */
  settleSeconds?: number;
  /** Run until stopped (the UI), not until decided. */
  continuous?: boolean;
}

/**
 * Watches from now until decided, then takes the report — before anything is torn down, which would
 * change it.
 */
export async function watchAndReport(ev: LiveEvidence, data: DataPath, api: ApiClient, limits: RunLimits, defaultMaxS: number, signal: AbortSignal, say: (t: string) => void): Promise<AnalysisReport> {
  const settleS = limits.settleSeconds ?? SETTLE_S;
  const maxS = limits.maxSeconds ?? (limits.continuous ? Infinity : defaultMaxS);
  const continuous = limits.continuous === true;
  const setupAt = performance.now();
  say(`watching the data plane (up to ${settleS} s) …`);
  const why = await runUntilDecided(ev, { setupAt: () => setupAt, signal, maxS, settleS, continuous, closed: () => api.closed });
  // The moment of judgement on the wire: a run decided on silence may have exchanged nothing since the
  // streams were set up, and its recording (paused before any MTU steps) must not end before the verdict.
  if (why === 'decided' && !api.closed) await api.command(`ping ms_timestamp=${performance.now().toFixed(4)}`).catch(() => undefined);
  await relookAfterStop(ev);
  if (why === 'timeout') ev.analyzer.warn(`stopped after ${maxS} s before every hop was decided`);
  if (why === 'aborted' && !continuous) ev.analyzer.warn('stopped by the user before every hop was decided');
  const drops = await data.socket.kernelDrops();
  if (drops) ev.analyzer.warn(`this computer’s kernel dropped ${drops} datagram(s) at FlexPath’s socket (receive buffer full): loss figures include them`);
  const report = ev.report();
  if (why === 'decided') say(`verdict ${((performance.now() - setupAt) / 1000).toFixed(1)} s after the streams were set up: ${report.verdict.summary}`);
  return report;
}

/**
 * Data that flowed and stopped while the session went on: this computer's side is read again, since it
 * was read before the data flowed (noteLocalFacts) and a firewall that changed since — a network moved to
 * the Public profile, a VPN client or security suite loading its rules — is what the data meets now. Only
 * then: the reading spawns tools and walks /proc, which must not delay datagrams being timed.
 */
async function relookAfterStop(ev: LiveEvidence): Promise<void> {
  const q = localQueries.get(ev);
  if (!q || ev.judge().hops.find((h) => h.id === 'udp-return')?.rule !== 'udp-return-stopped') return;
  const f = await gatherLocalFacts(probeFor(), q);
  ev.analyzer.local = f;
  ev.step('udp-return', 'this computer’s firewall read again after the data stopped');
}

/** An unexpected failure mid-walk still yields what was found, with the failure named. */
export function failedReport(ev: LiveEvidence, e: unknown): AnalysisReport {
  ev.analyzer.warn(`diagnosis stopped by an error: ${e instanceof Error ? e.message : String(e)}`);
  return ev.report();
}

/**
 * What the walk did to leave the radio as it found it, appended to the stream-setup evidence. Removal
 * that failed is said plainly: what was left, and that the radio drops a client's objects when that
 * client disconnects or times out (15 s without a ping after `keepalive enable`, reference §11).
 */
export function noteTidy(report: AnalysisReport | undefined, tidy: { done: string[]; left: string[]; connectionGone?: string }): void {
  const hop = report?.hops.find((h) => h.id === 'stream-setup');
  if (!report || !hop) return;
  if (tidy.left.length > 0) {
    const text = `FlexPath could not remove ${tidy.left.join(', ')}${tidy.connectionGone ? ` (the control connection was ${tidy.connectionGone})` : ''}: the radio drops what a client created when that client disconnects or times out`;
    hop.evidence.push(text);
    report.warnings.push(text);
  }
  if (tidy.done.length > 0) hop.evidence.push(`afterwards: ${tidy.done.join('; ')}`);
}
