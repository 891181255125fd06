/**
 * Zip archives from tickets, read with yauzl (a well-kept reader that never extracts to disk here: each
 * capture is streamed straight into the analysis). An archive is hostile input like a capture, so
 * before any entry is read:
 * - too many entries is refused (each capture entry becomes one analysis and one triage row);
 * - a name outside the archive (absolute, `..`, a drive letter) is refused by yauzl's name check;
 * - entries whose data overlap (the "overlapping files" zip bomb: many entries inflating the same
 *   compressed bytes) are refused;
 * - an entry that claims to inflate more than MAX_RATIO times its compressed size is refused; and
 *   yauzl checks while inflating that an entry gives exactly the bytes its header declares.
 * Memory stays bounded whatever the archive declares: the central directory is walked one entry at a
 * time and entries are streamed. A zip inside the zip is refused when its bytes are first seen
 * (inputs.ts): one level of container is what tickets carry.
 */
import { PassThrough, type Readable } from 'node:stream';
import type yauzl from 'yauzl';

/** A ticket holds a handful of captures; past this an archive is a flood of analyses, not a ticket. */
export const MAX_ZIP_ENTRIES = 1000;
/**
 * Largest uncompressed/compressed ratio of one capture, in the zip or in a gzip stream. Empirical: the
 * most compressible capture we could make — 20 000 pcap records of a 1464-byte zero payload differing
 * only in a counter and the timestamps — deflates 131:1 at level 9 (30 MB → 227 kB); simulator session
 * captures deflate 1.7:1 and the discovery-only fixture (identical beacons) 24:1. Three times the
 * degenerate case; deflate itself cannot exceed ~1032:1, so anything above that is a lying header.
 */
export const MAX_RATIO = 400;
/** Tiny entries (a few hundred bytes of headers) can have any ratio without costing anything. */
const RATIO_SLACK_BYTES = 1024 * 1024;
/** A local file header is at least 30 bytes before its name and data (APPNOTE.TXT §4.3.7). */
const LOCAL_HEADER_MIN = 30;

class ZipRefused extends Error {}

/** Whether `out` bytes from `compressed` bytes is past the ratio any real capture reaches. */
export function beyondRatio(out: number, compressed: number): boolean {
  return out > RATIO_SLACK_BYTES && out > compressed * MAX_RATIO;
}

async function openZip(path: string): Promise<yauzl.ZipFile> {
  // Loaded on first use: every analysis thread imports this module, and parsing yauzl's CommonJS cost
  // each batch worker's start (and every `flexpath analyze` of a plain capture) tens of ms for nothing.
  const { default: reader } = await import('yauzl');
  return new Promise((resolve, reject) => {
    // lazyEntries: one central-directory entry at a time, whatever the archive declares.
    reader.open(path, { lazyEntries: true, autoClose: false }, (err, zip) => (err ? reject(explain(err)) : resolve(zip)));
  });
}

/** yauzl's messages for names outside the archive, said for what they are. */
function explain(err: Error): Error {
  if (/^(absolute path|invalid relative path|invalid characters in fileName): /.test(err.message)) {
    return new ZipRefused(`zip refused: an entry is named outside the archive (${err.message}); a hostile or broken archive`);
  }
  return err;
}

/** Walks the central directory; `visit` returns true to stop early with that entry. */
function eachEntry(zip: yauzl.ZipFile, visit: (e: yauzl.Entry) => boolean): Promise<yauzl.Entry | undefined> {
  return new Promise((resolve, reject) => {
    zip.on('entry', (e: yauzl.Entry) => {
      if (visit(e)) resolve(e);
      else zip.readEntry();
    });
    zip.on('end', () => resolve(undefined));
    zip.on('error', (err: Error) => reject(explain(err)));
    zip.readEntry();
  });
}

interface Listed {
  name: string;
  isFolder: boolean;
  offset: number;
  compressed: number;
  uncompressed: number;
}

/** Every entry of the archive, after the checks above. */
export async function listZip(path: string): Promise<Listed[]> {
  const zip = await openZip(path);
  try {
    if (zip.entryCount > MAX_ZIP_ENTRIES) throw new ZipRefused(`zip refused: ${zip.entryCount} entries (at most ${MAX_ZIP_ENTRIES}); unpack it and give the captures`);
    const out: Listed[] = [];
    await eachEntry(zip, (e) => {
      out.push({ name: e.fileName, isFolder: e.fileName.endsWith('/'), offset: e.relativeOffsetOfLocalHeader, compressed: e.compressedSize, uncompressed: e.uncompressedSize });
      return false;
    });
    for (const e of out) {
      if (beyondRatio(e.uncompressed, e.compressed)) {
        throw new ZipRefused(`zip refused: entry "${e.name}" declares ${e.uncompressed} bytes from ${e.compressed} compressed (over ${MAX_RATIO}:1, more than any capture compresses): a zip bomb`);
      }
    }
    const byOffset = [...out].sort((a, b) => a.offset - b.offset);
    for (let i = 1; i < byOffset.length; i++) {
      const prev = byOffset[i - 1] as Listed;
      const cur = byOffset[i] as Listed;
      if (cur.offset < prev.offset + LOCAL_HEADER_MIN + prev.compressed) {
        throw new ZipRefused(`zip refused: entries "${prev.name}" and "${cur.name}" share compressed data (an overlapping-entry zip bomb)`);
      }
    }
    return out;
  } finally {
    zip.close();
  }
}

/** The bytes of one entry, inflated; yauzl fails the stream when they exceed what the header declared. */
export async function openZipEntry(path: string, name: string): Promise<{ stream: Readable; size: number; close(): void }> {
  const zip = await openZip(path);
  try {
    const entry = await eachEntry(zip, (e) => e.fileName === name);
    if (entry === undefined) throw new Error(`no entry "${name}" in the zip`);
    const raw = await new Promise<Readable>((resolve, reject) => zip.openReadStream(entry, (err, s) => (err ? reject(err) : resolve(s))));
    const stream = new PassThrough();
    raw.on('error', (err: Error) => {
      const lied = /^(too many|not enough) bytes in the stream/.test(err.message);
      stream.destroy(new Error(lied ? `zip entry "${name}" inflates to another size than its header declares (${err.message}): a hostile or broken archive` : `zip entry "${name}": ${err.message}`));
    });
    raw.pipe(stream);
    return { stream, size: entry.uncompressedSize, close: () => zip.close() };
  } catch (e) {
    zip.close();
    throw e;
  }
}
