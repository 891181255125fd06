/**
 * What the verdict panel says while a zip of several captures is listed and none is open: the worst
 * verdict among them and how many of each, so the panel tells the truth about the zip instead of
 * asking for a source that is already there.
 */
import type { ArchiveRow, VerdictStatus } from '../../src/bridge/protocol.js';

/** Worst first: a blocked hop outranks a degraded one; "inconclusive" only says the capture could not tell. */
const ORDER: readonly VerdictStatus[] = ['blocked', 'degraded', 'inconclusive', 'healthy'];

interface ArchiveSummary {
  total: number;
  /** Readable captures per verdict, worst first; verdicts no capture had are left out. */
  counts: Array<{ status: VerdictStatus; n: number }>;
  unreadable: number;
  /** The first capture (in the table's order) with the worst verdict; undefined when none could be read. */
  worst: ArchiveRow | undefined;
  worstStatus: VerdictStatus | undefined;
}

const statusOf = (row: ArchiveRow): VerdictStatus | undefined => ORDER.find((s) => row.readable && s === row.verdict);

export function summarizeArchive(rows: readonly ArchiveRow[]): ArchiveSummary {
  const counts = ORDER.map((status) => ({ status, n: rows.filter((r) => statusOf(r) === status).length })).filter((c) => c.n > 0);
  const worstStatus = counts[0]?.status;
  return {
    total: rows.length,
    counts,
    unreadable: rows.filter((r) => statusOf(r) === undefined).length,
    worst: worstStatus === undefined ? undefined : rows.find((r) => statusOf(r) === worstStatus),
    worstStatus,
  };
}
