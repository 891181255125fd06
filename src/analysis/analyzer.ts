/**
 * The one pipeline every source feeds (DESIGN.md §3): NetEvents in, the path model and verdict out.
 * Capture files, the live UDP socket, the tcpdump pipe and the simulator all call `feed`.
 */
import { ReassemblyBudget } from '../capture/budget.js';
import type { UnreadLink } from '../capture/reader.js';
import type { NetEvent, UdpEvent } from '../capture/types.js';
import type { LocalFacts } from '../local/types.js';
import { formatEndpoint } from '../capture/types.js';
import type { PacketKind } from '../vita/classes.js';
import { formatStreamId } from '../vita/stream-id.js';
import { coalescedSize, newScan } from '../vita/scan.js';
import { flexpathVersion } from '../version.js';
import { oneLine } from '../common/text.js';
import { ControlTracker, MAX_METERS, MAX_OBJECTS, MAX_OUTSTANDING, MAX_OUTSTANDING_TOTAL, MAX_SESSIONS } from './control-tracker.js';
import type { AnalysisReport, Hop, HopId, RadioSummary, SessionMode, SourceSummary, StreamKind, StreamSummary } from './model.js';
import { announcedPps, clientSessionGaps, deriveFacts, remadeObjects, isWan, type MtuStepsFact, type PathFacts, primarySession, streamRate } from './facts.js';
import { IncompleteDatagrams } from './fragments.js';
import { judge } from './judge.js';
import { MTU_STEP_DRAIN_S, MTU_STEP_MIN_LARGE, type MtuStep, largeAt } from './mtu-phases.js';
import { outagesSeen } from './rules.js';
import { type StreamLoss, streamLosses } from './silences.js';
import { type FftTap, MAX_RADIOS, MAX_STREAMS, PACKET_CATEGORIES, StreamTracker, type TrackedStream, type WaterfallTap, categoryIndex, isFlexStream } from './stream-tracker.js';

/** Receive stream types of `stream` status lines (reference §5.9) and the kind of data each carries. */
const ANNOUNCED_KIND: Readonly<Record<string, StreamKind>> = { remote_audio_rx: 'audio', dax_rx: 'dax-audio', dax_mic: 'dax-audio', dax_iq: 'dax-iq' };

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
function capWarnings(all: string[], alreadyDropped = 0): string[] {
  if (all.length <= MAX_WARNINGS && alreadyDropped === 0) return all;
  const kept = all.slice(0, MAX_WARNINGS - 1);
  return [...kept, `… and ${all.length - kept.length + alreadyDropped} more warning(s)`];
}

/**
 * MTU phases kept at most. The probe makes five (its run and four steps); a session that changes its MTU
 * more often than this is not stepping through sizes, and is judged on as one phase.
 */
const MAX_MTU_PHASES = 16;

/**
 * A remnant of a phase — the capture began inside it, its network_mtu command unseen — shorter than this
 * does not decide the verdict (it is still reported as a step). Empirical: 1 s is ≈ 20 waterfall lines
 * (reference §3.2: ≈ 19.5 lines/s), four times MTU_MIN_FRAMES. A phase whose command the capture holds is
 * whole however short: a live probe judges its run as soon as the silence is certain (walk.ts
 * runUntilDecided: 0.8 s of data in the simulator's drop=waterfall run), and its recording must judge that
 * run, not the step after it.
 */
const MIN_DECIDING_PHASE_S = 1;

/** A stretch of the session at one client network_mtu, judged when the next began. */
interface MtuPhase {
  mtu: number | undefined;
  /** From its first data packet to its end. */
  durationS: number;
  judged: { hops: Hop[]; verdict: AnalysisReport['verdict'] };
  /** What it was judged on, kept to judge it again with the MTU steps that followed it. */
  facts: PathFacts;
  evidence: Partial<Record<HopId, string[]>>;
  step: MtuStep | undefined;
}

type Judged = MtuPhase['judged'];

/** The current phase's setting and its large waterfall datagrams, counted once the radio accepted it. */
interface PhaseMtu {
  value: number;
  countFrom: number;
  large: number;
  largest: number;
  /** The setting before, while the radio has not answered (a refusal goes back to it). */
  before: PhaseMtu | undefined;
}

export class Analyzer {
  readonly streams = new StreamTracker();
  readonly control: ControlTracker;
  readonly warnings: string[] = [];
  /** Warnings past MAX_WARNINGS: counted, not kept. */
  private moreWarnings = 0;
  private readonly notTested: Partial<Record<HopId, string>> = {};
  /** finish() was called: nothing more arrives (facts.ts FactSources.ended). */
  private ended = false;
  /** This computer's side, set by a live diagnosis (src/local); a capture file has none. */
  local: LocalFacts | undefined;
  /** A capture file whose UDP/TCP packets were cut by its snapshot length (the capture reader counts them). */
  truncated: { packets: number; udp: number; snaplen: number } | undefined;
  /** A capture file's frames on link types the reader does not decode. */
  unreadLinks: UnreadLink[] | undefined;
  /** The source shows no Don't-Fragment bit (FlexPath's own socket recording: facts.ts dontFragment). */
  dontFragmentUnknown = false;
  /** Live only: the longest time this process was held up while receiving, s (diagnose/live.ts tick). */
  ownStallMaxS = 0;
  /** The source is FlexPath's own socket (a live run, or its recording), not a capture (facts.ts ownSocket). */
  ownSocket = false;
  private readonly extraEvidence: Partial<Record<HopId, string[]>> = {};
  events = 0;
  firstTs: number | undefined;
  lastTs: number | undefined;
  /** UDP datagrams that were neither VITA-49 nor the client's registration text. */
  otherUdp = 0;
  /** Datagrams the receive offload merged (several VITA-49 packets back to back), and the packets in them. */
  readonly gro = { datagrams: 0, packets: 0 };
  /** Fragmented datagrams the capture never saw whole (the current MTU phase's). */
  private incomplete = new IncompleteDatagrams();
  private readonly scan = newScan();

  /** Memory held while waiting for missing bytes: give it to the capture reader that feeds this analysis. */
  readonly budget: ReassemblyBudget;
  /** The session's MTU phases before the current one (see `mtuAsked`), and the current one's count. */
  private readonly phases: MtuPhase[] = [];
  private readonly retired: TrackedStream[] = [];
  private mtu: PhaseMtu | undefined;
  /** A live probe's MTU steps, taken after its judged run and not fed to this analysis (see `mtuStepsTried`). */
  private stepsAfter: MtuStepsFact | undefined;

  constructor(opts: AnalyzerOptions = {}) {
    this.budget = opts.budget ?? new ReassemblyBudget();
    this.control = new ControlTracker(opts.sniOf, [4992, ...(opts.apiPorts ?? [])], [443, ...(opts.brokerPorts ?? [])], this.budget);
    this.streams.announced = (st) => announcedPps(this.control, st, this.kindOf(st));
    this.control.onNetworkMtu = (e) => {
      // A line held behind a capture hole carries the time it arrived, earlier than the datagrams already
      // counted: the phase can only be cut where the analysis is.
      const ts = Math.max(e.ts, this.lastTs ?? e.ts);
      if (e.step === 'asked') this.mtuAsked(e.mtu, ts);
      else if (this.mtu?.value === e.mtu) {
        // Refused: the radio goes on at the setting before, counted again from now.
        if (e.step === 'refused') this.mtu = this.mtu.before ? { ...this.mtu.before, countFrom: ts, before: undefined } : undefined;
        else Object.assign(this.mtu, { countFrom: ts + MTU_STEP_DRAIN_S, before: undefined });
      }
    };
  }

  feed(e: NetEvent): void {
    this.events++;
    this.firstTs ??= e.ts;
    if (this.lastTs === undefined || e.ts > this.lastTs) this.lastTs = e.ts;
    switch (e.type) {
      case 'udp': {
        if (this.vita(e)) return;
        const size = coalescedSize(e.payload, this.scan);
        if (size > 0) this.coalesced(e, size);
        else if (!this.control.udp(e)) this.otherUdp++;
        return;
      }
      case 'icmp':
        this.control.icmpEvent(e);
        return;
      case 'udp-incomplete':
        this.incomplete.add(e);
        return;
      default:
        this.control.tcp(e);
    }
  }

  /** A VITA-49 datagram: into its stream, and the MTU phase's count. False when it is none. */
  private vita(e: UdpEvent): boolean {
    if (!this.streams.push(e)) return false;
    if (this.mtu && this.streams.last?.classKind === 'waterfall' && e.ts >= this.mtu.countFrom) {
      this.mtu.largest = Math.max(this.mtu.largest, e.payload.length);
      if (largeAt(this.mtu.value, e.payload.length)) this.mtu.large++;
    }
    return true;
  }

  /**
   * A datagram the receive offload merged from `size`-byte segments (coalescedSize): each segment is the
   * datagram that crossed the network, with its own size (so the MTU facts see those), at the merge's time.
   */
  private coalesced(e: UdpEvent, size: number): void {
    this.gro.datagrams++;
    const headers = e.ipLength !== undefined ? e.ipLength - e.payload.length : undefined;
    for (let at = 0; at < e.payload.length; at += size) {
      const payload = e.payload.subarray(at, Math.min(at + size, e.payload.length));
      this.gro.packets++;
      this.vita({ ...e, payload, ...(headers !== undefined ? { ipLength: headers + payload.length } : {}) });
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
    this.ended = true;
    this.streams.finish();
    this.control.finish(this.lastTs ?? 0);
  }

  kindOf(st: TrackedStream): StreamKind {
    return this.kindOfId(formatStreamId(st.streamId), st.classKind, isFlexStream(st));
  }

  /** What stream `id` carries, sent in a class of kind `classKind` (`flex`: FlexRadio's OUI). */
  private kindOfId(id: string, classKind: PacketKind, flex: boolean): StreamKind {
    if (classKind !== 'audio' && classKind !== 'other') return classKind;
    const ann = this.control.streams.get(id);
    if (classKind === 'audio') return ann && ann.type.startsWith('dax') ? 'dax-audio' : 'audio';
    if (!flex) return 'other';
    // A FlexRadio class the table does not list (another firmware's or a FLEX-8000/Aurora's: UNCONFIRMED,
    // reference §2.3: the 0x8xxx classes are Flex-private, their scheme unknown) on a stream id the session
    // announced: its status says what it carries (reference §2.4: map stream id → object by the `display
    // pan|waterfall <id>` and `stream <id>` status lines, not by class or prefix). A pan's or waterfall's
    // packets so taken are counted by their counter and time only: the tracker reads frames from the
    // layout of the class it knows (stream-tracker.ts create), which an unknown class may not have.
    if (this.control.pans.has(id)) return 'panadapter';
    if (this.control.waterfalls.has(id)) return 'waterfall';
    return (ann && ANNOUNCED_KIND[ann.type]) || 'other';
  }

  /** The facts the rules read, at analysis time `now`. */
  facts(now = this.lastTs ?? 0): PathFacts {
    return deriveFacts({
      control: this.control,
      streams: this.streams.streams,
      now,
      ended: this.ended,
      notTested: this.notTested,
      kindOf: (st) => this.kindOf(st),
      incomplete: this.incomplete,
      otherUdp: this.otherUdp,
      kindOfId: (id, classKind, flex) => this.kindOfId(id, classKind, flex),
      beacons: () => [...this.streams.beacons.values()].map((b) => b.beacon),
      ...(this.local ? { local: this.local } : {}),
      ...(this.truncated ? { truncated: this.truncated } : {}),
      ...(this.dontFragmentUnknown ? { dontFragmentUnknown: true } : {}),
      ...(this.ownStallMaxS > 0 ? { ownStallMaxS: this.ownStallMaxS } : {}),
      ...(this.ownSocket ? { ownSocket: true } : {}),
      ...(this.unreadLinks ? { unreadLinks: this.unreadLinks } : {}),
      ...(this.stepsAfter ? { mtuSteps: this.stepsAfter } : {}),
      ...(this.acceptedMtu() !== undefined ? { clientMtu: this.acceptedMtu() } : {}),
    });
  }

  /**
   * A live probe stepped the client MTU after its judged run, outside this analysis (src/diagnose/mtu-step.ts):
   * the steps become facts of the run, judged with it.
   */
  mtuStepsTried(steps: MtuStepsFact): void {
    this.stepsAfter = steps;
  }

  /**
   * The client asks for another network_mtu (reference §5.6): from then on the radio may re-size its large
   * packets, so what came before was a test of another path MTU. When data flowed at the previous
   * setting, that phase is judged as it stood (the moment a live diagnosis judges, before stepping its
   * MTU) and the data streams are counted afresh: the probe's steps 1500 → 1450 → 1400 → 1300 are not loss
   * that grows with the rate. The new phase counts its large packets once the radio accepted the setting.
   */
  private mtuAsked(mtu: number, ts: number): void {
    const flowed = this.streams.streams.some((st) => st.classKind !== 'discovery' && st.packets > 0);
    if (flowed && this.phases.length < MAX_MTU_PHASES) {
      const durationS = this.phaseAge(ts);
      // The phase is over: a frame it left incomplete will not complete in it.
      this.streams.finish();
      const facts = structuredClone(this.facts(ts));
      const evidence = structuredClone(this.extraEvidence);
      this.phases.push({ mtu: this.mtu?.value, durationS, judged: judge(facts, evidence), facts, evidence, step: this.currentStep() });
      this.retired.push(...this.streams.retire());
      this.incomplete = new IncompleteDatagrams();
    } else if (flowed) {
      this.warn(`the client's network_mtu changed more than ${MAX_MTU_PHASES} times: the rest of the session is judged as one phase`);
    }
    this.mtu = { value: mtu, countFrom: Infinity, large: 0, largest: 0, before: this.mtu ? { ...this.mtu, before: undefined } : undefined };
  }

  /** The network_mtu the radio accepted and sends at: while a new one awaits its answer, the one before. */
  private acceptedMtu(): number | undefined {
    const m = this.mtu;
    const accepted = (x: PhaseMtu | undefined): boolean => x !== undefined && x.countFrom !== Infinity;
    return accepted(m) ? m!.value : accepted(m?.before) ? m!.before!.value : undefined;
  }

  /** Seconds from the current phase's first data packet to `ts`. */
  private phaseAge(ts: number): number {
    const data = this.streams.streams.filter((st) => st.classKind !== 'discovery' && st.packets > 0);
    return data.length > 0 ? ts - Math.min(...data.map((st) => st.firstTs)) : 0;
  }

  /** The current phase as an MTU step: the large waterfall datagrams that arrived at its setting. */
  private currentStep(): MtuStep | undefined {
    const m = this.mtu;
    return m ? { mtu: m.value, large: m.large, largest: m.largest, passed: m.large >= MTU_STEP_MIN_LARGE } : undefined;
  }

  /**
   * One phase: its own judgement. Several (the MTU changed after data flowed): the first phase that found a fault —
   * whole, or a remnant of at least MIN_DECIDING_PHASE_S — decides — the run a live diagnosis judged before stepping its
   * MTU — or, none, the last; the phases after the deciding one are its MTU steps: facts it is judged
   * again with, as live diagnose judges its run with its steps.
   */
  judge(now = this.lastTs ?? 0): Judged {
    const current = judge(this.facts(now), this.extraEvidence);
    // A truncated capture is judged by no phase: the phases were judged before the reader knew it was cut.
    if (this.phases.length === 0 || this.truncated) return current;
    const all = [...this.phases, { mtu: this.mtu?.value, durationS: this.phaseAge(now), judged: current, step: this.currentStep() }];
    // A phase with no MTU of its own began before the capture did (or its command was refused): a remnant.
    const failing = all.findIndex((p) => (p.mtu !== undefined || p.durationS >= MIN_DECIDING_PHASE_S) && (p.judged.verdict.status === 'blocked' || p.judged.verdict.status === 'degraded'));
    const decided = failing >= 0 ? failing : all.length - 1;
    const steps = all.slice(decided + 1).flatMap((p) => (p.step ? [p.step] : []));
    const phase = this.phases[decided];
    // The last phase is the current one: nothing followed it.
    if (!phase) return current;
    if (steps.length === 0) return structuredClone(phase.judged);
    return judge({ ...phase.facts, mtuSteps: { ...(phase.mtu !== undefined ? { tested: phase.mtu } : {}), where: 'later in the session (client set network_mtu)', steps } }, phase.evidence);
  }

  report(source: SourceSummary, now?: number): AnalysisReport {
    const { hops, verdict } = this.judge(now);
    const facts = this.facts(now);
    const losses = streamLosses(this.streams.streams, clientSessionGaps(this.control, this.streams.streams), remadeObjects(this.control));
    const outbound = new Set(facts.outbound?.streams);
    const r = (x: number): number => Math.round(x * 1000) / 1000;
    return {
      flexpath: { version: flexpathVersion() },
      source: source.start === undefined && this.firstTs !== undefined ? { ...source, start: isoUtc(this.firstTs) } : source,
      mode: this.mode(),
      radios: this.radios(),
      // A transmit stream's silences are the client's pauses, not loss (facts.ts outbound): its counter alone counts.
      streams: [...this.retired, ...this.streams.streams].map((st) => this.summary(st, outbound.has(formatStreamId(st.streamId)) ? { lost: st.seq.lost, silences: [], restarts: [], brief: [] } : losses.get(st))),
      hops,
      verdict,
      outages: outagesSeen(facts).map((o) => ({ startS: r(o.atS), lengthS: r(o.lengthS), lost: o.lost, streams: o.streams.map((x) => x.id) })),
      warnings: capWarnings([...this.warnings, ...this.derivedWarnings(facts)], this.moreWarnings).map(oneLine),
      ...(this.local ? { local: this.local } : {}),
    };
  }

  mode(): SessionMode {
    if (isWan(this.control, primarySession(this.control))) return 'smartlink';
    return this.control.apiSessions().length > 0 ? 'lan' : 'none';
  }

  /** `loss`: the stream's loss with its silences resolved against the others (streamLosses); alone, by its own. */
  summary(st: TrackedStream, loss: StreamLoss | undefined = streamLosses([st]).get(st)): StreamSummary {
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
      lost: loss?.lost ?? st.seq.lost,
      outOfOrder: st.seq.outOfOrder,
      duplicates: st.seq.duplicates,
      ratePps: Math.round(streamRate(st, loss?.restarts) * 100) / 100,
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

  private derivedWarnings(facts: PathFacts): string[] {
    const w: string[] = [];
    if (this.gro.datagrams > 0) {
      w.push(
        `${this.gro.datagrams} UDP datagram(s) held several VITA-49 packets back to back (${this.gro.packets} in all): the capturing computer's receive offload (Linux UDP GRO) merged them before the capture saw them; each packet is read on its own, and sizes on the wire are the packets' sizes, not the captured datagrams'`,
      );
    }
    const o = facts.otherClients;
    if (o) {
      const shown = o.addresses.slice(0, 3).join(', ');
      w.push(
        `the capture also holds the radio's data to other clients (${shown}: ${o.streams} stream(s), ${o.lost} of ${o.packets + o.lost} packets lost), not judged here: this report is about the session of ${o.client}; to judge theirs, analyse the capture without it (\`tshark -r IN -Y '!(ip.addr == ${o.client})' -w OUT\`)`,
      );
    }
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
      if (s.encrypted && !s.sni?.includes('smartlink') && s.kind !== 'radio-api') w.push(`${s.id}: TLS, contents not readable — only timing and sizes are used`);
      if (s.gaps > 0) w.push(`${s.id}: ${s.gaps} gap(s) in the TCP stream (the capture dropped packets or cut them short); lines around them may be lost`);
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
      w.push('loss is counted from the 4-bit VITA-49 packet counter; across a silence of 8 or more packet periods, where that counter wraps unseen, from the FFT/waterfall frame index or estimated from time × rate');
    }
    return w;
  }
}
