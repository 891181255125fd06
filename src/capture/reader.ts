/**
 * The capture entry point for the analysis and the CLI: a pcap or pcapng file (or a pipe such as
 * `tcpdump -w -`) in, NetEvents out through a callback.
 *
 * The sink is called synchronously for every event. Buffers in events (`payload`, `data`) may be views
 * into the reader's chunk buffer, valid only during the call: a sink that keeps bytes must copy them.
 * Endpoint objects are shared between events and frozen.
 */
import { open } from 'node:fs/promises';
import type { Readable } from 'node:stream';
import { CopyFilter } from './copies.js';
import { type DissectOptions, Dissector } from './dissect.js';
import type { RecordSink } from './format.js';
import { linkTypeText } from './link.js';
import { type ChunkSource, type PumpResult, blockingFileSource, fileSource, pump, streamSource } from './source.js';
import type { NetEvent } from './types.js';

export interface CaptureStats {
  format: 'pcap' | 'pcapng';
  /** Captured frames (all of them, IP or not). */
  packets: number;
  /** Bytes of input read (the file size when it was read to the end). */
  bytes: number;
  /** Seconds since the epoch of the first and last frame; undefined without frames. */
  firstTs: number | undefined;
  lastTs: number | undefined;
  linkTypes: number[];
  warnings: string[];
  /** Packets the capturing machine said it dropped (pcapng interface statistics), when recorded. */
  captureDropped?: number;
  /** The program that wrote the file (pcapng shb_userappl), when it says. */
  application?: string;
  /** UDP/TCP packets cut short by the capture's snapshot length, and that length (absent: none was cut). */
  truncated?: { packets: number; udp: number; snaplen: number };
  /** Frames on link types the reader does not decode (absent: none). */
  unreadLinks?: UnreadLink[];
}

/** Frames of one link type the reader does not decode: how many, and the packet number of the first. */
export interface UnreadLink {
  linkType: number;
  frames: number;
  firstPacket: number;
}

export interface ReadOptions extends DissectOptions {
  /** Called after each chunk; totalBytes is undefined for streams. */
  onProgress?(bytesRead: number, totalBytes: number | undefined): void;
  /** Read the file with blocking reads on this thread (source.ts blockingFileSource): only where nothing else runs. */
  blocking?: boolean;
}

export async function readCaptureFile(path: string, sink: (e: NetEvent) => void, opts: ReadOptions = {}): Promise<CaptureStats> {
  const fh = await open(path, 'r');
  try {
    const size = (await fh.stat()).size;
    return await readFrom(opts.blocking === true ? blockingFileSource(fh) : fileSource(fh), sink, opts, size);
  } finally {
    await fh.close();
  }
}

/** The same for a stream (stdin, a tcpdump pipe, a socket). */
export async function readCaptureStream(stream: Readable, sink: (e: NetEvent) => void, opts: ReadOptions = {}): Promise<CaptureStats> {
  return readFrom(streamSource(stream), sink, opts, undefined);
}

async function readFrom(source: ChunkSource, sink: (e: NetEvent) => void, opts: ReadOptions, size: number | undefined): Promise<CaptureStats> {
  const warnings: string[] = [];
  const dissector = new Dissector(sink, opts);
  const copies = new CopyFilter(dissector);
  const pumped = await pump(source, copies, warnings, size === undefined ? opts : { ...opts, totalBytes: size });
  copies.flush();
  warnings.push(...dissector.finish());
  const copied = copies.warning(dissector.packets + copies.copies);
  if (copied !== undefined) warnings.push(copied);
  linkTypeWarnings(dissector, warnings);
  const stats: CaptureStats = {
    format: pumped.format,
    packets: dissector.packets,
    bytes: pumped.bytes,
    firstTs: dissector.packets > 0 ? dissector.firstTs : undefined,
    lastTs: dissector.packets > 0 ? dissector.lastTs : undefined,
    linkTypes: pumped.linkTypes,
    warnings,
  };
  if (pumped.captureDropped !== undefined) stats.captureDropped = pumped.captureDropped;
  if (pumped.application !== undefined) stats.application = pumped.application;
  if (dissector.truncated.packets > 0) stats.truncated = { ...dissector.truncated };
  if (dissector.unreadLinks.size > 0) stats.unreadLinks = unreadLinks(dissector);
  return stats;
}

function linkTypeWarnings(dissector: Dissector, warnings: string[]): void {
  for (const u of unreadLinks(dissector)) {
    warnings.push(`${linkTypeText(u.linkType)} is not supported: its ${u.frames} frame(s) were not decoded (the first is frame ${u.firstPacket})`);
  }
}

function unreadLinks(dissector: Dissector): UnreadLink[] {
  return [...dissector.unreadLinks].map(([linkType, u]) => ({ linkType, ...u }));
}

export interface RecordStats extends PumpResult {
  warnings: string[];
}

/**
 * Raw records with exact (seconds, nanoseconds) timestamps, before any dissection: for tools and tests
 * that care about the capture file itself.
 */
export async function readCaptureRecords(input: string | Readable, sink: RecordSink, opts: Pick<ReadOptions, 'onProgress'> = {}): Promise<RecordStats> {
  const warnings: string[] = [];
  if (typeof input !== 'string') return { ...(await pump(streamSource(input), sink, warnings, opts)), warnings };
  const fh = await open(input, 'r');
  try {
    const size = (await fh.stat()).size;
    return { ...(await pump(fileSource(fh), sink, warnings, { ...opts, totalBytes: size })), warnings };
  } finally {
    await fh.close();
  }
}
