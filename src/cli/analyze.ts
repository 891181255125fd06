/**
 * `flexpath analyze FILE… | DIR | -`: customers' captures → which hop stops the packets.
 * One capture (a file, a .gz, a zip holding one, or stdin): the full report, as before. Several: a
 * triage table, one row per capture, and on request each full report in a folder. Exit 0 whatever the
 * verdicts; 1 when a file is not a capture we can read (the table says which).
 */
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
// The analysis and the report formats are imported where they are used: a batch starts its worker
// threads before this thread loads them (analysis/batch.ts).
import { type BatchOutcome, analyzeBatch } from '../analysis/batch.js';
import { describeInputError } from '../analysis/input-error.js';
import { type InputSpec, expandInputs } from '../capture/inputs.js';
import type { ReportFormat } from '../report/format.js';
import { escapeControls } from '../common/text.js';
import { redactReport } from '../report/redact.js';
import type { TriageFormat } from '../report/triage.js';
import { EXIT, REDACT_OPTIONS, UsageError, oneOf, parse, wantsRedaction } from './common.js';
import { claimOutput, writeOutput } from './output-file.js';
import { progressBar, statusLine } from './progress.js';

export const ANALYZE_HELP = [
  'analyze FILE… | DIR | - [--format F] [--out F] [--out-dir D] [--report-format F] [--no-redact] [--force]',
  '      a capture (.pcap/.pcapng, also .gz, .zip, or - for stdin) → verdict; --format text|json|md|html.',
  '      Several captures or a folder → a triage table, --format text|md|csv|jsonl; --out-dir D also',
  '      writes each full report there (--report-format text|json|md|html, default md).',
].join('\n');

const REPORT_FORMATS = ['text', 'json', 'md', 'html'] as const;
const TRIAGE_FORMATS = ['text', 'md', 'csv', 'jsonl'] as const;
const EXT: Record<ReportFormat, string> = { text: 'txt', json: 'json', md: 'md', html: 'html' };

export async function runAnalyze(argv: string[]): Promise<number> {
  const { values, positionals } = parse(argv, {
    format: { type: 'string' },
    out: { type: 'string' },
    'out-dir': { type: 'string' },
    'report-format': { type: 'string' },
    ...REDACT_OPTIONS,
    force: { type: 'boolean' },
  });
  const redact = wantsRedaction(values);
  if (positionals.length === 0) throw new UsageError('give one or more capture files, a folder, or - for stdin');
  if (positionals.filter((p) => p === '-').length > 1) throw new UsageError('stdin (-) can be read only once');
  const { specs, failures } = await expandInputs(positionals);
  const force = values.force === true;
  const inputs = [...positionals.filter((p) => p !== '-'), ...specs.flatMap((s) => ('path' in s ? [s.path] : []))];
  if (values.out !== undefined) await claimOutput(values.out, { option: 'out', force, inputs });
  // One argument that is one capture (not a folder that happens to hold one) gets the full report.
  const arg = positionals[0];
  const only = specs[0];
  const single =
    positionals.length === 1 &&
    values['out-dir'] === undefined &&
    ((specs.length === 1 && failures.length === 0 && only !== undefined && (only.kind === 'stdin' || only.path === arg)) ||
      (specs.length === 0 && failures.length === 1 && failures[0]?.name === arg));
  if (single) {
    const spec = specs[0];
    if (spec === undefined) {
      const f = failures[0];
      process.stderr.write(`flexpath analyze: ${f?.name ?? ''}: ${f?.error ?? ''}\n`);
      return EXIT.badInput;
    }
    return analyzeOne(spec, oneOf<ReportFormat>(values.format, REPORT_FORMATS, 'text', 'format'), values.out, redact);
  }
  const format = oneOf<TriageFormat>(values.format === 'json-lines' ? 'jsonl' : values.format, TRIAGE_FORMATS, 'text', 'format');
  const reportFormat = oneOf<ReportFormat>(values['report-format'], REPORT_FORMATS, 'md', 'report-format');
  const outDir = values['out-dir'];
  // Claimed before the work, like --out: a name that is taken stops the run before any report is written.
  const reportPaths = outDir === undefined ? undefined : await claimReports(outDir, specs, reportFormat, force, inputs);
  // Loaded while the workers analyse: this thread has nothing else to do then.
  const formats = Promise.all([import('../report/format.js'), import('../report/triage.js')]);
  const outcomes = await analyzeMany(specs, redact);
  const [{ formatReport }, { formatTriage }] = await formats;
  if (reportPaths !== undefined) {
    // A capture that failed leaves its claimed name empty; output-file.ts removes it at exit.
    for (const [i, o] of outcomes.entries()) if (o.ok) await writeOutput(reportPaths[i] as string, formatReport(o.report, reportFormat));
  }
  const all: BatchOutcome[] = [...failures.map((f): BatchOutcome => ({ name: f.name, ok: false, error: f.error })), ...outcomes];
  const table = formatTriage(all, format);
  if (values.out) await writeOutput(values.out, table);
  else process.stdout.write(table);
  return all.some((o) => !o.ok) ? EXIT.badInput : EXIT.ok;
}

async function analyzeOne(spec: InputSpec, format: ReportFormat, out: string | undefined, redact: boolean): Promise<number> {
  const [{ analyzeInput }, { formatReport }] = await Promise.all([import('../analysis/analyze-file.js'), import('../report/format.js')]);
  const bar = progressBar('analyzing');
  let report;
  try {
    report = await analyzeInput(spec, { onProgress: (done, total) => bar.update(done, total) });
  } catch (e) {
    bar.end();
    process.stderr.write(`flexpath analyze: ${spec.name}: ${await describeInputError(e, spec.kind === 'file' ? spec.path : undefined)}\n`);
    return EXIT.badInput;
  }
  bar.end();
  const text = formatReport(redact ? redactReport(report) : report, format);
  if (out) await writeOutput(out, text);
  else process.stdout.write(text);
  return EXIT.ok;
}

/** All files on worker threads, with one status line for the whole batch (a line per capture outside a terminal). */
async function analyzeMany(specs: InputSpec[], redact: boolean): Promise<BatchOutcome[]> {
  const line = statusLine();
  const started = Date.now();
  let bytes = 0;
  let done = 0;
  const text = (): string => {
    const mbs = bytes / 1e6 / Math.max(0.001, (Date.now() - started) / 1000);
    return `analyzing: ${done}/${specs.length} captures done, ${(bytes / 1e6).toFixed(1)} MB read, ${mbs.toFixed(0)} MB/s`;
  };
  try {
    return await analyzeBatch(specs, {
      prepare: redact ? redactReport : undefined,
      onProgress: (n) => {
        bytes += n;
        line.update(text);
      },
      onOutcome: (o) => {
        done++;
        // A zip entry's name is the archive author's text: no control sequences reach the terminal.
        line.step(`${text()} (last: ${escapeControls(o.name)}${o.ok ? '' : ', unreadable'})`);
      },
    });
  } finally {
    line.end();
  }
}

/** A file name for a capture's report: its name without folder separators, unique within the folder. */
function reportName(name: string, ext: string, taken: Set<string>): string {
  const base = name.replace(/^[./\\]+/, '').replace(/[/\\:*?"<>|]+/g, '_') || 'stdin';
  let candidate = `${base}.${ext}`;
  for (let n = 2; taken.has(candidate); n++) candidate = `${base}-${n}.${ext}`;
  taken.add(candidate);
  return candidate;
}

/** One report name per capture, in the order of `specs`, each created exclusively (output-file.ts). */
async function claimReports(dir: string, specs: readonly InputSpec[], format: ReportFormat, force: boolean, inputs: readonly string[]): Promise<string[]> {
  await mkdir(dir, { recursive: true });
  const taken = new Set<string>();
  const paths = specs.map((s) => join(dir, reportName(s.name, EXT[format], taken)));
  for (const path of paths) await claimOutput(path, { option: 'out-dir', force, inputs });
  return paths;
}
