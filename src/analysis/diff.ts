/**
 * Before/after: what changed between two analyses of the same setup, hop by hop, so support can tell a
 * customer their change worked ("data:waterfall blocked (mtu) → ok"). Plain data in and out: the CLI
 * formats it (report/diff.ts) and the UI can call `diffReports` on two reports through the bridge.
 */
import { HOP_LABEL } from '../hop-label.js';
import { type AnalysisReport, type Cause, HOP_IDS, type Hop, type HopId, type HopStatus, type StreamKind, type Verdict } from './model.js';

export interface HopState {
  status: HopStatus;
  cause?: Cause;
  /** The hop's first evidence line: the fact that decided it. */
  evidence: string;
}

export interface HopChange {
  id: HopId;
  label: string;
  before: HopState;
  after: HopState;
  /** Status or cause differ. */
  changed: boolean;
}

/** Per stream kind, summed over its streams: what moved in numbers. */
interface KindFigures {
  kind: StreamKind;
  before: { streams: number; packets: number; lost: number };
  after: { streams: number; packets: number; lost: number };
}

export interface ReportDiff {
  before: { file: string; verdict: Verdict };
  after: { file: string; verdict: Verdict };
  verdictChanged: boolean;
  /** Every hop, in path order; `changed` marks the ones to show first. */
  hops: HopChange[];
  kinds: KindFigures[];
}

function stateOf(h: Hop | undefined): HopState {
  if (h === undefined) return { status: 'unknown', evidence: 'not in this report' };
  return { status: h.status, ...(h.cause !== undefined ? { cause: h.cause } : {}), evidence: h.evidence[0] ?? '' };
}

function kindFigures(r: AnalysisReport, kind: StreamKind): KindFigures['before'] {
  const of = r.streams.filter((s) => s.kind === kind);
  return { streams: of.length, packets: of.reduce((n, s) => n + s.packets, 0), lost: of.reduce((n, s) => n + s.lost, 0) };
}

export function diffReports(before: AnalysisReport, after: AnalysisReport): ReportDiff {
  const hops = HOP_IDS.map((id): HopChange => {
    const b = stateOf(before.hops.find((h) => h.id === id));
    const a = stateOf(after.hops.find((h) => h.id === id));
    return { id, label: HOP_LABEL[id], before: b, after: a, changed: b.status !== a.status || b.cause !== a.cause };
  });
  const kinds = [...new Set([...before.streams, ...after.streams].map((s) => s.kind))].map((kind) => ({
    kind,
    before: kindFigures(before, kind),
    after: kindFigures(after, kind),
  }));
  const bv = before.verdict;
  const av = after.verdict;
  return {
    before: { file: before.source.file, verdict: bv },
    after: { file: after.source.file, verdict: av },
    verdictChanged: bv.status !== av.status || bv.hop !== av.hop || bv.cause !== av.cause,
    hops,
    kinds,
  };
}
