/**
 * Minimal POSIX ustar writer for the support bundle (report + session capture): plain regular files,
 * no compression, readable by `tar -xf` everywhere and by 7-Zip on Windows. Layout from POSIX.1-2001
 * `pax` "ustar Interchange Format": 512-byte header, octal numeric fields, checksum over the header
 * with the checksum field read as spaces, data padded to 512, two zero blocks at the end.
 */
import { open } from 'node:fs/promises';
import { Readable } from 'node:stream';
import type { BundleEntry } from './session.js';

const BLOCK = 512;
const READ_CHUNK = 1024 * 1024;

function octal(value: number, width: number): string {
  // width includes the terminating NUL
  return value.toString(8).padStart(width - 1, '0') + '\0';
}

function tarHeader(name: string, size: number, mtimeS: number): Buffer {
  const nameBytes = Buffer.from(name, 'utf8');
  if (nameBytes.length > 100) throw new RangeError(`tar entry name longer than 100 bytes: ${name}`);
  const h = Buffer.alloc(BLOCK);
  nameBytes.copy(h, 0);
  h.write(octal(0o644, 8), 100, 'ascii');
  h.write(octal(0, 8), 108, 'ascii'); // uid
  h.write(octal(0, 8), 116, 'ascii'); // gid
  h.write(octal(size, 12), 124, 'ascii');
  h.write(octal(Math.floor(mtimeS), 12), 136, 'ascii');
  h.write('        ', 148, 'ascii'); // checksum counted as spaces
  h.write('0', 156, 'ascii'); // regular file
  h.write('ustar\0', 257, 'ascii');
  h.write('00', 263, 'ascii');
  let sum = 0;
  for (const b of h) sum += b;
  h.write(sum.toString(8).padStart(6, '0') + '\0 ', 148, 'ascii');
  return h;
}

/**
 * The archive as a stream: a file entry is read from disk while it goes out, never held whole in
 * memory. Its size is taken when its turn comes and exactly that many bytes are sent, so a recording
 * that grows meanwhile still makes a well-formed archive (it is cut where it stood).
 */
export function packTarStream(files: readonly BundleEntry[], mtimeS = Date.now() / 1000): Readable {
  async function* blocks(): AsyncGenerator<Buffer> {
    for (const f of files) {
      if ('data' in f) {
        yield Buffer.concat([tarHeader(f.name, f.data.length, mtimeS), f.data, padding(f.data.length)]);
        continue;
      }
      const fh = await open(f.path, 'r');
      try {
        const size = (await fh.stat()).size;
        yield tarHeader(f.name, size, mtimeS);
        for (let at = 0; at < size; ) {
          const chunk = Buffer.allocUnsafe(Math.min(READ_CHUNK, size - at));
          const { bytesRead } = await fh.read(chunk, 0, chunk.length, at);
          if (bytesRead === 0) throw new Error(`${f.name} shrank while it was packed`);
          at += bytesRead;
          yield chunk.subarray(0, bytesRead);
        }
        if (size % BLOCK) yield padding(size);
      } finally {
        await fh.close();
      }
    }
    yield Buffer.alloc(2 * BLOCK);
  }
  return Readable.from(blocks(), { objectMode: false });
}

function padding(size: number): Buffer {
  return Buffer.alloc((BLOCK - (size % BLOCK)) % BLOCK);
}
