/**
 * Zip archives assembled byte by byte from APPNOTE.TXT (§4.3.7 local file header, §4.3.12 central
 * directory header, §4.3.16 end of central directory), so a test can build what no zip tool writes:
 * names outside the archive, sizes that lie, entries that share their data, floods of entries.
 */
import { crc32, deflateRawSync } from 'node:zlib';

export interface HandEntry {
  name: string;
  data: Buffer;
  /** Deflate (method 8) instead of storing (method 0). */
  deflate?: boolean;
  /** The uncompressed size written in the headers, when it must lie. */
  declaredSize?: number;
}

export interface HandZipOptions {
  /** Extra central-directory records that all point at the first entry's local header and data. */
  aliases?: string[];
}

const LOCAL_SIG = 0x04034b50;
const CENTRAL_SIG = 0x02014b50;
const END_SIG = 0x06054b50;
/** Bit 11: the name is UTF-8 (APPNOTE §4.4.4). */
const UTF8 = 0x0800;

export function buildZip(entries: readonly HandEntry[], opts: HandZipOptions = {}): Buffer {
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  const central = (name: Buffer, method: number, crc: number, csize: number, usize: number, at: number): Buffer => {
    const c = Buffer.alloc(46);
    c.writeUInt32LE(CENTRAL_SIG, 0);
    c.writeUInt16LE(20, 4); // made by: 2.0
    c.writeUInt16LE(20, 6); // needed: 2.0
    c.writeUInt16LE(UTF8, 8);
    c.writeUInt16LE(method, 10);
    c.writeUInt16LE(0, 12); // time
    c.writeUInt16LE(0x21, 14); // date 1980-01-01
    c.writeUInt32LE(crc, 16);
    c.writeUInt32LE(csize, 20);
    c.writeUInt32LE(usize, 24);
    c.writeUInt16LE(name.length, 28);
    c.writeUInt32LE(at, 42);
    return Buffer.concat([c, name]);
  };
  let first: { method: number; crc: number; csize: number; usize: number } | undefined;
  for (const e of entries) {
    const name = Buffer.from(e.name, 'utf8');
    const method = e.deflate ? 8 : 0;
    const body = e.deflate ? deflateRawSync(e.data) : e.data;
    const crc = crc32(e.data);
    const usize = e.declaredSize ?? e.data.length;
    const h = Buffer.alloc(30);
    h.writeUInt32LE(LOCAL_SIG, 0);
    h.writeUInt16LE(20, 4);
    h.writeUInt16LE(UTF8, 6);
    h.writeUInt16LE(method, 8);
    h.writeUInt16LE(0, 10);
    h.writeUInt16LE(0x21, 12);
    h.writeUInt32LE(crc, 14);
    h.writeUInt32LE(body.length, 18);
    h.writeUInt32LE(usize, 22);
    h.writeUInt16LE(name.length, 26);
    locals.push(h, name, body);
    centrals.push(central(name, method, crc, body.length, usize, offset));
    first ??= { method, crc, csize: body.length, usize };
    offset += 30 + name.length + body.length;
  }
  for (const alias of opts.aliases ?? []) {
    if (!first) throw new Error('aliases need an entry to point at');
    centrals.push(central(Buffer.from(alias, 'utf8'), first.method, first.crc, first.csize, first.usize, 0));
  }
  const cd = Buffer.concat(centrals);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(END_SIG, 0);
  end.writeUInt16LE(centrals.length, 8);
  end.writeUInt16LE(centrals.length, 10);
  end.writeUInt32LE(cd.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, cd, end]);
}
