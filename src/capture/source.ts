/**
 * The streaming driver: reads a capture in large chunks into one reused buffer and hands the bytes to
 * the pcap or pcapng push parser. Memory stays at one buffer (1 MiB, larger only while a single record
 * needs it) whatever the file size. A record cut by a chunk boundary is moved to the buffer's start and
 * completed by the next read; a record cut by the end of input becomes a warning.
 */
import { readSync } from 'node:fs';
import type { FileHandle } from 'node:fs/promises';
import type { Readable } from 'node:stream';
import { DecodeError } from '../common/decode-error.js';
import { type FormatParser, MAX_RECORD, type RecordSink } from './format.js';
import { PCAP_MAGIC_NS, PCAP_MAGIC_US, PcapParser } from './pcap.js';
import { BLOCK, PcapngParser } from './pcapng.js';

/**
 * A chunk small enough to be still in the core's cache when the parser reads the bytes a read just
 * copied: this machine's AMD EPYC has 1 MiB of L2 per core (lscpu), and 1 MiB is also what common
 * Intel and Apple cores have or more. Measured on 2 cores, 20 × 50 MB, 2 workers with blocking reads,
 * 8 interleaved runs each: the batch 504 → 462 ms (median), steady ~29 → ~27 ms per capture; a first
 * capture also faults in 256 pages, not 1024. The single-file CLI (asynchronous reads, the copy on a
 * libuv thread): 1.061 → 1.063 s, no change. 512 and 256 KiB were no better (more reads, more records
 * cut at a boundary).
 */
const CHUNK_SIZE = 1024 * 1024;

/**
 * A finished read's chunk buffer, kept for the next capture this thread reads (a batch thread reads one
 * after another, analysis/batch.ts): a fresh buffer per capture is 256 pages the kernel faults in and
 * zeroes during the first read, and 1 MiB of external memory V8 frees only at some later GC. Taken by
 * one read at a time; records' views into it are valid only while the sink runs, as within a capture.
 */
let spare: Buffer | undefined;

/** Something to read bytes from: a file handle or a stream adapter. Returns 0 at the end. */
export interface ChunkSource {
  read(buf: Buffer, offset: number, length: number): Promise<number>;
}

export function fileSource(fh: FileHandle): ChunkSource {
  return { read: async (buf, offset, length) => (await fh.read(buf, offset, length, null)).bytesRead };
}

/**
 * The same file read with readSync, on the calling thread: for a thread that only analyses (a batch
 * worker), never for one whose event loop must run meanwhile. An asynchronous read is done by a libuv
 * pool thread, and the analysis waits for it; when every core is busy with an analysis (a batch), that
 * pool thread first waits for a core. Measured on 2 cores, 20 × 50 MB, two threads each analysing their
 * share: ~55–60 ms per capture with asynchronous reads, ~40–45 ms with these, ~40 ms for one thread alone
 * (timestamps of each capture's start and end on each thread, 3 runs each).
 */
export function blockingFileSource(fh: FileHandle): ChunkSource {
  return { read: (buf, offset, length) => Promise.resolve(readSync(fh.fd, buf, offset, length, null)) };
}

export function streamSource(stream: Readable): ChunkSource {
  const it = stream[Symbol.asyncIterator]() as AsyncIterator<Buffer | string>;
  let chunk: Buffer | undefined;
  let at = 0;
  return {
    async read(buf, offset, length) {
      while (chunk === undefined || at >= chunk.length) {
        const r = await it.next();
        if (r.done === true) return 0;
        chunk = typeof r.value === 'string' ? Buffer.from(r.value, 'latin1') : r.value;
        at = 0;
      }
      const n = Math.min(length, chunk.length - at);
      chunk.copy(buf, offset, at, at + n);
      at += n;
      return n;
    },
  };
}

/** Which format the first four bytes announce; throws DecodeError on anything else. */
function detectFormat(buf: Buffer, length: number): 'pcap' | 'pcapng' {
  if (length < 4) throw new DecodeError(0, 'magic', length === 0 ? 'file is empty' : `only ${length} byte(s); not a capture file`);
  const be = buf.readUInt32BE(0);
  const le = buf.readUInt32LE(0);
  if (be === PCAP_MAGIC_US || be === PCAP_MAGIC_NS || le === PCAP_MAGIC_US || le === PCAP_MAGIC_NS) return 'pcap';
  if (be === BLOCK.SHB) return 'pcapng';
  throw new DecodeError(
    0,
    'magic',
    // The bytes themselves are not echoed: they may be the start of any file the reader was pointed at.
    'not a capture: the first 4 bytes are neither a pcap magic (0xa1b2c3d4, 0xa1b23c4d, either byte order) nor a pcapng section header (0x0a0d0d0a)',
  );
}

export interface PumpResult {
  format: 'pcap' | 'pcapng';
  bytes: number;
  linkTypes: number[];
  captureDropped: number | undefined;
  application: string | undefined;
}

export interface PumpOptions {
  onProgress?(bytesRead: number, totalBytes: number | undefined): void;
  totalBytes?: number;
  /** Bytes per read (default CHUNK_SIZE); tests use small ones to put many records across boundaries. */
  chunkSize?: number;
}

/** Reads `source` to its end, feeding every record to `sink`; warnings are appended to `warnings`. */
export async function pump(source: ChunkSource, sink: RecordSink, warnings: string[], opts: PumpOptions = {}): Promise<PumpResult> {
  const first = opts.chunkSize === undefined && spare !== undefined ? spare : Buffer.allocUnsafe(opts.chunkSize ?? CHUNK_SIZE);
  if (first === spare) spare = undefined;
  try {
    return await pumpWith(first, source, sink, warnings, opts);
  } finally {
    // Also when a long record made the read move to a bigger buffer: this one is then no longer used.
    if (first.length === CHUNK_SIZE) spare = first;
  }
}

async function pumpWith(first: Buffer, source: ChunkSource, sink: RecordSink, warnings: string[], opts: PumpOptions): Promise<PumpResult> {
  let buf = first;
  let filled = 0;
  /** File offset of buf[0]. */
  let base = 0;
  let parser: FormatParser | undefined;
  for (;;) {
    const n = await source.read(buf, filled, buf.length - filled);
    if (n === 0) break;
    filled += n;
    if (parser === undefined) {
      if (filled < 4) continue;
      parser = detectFormat(buf, filled) === 'pcap' ? new PcapParser(sink, warnings) : new PcapngParser(sink, warnings);
    }
    const pos = parser.parse(buf, 0, filled, base);
    opts.onProgress?.(base + filled, opts.totalBytes);
    if (parser.stopped) return result(parser, base + filled);
    // Keep the unconsumed tail (part of one record) at the start of the buffer.
    if (pos > 0) {
      buf.copy(buf, 0, pos, filled);
      base += pos;
      filled -= pos;
    }
    if (parser.want > buf.length) {
      const bigger = Buffer.allocUnsafe(Math.min(Math.max(parser.want, 2 * buf.length), MAX_RECORD + 64));
      buf.copy(bigger, 0, 0, filled);
      buf = bigger;
    }
  }
  if (parser === undefined) detectFormat(buf, filled);
  const p = parser as FormatParser;
  if (filled > 0) {
    warnings.push(`file ends at byte ${base + filled} inside ${p.describeCut(base, filled)}; everything before it was read`);
  }
  return result(p, base + filled);
}

function result(parser: FormatParser, bytes: number): PumpResult {
  parser.finish();
  return { format: parser.format, bytes, linkTypes: [...parser.linkTypes], captureDropped: parser.captureDropped, application: parser.application };
}
