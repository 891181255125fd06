/**
 * The core side of the bridge: acts on Commands, pushes throttled Snapshots. Transport-neutral — the
 * Electron main process and the web-mode server each create one and connect it to their channel.
 * The engines it drives (capture analysis, simulator, diagnose, report formatters) come in as
 * `Backends`, so a way in that this build lacks is shown as unavailable instead of faked.
 */
import type { Readable } from 'node:stream';
import type { AnalysisReport } from '../analysis/model.js';
import type { ReportDiff } from '../analysis/diff.js';
import type { SmartLinkAccount } from '../smartlink/account.js';
import {
  DEMO_FAULT_LABELS,
  modelFromReport,
  type ArchiveRow,
  type CaptureRef,
  type Capabilities,
  type Command,
  type DemoFault,
  type DiagnoseMode,
  type DiscoveredRadio,
  type ExportFormat,
  type HostPlatform,
  type SeriesPoint,
  type SessionState,
  type SignInView,
  type Snapshot,
  type SourceKind,
  type PanScale,
  type ReplaySnapshot,
  type SpectrumSnapshot,
} from './protocol.js';
import { seriesPoint, streamRowKey, toStreamRows, totalsByKind } from './stream-rows.js';
import { badCaptureText } from './file-kind.js';
import { createVerdictHold } from './verdict-hold.js';
import { createThrottle, type Throttle } from './throttle.js';

/** What a live source (demo, LAN, SmartLink) offers: the Analyzer's read side and its spectrum taps. */
export interface LiveAnalyzer {
  report(): AnalysisReport;
  /** Inter-arrival jitter per stream, ms, by `streamRowKey` (the analyze contract has no field for it). */
  jitterMs?(): ReadonlyMap<string, number>;
  /** Each stream's expected packets/s as the analysis states it, by `streamRowKey`. */
  expectedPps?(): ReadonlyMap<string, number>;
  onFftFrame(cb: (streamId: string, frame: { frameIndex: number; bins: Uint16Array }) => void): void;
  onWaterfallLine(cb: (streamId: string, line: { timecode: number; bins: Uint16Array }) => void): void;
  /** The display scale of a pan by its FFT stream id, once its status line was seen. */
  pan?(streamId: string): PanScale | undefined;
}

export interface LiveRun {
  analyzer: LiveAnalyzer;
  /** Stops the source and releases sockets; idempotent. */
  stop(): Promise<void>;
  /** Settles when the source ends by itself (e.g. `--seconds` elapsed); rejects on failure. */
  ended: Promise<void>;
  /** The session's packets as pcapng, when the source records them (for the support bundle). */
  recordingPath?(): string | undefined;
  /** Brings the recording on disk up to date; the bundle reads it while the source still runs. */
  syncRecording?(): Promise<void>;
}

/** A finished capture analysis: the report, and per-stream figures the report's contract does not carry. */
export interface CaptureAnalysis {
  report: AnalysisReport;
  /** By `streamRowKey`, ms. */
  jitterMs?: ReadonlyMap<string, number>;
  /** By `streamRowKey`, packets/s the analysis expects of the stream. */
  expectedPps?: ReadonlyMap<string, number>;
  /** Per-class rate and loss over capture time (t = s since the first packet). */
  series?: SeriesPoint[];
  /** The capture's own panadapter frames and waterfall lines, for replay. */
  replay?: Omit<ReplaySnapshot, 'run'>;
}

export interface Backends {
  /**
   * A file the user chose: a capture, a .gz of one, or a zip. `entry` names one capture in a zip;
   * without it a zip must hold exactly one.
   */
  analyzeCaptureFile?(path: string, opts: { entry?: string; onProgress?(done: number, total: number): void }): Promise<CaptureAnalysis>;
  /** The captures in a zip (undefined for a plain capture or a .gz); throws for a hostile or broken archive. */
  capturesIn?(path: string): Promise<string[] | undefined>;
  /** Every capture of a zip analysed, one triage row each (in the zip's order). */
  triageArchive?(path: string, entries: string[], opts: { onProgress?(done: number, total: number): void }): Promise<ArchiveRow[]>;
  /** Two captures (each a file, a .gz or a zip of one) → what changed, hop by hop; `name` is what the diff shows. */
  diffCaptures?(before: { path: string; name: string }, after: { path: string; name: string }): Promise<ReportDiff>;
  formatReport?(report: AnalysisReport, format: 'markdown' | 'html', opts: { redact: boolean }): string;
  startDemo?(faults: DemoFault[]): Promise<LiveRun>;
  diagnoseLan?(opts: { host?: string; mode: DiagnoseMode }): Promise<LiveRun>;
  /** Without `token`: the kept sign-in's id_token (renewed when expired; `say` hears each step). */
  diagnoseSmartLink?(opts: { token: string } | { say(text: string): void }): Promise<LiveRun>;
  /** SmartLink sign-in kept between runs (the app's "Sign in to SmartLink"); the token never leaves it. */
  smartLinkAccount?: Pick<SmartLinkAccount, 'status' | 'signIn' | 'signOut'>;
  /** Listens for discovery beacons until stopped. */
  discoverRadios?(onRadios: (radios: DiscoveredRadio[]) => void): { stop(): void };
  /** Packs files into one support bundle (report + session capture), streamed: a capture can be large. */
  bundle?(files: BundleEntry[]): Readable;
  /** Releases what the engines keep between runs (the last live recording); called by close(). */
  dispose?(): Promise<void>;
}

/** A bundle member: in memory (a report) or read from disk while the bundle streams out (a capture). */
export type BundleEntry = { name: string; data: Buffer } | { name: string; path: string };

/** An export for the host to hand over; `data` is streamed when it may be large (the bundle). */
export interface ExportFile {
  name: string;
  mime: string;
  data: Buffer | Readable;
}

/** What only the transport can do: native dialogs, resolving uploads, handing a file to the user. */
export interface SessionHost {
  nativeDialogs: boolean;
  pickCapture?(): Promise<string | undefined>;
  /**
   * Whether `open-capture` may read this path. Without it the host opens nothing by path: a page that
   * can name any server-side file learns whether it exists, its first bytes from the error text, and
   * gets it back in the support bundle. Electron answers from its allow-list of dialog/drop paths.
   */
  mayOpenCapture?(path: string): boolean;
  resolveUpload?(uploadId: string): string | undefined;
  deliverExport(file: ExportFile): Promise<{ url?: string; savedTo?: string }>;
}

export interface SessionOptions {
  backends: Backends;
  host: SessionHost;
  emit(snapshot: Snapshot): void;
  /**
   * Start the demo when a page has been connected this long while the session stayed idle (no radio
   * found, no source chosen, no upload under way); 0 disables.
   */
  autoDemoMs?: number;
  /** The system the page's capture advice is for; default this process's (tests show the others). */
  platform?: NodeJS.Platform;
}

export interface Session {
  handle(command: Command): Promise<void>;
  /** The latest state, radios and model, for a renderer that (re)connects. */
  current(): Snapshot[];
  /** A page (browser tab or Electron window) is showing this session: the auto-demo may be armed. */
  pageConnected(): void;
  /** An upload began: no auto-demo from now on. Returns the function to call when it ended. */
  uploadStarted(): () => void;
  close(): Promise<void>;
}

const MODEL_PER_SECOND = 10;
const SPECTRUM_PER_SECOND = 25;
const SERIES_POINTS = 120;
const SERIES_INTERVAL_MS = 1000;
/** A renderer that misses this many waterfall lines between sends shows a gap, honestly. */
const MAX_LINES_PER_SNAPSHOT = 64;

export function createSession(opts: SessionOptions): Session {
  const { backends, host } = opts;
  const capabilities: Capabilities = {
    capture: backends.analyzeCaptureFile !== undefined,
    lan: backends.diagnoseLan !== undefined,
    smartlink: backends.diagnoseSmartLink !== undefined,
    demo: backends.startDemo !== undefined,
    export: backends.formatReport !== undefined,
    nativeDialogs: host.nativeDialogs,
  };
  let state: SessionState = { phase: 'idle', platform: hostPlatform(opts.platform ?? process.platform), run: 0, source: null, simulated: false, faults: [], capabilities };
  let radios: DiscoveredRadio[] = [];
  let lastModel: Extract<Snapshot, { type: 'model' }> | undefined;
  let lastReport: AnalysisReport | undefined;
  let lastReplay: ReplaySnapshot | undefined;
  let capturePath: string | undefined;
  /** The zip of several captures the user opened: its path and triage, while they go through it. */
  let archive: { path: string; label: string; rows: ArchiveRow[] } | undefined;
  /** The recording of the live run stopped last: still the session's packets for a bundle. */
  let stoppedRecording: string | undefined;
  let live: { run: LiveRun; timer: ReturnType<typeof setInterval> } | undefined;
  /** Bumped by every new source, so results of a superseded run are dropped. */
  let generation = 0;
  let closed = false;
  const account = backends.smartLinkAccount;
  let signIn: SignInView | undefined;

  const modelOut = createThrottle<Extract<Snapshot, { type: 'model' }>>({
    maxPerSecond: MODEL_PER_SECOND,
    send: (s) => opts.emit(s),
  });
  const spectrumOut: Throttle<SpectrumSnapshot> = createThrottle<SpectrumSnapshot>({
    maxPerSecond: SPECTRUM_PER_SECOND,
    send: (s) => opts.emit(s),
    merge: (p, n) =>
      p.streamId !== n.streamId || p.run !== n.run
        ? n
        : { ...n, fft: n.fft ?? p.fft, pan: n.pan ?? p.pan, lines: [...p.lines, ...n.lines].slice(-MAX_LINES_PER_SNAPSHOT) },
  });

  const setState = (patch: Partial<SessionState>): void => {
    state = { ...state, ...patch };
    opts.emit({ type: 'state', state });
  };
  const fail = (message: string): void => {
    setState({ phase: 'error', message });
    opts.emit({ type: 'error', message });
  };
  const showSignIn = (view: SignInView): void => {
    signIn = view;
    if (!closed) opts.emit({ type: 'sign-in', signIn: view });
  };
  /** Re-reads the kept sign-in (a run may have renewed or forgotten it). */
  const refreshSignIn = async (): Promise<void> => {
    if (account) showSignIn(await account.status());
  };
  const publish = (
    report: AnalysisReport,
    series: SeriesPoint[],
    jitterMs?: ReadonlyMap<string, number>,
    nowPps?: ReadonlyMap<string, number>,
    expected?: ReadonlyMap<string, number>,
  ): void => {
    lastReport = report;
    const rows = toStreamRows(report.streams, jitterMs, expected);
    if (nowPps) for (const r of rows) r.nowPps = nowPps.get(streamRowKey(r)) ?? 0;
    lastModel = modelFromReport(report, rows, series);
    modelOut.push(lastModel);
  };

  async function stopCurrent(): Promise<void> {
    generation++;
    capturePath = undefined;
    if (live) {
      const { run, timer } = live;
      live = undefined;
      clearInterval(timer);
      await run.stop();
      stoppedRecording = run.recordingPath?.();
    }
    modelOut.flush();
    spectrumOut.discard();
  }

  async function begin(kind: SourceKind, label: string, extra: Partial<SessionState> = {}): Promise<number> {
    await stopCurrent();
    stopDiscovery();
    lastModel = undefined;
    lastReport = undefined;
    stoppedRecording = undefined;
    lastReplay = undefined;
    if (extra.archive === undefined) archive = undefined;
    setState({ phase: 'running', run: generation, source: { kind, label }, simulated: kind === 'demo', faults: [], message: undefined, archive: undefined, ...extra });
    return generation;
  }

  /** A file the user chose: one capture is analysed; a zip of several is triaged first, for the user to pick. */
  async function openFile(path: string, label: string): Promise<void> {
    let entries: string[] | undefined;
    try {
      entries = await backends.capturesIn?.(path);
    } catch (err) {
      await begin('capture', label);
      return fail(await badCaptureText(path, label, errorText(err)));
    }
    const triage = backends.triageArchive;
    if (entries === undefined || entries.length <= 1 || !triage) return openCapture(path, label, entries?.[0]);
    const gen = await begin('capture', `${label} (${entries.length} captures)`);
    try {
      const rows = await triage(path, entries, {
        onProgress: (done, total) => {
          if (gen === generation) opts.emit({ type: 'progress', done, total, label: `Analyzing the ${entries.length} captures in ${label}` });
        },
      });
      if (gen !== generation) return;
      archive = { path, label, rows };
      setState({ phase: 'done', archive: { label, rows } });
    } catch (err) {
      if (gen === generation) fail(`${label}: ${errorText(err)}`);
    }
  }

  async function openCapture(path: string, label: string, entry?: string, inArchive?: SessionState['archive']): Promise<void> {
    const analyze = backends.analyzeCaptureFile;
    if (!analyze) return fail('Capture analysis is not available in this build.');
    const shown = entry === undefined ? label : `${label} › ${entry}`;
    const gen = await begin('capture', shown, inArchive ? { archive: inArchive } : {});
    capturePath = path;
    try {
      const { report, jitterMs, expectedPps, series, replay } = await analyze(path, {
        ...(entry !== undefined ? { entry } : {}),
        onProgress: (done, total) => {
          if (gen === generation) opts.emit({ type: 'progress', done, total, label: `Analyzing ${shown}` });
        },
      });
      if (gen !== generation) return;
      // An upload is stored under a made-up name; the report names the file the user chose.
      publish({ ...report, source: { ...report.source, file: shown } }, series ?? [], jitterMs, undefined, expectedPps);
      modelOut.flush();
      if (replay) {
        lastReplay = { ...replay, run: gen };
        opts.emit(lastReplay);
      }
      setState({ phase: 'done' });
    } catch (err) {
      if (gen !== generation) return;
      const text = entry === undefined ? await badCaptureText(path, label, errorText(err)) : `${shown}: ${errorText(err)}`;
      if (gen === generation) fail(text);
    }
  }

  /** A capture the page names, as a path this host lets it read, or why not. */
  function resolveRef(ref: CaptureRef): { path: string; name: string } | string {
    if ('uploadId' in ref) {
      const path = host.resolveUpload?.(ref.uploadId);
      return path ? { path, name: ref.name } : `Upload ${ref.name} is not known (expired or never completed).`;
    }
    if (!host.mayOpenCapture?.(ref.path)) return host.resolveUpload ? 'This window opens uploaded captures only.' : 'Choose the capture with the file dialog or drop it on the window.';
    return { path: ref.path, name: baseName(ref.path) };
  }

  /** Before/after: the main view stays as it is; the answer is a `diff` snapshot either way. */
  async function diffCaptures(beforeRef: CaptureRef, afterRef: CaptureRef): Promise<void> {
    const answer = (outcome: Extract<Snapshot, { type: 'diff' }>['outcome']): void => opts.emit({ type: 'diff', outcome });
    const diff = backends.diffCaptures;
    if (!diff) return answer({ ok: false, error: 'Before/after comparison is not available in this build.' });
    const before = resolveRef(beforeRef);
    const after = resolveRef(afterRef);
    if (typeof before === 'string') return answer({ ok: false, error: before });
    if (typeof after === 'string') return answer({ ok: false, error: after });
    try {
      const result = await diff(before, after);
      answer({ ok: true, diff: result });
    } catch (err) {
      answer({ ok: false, error: `Comparing ${before.name} with ${after.name}: ${errorText(err)}` });
    }
  }

  async function startLive(kind: SourceKind, label: string, start: () => Promise<LiveRun>, extra: Partial<SessionState> = {}): Promise<void> {
    const gen = await begin(kind, label, extra);
    let run: LiveRun;
    try {
      run = await start();
    } catch (err) {
      if (gen === generation) fail(`${label}: ${errorText(err)}`);
      return;
    }
    if (gen !== generation || closed) {
      await run.stop();
      return;
    }
    const started = performance.now();
    const series: SeriesPoint[] = [];
    let prevTotals = totalsByKind([]);
    let prevAt = started;
    // Live: the verdict on screen changes only once a new judgement has held (verdict-hold.ts).
    const hold = createVerdictHold();
    // Packets per stream at the last series sample, and the rate since the one before: what flows now.
    let prevPackets = new Map<string, number>();
    let nowPps = new Map<string, number>();
    // Expected rates change only with the announced objects: re-read with the series, not every tick.
    let expected: ReadonlyMap<string, number> | undefined;
    // Show one panadapter: the first stream that delivers a frame.
    let shownStream: string | undefined;
    const show = (id: string): boolean => (shownStream ??= id) === id && gen === generation;
    run.analyzer.onFftFrame((id, frame) => {
      if (!show(id)) return;
      const pan = run.analyzer.pan?.(id);
      spectrumOut.push({ type: 'spectrum', run: gen, streamId: id, fft: { frameIndex: frame.frameIndex, bins: Array.from(frame.bins) }, lines: [], ...(pan ? { pan } : {}) });
    });
    run.analyzer.onWaterfallLine((id, line) => {
      if (gen === generation) spectrumOut.push({ type: 'spectrum', run: gen, streamId: shownStream ?? id, lines: [{ timecode: line.timecode, bins: Array.from(line.bins) }] });
    });
    const tick = (): void => {
      const report = run.analyzer.report();
      const now = performance.now();
      if (now - prevAt >= SERIES_INTERVAL_MS) {
        const totals = totalsByKind(report.streams);
        const dt = (now - prevAt) / 1000;
        series.push(seriesPoint(prevTotals, totals, (now - started) / 1000, dt));
        if (series.length > SERIES_POINTS) series.shift();
        const packets = new Map(report.streams.map((st) => [streamRowKey(st), st.packets] as const));
        nowPps = new Map([...packets].map(([k, n]) => [k, Math.max(0, n - (prevPackets.get(k) ?? 0)) / dt] as const));
        prevPackets = packets;
        expected = run.analyzer.expectedPps?.();
        prevTotals = totals;
        prevAt = now;
      }
      publish(hold.apply(report, now), series.slice(), run.analyzer.jitterMs?.(), series.length ? nowPps : undefined, expected);
    };
    live = { run, timer: setInterval(tick, 1000 / MODEL_PER_SECOND) };
    run.ended.then(
      () => {
        if (gen !== generation) return;
        tick();
        modelOut.flush();
        setState({ phase: 'done' });
      },
      (err: unknown) => {
        if (gen === generation) fail(`${label}: ${errorText(err)}`);
      },
    );
  }

  async function exportReport(format: ExportFormat, redact: boolean): Promise<void> {
    const formatReport = backends.formatReport;
    if (!formatReport) return fail('Report export is not available in this build.');
    const current = live ? live.run.analyzer.report() : lastReport;
    if (!current) return fail('Nothing to export yet: open a capture, diagnose a radio or start the demo first.');
    // A demo's report must never pass for a station's: SIMULATED in every format's title (a flag that
    // redaction keeps), in its source line and in the file name.
    const report = state.simulated
      ? { ...current, source: { ...current.source, simulated: true as const, file: `SIMULATED demo radio — ${state.source?.label ?? 'demo'}` } }
      : current;
    const stamp = (state.simulated ? 'SIMULATED-' : '') + new Date().toISOString().replace(/[:.]/g, '-').slice(0, 19);
    let file: ExportFile;
    if (format === 'markdown') {
      file = { name: `flexpath-report-${stamp}.md`, mime: 'text/markdown; charset=utf-8', data: Buffer.from(formatReport(report, 'markdown', { redact })) };
    } else if (format === 'html') {
      file = { name: `flexpath-report-${stamp}.html`, mime: 'text/html; charset=utf-8', data: Buffer.from(formatReport(report, 'html', { redact })) };
    } else {
      const pack = backends.bundle;
      if (!pack) return fail('Support bundles are not available in this build.');
      const files: BundleEntry[] = [
        { name: 'report.md', data: Buffer.from(formatReport(report, 'markdown', { redact })) },
        { name: 'report.html', data: Buffer.from(formatReport(report, 'html', { redact })) },
      ];
      const pcap = capturePath ?? live?.run.recordingPath?.() ?? stoppedRecording;
      if (pcap && !capturePath) await live?.run.syncRecording?.();
      if (pcap) files.push({ name: `session${/\.(pcap|pcapng|gz|zip)$/i.exec(pcap)?.[0].toLowerCase() ?? '.pcapng'}`, path: pcap });
      file = { name: `flexpath-support-${stamp}.tar`, mime: 'application/x-tar', data: pack(files) };
    }
    const where = await host.deliverExport(file);
    opts.emit({ type: 'export-ready', format, fileName: file.name, ...where });
  }

  async function startDemoRun(demoFaults: DemoFault[]): Promise<void> {
    const start = backends.startDemo;
    if (!start) return fail('The demo simulator is not available in this build.');
    // The fault names as the picker shows them, without their explanations in brackets.
    const faults = demoFaults.map((f) => DEMO_FAULT_LABELS[f].split(' (')[0]);
    const label = faults.length ? `Demo radio — fault${faults.length > 1 ? 's' : ''}: ${faults.join(', ')}` : 'Demo radio — healthy';
    return await startLive('demo', label, () => start(demoFaults), { faults: demoFaults });
  }

  let discovery: { stop(): void } | undefined;
  let autoDemo: ReturnType<typeof setTimeout> | undefined;
  function stopDiscovery(): void {
    if (autoDemo !== undefined) clearTimeout(autoDemo);
    autoDemo = undefined;
    discovery?.stop();
    discovery = undefined;
  }
  if (backends.discoverRadios) {
    state = { ...state, phase: 'discovering' };
    discovery = backends.discoverRadios((found) => {
      radios = found;
      opts.emit({ type: 'radios', radios });
    });
  }
  // What the store holds, read once at start; an unreadable store just means "signed out" (token-store.ts).
  void refreshSignIn().catch(() => undefined);
  const autoDemoMs = opts.autoDemoMs ?? 0;
  let uploads = 0;
  /** Armed once, by the first page; disarmed for good by any source, command or upload. */
  let autoDemoSpent = !(autoDemoMs > 0 && backends.startDemo);
  const idle = (): boolean => radios.length === 0 && state.source === null && uploads === 0 && !closed;
  const disarmAutoDemo = (): void => {
    autoDemoSpent = true;
    if (autoDemo !== undefined) clearTimeout(autoDemo);
    autoDemo = undefined;
  };

  const session: Session = {
    async handle(command) {
      if (closed) return;
      // The user chose: nothing starts by itself after this.
      disarmAutoDemo();
      try {
        switch (command.type) {
          case 'pick-capture': {
            if (!host.pickCapture) return fail('This window cannot show a file dialog; use the file picker in the page.');
            const path = await host.pickCapture();
            if (path) await openFile(path, baseName(path));
            return;
          }
          case 'open-capture':
            if (!host.mayOpenCapture?.(command.path)) {
              return fail(host.resolveUpload ? 'This window opens uploaded captures only: use the file picker in the page.' : 'Open the capture with the file dialog or drop it on the window.');
            }
            return await openFile(command.path, baseName(command.path));
          case 'open-upload': {
            const path = host.resolveUpload?.(command.uploadId);
            if (!path) return fail(`Upload ${command.name} is not known (expired or never completed).`);
            return await openFile(path, command.name);
          }
          case 'open-entry': {
            // Only an entry of the zip this session opened: the page names no path.
            const open = archive;
            if (!open || !open.rows.some((r) => r.entry === command.entry)) return fail(`${command.entry} is not a capture of the open zip.`);
            return await openCapture(open.path, open.label, command.entry, { label: open.label, rows: open.rows });
          }
          case 'diff':
            return await diffCaptures(command.before, command.after);
          case 'start-demo':
            return await startDemoRun(command.faults);
          case 'diagnose-lan': {
            const diag = backends.diagnoseLan;
            if (!diag) return fail('LAN diagnosis is not available in this build.');
            const args = command.host === undefined ? { mode: command.mode } : { host: command.host, mode: command.mode };
            return await startLive('lan', `LAN radio ${command.host ?? '(discovered)'} — ${command.mode}`, () => diag(args));
          }
          case 'diagnose-smartlink': {
            const diag = backends.diagnoseSmartLink;
            if (!diag) return fail('SmartLink diagnosis is not available in this build.');
            const token = command.token;
            if (token !== undefined) return await startLive('smartlink', 'SmartLink', () => diag({ token }));
            const say = (text: string): void => {
              if (signIn) showSignIn({ ...signIn, text });
            };
            await startLive('smartlink', 'SmartLink', () => diag({ say }));
            return await refreshSignIn();
          }
          case 'smartlink-sign-in': {
            if (!account) return void opts.emit({ type: 'error', message: 'SmartLink sign-in is not available in this build.' });
            if (signIn?.busy) return;
            const before: SignInView = { ...(signIn ?? (await account.status())), error: undefined };
            showSignIn({ ...before, busy: true });
            try {
              showSignIn(await account.signIn(command.email, command.password));
            } catch (err) {
              showSignIn({ ...before, error: errorText(err) });
            }
            return;
          }
          case 'smartlink-sign-out':
            if (!account) return void opts.emit({ type: 'error', message: 'SmartLink sign-in is not available in this build.' });
            return showSignIn(await account.signOut());
          case 'stop': {
            const stopping = generation + 1;
            await stopCurrent();
            // Stopping a live run takes a while (the probe tidies up on the radio): a source chosen in
            // the meantime is running, and must not be shown as done.
            if (generation === stopping) setState({ phase: state.source ? 'done' : 'idle' });
            return;
          }
          case 'export':
            return await exportReport(command.format, command.redact);
        }
      } catch (err) {
        fail(errorText(err));
      }
    },
    pageConnected() {
      if (autoDemoSpent || autoDemo !== undefined || !idle()) return;
      autoDemo = setTimeout(() => {
        autoDemo = undefined;
        if (!idle()) return;
        autoDemoSpent = true;
        void startDemoRun([]);
      }, autoDemoMs);
    },
    uploadStarted() {
      uploads++;
      disarmAutoDemo();
      let ended = false;
      return () => {
        if (!ended) uploads--;
        ended = true;
      };
    },
    current() {
      const out: Snapshot[] = [{ type: 'state', state }, { type: 'radios', radios }];
      if (lastModel) out.push(lastModel);
      if (lastReplay) out.push(lastReplay);
      if (signIn) out.push({ type: 'sign-in', signIn });
      return out;
    },
    async close() {
      closed = true;
      stopDiscovery();
      await stopCurrent();
      modelOut.close();
      spectrumOut.close();
      await backends.dispose?.();
    },
  };
  return session;
}

function hostPlatform(p: NodeJS.Platform): HostPlatform {
  return p === 'win32' ? 'windows' : p === 'darwin' ? 'macos' : p === 'linux' ? 'linux' : 'other';
}

function baseName(path: string): string {
  return path.split(/[\\/]/).pop() || path;
}

function errorText(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

