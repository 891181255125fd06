/**
 * Capture file → AnalysisReport: the support-ticket path. Streams the file through the capture reader
 * into one Analyzer; memory stays flat whatever the file size.
 */
import { basename } from 'node:path';
import { readCaptureFile, readCaptureStream, type CaptureStats } from '../capture/reader.js';
import { parseClientHello } from '../capture/tls.js';
import type { Readable } from 'node:stream';
import { Analyzer } from './analyzer.js';
import type { AnalysisReport } from './model.js';

export interface AnalyzeOptions {
  onProgress?(bytesRead: number, totalBytes: number | undefined): void;
  /** Lets the caller tap frames (UI) or add context before the report is built. */
  analyzer?: Analyzer;
}

export function sniOf(firstBytes: Buffer): string | undefined {
  const r = parseClientHello(firstBytes);
  return r.kind === 'tls' ? r.sni : undefined;
}

export async function analyzeCaptureFile(path: string, opts: AnalyzeOptions = {}): Promise<AnalysisReport> {
  const a = opts.analyzer ?? new Analyzer({ sniOf });
  const stats = await readCaptureFile(path, (e) => a.feed(e), opts.onProgress ? { onProgress: opts.onProgress } : {});
  return finish(a, stats, basename(path));
}

export async function analyzeCaptureStream(stream: Readable, name: string, opts: AnalyzeOptions = {}): Promise<AnalysisReport> {
  const a = opts.analyzer ?? new Analyzer({ sniOf });
  const stats = await readCaptureStream(stream, (e) => a.feed(e), opts.onProgress ? { onProgress: opts.onProgress } : {});
  return finish(a, stats, name);
}

function finish(a: Analyzer, stats: CaptureStats, name: string): AnalysisReport {
  for (const w of stats.warnings) a.warn(w);
  if (stats.captureDropped) a.warn(`the capturing machine dropped ${stats.captureDropped} packet(s): loss figures may include them`);
  a.finish();
  const durationS = stats.firstTs !== undefined && stats.lastTs !== undefined ? stats.lastTs - stats.firstTs : 0;
  return a.report({ file: name, packets: stats.packets, bytes: stats.bytes, durationS: Math.round(durationS * 1000) / 1000 });
}
