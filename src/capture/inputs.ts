/**
 * Captures as they arrive on a ticket: a plain pcap/pcapng file, a `.gz` of one (gunzipped as it is
 * read, never to a temp file), a `.zip` holding one or more, a folder of them, or stdin (`-`, so
 * `tcpdump -U -w - … | flexpath analyze -` works). Containers are recognised by their first bytes, not
 * by their name: customers rename files.
 *
 * `expandInputs` turns command-line arguments into InputSpecs (plain data, so a worker thread can take
 * one); `openInput` gives the bytes of one spec as a stream, or the path when the fast file reader can
 * take it directly.
 */
import { createReadStream } from 'node:fs';
import { open, readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { PassThrough, Readable } from 'node:stream';
import { createGunzip } from 'node:zlib';
import { errorText } from '../common/error-text.js';
import { beyondRatio, listZip, MAX_RATIO, openZipEntry } from './zip.js';

/** One capture to analyse. `name` is what the report and the triage table show. */
export type InputSpec =
  | { kind: 'file'; name: string; path: string }
  | { kind: 'gzip'; name: string; path: string }
  | { kind: 'zip-entry'; name: string; path: string; entry: string }
  | { kind: 'stdin'; name: string };

/** An argument that gave no capture: a missing file, an unreadable zip, a folder without captures. */
export interface InputFailure {
  name: string;
  error: string;
}

const GZIP_MAGIC = 0x1f8b;
/** Local file header signature "PK\x03\x04" (APPNOTE.TXT §4.3.7); an empty zip starts with the end record "PK\x05\x06". */
const ZIP_MAGICS = [0x504b0304, 0x504b0506];

/** In a folder, only files named like captures are taken (a ticket folder also holds notes and screenshots). */
const CAPTURE_NAME = /\.(pcap|pcapng|cap|ntar|gz|zip)$/i;
/** Zip entries that are never captures: macOS resource forks and folders. */
const ZIP_JUNK = /(^|\/)__MACOSX\/|(^|\/)\._|\/$/;

type Container = 'gzip' | 'zip' | 'plain';

function containerOf(head: Buffer, n: number): Container {
  if (n >= 2 && head.readUInt16BE(0) === GZIP_MAGIC) return 'gzip';
  if (n >= 4 && ZIP_MAGICS.includes(head.readUInt32BE(0))) return 'zip';
  return 'plain';
}

async function sniffFile(path: string): Promise<Container> {
  const fh = await open(path, 'r');
  try {
    const head = Buffer.alloc(4);
    const { bytesRead } = await fh.read(head, 0, 4, 0);
    return containerOf(head, bytesRead);
  } finally {
    await fh.close();
  }
}

/** The arguments of `flexpath analyze` as captures; folders are walked (sorted, one level of subfolders and more). */
export async function expandInputs(args: readonly string[]): Promise<{ specs: InputSpec[]; failures: InputFailure[] }> {
  const specs: InputSpec[] = [];
  const failures: InputFailure[] = [];
  for (const arg of args) {
    if (arg === '-') {
      specs.push({ kind: 'stdin', name: '-' });
      continue;
    }
    try {
      const st = await stat(arg);
      if (st.isDirectory()) {
        const found = await walk(arg);
        if (found.length === 0) failures.push({ name: arg, error: 'folder holds no capture files (.pcap, .pcapng, .cap, .gz, .zip)' });
        for (const f of found) await addFile(f, specs, failures);
      } else {
        await addFile(arg, specs, failures);
      }
    } catch (e) {
      failures.push({ name: arg, error: errorText(e) });
    }
  }
  return { specs, failures };
}

async function walk(dir: string): Promise<string[]> {
  const out: string[] = [];
  const entries = await readdir(dir, { withFileTypes: true });
  entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  for (const e of entries) {
    const p = join(dir, e.name);
    if (e.isDirectory()) out.push(...(await walk(p)));
    else if (e.isFile() && CAPTURE_NAME.test(e.name)) out.push(p);
  }
  return out;
}

async function addFile(path: string, specs: InputSpec[], failures: InputFailure[]): Promise<void> {
  try {
    const c = await sniffFile(path);
    if (c === 'plain') specs.push({ kind: 'file', name: path, path });
    else if (c === 'gzip') specs.push({ kind: 'gzip', name: path, path });
    else {
      const entries = await zipEntries(path);
      if (entries.length === 0) failures.push({ name: path, error: 'zip holds no files' });
      for (const entry of entries) specs.push({ kind: 'zip-entry', name: `${path}:${entry}`, path, entry });
    }
  } catch (e) {
    failures.push({ name: path, error: errorText(e) });
  }
}

/**
 * Names of the captures in a zip, in the zip's order, without folders and macOS metadata. When some
 * entries are named like captures, only those are taken (the notes and screenshots beside them are
 * not captures); a zip of oddly named files is taken whole, and what is not a capture says so.
 */
async function zipEntries(path: string): Promise<string[]> {
  const names = (await listZip(path)).filter((e) => !e.isFolder && !ZIP_JUNK.test(e.name)).map((e) => e.name);
  const captures = names.filter((n) => CAPTURE_NAME.test(n));
  return captures.length > 0 ? captures : names;
}

/**
 * What `openInput` hands over: a path the file reader can open itself, or a stream of capture bytes
 * with, when known, how many bytes it will give (a zip entry's declared size, a gzip file's size
 * trailer) for the progress bar.
 */
export type OpenedInput = { kind: 'path'; path: string } | { kind: 'stream'; stream: Readable; size?: number; close(): void };

/**
 * The bytes of one spec. Gzip (also inside a zip entry or on stdin) is undone on the fly; `warnings`
 * receives a note when a compressed stream is cut short (everything before the cut is still read).
 * One level of container: a zip or gzip inside another gives a clear error, not a second unpacking.
 */
export async function openInput(spec: InputSpec, warnings: string[], stdin: Readable = process.stdin): Promise<OpenedInput> {
  switch (spec.kind) {
    case 'file':
      return { kind: 'path', path: spec.path };
    case 'gzip': {
      const size = await gzipSizeTrailer(spec.path);
      const stream = await inner(gunzipped(createReadStream(spec.path), spec.name, warnings), spec.name, warnings, 'gzip');
      return { kind: 'stream', stream, ...(size !== undefined ? { size } : {}), close: () => stream.destroy() };
    }
    case 'stdin': {
      const stream = await inner(stdin, spec.name, warnings, 'pipe');
      return { kind: 'stream', stream, close: () => stream.destroy() };
    }
    case 'zip-entry': {
      const entry = await openZipEntry(spec.path, spec.entry);
      try {
        const stream = await inner(entry.stream, spec.name, warnings, 'zip');
        // A gzip inside the entry gives more bytes than the entry: its size is no progress total then.
        return { kind: 'stream', stream, ...(stream === entry.stream ? { size: entry.size } : {}), close: entry.close };
      } catch (e) {
        entry.close();
        throw e;
      }
    }
  }
}

/**
 * What a container (or a pipe) holds, by its first bytes: the capture, or a gzip of it, unpacked here.
 * A zip cannot come out of a pipe or a stream (it is read from its end, the central directory), and a
 * container inside a container is one level more than a ticket carries: both get a clear error.
 */
async function inner(src: Readable, name: string, warnings: string[], outer: 'zip' | 'gzip' | 'pipe'): Promise<Readable> {
  const { head, stream } = await readHead(src, 4);
  const c = containerOf(head, head.length);
  if (c === 'zip') {
    stream.destroy();
    throw new Error(
      outer === 'pipe'
        ? 'a zip archive cannot be read from a pipe: save it and give its file name'
        : `${name}: a zip inside the ${outer === 'zip' ? 'zip' : 'gzip file'}; unpack the outer archive first (FlexPath opens one level of archive)`,
    );
  }
  if (c === 'gzip') {
    if (outer === 'gzip') {
      stream.destroy();
      throw new Error(`${name}: gzip inside gzip; decompress it once first (FlexPath opens one level of archive)`);
    }
    return inner(gunzipped(stream, name, warnings), name, warnings, 'gzip');
  }
  return stream;
}

/** ISIZE, the uncompressed size mod 2^32 in a gzip file's last 4 bytes (RFC 1952 §2.3.1): a progress estimate. */
async function gzipSizeTrailer(path: string): Promise<number | undefined> {
  const fh = await open(path, 'r');
  try {
    const { size } = await fh.stat();
    if (size < 18) return undefined;
    const b = Buffer.alloc(4);
    await fh.read(b, 0, 4, size - 4);
    return b.readUInt32LE(0) || undefined;
  } finally {
    await fh.close();
  }
}

/**
 * A gunzip stage that ends cleanly at a cut or corrupt gzip stream (with a warning) instead of failing
 * the whole analysis: a half-uploaded .gz still holds useful minutes. A stream that inflates past
 * MAX_RATIO (zip.ts) is a gzip bomb and fails.
 */
function gunzipped(src: Readable, name: string, warnings: string[]): Readable {
  const out = new PassThrough();
  const gz = createGunzip();
  let inBytes = 0;
  let outBytes = 0;
  src.on('data', (d: Buffer) => (inBytes += d.length));
  src.on('error', (e) => out.destroy(e));
  gz.on('data', (d: Buffer) => {
    outBytes += d.length;
    if (!beyondRatio(outBytes, inBytes)) return;
    src.destroy();
    gz.destroy();
    out.destroy(new Error(`${name}: gzip data inflates past ${MAX_RATIO}:1 (${outBytes} bytes from ${inBytes}), more than any capture compresses: a gzip bomb; stopped`));
  });
  gz.on('error', (e) => {
    warnings.push(`${name}: gzip data unreadable after ${inBytes} compressed byte(s) (${e.message}); everything before it was read`);
    src.destroy();
    out.end();
  });
  src.pipe(gz).pipe(out);
  return out;
}

/**
 * Reads at least `n` bytes (or to the end) and gives back a stream that still starts at byte 0: the
 * same stream with the bytes put back, or, when it already ended, a new one of just those bytes.
 */
function readHead(src: Readable, n: number): Promise<{ head: Buffer; stream: Readable }> {
  return new Promise((resolve, reject) => {
    const got: Buffer[] = [];
    let have = 0;
    const finish = (ended: boolean): void => {
      src.off('readable', onReadable);
      src.off('end', onEnd);
      src.off('error', reject);
      const head = Buffer.concat(got);
      if (ended) resolve({ head, stream: Readable.from([head]) });
      else {
        src.unshift(head);
        resolve({ head, stream: src });
      }
    };
    const onEnd = (): void => finish(true);
    const onReadable = (): void => {
      let chunk: Buffer | null;
      while (have < n && (chunk = src.read() as Buffer | null) !== null) {
        got.push(chunk);
        have += chunk.length;
      }
      if (have >= n) finish(false);
    };
    src.on('readable', onReadable);
    src.once('end', onEnd);
    src.once('error', reject);
  });
}
