/**
 * The triage table of a batch (`flexpath analyze a.pcapng b.pcap dir/`): one row per capture — file,
 * radio, LAN or SmartLink, verdict, hop, cause and the figure that decided it — as text, Markdown, CSV
 * or JSON lines. An unreadable file is a row too, saying why.
 */
import type { BatchOutcome } from '../analysis/batch.js';
import type { AnalysisReport } from '../analysis/model.js';
import { escapeControls } from '../common/text.js';
import { jsonSafe, mdCode } from './escape.js';
import { table } from './format.js';

export interface TriageRow {
  file: string;
  /** False when the file could not be read; `error` then says why and the other fields are empty. */
  readable: boolean;
  radio: string;
  mode: string;
  verdict: string;
  hop: string;
  cause: string;
  /** The fact behind the verdict: the first evidence line of the deciding hop, else the summary. */
  figure: string;
  error?: string;
}

const MODE: Record<NonNullable<AnalysisReport['mode']>, string> = { lan: 'LAN', smartlink: 'SmartLink', none: '—' };

function radioOf(r: AnalysisReport): string {
  const first = r.radios[0];
  if (first === undefined) return '—';
  const name = [first.model, first.nickname ? `"${first.nickname}"` : first.serial].filter((x) => x !== '').join(' ') || first.ip;
  return r.radios.length > 1 ? `${name} (+${r.radios.length - 1})` : name;
}

export function triageRow(o: BatchOutcome): TriageRow {
  if (!o.ok) return { file: o.name, readable: false, radio: '', mode: '', verdict: 'unreadable', hop: '', cause: '', figure: '', error: o.error };
  const r = o.report;
  const v = r.verdict;
  const decided = v.hop === undefined ? undefined : r.hops.find((h) => h.id === v.hop);
  return {
    file: o.name,
    readable: true,
    radio: radioOf(r),
    mode: MODE[r.mode ?? 'none'],
    verdict: v.status,
    hop: v.hop ?? '',
    cause: v.cause && v.cause !== 'healthy' ? v.cause : '',
    figure: decided?.evidence[0] ?? v.summary,
  };
}

export type TriageFormat = 'text' | 'md' | 'csv' | 'jsonl';

const HEAD = ['file', 'radio', 'mode', 'verdict', 'hop', 'cause', 'key figure'];

function cells(r: TriageRow): string[] {
  return [r.file, r.radio, r.mode, r.verdict, r.hop, r.cause, r.readable ? r.figure : (r.error ?? '')].map(escapeControls);
}

/** A terminal line stays readable: long evidence is cut (the CSV and JSON keep it whole). */
const TEXT_FIGURE_MAX = 70;

function clip(s: string, max: number): string {
  return s.length <= max ? s : s.slice(0, max - 1) + '…';
}

function textTable(rows: TriageRow[]): string {
  return table([HEAD, ...rows.map((r) => cells(r).map((c, i) => (i === 6 ? clip(c, TEXT_FIGURE_MAX) : c)))]).join('\n') + '\n';
}

const mdCell = (s: string): string => mdCode(s, true);

function mdTable(rows: TriageRow[]): string {
  return [`| ${HEAD.join(' | ')} |`, `|${HEAD.map(() => '---').join('|')}|`, ...rows.map((r) => `| ${cells(r).map(mdCell).join(' | ')} |`)].join('\n') + '\n';
}

/**
 * RFC 4180: quote a field holding a comma, quote or line break; double the quotes inside. A field that a
 * spreadsheet would run as a formula (= + - @, OWASP "CSV injection") is prefixed with an apostrophe.
 */
function csvField(s: string): string {
  const t = /^[=+\-@]/.test(s) ? `'${s}` : s;
  return /[",\r\n]/.test(t) ? `"${t.replace(/"/g, '""')}"` : t;
}

function csvTable(rows: TriageRow[]): string {
  return [HEAD, ...rows.map(cells)].map((r) => r.map(csvField).join(',')).join('\r\n') + '\r\n';
}

export function formatTriage(outcomes: readonly BatchOutcome[], format: TriageFormat): string {
  const rows = outcomes.map(triageRow);
  switch (format) {
    case 'text':
      return textTable(rows);
    case 'md':
      return mdTable(rows);
    case 'csv':
      return csvTable(rows);
    case 'jsonl':
      return rows.map((r) => jsonSafe(JSON.stringify(r))).join('\n') + '\n';
  }
}
