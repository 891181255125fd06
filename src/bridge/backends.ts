/**
 * The engines the UI drives, wired in one place: capture analysis, reports, the demo (the simulator
 * with FlexPath's own probe walking it), live diagnosis on the LAN and through SmartLink, discovery.
 */
import { randomBytes } from 'node:crypto';
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { analyzeInput, sniOf } from '../analysis/analyze-file.js';
import { Analyzer } from '../analysis/analyzer.js';
import { type BatchOutcome, analyzeBatch } from '../analysis/batch.js';
import { diffReports } from '../analysis/diff.js';
import { type InputSpec, expandInputs } from '../capture/inputs.js';
import { listZip } from '../capture/zip.js';
import { formatEndpoint } from '../capture/types.js';
import { listenForRadios } from '../diagnose/discovery.js';
import { startLanDiagnosis } from '../diagnose/lan.js';
import type { LiveEvidence } from '../diagnose/live.js';
import { type SmartLinkOptions, startSmartLinkDiagnosis } from '../diagnose/smartlink.js';
import type { Diagnosis } from '../diagnose/walk.js';
import { formatReport } from '../report/format.js';
import { redactReport } from '../report/redact.js';
import { type SmartLinkAccount, smartLinkAccount } from '../smartlink/account.js';
import { authConfig } from '../smartlink/auth.js';
import { fileTokenStore } from '../smartlink/token-store.js';
import { triageRow } from '../report/triage.js';
import type { SimFaults } from '../sim/faults.js';
import { type Simulator, startSimulator } from '../sim/radio-sim.js';
import { formatStreamId } from '../vita/stream-id.js';
import type { NetEvent } from '../capture/types.js';
import type { AnalysisReport } from '../analysis/model.js';
import type { DemoFault, DiscoveredRadio, PanScale } from './protocol.js';
import { createReplayCollector, type ReplayCollector } from './replay.js';
import type { Backends, LiveAnalyzer, LiveRun } from './session.js';
import { streamRowKey, totalsByKind } from './stream-rows.js';
import { packTarStream } from './tar.js';
import { makeTempDir, removeTempDir } from './temp-dirs.js';

/** What each demo fault does to the simulated radio (DESIGN.md §5). */
const DEMO_FAULT_SPECS: Record<DemoFault, SimFaults> = {
  mtu: { mtu: 1400 },
  'udp-blocked': { drop: ['meter', 'panadapter', 'waterfall', 'audio', 'dax'] },
  loss: { lossPct: 5 },
  bandwidth: { rateKbps: 600 },
  jitter: { jitterMs: 40 },
  'wrong-port': { wrongPort: true },
  'ping-timeout': { noPingReplyAfterS: 3 },
  'nat-expiry': { udpStopAfterS: 10 },
};

function demoFaults(faults: DemoFault[]): SimFaults {
  const out: SimFaults = {};
  for (const f of faults) {
    const spec = DEMO_FAULT_SPECS[f];
    Object.assign(out, spec, spec.drop ? { drop: [...new Set([...(out.drop ?? []), ...spec.drop])] } : {});
  }
  return out;
}

/**
 * The analyzer's smoothed inter-arrival jitter per stream (per FFT frame / waterfall line for those
 * classes), for the streams table; a stream needs three units before it has one.
 */
export function jitterMsByStream(a: Analyzer): Map<string, number> {
  const out = new Map<string, number>();
  for (const st of a.streams.streams) {
    if (st.units < 3) continue;
    out.set(streamRowKey({ id: formatStreamId(st.streamId), src: formatEndpoint(st.src), dst: formatEndpoint(st.dst) }), st.jitterS * 1000);
  }
  return out;
}

/**
 * Each stream's expected packets/s as the analysis states it (facts.ts: the announced objects, a pan's
 * fps, reference §3.9), by streamRowKey: the rate `analyze` prints as "(expected ≈25/s)".
 */
function expectedPpsByStream(a: Analyzer): Map<string, number> {
  const out = new Map<string, number>();
  for (const c of Object.values(a.facts().data)) for (const st of c.streams) if (st.expectedPps !== undefined) out.set(streamRowKey(st), st.expectedPps);
  return out;
}

/** An Analyzer that also hands every packet's capture time to the replay collector (1-s series points). */
class ReplayAnalyzer extends Analyzer {
  constructor(private readonly collector: ReplayCollector) {
    super({ sniOf });
  }
  override feed(e: NetEvent): void {
    super.feed(e);
    this.collector.tick(e.ts, () => totalsByKind(this.streams.streams.map((st) => this.summary(st))));
  }
}

/** The display scale of a pan from its status lines, when they were seen (FFT stream id = pan id). */
function panScale(a: Analyzer, streamId: string): PanScale | undefined {
  const p = a.control.pans.get(streamId);
  if (!p || p.centerMhz === undefined || p.bandwidthMhz === undefined || p.minDbm === undefined || p.maxDbm === undefined || !p.yPixels) return undefined;
  return { centerMhz: p.centerMhz, bandwidthMhz: p.bandwidthMhz, minDbm: p.minDbm, maxDbm: p.maxDbm, yPixels: p.yPixels };
}

function liveAnalyzer(ev: LiveEvidence): LiveAnalyzer {
  return {
    report: () => ev.report(),
    pan: (id) => panScale(ev.analyzer, id),
    jitterMs: () => jitterMsByStream(ev.analyzer),
    expectedPps: () => expectedPpsByStream(ev.analyzer),
    onFftFrame: (cb) => ev.analyzer.onFftFrame((st, f) => cb(formatStreamId(st.streamId), { frameIndex: f.frameIndex, bins: f.bins })),
    onWaterfallLine: (cb) => ev.analyzer.onWaterfallLine((st, l) => cb(formatStreamId(st.streamId), { timecode: l.timecode, bins: l.bins })),
  };
}

/**
 * Where live runs record (for the support bundle): one pcapng per run, each capped by the live
 * evidence (CONTINUOUS_RECORD_BYTES), and only the latest kept — a new run's file replaces the last
 * one, which the session no longer offers once another source has begun.
 */
function recordings(dir: string | undefined): { next(kind: string): string; dispose(): void } {
  let own: string | undefined;
  let last: string | undefined;
  return {
    next(kind) {
      if (last) void rm(last, { force: true }).catch(() => undefined);
      const folder = dir ?? (own ??= makeTempDir('flexpath-rec-'));
      last = join(folder, `${kind}-${new Date().toISOString().replace(/[:.]/g, '-').slice(0, 19)}-${randomBytes(4).toString('hex')}.pcapng`);
      return last;
    },
    dispose() {
      if (last) void rm(last, { force: true }).catch(() => undefined);
      if (own) removeTempDir(own);
      last = own = undefined;
    },
  };
}

function asLiveRun(d: Diagnosis, path: string, cleanup: () => Promise<void> = async () => undefined): LiveRun {
  let stopped: Promise<void> | undefined;
  const stop = (): Promise<void> => (stopped ??= d.stop().then(cleanup, cleanup));
  return {
    analyzer: liveAnalyzer(d.evidence),
    stop,
    // A continuous run ends by itself only when its control channel drops.
    ended: d.done.then(() => undefined),
    recordingPath: () => path,
    syncRecording: () => d.evidence.syncRecording(),
  };
}

/** What one chosen file holds, as analysis inputs (capture/inputs.ts: sniffed by content, zips listed and checked). */
async function oneFile(path: string): Promise<InputSpec[]> {
  const { specs, failures } = await expandInputs([path]);
  const failed = failures[0];
  if (failed) throw new Error(failed.error);
  return specs;
}

/** The one capture of a file; a zip of several must be opened entry by entry. */
function capture(specs: InputSpec[], name: string): InputSpec {
  const [only] = specs;
  if (only === undefined || specs.length > 1) throw new Error(`${name} holds ${specs.length} captures: open the zip to pick one`);
  return only;
}

export interface BackendOptions {
  /** Multiplies the demo radio's stream rates (the soak runs an hour of packets in minutes). */
  demoRateScale?: number;
  /** Sees each demo run's simulator and diagnosis (the soak measures their structures). */
  onDemo?(sim: Simulator, diagnosis: Diagnosis): void;
  /** Folder for live recordings (the web server's work dir); default: a private temp folder of their own. */
  recordingDir?: string;
  /** Another SmartLink server than FlexRadio's (the simulator's, with its test CA, for tests). */
  smartLinkBroker?: Pick<SmartLinkOptions, 'brokerHost' | 'brokerPort' | 'brokerTls'>;
  /**
   * Where "Sign in to SmartLink" keeps its sign-in and which tenant it asks. Default: the CLI's —
   * `flexpath ui` and `flexpath login` share one sign-in (the 0600 file); the desktop app passes its
   * safeStorage-encrypted store (electron/token-store.ts).
   */
  smartLinkAccount?: SmartLinkAccount;
}

export function productBackends(o: BackendOptions = {}): Backends {
  const recorded = recordings(o.recordingDir);
  const recordingPath = (kind: string): string => recorded.next(kind);
  const account = o.smartLinkAccount ?? smartLinkAccount(authConfig(), fileTokenStore());
  return {
    smartLinkAccount: account,
    dispose: async () => recorded.dispose(),
    capturesIn: async (path) => {
      const specs = await oneFile(path);
      return specs.every((s) => s.kind === 'zip-entry') ? specs.map((s) => s.entry) : undefined;
    },

    async triageArchive(path, entries, opts) {
      const sizes = new Map((await listZip(path)).map((e) => [e.name, e.uncompressed] as const));
      const total = entries.reduce((n, e) => n + (sizes.get(e) ?? 0), 0);
      let done = 0;
      const outcomes = await analyzeBatch(
        entries.map((entry): InputSpec => ({ kind: 'zip-entry', name: entry, path, entry })),
        { onProgress: (n) => opts.onProgress?.((done += n), Math.max(total, done)) },
      );
      return outcomes.map((o) => {
        const { file, ...row } = triageRow(o);
        return { entry: file, ...row };
      });
    },

    async diffCaptures(before, after) {
      const specs = await Promise.all([before, after].map(async (side) => capture(await oneFile(side.path), side.name)));
      const [b, a] = await analyzeBatch(specs);
      const named = (o: BatchOutcome | undefined, name: string): AnalysisReport => {
        if (!o?.ok) throw new Error(`${name}: ${o?.ok === false ? o.error : 'not analysed'}`);
        return { ...o.report, source: { ...o.report.source, file: name } };
      };
      return diffReports(named(b, before.name), named(a, after.name));
    },

    async analyzeCaptureFile(path, opts) {
      const collector = createReplayCollector();
      const analyzer = new ReplayAnalyzer(collector);
      analyzer.onFftFrame((st, f) => collector.fft(formatStreamId(st.streamId), analyzer.lastTs ?? 0, f.bins));
      analyzer.onWaterfallLine((st, l) => collector.line(formatStreamId(st.streamId), analyzer.lastTs ?? 0, l.timecode, l.bins));
      const onProgress = opts.onProgress;
      const specs = await oneFile(path);
      const spec = opts.entry === undefined ? capture(specs, 'this file') : specs.find((s) => s.kind === 'zip-entry' && s.entry === opts.entry);
      if (spec === undefined) throw new Error(`no capture "${opts.entry ?? ''}" in this zip`);
      const report = await analyzeInput(spec, { analyzer, ...(onProgress ? { onProgress: (done: number, total: number | undefined) => onProgress(done, total ?? done) } : {}) });
      const { replay, series } = collector.result(analyzer.firstTs, analyzer.lastTs, report.streams.some((s) => s.kind === 'waterfall'));
      const pan = replay ? panScale(analyzer, replay.streamId) : undefined;
      return { report, jitterMs: jitterMsByStream(analyzer), expectedPps: expectedPpsByStream(analyzer), series, ...(replay ? { replay: pan ? { ...replay, pan } : replay } : {}) };
    },
    formatReport: (report, format, opts) => formatReport(opts.redact ? redactReport(report) : report, format === 'markdown' ? 'md' : 'html'),
    bundle: (files) => packTarStream(files),

    async startDemo(faults) {
      // Free ports and no beacons: the demo must never be mistaken for, or collide with, a real radio.
      const sim = await startSimulator({ portBase: 0, discovery: false, faults: demoFaults(faults), ...(o.demoRateScale ? { rateScale: o.demoRateScale } : {}) });
      const path = recordingPath('demo');
      const d = startLanDiagnosis({ host: sim.host, port: sim.ports.api, mode: 'probe', continuous: true, flexlibRange: false, discoveryPort: false, write: path, probePixels: { x: 1024, y: 300 } });
      o.onDemo?.(sim, d);
      return asLiveRun(d, path, () => sim.stop());
    },

    async diagnoseLan({ host, mode }) {
      let target = host;
      if (target === undefined) {
        const listener = await listenForRadios();
        await new Promise((r) => setTimeout(r, 2500));
        const found = listener.radios()[0];
        await listener.stop();
        if (!found) throw new Error('no radio announced itself on this network: enter its address');
        target = `${found.beacon.ip ?? found.from.ip}:${found.beacon.port ?? 4992}`;
      }
      const m = /^\[?([^\]]+?)\]?(?::(\d+))?$/.exec(target);
      if (!m?.[1]) throw new Error(`"${target}" is not an address`);
      const path = recordingPath('lan');
      return asLiveRun(startLanDiagnosis({ host: m[1], port: m[2] ? Number(m[2]) : 4992, mode, continuous: true, write: path }), path);
    },

    async diagnoseSmartLink(how) {
      const token = 'token' in how ? how.token : await account.idToken(how.say);
      const path = recordingPath('smartlink');
      return asLiveRun(startSmartLinkDiagnosis({ ...o.smartLinkBroker, token, continuous: true, write: path }), path);
    },

    discoverRadios(onRadios) {
      let listener: Awaited<ReturnType<typeof listenForRadios>> | undefined;
      let stopped = false;
      listenForRadios({
        onChange: (seen) =>
          onRadios(
            seen.map((r): DiscoveredRadio => ({
              serial: r.beacon.serial ?? '',
              model: r.beacon.model ?? '',
              nickname: r.beacon.nickname ?? '',
              ip: r.beacon.ip ?? r.from.ip,
              version: r.beacon.version ?? '',
            })),
          ),
      }).then(
        (l) => {
          if (stopped) void l.stop();
          else listener = l;
        },
        // Port 4992 held exclusively by another program: no discovery, the other ways in still work.
        () => undefined,
      );
      return {
        stop() {
          stopped = true;
          void listener?.stop();
        },
      };
    },
  };
}
