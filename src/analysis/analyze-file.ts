/**
 * Capture file → AnalysisReport: the support-ticket path. Streams the file through the capture reader
 * into one Analyzer; memory stays flat whatever the file size.
 */
import { basename } from 'node:path';
import { readCaptureFile, readCaptureStream, type CaptureStats } from '../capture/reader.js';
import { type InputSpec, openInput } from '../capture/inputs.js';
import { parseClientHello } from '../capture/tls.js';
import type { Readable } from 'node:stream';
import { Analyzer } from './analyzer.js';
import type { AnalysisReport } from './model.js';

export interface AnalyzeOptions {
  onProgress?(bytesRead: number, totalBytes: number | undefined): void;
  /** Lets the caller tap frames (UI) or add context before the report is built. */
  analyzer?: Analyzer;
  /** The name the report shows (default: the file's base name). */
  name?: string;
}

export function sniOf(firstBytes: Buffer): string | undefined {
  const r = parseClientHello(firstBytes);
  return r.kind === 'tls' ? r.sni : undefined;
}

export async function analyzeCaptureFile(path: string, opts: AnalyzeOptions = {}): Promise<AnalysisReport> {
  const a = opts.analyzer ?? new Analyzer({ sniOf });
  const stats = await readCaptureFile(path, (e) => a.feed(e), { budget: a.budget, ...(opts.onProgress ? { onProgress: opts.onProgress } : {}) });
  return finish(a, stats, opts.name ?? basename(path));
}

export async function analyzeCaptureStream(stream: Readable, name: string, opts: AnalyzeOptions = {}): Promise<AnalysisReport> {
  const a = opts.analyzer ?? new Analyzer({ sniOf });
  const stats = await readCaptureStream(stream, (e) => a.feed(e), { budget: a.budget, ...(opts.onProgress ? { onProgress: opts.onProgress } : {}) });
  return finish(a, stats, name);
}

/** One capture of `flexpath analyze`'s arguments (see capture/inputs.ts): a file, a .gz, a zip entry or stdin. */
export async function analyzeInput(spec: InputSpec, opts: AnalyzeOptions = {}): Promise<AnalysisReport> {
  const warnings: string[] = [];
  const opened = await openInput(spec, warnings);
  if (opened.kind === 'path') return analyzeCaptureFile(opened.path, opts);
  try {
    const a = opts.analyzer ?? new Analyzer({ sniOf });
    const onProgress = opts.onProgress;
    // A compressed capture's total is what it inflates to, when the container says (the reader cannot know).
    const size = opened.size;
    const progress = onProgress && { onProgress: (done: number, total: number | undefined) => onProgress(done, total ?? (size === undefined ? undefined : Math.max(size, done))) };
    const stats = await readCaptureStream(opened.stream, (e) => a.feed(e), { budget: a.budget, ...progress });
    // Read after the stream ended: a cut gzip stream says so only then.
    stats.warnings.push(...warnings);
    return finish(a, stats, spec.name);
  } finally {
    opened.close();
  }
}

function finish(a: Analyzer, stats: CaptureStats, name: string): AnalysisReport {
  for (const w of stats.warnings) a.warn(w);
  if (stats.captureDropped) a.warn(`the capturing machine dropped ${stats.captureDropped} packet(s): loss figures may include them`);
  if (stats.truncated) a.truncated = stats.truncated;
  a.finish();
  const durationS = stats.firstTs !== undefined && stats.lastTs !== undefined ? stats.lastTs - stats.firstTs : 0;
  const source: AnalysisReport['source'] = { file: name, packets: stats.packets, bytes: stats.bytes, durationS: Math.round(durationS * 1000) / 1000 };
  const start = stats.firstTs === undefined ? undefined : new Date(stats.firstTs * 1000);
  if (start !== undefined && !Number.isNaN(start.getTime())) source.start = start.toISOString();
  return a.report(source);
}
