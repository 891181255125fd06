/**
 * The one typed interface between the UI and the core (DESIGN.md §3): the renderer sends Commands and
 * receives Snapshots, over Electron IPC or the web-mode WebSocket. Plain JSON only — the renderer
 * compiles this file too, so it may import nothing but other plain-type modules.
 */
import type { AnalysisReport, Hop, RadioSummary, SourceSummary, StreamKind, StreamSummary, Verdict } from '../analysis/model.js';
import type { ReportDiff } from '../analysis/diff.js';
import type { LocalFacts } from '../local/types.js';
import type { TriageRow } from '../report/triage.js';
import type { SignInView } from '../smartlink/view.js';

export type { SignInView };

/** The model's types the renderer draws: it reaches them through this interface only (DESIGN §3). */
export type { Cause, Hop, HopId, HopStatus, StreamKind, Verdict, VerdictStatus } from '../analysis/model.js';
export type { LocalFacts, LocalInterface } from '../local/types.js';
export type { ReportDiff };

/** The hops' names: one table for the reports and the UI (src/hop-label.ts imports types only). */
export { HOP_LABEL } from '../hop-label.js';

/** Faults the demo simulator can show; each maps to one or more simulator fault specs. */
export const DEMO_FAULTS = ['mtu', 'udp-blocked', 'loss', 'bandwidth', 'jitter', 'wrong-port', 'ping-timeout', 'nat-expiry'] as const;
export type DemoFault = (typeof DEMO_FAULTS)[number];

export const DEMO_FAULT_LABELS: Record<DemoFault, string> = {
  mtu: 'MTU too small (VPN/PPPoE): large packets vanish',
  'udp-blocked': 'Inbound UDP blocked (firewall / no port forward)',
  loss: 'Random packet loss (5 %)',
  bandwidth: 'Bandwidth cap (uplink too slow)',
  jitter: 'Jitter (packets arrive late and bunched)',
  'wrong-port': 'Data sent to the wrong UDP port',
  'ping-timeout': 'Radio stops answering pings',
  'nat-expiry': 'UDP stops after 10 s (NAT mapping expires)',
};

export type ExportFormat = 'markdown' | 'html' | 'bundle';
export type DiagnoseMode = 'observer' | 'probe';

export type Command =
  /** Electron only: the main process shows the native file dialog. */
  | { type: 'pick-capture' }
  /** A capture on this computer (Electron: from the dialog or a dropped file). */
  | { type: 'open-capture'; path: string }
  /** Web mode: a capture the browser uploaded first (POST /upload), by the id the server returned. */
  | { type: 'open-upload'; uploadId: string; name: string }
  /** One capture of the zip the session holds open (SessionState.archive), by its entry name. */
  | { type: 'open-entry'; entry: string }
  /** Two captures of the same setup, before and after a change → what changed, hop by hop. */
  | { type: 'diff'; before: CaptureRef; after: CaptureRef }
  | { type: 'diagnose-lan'; host?: string; mode: DiagnoseMode }
  /**
   * Without a token: the kept sign-in (renewed when expired). A pasted token (advanced) lives only in
   * memory for this one session: never stored, logged or echoed back.
   */
  | { type: 'diagnose-smartlink'; token?: string }
  /** The password goes to the sign-in server once and is kept nowhere; what comes back is a SignInView. */
  | { type: 'smartlink-sign-in'; email: string; password: string }
  | { type: 'smartlink-sign-out' }
  | { type: 'start-demo'; faults: DemoFault[] }
  | { type: 'stop' }
  | { type: 'export'; format: ExportFormat; redact: boolean };

/** A capture the page names: an upload (web mode) or a path the host granted (Electron dialog or drop). */
export type CaptureRef = { uploadId: string; name: string } | { path: string };

/**
 * One capture of a zip that holds several: its triage row (report/triage.ts, the same fields as the
 * CLI's batch table), named by its entry in the zip — the name `open-entry` takes — instead of a file.
 */
export type ArchiveRow = Omit<TriageRow, 'file'> & { entry: string };

/** A radio seen by discovery (UDP 4992 beacons) — before any analysis. */
export interface DiscoveredRadio {
  serial: string;
  model: string;
  nickname: string;
  ip: string;
  version: string;
}

export type SourceKind = 'capture' | 'lan' | 'smartlink' | 'demo';
type Phase = 'idle' | 'discovering' | 'running' | 'done' | 'error';

/** Which ways in this build can serve; the UI disables the others and says why. */
export interface Capabilities {
  capture: boolean;
  lan: boolean;
  smartlink: boolean;
  demo: boolean;
  export: boolean;
  /** Electron shows a native dialog for "Open capture…"; web mode uploads through the browser. */
  nativeDialogs: boolean;
}

/** The system of the computer FlexPath runs on, as the core knows it (never guessed from a user agent). */
export type HostPlatform = 'windows' | 'macos' | 'linux' | 'other';

export interface SessionState {
  phase: Phase;
  /** Picks the capture advice the page shows first (Windows: Wireshark/pktmon; macOS, Linux: tcpdump). */
  platform: HostPlatform;
  /**
   * Bumped by every new source (demo, capture, radio, SmartLink, and each demo run): the renderer
   * clears every panel when it changes and drops snapshots tagged with an older run.
   */
  run: number;
  source: { kind: SourceKind; label: string } | null;
  /** True whenever the data comes from the built-in simulator: the UI must say SIMULATED. */
  simulated: boolean;
  faults: DemoFault[];
  message?: string;
  capabilities: Capabilities;
  /**
   * A zip of several captures was opened: the triage of each, so the user sees at once which one is
   * broken and opens it (`open-entry`). Kept while the user goes through the zip's captures.
   */
  archive?: { label: string; rows: ArchiveRow[] };
}

/** A row of the streams table: the analyze summary plus what the reference says to expect. */
export interface StreamRow extends StreamSummary {
  /** Packets/s expected for this class on a healthy LAN (reference §3.9); undefined when it depends on settings. */
  expectedPps?: number;
  /** Mean deviation of inter-arrival time, ms, when the source measured it. */
  jitterMs?: number;
  /** Live sessions: packets/s over the last second (ratePps averages the stream's life, a restart's silence left out). */
  nowPps?: number;
}

/** One point of the per-class time series: packets/s and loss % over the last interval. */
export interface SeriesPoint {
  /** Seconds since the session started. */
  t: number;
  rate: Partial<Record<StreamKind, number>>;
  lossPct: Partial<Record<StreamKind, number>>;
}

export interface ModelSnapshot {
  type: 'model';
  source: SourceSummary;
  radios: RadioSummary[];
  hops: Hop[];
  verdict: Verdict;
  streams: StreamRow[];
  series: SeriesPoint[];
  warnings: string[];
  /**
   * This computer's side, from a live diagnosis (src/local/types.ts LocalFacts): route and adapter,
   * adapters with kind/MTU/address classes, UDP port holders, host firewall state and the rules that
   * would drop the radio's datagram. Absent for capture files.
   */
  local?: LocalFacts;
}

interface FftFrameView {
  frameIndex: number;
  bins: number[];
}

interface WaterfallLineView {
  timecode: number;
  bins: number[];
}

/** What the pan's status says about its display: span (MHz) and level scale of its bins. */
export interface PanScale {
  centerMhz: number;
  bandwidthMhz: number;
  minDbm: number;
  maxDbm: number;
  /** Bins are y pixels from the top, 0 = max_dbm, y_pixels − 1 = min_dbm (reference §3.1). */
  yPixels: number;
}

/** The latest complete FFT frame and every waterfall line since the last spectrum snapshot. */
export interface SpectrumSnapshot {
  type: 'spectrum';
  /** The source run these frames belong to (SessionState.run). */
  run: number;
  streamId: string;
  fft?: FftFrameView;
  lines: WaterfallLineView[];
  pan?: PanScale;
}

/**
 * A capture's own panadapter and waterfall, for replay with a time scrubber. `t` is seconds since the
 * capture's first packet. Long captures are thinned (every 2nd, 4th … frame kept) and bins narrowed
 * to at most REPLAY_MAX_BINS columns, so the message stays a few MB whatever the capture's size.
 */
export interface ReplaySnapshot {
  type: 'replay';
  run: number;
  streamId: string;
  durationS: number;
  fft: { t: number; bins: number[] }[];
  lines: { t: number; timecode: number; bins: number[] }[];
  /** Median spacing of waterfall lines, s: a longer hole between two lines is drawn as a gap. */
  lineIntervalS?: number;
  /** Waterfall datagrams arrived although maybe no line completed (an MTU capture): holes are gaps. */
  waterfallSeen: boolean;
  pan?: PanScale;
}

export type Snapshot =
  | { type: 'state'; state: SessionState }
  | { type: 'radios'; radios: DiscoveredRadio[] }
  | ModelSnapshot
  | SpectrumSnapshot
  | ReplaySnapshot
  | { type: 'progress'; done: number; total: number; label: string }
  /**
   * The answer to a `diff` command (file names are the ones the user chose), or why there is none.
   * The UI words the changes itself, as its path view names hops and causes.
   */
  | { type: 'diff'; outcome: { ok: true; diff: ReportDiff } | { ok: false; error: string } }
  /** An export is ready: a download URL (web mode) or the path it was saved to (Electron). */
  | { type: 'export-ready'; format: ExportFormat; fileName: string; url?: string; savedTo?: string }
  /** The SmartLink sign-in in words and times (never a token); absent when this build cannot sign in. */
  | { type: 'sign-in'; signIn: SignInView }
  | { type: 'error'; message: string };

/** Electron IPC channel names; the preload repeats them as literals, checked against this type. */
export const IPC_CHANNELS = {
  command: 'flexpath:command',
  snapshot: 'flexpath:snapshot',
  /** Preload → main: the path of a File the user dropped or picked in the page (grants it for open-capture). */
  chosenFile: 'flexpath:chosen-file',
} as const;

/** What the preload exposes as `window.flexpath` (Electron) and what the WebSocket client mimics. */
export interface BridgeApi {
  send(command: Command): void;
  /** Returns a function that unsubscribes. */
  onSnapshot(listener: (snapshot: Snapshot) => void): () => void;
  /** Electron only: the local path of a file the user dropped or picked in the page. */
  pathForFile?(file: File): string;
}

/** The model snapshot of a finished analysis (no time series: a file has no "now"). */
export function modelFromReport(report: AnalysisReport, streams: StreamRow[], series: SeriesPoint[]): ModelSnapshot {
  return {
    type: 'model',
    source: report.source,
    radios: report.radios,
    hops: report.hops,
    verdict: report.verdict,
    streams,
    series,
    warnings: report.warnings,
    ...(report.local ? { local: report.local } : {}),
  };
}

/** Runtime check of an untrusted message (WebSocket/IPC) before the core acts on it. */
export function parseCommand(value: unknown): Command | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const v = value as Record<string, unknown>;
  const str = (k: string, max = 4096): string | undefined => strField(v, k, max);
  switch (v.type) {
    case 'pick-capture':
    case 'stop':
    case 'smartlink-sign-out':
      return { type: v.type };
    case 'open-capture': {
      const path = str('path');
      return path === undefined ? undefined : { type: 'open-capture', path };
    }
    case 'open-upload': {
      const uploadId = str('uploadId', 64);
      const name = str('name', 255);
      return uploadId === undefined || name === undefined ? undefined : { type: 'open-upload', uploadId, name };
    }
    case 'open-entry': {
      const entry = str('entry', 4096);
      return entry === undefined ? undefined : { type: 'open-entry', entry };
    }
    case 'diff': {
      const before = captureRef(v.before);
      const after = captureRef(v.after);
      return before === undefined || after === undefined ? undefined : { type: 'diff', before, after };
    }
    case 'diagnose-lan': {
      const host = v.host === undefined ? undefined : str('host', 255);
      if (v.host !== undefined && host === undefined) return undefined;
      if (v.mode !== 'observer' && v.mode !== 'probe') return undefined;
      return host === undefined ? { type: 'diagnose-lan', mode: v.mode } : { type: 'diagnose-lan', host, mode: v.mode };
    }
    case 'diagnose-smartlink': {
      if (v.token === undefined) return { type: 'diagnose-smartlink' };
      const token = str('token', 8192);
      return token === undefined ? undefined : { type: 'diagnose-smartlink', token };
    }
    case 'smartlink-sign-in': {
      // 254: the longest address RFC 5321 lets through; 1024: far past any password, short of abuse.
      const email = str('email', 254);
      const password = str('password', 1024);
      return email === undefined || password === undefined ? undefined : { type: 'smartlink-sign-in', email, password };
    }
    case 'start-demo': {
      if (!Array.isArray(v.faults) || v.faults.length > DEMO_FAULTS.length) return undefined;
      const faults: DemoFault[] = [];
      for (const f of v.faults) {
        if (!(DEMO_FAULTS as readonly unknown[]).includes(f)) return undefined;
        if (!faults.includes(f as DemoFault)) faults.push(f as DemoFault);
      }
      return { type: 'start-demo', faults };
    }
    case 'export': {
      if (v.format !== 'markdown' && v.format !== 'html' && v.format !== 'bundle') return undefined;
      if (typeof v.redact !== 'boolean') return undefined;
      return { type: 'export', format: v.format, redact: v.redact };
    }
    default:
      return undefined;
  }
}

function captureRef(value: unknown): CaptureRef | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const v = value as Record<string, unknown>;
  const str = (k: string, max: number): string | undefined => strField(v, k, max);
  if (v.uploadId !== undefined) {
    const uploadId = str('uploadId', 64);
    const name = str('name', 255);
    return uploadId === undefined || name === undefined ? undefined : { uploadId, name };
  }
  const path = str('path', 4096);
  return path === undefined ? undefined : { path };
}

/** A non-empty string field of at most `max` characters, else undefined. */
function strField(v: Record<string, unknown>, k: string, max: number): string | undefined {
  const s = v[k];
  return typeof s === 'string' && s.length > 0 && s.length <= max ? s : undefined;
}
