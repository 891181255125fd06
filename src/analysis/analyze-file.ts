/**
 * Capture file → AnalysisReport: the support-ticket path. Streams the file through the capture reader
 * into one Analyzer; memory stays flat whatever the file size.
 */
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { basename } from 'node:path';
import { SOCKET_RECORDING } from '../capture/event-writer.js';
import { readCaptureFile, readCaptureStream, type CaptureStats } from '../capture/reader.js';
import { type InputSpec, openInput } from '../capture/inputs.js';
import { parseClientHello } from '../capture/tls.js';
import type { Readable } from 'node:stream';
import { Analyzer } from './analyzer.js';
import type { NetEvent } from '../capture/types.js';
import type { AnalysisReport } from './model.js';

export interface AnalyzeOptions {
  onProgress?(bytesRead: number, totalBytes: number | undefined): void;
  /** Lets the caller tap frames (UI) or add context before the report is built. */
  analyzer?: Analyzer;
  /** The name the report shows (default: the file's base name). */
  name?: string;
  /** A file is read with blocking reads (capture/reader.ts): for a thread that does nothing else. */
  blocking?: boolean;
}

export function sniOf(firstBytes: Buffer): string | undefined {
  const r = parseClientHello(firstBytes);
  return r.kind === 'tls' ? r.sni : undefined;
}

/**
 * The reader's sink for an analysis: every capture's sink is made by this one function, so the
 * dissector's call to it keeps one target as far as V8 is concerned (closures of one function) and stays
 * inlined. A sink written out in each reading function made the call megamorphic as soon as a thread
 * read through two of them — a batch thread primes through analyzeCaptureStream, then reads files — and
 * the analysis behind it was no longer inlined into the reader (a batch thread's profile: the sink's own
 * frame ~30 ms of CPU over 10 captures, ~3 ms for one 1-GB file).
 */
function sinkOf(a: Analyzer): (e: NetEvent) => void {
  return (e) => a.feed(e);
}

export async function analyzeCaptureFile(path: string, opts: AnalyzeOptions = {}): Promise<AnalysisReport> {
  const a = opts.analyzer ?? new Analyzer({ sniOf });
  const stats = await readCaptureFile(path, sinkOf(a), { budget: a.budget, blocking: opts.blocking === true, ...(opts.onProgress ? { onProgress: opts.onProgress } : {}) });
  return finish(a, stats, opts.name ?? basename(path));
}

export async function analyzeCaptureStream(stream: Readable, name: string, opts: AnalyzeOptions = {}): Promise<AnalysisReport> {
  const a = opts.analyzer ?? new Analyzer({ sniOf });
  const stats = await readCaptureStream(stream, sinkOf(a), { budget: a.budget, ...(opts.onProgress ? { onProgress: opts.onProgress } : {}) });
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
    const stats = await readCaptureStream(opened.stream, sinkOf(a), { budget: a.budget, ...progress });
    // Read after the stream ended: a cut gzip stream says so only then.
    stats.warnings.push(...warnings);
    return finish(a, stats, spec.name);
  } finally {
    opened.close();
  }
}

/**
 * A batch thread's warm-up (batch.ts): the first PRIME_BYTES of its first capture analysed PRIME_RUNS
 * times, results dropped. Empirical (20 captures of 50 MB, one thread taking 10 of them, `node
 * --trace-opt`): V8 optimises the hot path while the first capture runs, for the only reader,
 * dissector and analyzer objects it has seen; the second capture's new objects and closures throw that
 * code away ('wrong map', 'wrong call target', 'insufficient type feedback' on first-packet branches),
 * and again when the first capture's objects are collected ('weak objects'): ~83 optimising compiles
 * where one 1-GB file needs ~51, the 2nd and 3rd captures costing 2–3× their steady CPU. Two short runs
 * before any code is optimised leave ~56–63 compiles and ~20 % less CPU for the 10 captures, priming
 * included (100 KB, 300 KB and 1 MB heads did alike). A session's start and first data packets fit in it.
 * One run is enough since the arrays a capture makes afresh start with the object kind (common/arrays.ts)
 * and the copy filter holds no object literals: `node --trace-deopt` over the 20 captures, threads 1 and
 * 2, shows no bailout with one run (before, one run left each thread throwing the stream tracker's push
 * and the frame reassembly's add away once). 128 KB is too short (tried with two runs): the reader is
 * thrown away once at the first API line past it.
 */
const PRIME_BYTES = 256 * 1024;
const PRIME_RUNS = 1;

export async function primeAnalysis(spec: InputSpec): Promise<void> {
  // Only a regular file: a compressed capture's head costs an inflate, a pipe's cannot be read twice.
  if (spec.kind !== 'file') return;
  try {
    if (!(await stat(spec.path)).isFile()) return;
    for (let run = 0; run < PRIME_RUNS; run++) await analyzeCaptureStream(createReadStream(spec.path, { end: PRIME_BYTES - 1 }), spec.name);
  } catch {
    // Not a capture, or unreadable: its own analysis says so in full.
  }
}

function finish(a: Analyzer, stats: CaptureStats, name: string): AnalysisReport {
  for (const w of stats.warnings) a.warn(w);
  if (stats.captureDropped) a.warn(`the capturing machine dropped ${stats.captureDropped} packet(s): loss figures may include them`);
  if (stats.truncated) a.truncated = stats.truncated;
  if (stats.application === SOCKET_RECORDING) a.dontFragmentUnknown = a.ownSocket = true;
  if (stats.unreadLinks) a.unreadLinks = stats.unreadLinks;
  a.finish();
  const durationS = stats.firstTs !== undefined && stats.lastTs !== undefined ? stats.lastTs - stats.firstTs : 0;
  const source: AnalysisReport['source'] = { file: name, packets: stats.packets, bytes: stats.bytes, durationS: Math.round(durationS * 1000) / 1000 };
  const start = stats.firstTs === undefined ? undefined : new Date(stats.firstTs * 1000);
  if (start !== undefined && !Number.isNaN(start.getTime())) source.start = start.toISOString();
  return a.report(source);
}
