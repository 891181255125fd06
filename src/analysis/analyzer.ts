/**
 * The one pipeline every source feeds (DESIGN.md §3): NetEvents in, the path model and verdict out.
 * Capture files, the live UDP socket, the tcpdump pipe and the simulator all call `feed`.
 */
import { ReassemblyBudget } from '../capture/budget.js';
import type { NetEvent } from '../capture/types.js';
import type { LocalFacts } from '../local/types.js';
import { formatEndpoint } from '../capture/types.js';
import { formatStreamId } from '../vita/stream-id.js';
import { flexpathVersion } from '../version.js';
import { ControlTracker, MAX_METERS, MAX_OBJECTS, MAX_OUTSTANDING, MAX_OUTSTANDING_TOTAL, MAX_SESSIONS } from './control-tracker.js';
import type { AnalysisReport, Hop, HopId, RadioSummary, SessionMode, SourceSummary, StreamKind, StreamSummary } from './model.js';
import { deriveFacts, isWan, type PathFacts, primarySession, streamRate } from './facts.js';
import { judge } from './judge.js';
import { type FftTap, MAX_RADIOS, MAX_STREAMS, PACKET_CATEGORIES, StreamTracker, type TrackedStream, type WaterfallTap, categoryIndex } from './stream-tracker.js';

export interface AnalyzerOptions {
  /** Reads the SNI from the first bytes a TLS client sends (the capture layer's parser). */
  sniOf?: (firstBytes: Buffer) => string | undefined;
  /** TCP ports of the radio's API besides 4992 (a live diagnosis of a radio on another port). */
  apiPorts?: number[];
  /** TCP ports of the SmartLink broker besides 443 (a live diagnosis against another broker). */
  brokerPorts?: number[];
  /** The reassembly budget of the capture reader feeding this analysis (one budget for both). */
  budget?: ReassemblyBudget;
}

/** Seconds since the epoch → ISO 8601 UTC; a timestamp Date cannot hold (corrupt capture) gives undefined. */
function isoUtc(ts: number): string | undefined {
  const d = new Date(ts * 1000);
  return Number.isNaN(d.getTime()) ? undefined : d.toISOString();
}

/**
 * Warnings a report lists; the rest are counted in a last line. Empirical: a real capture gives a handful;
 * a hostile one (thousands of unreadable TLS sessions or broken streams) must not make the report that long.
 */
export const MAX_WARNINGS = 50;

/** The first MAX_WARNINGS − 1 warnings, then "… and N more" for the rest (and `alreadyDropped`). */
export function capWarnings(all: string[], alreadyDropped = 0): string[] {
  if (all.length <= MAX_WARNINGS && alreadyDropped === 0) return all;
  const kept = all.slice(0, MAX_WARNINGS - 1);
  return [...kept, `… and ${all.length - kept.length + alreadyDropped} more warning(s)`];
}

export class Analyzer {
  readonly streams = new StreamTracker();
  readonly control: ControlTracker;
  readonly warnings: string[] = [];
  /** Warnings past MAX_WARNINGS: counted, not kept. */
  private moreWarnings = 0;
  private readonly notTested: Partial<Record<HopId, string>> = {};
  /** This computer's side, set by a live diagnosis (src/local); a capture file has none. */
  local: LocalFacts | undefined;
  private readonly extraEvidence: Partial<Record<HopId, string[]>> = {};
  events = 0;
  firstTs: number | undefined;
  lastTs: number | undefined;
  /** UDP datagrams that were neither VITA-49 nor the client's registration text. */
  otherUdp = 0;

  /** Memory held while waiting for missing bytes: give it to the capture reader that feeds this analysis. */
  readonly budget: ReassemblyBudget;

  constructor(opts: AnalyzerOptions = {}) {
    this.budget = opts.budget ?? new ReassemblyBudget();
    this.control = new ControlTracker(opts.sniOf, [4992, ...(opts.apiPorts ?? [])], [443, ...(opts.brokerPorts ?? [])], this.budget);
  }

  feed(e: NetEvent): void {
    this.events++;
    this.firstTs ??= e.ts;
    if (this.lastTs === undefined || e.ts > this.lastTs) this.lastTs = e.ts;
    switch (e.type) {
      case 'udp':
        if (!this.streams.push(e) && !this.control.udp(e)) this.otherUdp++;
        return;
      case 'icmp':
        this.control.icmpEvent(e);
        return;
      default:
        this.control.tcp(e);
    }
  }

  onFftFrame(cb: FftTap | undefined): void {
    this.streams.setTaps(cb, this.streams.waterfallTap);
  }

  onWaterfallLine(cb: WaterfallTap | undefined): void {
    this.streams.setTaps(this.streams.fftTap, cb);
  }

  /** Live diagnosis: a hop it could not exercise (observer mode) is reported as not tested, never healthy. */
  markNotTested(hop: HopId, reason: string): void {
    this.notTested[hop] = reason;
  }

  addEvidence(hop: HopId, text: string): void {
    (this.extraEvidence[hop] ??= []).push(text);
  }

  warn(text: string): void {
    if (this.warnings.includes(text)) return;
    if (this.warnings.length < MAX_WARNINGS) this.warnings.push(text);
    else this.moreWarnings++;
  }

  /** Call once at the end of a finite source (capture file): open frames and pending commands settle. */
  finish(): void {
    this.streams.finish();
    this.control.finish(this.lastTs ?? 0);
  }

  kindOf(st: TrackedStream): StreamKind {
    if (st.classKind !== 'audio') return st.classKind;
    const ann = this.control.streams.get(formatStreamId(st.streamId));
    return ann && ann.type.startsWith('dax') ? 'dax-audio' : 'audio';
  }

  /** The facts the rules read, at analysis time `now`. */
  facts(now = this.lastTs ?? 0): PathFacts {
    return deriveFacts({
      control: this.control,
      streams: this.streams.streams,
      now,
      notTested: this.notTested,
      kindOf: (st) => this.kindOf(st),
      beacons: () => [...this.streams.beacons.values()].map((b) => b.beacon),
      ...(this.local ? { local: this.local } : {}),
    });
  }

  judge(now = this.lastTs ?? 0): { hops: Hop[]; verdict: AnalysisReport['verdict'] } {
    return judge(this.facts(now), this.extraEvidence);
  }

  report(source: SourceSummary, now?: number): AnalysisReport {
    const { hops, verdict } = this.judge(now);
    return {
      flexpath: { version: flexpathVersion() },
      source: source.start === undefined && this.firstTs !== undefined ? { ...source, start: isoUtc(this.firstTs) } : source,
      mode: this.mode(),
      radios: this.radios(),
      streams: this.streams.streams.map((st) => this.summary(st)),
      hops,
      verdict,
      warnings: capWarnings([...this.warnings, ...this.derivedWarnings()], this.moreWarnings),
      ...(this.local ? { local: this.local } : {}),
    };
  }

  mode(): SessionMode {
    if (isWan(this.control, primarySession(this.control))) return 'smartlink';
    return this.control.apiSessions().length > 0 ? 'lan' : 'none';
  }

  summary(st: TrackedStream): StreamSummary {
    return {
      id: formatStreamId(st.streamId),
      kind: this.kindOf(st),
      pcc: st.hasClassId ? '0x' + st.pcc.toString(16).toUpperCase().padStart(4, '0') : 'absent',
      ...(st.hasClassId ? { oui: '0x' + st.oui.toString(16).padStart(6, '0') } : {}),
      packetType: PACKET_CATEGORIES[categoryIndex(st.packetType)],
      src: formatEndpoint(st.src),
      dst: formatEndpoint(st.dst),
      packets: st.packets,
      bytes: st.bytes,
      lost: st.seq.lost,
      outOfOrder: st.seq.outOfOrder,
      duplicates: st.seq.duplicates,
      ratePps: Math.round(streamRate(st) * 100) / 100,
      minSize: st.packets > 0 ? st.minSize : 0,
      maxSize: st.maxSize,
    };
  }

  radios(): RadioSummary[] {
    const out = new Map<string, RadioSummary>();
    for (const { beacon: b, src } of this.streams.beacons.values()) {
      const serial = b.serial ?? '';
      out.set(serial || src.ip, {
        serial,
        model: b.model ?? '',
        version: b.version ?? '',
        ip: b.ip ?? src.ip,
        nickname: b.nickname ?? '',
        callsign: b.callsign ?? '',
      });
    }
    const info = this.control.radioInfo;
    if (info) {
      const serial = info.get('chassis_serial') ?? '';
      if (![...out.values()].some((r) => r.serial === serial || r.ip === info.get('ip'))) {
        out.set(serial || 'info', {
          serial,
          model: info.get('model') ?? '',
          version: info.get('software_ver') ?? '',
          ip: info.get('ip') ?? '',
          nickname: info.get('name') ?? '',
          callsign: info.get('callsign') ?? '',
        });
      }
    }
    for (const r of this.control.broker.radios) {
      if ([...out.values()].some((x) => x.serial === r.serial)) continue;
      const f = r.fields;
      out.set(r.serial, {
        serial: r.serial,
        model: f.get('model') ?? '',
        version: f.get('version') ?? '',
        ip: f.get('public_ip') ?? '',
        nickname: (f.get('radio_name') ?? f.get('name') ?? '').replaceAll('_', ' '),
        callsign: f.get('callsign') ?? '',
      });
    }
    return [...out.values()];
  }

  private derivedWarnings(): string[] {
    const w: string[] = [];
    for (const st of this.streams.streams) {
      if (st.payloadErrors > 0) w.push(`${formatStreamId(st.streamId)}: ${st.payloadErrors} packet(s) with a malformed payload (${st.lastPayloadError ?? ''})`);
      if (st.packets >= 100 && st.seq.duplicates >= st.packets * 0.01 && st.seq.duplicates < st.packets * 0.9) {
        // Not a cause of a blank display on its own, but a sign of a switching loop or a mirrored port.
        w.push(`${formatStreamId(st.streamId)}: ${((st.seq.duplicates / st.packets) * 100).toFixed(1)} % of its datagrams arrived twice (a switching loop, a mirrored port or a misbehaving VPN)`);
      }
      if (st.pccChanges > 0) {
        w.push(`${formatStreamId(st.streamId)}: its class code changed ${st.pccChanges} time(s) (first 0x${st.pcc.toString(16).padStart(4, '0')}, last 0x${st.lastPcc.toString(16).padStart(4, '0')}); counted as one stream`);
      }
      if (st.packets >= 16 && st.seq.duplicates >= st.packets * 0.9) {
        w.push(`${formatStreamId(st.streamId)}: its packet counter never advances, so loss cannot be measured for it`);
      }
    }
    for (const s of this.control.sessions) {
      if (s.tls && !s.sni?.includes('smartlink') && s.kind !== 'radio-api') w.push(`${s.id}: TLS, contents not readable — only timing and sizes are used`);
      if (s.gaps > 0) w.push(`${s.id}: ${s.gaps} gap(s) in the TCP stream (capture dropped packets); lines around them may be lost`);
    }
    const u = this.streams.untracked;
    if (u.packets > 0) {
      w.push(`${u.packets} VITA-49 packet(s) of streams beyond the first ${MAX_STREAMS} were not tracked (this many streams is not the traffic of a few radios)`);
    }
    if (u.beacons > 0) w.push(`${u.beacons} discovery beacon(s) of radios beyond the first ${MAX_RADIOS} were not tracked`);
    const c = this.control.untracked;
    if (c.tcpEvents > 0) w.push(`${c.tcpEvents} TCP event(s) of connections beyond the first ${MAX_SESSIONS} were not tracked`);
    if (c.commands > 0) w.push(`${c.commands} command(s) without a reply were forgotten: more were waiting than a real client sends (bounds: ${MAX_OUTSTANDING} per session, ${MAX_OUTSTANDING_TOTAL} in all)`);
    if (c.objects > 0) w.push(`${c.objects} status update(s) of objects beyond the first ${MAX_OBJECTS} (${MAX_METERS} meters) were not tracked`);
    if (this.control.sessions.some((s) => s.kind === 'radio-api') && this.streams.streams.some((st) => st.seq.lost > 0)) {
      w.push('loss is counted from the 4-bit VITA-49 packet counter: bursts of 16 or more lost packets in a row are undercounted');
    }
    return w;
  }
}
