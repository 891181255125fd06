/**
 * pcapng (IETF draft-ietf-opsawg-pcapng; https://www.ietf.org/archive/id/draft-ietf-opsawg-pcapng-03.html).
 * Every block is: type (u32), total length (u32), body, total length again, in the byte order of the
 * section, which the Section Header Block's byte-order magic 0x1A2B3C4D announces. Block bodies are
 * padded to 32 bits; options are (code u16, length u16, value padded to 32 bits), ended by code 0.
 */
import { DecodeError } from '../common/decode-error.js';
import { type FormatParser, MAX_RECORD, type RecordSink } from './format.js';
import { split, splitTicks } from './timestamp.js';

export const BLOCK = {
  SHB: 0x0a0d0d0a,
  IDB: 0x00000001,
  OBSOLETE_PACKET: 0x00000002,
  SPB: 0x00000003,
  NRB: 0x00000004,
  ISB: 0x00000005,
  EPB: 0x00000006,
} as const;

const BYTE_ORDER_MAGIC = 0x1a2b3c4d;

/** Every block's frame (draft §3.1): type and total length before the body, the total length again after it. */
const FRAME = { type: 0, totalLength: 4, body: 8, trailer: 4, bytes: 12 } as const;

/**
 * Enhanced packet block (draft §4.3), offsets from the block's start, for the encoder below and the
 * streaming reader alike. The obsolete packet block (draft appendix A) has the same layout with a 16-bit
 * interface ID (then 16 bits of drop count). The data is padded to 32 bits; options follow.
 */
const EPB = { interfaceId: 8, tsHigh: 12, tsLow: 16, capturedLength: 20, originalLength: 24, data: 28, bytes: 32 } as const;

/** Simple packet block (draft §4.4): the original length, then the data; it stores no captured length. */
const SPB = { originalLength: 8, data: 12, bytes: 16 } as const;

/** Section header block (draft §4.1), offsets from the block's start; options from `options`. */
const SHB = { byteOrderMagic: 8, versionMajor: 12, versionMinor: 14, sectionLength: 16, options: 24 } as const;
/** Interface description block (draft §4.2): link type, 16 reserved bits, snap length, options. */
const IDB = { linkType: 8, reserved: 10, snaplen: 12, options: 16 } as const;
/** Interface statistics block (draft §4.6): interface ID, timestamp, options. */
const ISB = { interfaceId: 8, tsHigh: 12, tsLow: 16, options: 20 } as const;

/** Option codes used here (draft §4.2, §4.6). */
export const OPT = {
  END: 0,
  COMMENT: 1,
  SHB_HARDWARE: 2,
  SHB_OS: 3,
  SHB_USERAPPL: 4,
  IF_NAME: 2,
  IF_DESCRIPTION: 3,
  IF_TSRESOL: 9,
  IF_TSOFFSET: 14,
  ISB_STARTTIME: 2,
  ISB_ENDTIME: 3,
  ISB_IFRECV: 4,
  ISB_IFDROP: 5,
  ISB_OSDROP: 7,
} as const;

export const NRB_RECORD = { END: 0, IPV4: 1, IPV6: 2 } as const;

const pad4 = (n: number): number => (n + 3) & ~3;

interface Rw {
  u16(buf: Buffer, o: number): number;
  u32(buf: Buffer, o: number): number;
  w16(buf: Buffer, v: number, o: number): void;
  w32(buf: Buffer, v: number, o: number): void;
}

const LE: Rw = {
  u16: (b, o) => b.readUInt16LE(o),
  u32: (b, o) => b.readUInt32LE(o),
  w16: (b, v, o) => void b.writeUInt16LE(v, o),
  w32: (b, v, o) => void b.writeUInt32LE(v >>> 0, o),
};
const BE: Rw = {
  u16: (b, o) => b.readUInt16BE(o),
  u32: (b, o) => b.readUInt32BE(o),
  w16: (b, v, o) => void b.writeUInt16BE(v, o),
  w32: (b, v, o) => void b.writeUInt32BE(v >>> 0, o),
};
const rw = (le: boolean): Rw => (le ? LE : BE);

export interface PcapngOption {
  code: number;
  value: Buffer;
}

const options = {
  encodingLength(list: readonly PcapngOption[]): number {
    if (list.length === 0) return 0;
    return list.reduce((n, o) => n + 4 + pad4(o.value.length), 4);
  },
  encode(list: readonly PcapngOption[], le: boolean, buf: Buffer, offset: number): number {
    if (list.length === 0) return offset;
    const e = rw(le);
    for (const o of list) {
      e.w16(buf, o.code, offset);
      e.w16(buf, o.value.length, offset + 2);
      o.value.copy(buf, offset + 4);
      buf.fill(0, offset + 4 + o.value.length, offset + 4 + pad4(o.value.length));
      offset += 4 + pad4(o.value.length);
    }
    e.w32(buf, 0, offset); // opt_endofopt, length 0
    return offset + 4;
  },
  /** Options in buf[start, end); values are views. Stops at opt_endofopt or at a length that runs past `end`. */
  decode(buf: Buffer, start: number, end: number, le: boolean): PcapngOption[] {
    const e = rw(le);
    const out: PcapngOption[] = [];
    for (let off = start; off + 4 <= end; ) {
      const code = e.u16(buf, off);
      const len = e.u16(buf, off + 2);
      if (code === OPT.END || off + 4 + len > end) break;
      out.push({ code, value: buf.subarray(off + 4, off + 4 + len) });
      off += 4 + pad4(len);
    }
    return out;
  },
};

/** Option value helpers. */
export const opt = {
  string: (code: number, s: string): PcapngOption => ({ code, value: Buffer.from(s, 'utf8') }),
  u8: (code: number, v: number): PcapngOption => ({ code, value: Buffer.from([v]) }),
  u64: (code: number, v: bigint, le: boolean): PcapngOption => {
    const value = Buffer.alloc(8);
    if (le) value.writeBigUInt64LE(v);
    else value.writeBigUInt64BE(v);
    return { code, value };
  },
};

/** Writes the frame (type, total length … total length) around a body written by `body`. */
function frame(type: number, bodyLength: number, le: boolean, buf: Buffer | undefined, offset: number, body: (b: Buffer, at: number) => void): Buffer {
  const total = FRAME.bytes + bodyLength;
  const out = buf ?? Buffer.alloc(offset + total);
  const e = rw(le);
  e.w32(out, type, offset + FRAME.type);
  e.w32(out, total, offset + FRAME.totalLength);
  body(out, offset + FRAME.body);
  e.w32(out, total, offset + total - FRAME.trailer);
  return out;
}

/** Checks a block's frame at `offset` and returns [type, total length]. */
function checkFrame(buf: Buffer, offset: number, le: boolean, expectType: number, name: string): number {
  const e = rw(le);
  if (buf.length - offset < FRAME.bytes) throw new DecodeError(offset, name, `needs at least ${FRAME.bytes} bytes, only ${buf.length - offset}`);
  const type = e.u32(buf, offset + FRAME.type);
  if (type !== expectType) throw new DecodeError(offset, 'block type', `0x${type.toString(16)} is not ${name}`);
  const total = e.u32(buf, offset + FRAME.totalLength);
  if (total < FRAME.bytes || total % 4 !== 0 || offset + total > buf.length) throw new DecodeError(offset + FRAME.totalLength, 'block total length', `${total} is invalid here`);
  if (e.u32(buf, offset + total - FRAME.trailer) !== total) throw new DecodeError(offset + total - FRAME.trailer, 'trailing block total length', `does not repeat ${total}`);
  return total;
}

export interface SectionHeader {
  littleEndian: boolean;
  versionMajor: number;
  versionMinor: number;
  /** -1 when not specified (the usual case). */
  sectionLength: bigint;
  options: PcapngOption[];
}

export const shb = {
  encodingLength: (s: SectionHeader): number => SHB.options + FRAME.trailer + options.encodingLength(s.options),
  encode(s: SectionHeader, buf?: Buffer, offset = 0): Buffer {
    const le = s.littleEndian;
    return frame(BLOCK.SHB, shb.encodingLength(s) - FRAME.bytes, le, buf, offset, (b, at) => {
      const o = at - FRAME.body;
      const e = rw(le);
      e.w32(b, BYTE_ORDER_MAGIC, o + SHB.byteOrderMagic);
      e.w16(b, s.versionMajor, o + SHB.versionMajor);
      e.w16(b, s.versionMinor, o + SHB.versionMinor);
      if (le) b.writeBigInt64LE(s.sectionLength, o + SHB.sectionLength);
      else b.writeBigInt64BE(s.sectionLength, o + SHB.sectionLength);
      options.encode(s.options, le, b, o + SHB.options);
    });
  },
  /** Reads the byte order from the block itself. */
  decode(buf: Buffer, offset = 0): SectionHeader {
    if (buf.length - offset < FRAME.bytes) throw new DecodeError(offset, 'section header block', `needs at least ${FRAME.bytes} bytes, only ${buf.length - offset}`);
    const littleEndian = byteOrderOf(buf, offset);
    const total = checkFrame(buf, offset, littleEndian, BLOCK.SHB, 'section header block');
    if (total < SHB.options + FRAME.trailer) throw new DecodeError(offset + FRAME.totalLength, 'block total length', `${total} is too short for a section header`);
    const e = rw(littleEndian);
    return {
      littleEndian,
      versionMajor: e.u16(buf, offset + SHB.versionMajor),
      versionMinor: e.u16(buf, offset + SHB.versionMinor),
      sectionLength: littleEndian ? buf.readBigInt64LE(offset + SHB.sectionLength) : buf.readBigInt64BE(offset + SHB.sectionLength),
      options: options.decode(buf, offset + SHB.options, offset + total - FRAME.trailer, littleEndian),
    };
  },
};

/** Byte order of the section header at `offset` (needs FRAME.bytes), from its byte-order magic. */
function byteOrderOf(buf: Buffer, offset: number): boolean {
  const at = offset + SHB.byteOrderMagic;
  if (buf.readUInt32LE(at) === BYTE_ORDER_MAGIC) return true;
  if (buf.readUInt32BE(at) === BYTE_ORDER_MAGIC) return false;
  throw new DecodeError(at, 'byte-order magic', `0x${buf.readUInt32BE(at).toString(16).padStart(8, '0')} is not 0x1a2b3c4d in either byte order`);
}

export interface InterfaceDescription {
  linkType: number;
  /** 0 = no limit. */
  snaplen: number;
  options: PcapngOption[];
}

export const idb = {
  encodingLength: (i: InterfaceDescription): number => IDB.options + FRAME.trailer + options.encodingLength(i.options),
  encode(i: InterfaceDescription, le: boolean, buf?: Buffer, offset = 0): Buffer {
    return frame(BLOCK.IDB, idb.encodingLength(i) - FRAME.bytes, le, buf, offset, (b, at) => {
      const o = at - FRAME.body;
      const e = rw(le);
      e.w16(b, i.linkType, o + IDB.linkType);
      e.w16(b, 0, o + IDB.reserved);
      e.w32(b, i.snaplen, o + IDB.snaplen);
      options.encode(i.options, le, b, o + IDB.options);
    });
  },
  decode(buf: Buffer, le: boolean, offset = 0): InterfaceDescription {
    const total = checkFrame(buf, offset, le, BLOCK.IDB, 'interface description block');
    if (total < IDB.options + FRAME.trailer) throw new DecodeError(offset + FRAME.totalLength, 'block total length', `${total} is too short for an interface description`);
    const e = rw(le);
    return {
      linkType: e.u16(buf, offset + IDB.linkType),
      snaplen: e.u32(buf, offset + IDB.snaplen),
      options: options.decode(buf, offset + IDB.options, offset + total - FRAME.trailer, le),
    };
  },
};

/**
 * Ticks per second from an if_tsresol value: high bit clear = 10^-n s, set = 2^-n s (draft §4.2).
 * Undefined for resolutions finer than this reader can split exactly (beyond 10^-12 / 2^-40).
 */
export function ticksPerSecond(tsresol: number | undefined): number | undefined {
  if (tsresol === undefined) return 1_000_000;
  const n = tsresol & 0x7f;
  if (tsresol & 0x80) return n <= 40 ? 2 ** n : undefined;
  return n <= 12 ? 10 ** n : undefined;
}

export interface EnhancedPacket {
  interfaceId: number;
  tsHigh: number;
  tsLow: number;
  originalLength: number;
  /** Captured bytes. */
  data: Buffer;
  options: PcapngOption[];
}

export const epb = {
  encodingLength: (p: { data: Buffer; options?: PcapngOption[] }): number => EPB.bytes + pad4(p.data.length) + options.encodingLength(p.options ?? []),
  /** The streaming reader (PcapngParser.parse) is its decoder, at the same EPB offsets. */
  encode(p: EnhancedPacket, le: boolean, buf?: Buffer, offset = 0): Buffer {
    const padded = pad4(p.data.length);
    return frame(BLOCK.EPB, EPB.bytes - FRAME.bytes + padded + options.encodingLength(p.options), le, buf, offset, (b, at) => {
      const o = at - FRAME.body;
      const e = rw(le);
      e.w32(b, p.interfaceId, o + EPB.interfaceId);
      e.w32(b, p.tsHigh, o + EPB.tsHigh);
      e.w32(b, p.tsLow, o + EPB.tsLow);
      e.w32(b, p.data.length, o + EPB.capturedLength);
      e.w32(b, p.originalLength, o + EPB.originalLength);
      p.data.copy(b, o + EPB.data);
      b.fill(0, o + EPB.data + p.data.length, o + EPB.data + padded);
      options.encode(p.options, le, b, o + EPB.data + padded);
    });
  },
};

/** A simple packet block does not store its captured length: it is min(original length, the block's room, the snaplen of interface 0). */
function simpleCaplen(originalLength: number, total: number, snaplen: number): number {
  let caplen = Math.min(originalLength, total - SPB.bytes);
  if (snaplen > 0) caplen = Math.min(caplen, snaplen);
  return caplen;
}

export interface NameRecord {
  /** NRB_RECORD.IPV4 / IPV6 / other. */
  type: number;
  /** Address then NUL-terminated names, as stored. */
  value: Buffer;
}

export const nrb = {
  encodingLength: (n: { records: NameRecord[]; options: PcapngOption[] }): number =>
    FRAME.bytes + n.records.reduce((s, r) => s + 4 + pad4(r.value.length), 4) + options.encodingLength(n.options),
  encode(n: { records: NameRecord[]; options: PcapngOption[] }, le: boolean, buf?: Buffer, offset = 0): Buffer {
    return frame(BLOCK.NRB, nrb.encodingLength(n) - FRAME.bytes, le, buf, offset, (b, at) => {
      const e = rw(le);
      for (const r of n.records) {
        e.w16(b, r.type, at);
        e.w16(b, r.value.length, at + 2);
        r.value.copy(b, at + 4);
        b.fill(0, at + 4 + r.value.length, at + 4 + pad4(r.value.length));
        at += 4 + pad4(r.value.length);
      }
      e.w32(b, 0, at); // nrb_record_end
      options.encode(n.options, le, b, at + 4);
    });
  },
  decode(buf: Buffer, le: boolean, offset = 0): { records: NameRecord[]; options: PcapngOption[] } {
    const total = checkFrame(buf, offset, le, BLOCK.NRB, 'name resolution block');
    const e = rw(le);
    const end = offset + total - FRAME.trailer;
    const records: NameRecord[] = [];
    let at = offset + FRAME.body;
    for (; at + 4 <= end; ) {
      const type = e.u16(buf, at);
      const len = e.u16(buf, at + 2);
      at += 4;
      if (type === NRB_RECORD.END) break;
      if (at + len > end) throw new DecodeError(at - 2, 'name record length', `${len} runs past the block`);
      records.push({ type, value: buf.subarray(at, at + len) });
      at += pad4(len);
    }
    return { records, options: options.decode(buf, at, end, le) };
  },
};

export interface InterfaceStatistics {
  interfaceId: number;
  tsHigh: number;
  tsLow: number;
  options: PcapngOption[];
}

export const isb = {
  encodingLength: (s: InterfaceStatistics): number => ISB.options + FRAME.trailer + options.encodingLength(s.options),
  encode(s: InterfaceStatistics, le: boolean, buf?: Buffer, offset = 0): Buffer {
    return frame(BLOCK.ISB, isb.encodingLength(s) - FRAME.bytes, le, buf, offset, (b, at) => {
      const o = at - FRAME.body;
      const e = rw(le);
      e.w32(b, s.interfaceId, o + ISB.interfaceId);
      e.w32(b, s.tsHigh, o + ISB.tsHigh);
      e.w32(b, s.tsLow, o + ISB.tsLow);
      options.encode(s.options, le, b, o + ISB.options);
    });
  },
  decode(buf: Buffer, le: boolean, offset = 0): InterfaceStatistics {
    const total = checkFrame(buf, offset, le, BLOCK.ISB, 'interface statistics block');
    if (total < ISB.options + FRAME.trailer) throw new DecodeError(offset + FRAME.totalLength, 'block total length', `${total} is too short for interface statistics`);
    const e = rw(le);
    return {
      interfaceId: e.u32(buf, offset + ISB.interfaceId),
      tsHigh: e.u32(buf, offset + ISB.tsHigh),
      tsLow: e.u32(buf, offset + ISB.tsLow),
      options: options.decode(buf, offset + ISB.options, offset + total - FRAME.trailer, le),
    };
  },
};

function u64Option(list: PcapngOption[], code: number, le: boolean): number | undefined {
  const o = list.find((x) => x.code === code && x.value.length === 8);
  if (o === undefined) return undefined;
  return Number(le ? o.value.readBigUInt64LE(0) : o.value.readBigUInt64BE(0));
}

interface Iface {
  linkType: number;
  snaplen: number;
  ticksPerSecond: number;
  /** if_tsoffset: seconds added to every timestamp. */
  tsOffset: number;
  /** Latest ISB drop counters (they are cumulative). */
  dropped: number | undefined;
}

const BLOCK_NAMES: Record<number, string> = {
  [BLOCK.SHB]: 'section header block',
  [BLOCK.IDB]: 'interface description block',
  [BLOCK.OBSOLETE_PACKET]: 'packet block',
  [BLOCK.SPB]: 'simple packet block',
  [BLOCK.NRB]: 'name resolution block',
  [BLOCK.ISB]: 'interface statistics block',
  [BLOCK.EPB]: 'enhanced packet block',
};

function blockName(type: number): string {
  return BLOCK_NAMES[type] ?? `block of type 0x${type.toString(16).padStart(8, '0')}`;
}

/** Streaming pcapng parser: sections, interfaces and packet blocks; other blocks are skipped by length. */
export class PcapngParser implements FormatParser {
  readonly format = 'pcapng';
  want = 12;
  stopped = false;
  readonly linkTypes = new Set<number>();
  private le = true;
  private sawSection = false;
  application: string | undefined;
  private ifaces: Iface[] = [];
  /** Interfaces of earlier sections, for the drop total. */
  private oldIfaces: Iface[] = [];
  private blocks = 0;
  private pendingType = -1;
  private pendingLength = 0;
  /** Timestamp of the last packet, for simple packet blocks (which carry none). */
  private lastSec = 0;
  private lastNsec = 0;
  private readonly skipped = { count: 0, first: '' };

  constructor(
    private readonly sink: RecordSink,
    private readonly warnings: string[],
  ) {}

  get captureDropped(): number | undefined {
    let sum: number | undefined;
    for (const i of [...this.oldIfaces, ...this.ifaces]) if (i.dropped !== undefined) sum = (sum ?? 0) + i.dropped;
    return sum;
  }

  parse(buf: Buffer, pos: number, end: number, base: number): number {
    const sink = this.sink;
    // One view per window: DataView reads take the section's byte order as an argument and are
    // compiled inline, where a byte-order branch around plain byte reads per field was not.
    const dv = new DataView(buf.buffer, buf.byteOffset, buf.length);
    for (;;) {
      this.pendingType = -1;
      if (end - pos < FRAME.bytes) {
        this.want = FRAME.bytes;
        return pos;
      }
      let le = this.le;
      let type = dv.getUint32(pos + FRAME.type, le);
      if (type === BLOCK.SHB) {
        try {
          le = byteOrderOf(buf, pos);
        } catch (err) {
          if (!this.sawSection) throw err;
          return this.corrupt(pos, base + pos + SHB.byteOrderMagic, 'section header block has no valid byte-order magic');
        }
      } else if (!this.sawSection) {
        throw new DecodeError(base + pos, 'magic', 'file does not start with a pcapng section header block');
      }
      type = dv.getUint32(pos + FRAME.type, le);
      const total = dv.getUint32(pos + FRAME.totalLength, le);
      if (total < FRAME.bytes || total % 4 !== 0 || total > MAX_RECORD) {
        return this.corrupt(pos, base + pos + FRAME.totalLength, `${blockName(type)} #${this.blocks + 1} declares block total length ${total}`);
      }
      if (end - pos < total) {
        this.pendingType = type;
        this.pendingLength = total;
        this.want = total;
        return pos;
      }
      const trailer = dv.getUint32(pos + total - FRAME.trailer, le);
      if (trailer !== total) {
        return this.corrupt(pos, base + pos + total - FRAME.trailer, `${blockName(type)} #${this.blocks + 1} at offset ${base + pos} ends with length ${trailer}, not ${total}`);
      }
      this.blocks++;
      if (type === BLOCK.EPB || type === BLOCK.OBSOLETE_PACKET) {
        if (total < EPB.bytes) return this.corrupt(pos, base + pos + FRAME.totalLength, `${blockName(type)} #${this.blocks} is ${total} bytes, shorter than its fixed fields`);
        const ifid = type === BLOCK.EPB ? dv.getUint32(pos + EPB.interfaceId, le) : dv.getUint16(pos + EPB.interfaceId, le);
        const caplen = dv.getUint32(pos + EPB.capturedLength, le);
        const iface = this.ifaces[ifid];
        if (iface === undefined || EPB.bytes + caplen > total) {
          this.skipPacket(base + pos, iface === undefined ? `interface ${ifid} was never described` : `captured length ${caplen} exceeds the block`);
        } else {
          const hi = dv.getUint32(pos + EPB.tsHigh, le);
          const lo = dv.getUint32(pos + EPB.tsLow, le);
          const origLen = dv.getUint32(pos + EPB.originalLength, le);
          splitTicks(hi, lo, iface.ticksPerSecond);
          this.lastSec = split.sec + iface.tsOffset;
          this.lastNsec = split.nsec;
          sink.record(iface.linkType, this.lastSec, this.lastNsec, buf, pos + EPB.data, caplen, origLen, ifid);
        }
      } else if (type === BLOCK.SPB) {
        const iface = this.ifaces[0];
        if (iface === undefined || total < SPB.bytes) {
          this.skipPacket(base + pos, iface === undefined ? 'no interface was described' : 'block too short');
        } else {
          const origLen = dv.getUint32(pos + SPB.originalLength, le);
          sink.record(iface.linkType, this.lastSec, this.lastNsec, buf, pos + SPB.data, simpleCaplen(origLen, total, iface.snaplen), origLen, 0);
        }
      } else {
        try {
          this.control(type, buf, pos, le);
        } catch (err) {
          if (!(err instanceof DecodeError)) throw err;
          return this.corrupt(pos, base + err.offset, `${blockName(type)} #${this.blocks}: ${err.field}: ${err.detail}`);
        }
      }
      pos += total;
    }
  }

  /** Section, interface and statistics blocks; everything else is skipped. */
  private control(type: number, buf: Buffer, pos: number, le: boolean): void {
    switch (type) {
      case BLOCK.SHB: {
        const s = shb.decode(buf, pos);
        if (s.versionMajor !== 1) throw new DecodeError(pos + SHB.versionMajor, 'major version', `${s.versionMajor} is not 1`);
        this.le = s.littleEndian;
        if (!this.sawSection) this.application = s.options.find((o) => o.code === OPT.SHB_USERAPPL)?.value.toString('utf8');
        this.sawSection = true;
        this.oldIfaces.push(...this.ifaces);
        this.ifaces = [];
        return;
      }
      case BLOCK.IDB: {
        const d = idb.decode(buf, le, pos);
        const resol = d.options.find((o) => o.code === OPT.IF_TSRESOL && o.value.length >= 1)?.value[0];
        let tps = ticksPerSecond(resol);
        if (tps === undefined) {
          this.warnings.push(`interface ${this.ifaces.length}: timestamp resolution 0x${(resol ?? 0).toString(16)} is finer than supported; timestamps read as microseconds`);
          tps = 1_000_000;
        }
        const off = d.options.find((o) => o.code === OPT.IF_TSOFFSET && o.value.length === 8);
        const tsOffset = off === undefined ? 0 : Number(le ? off.value.readBigInt64LE(0) : off.value.readBigInt64BE(0));
        this.ifaces.push({ linkType: d.linkType, snaplen: d.snaplen, ticksPerSecond: tps, tsOffset, dropped: undefined });
        this.linkTypes.add(d.linkType);
        return;
      }
      case BLOCK.ISB: {
        const s = isb.decode(buf, le, pos);
        const iface = this.ifaces[s.interfaceId];
        const ifdrop = u64Option(s.options, OPT.ISB_IFDROP, le);
        const osdrop = u64Option(s.options, OPT.ISB_OSDROP, le);
        if (iface !== undefined && (ifdrop !== undefined || osdrop !== undefined)) iface.dropped = (ifdrop ?? 0) + (osdrop ?? 0);
        return;
      }
      default:
        return;
    }
  }

  private skipPacket(offset: number, why: string): void {
    if (this.skipped.count++ === 0) this.skipped.first = `packet block at offset ${offset} skipped: ${why}`;
  }

  finish(): void {
    if (this.skipped.count === 1) this.warnings.push(this.skipped.first);
    if (this.skipped.count > 1) this.warnings.push(`${this.skipped.count} packet blocks skipped; the first: ${this.skipped.first}`);
  }

  private corrupt(pos: number, offset: number, what: string): number {
    this.warnings.push(`corrupt pcapng at offset ${offset}: ${what}; stopped reading there`);
    this.stopped = true;
    return pos;
  }

  describeCut(offset: number, have: number): string {
    if (this.pendingType < 0) return `the header of block #${this.blocks + 1} at offset ${offset} (${have} of 12 bytes present)`;
    return `${blockName(this.pendingType)} #${this.blocks + 1} at offset ${offset} (${have} of ${this.pendingLength} bytes present)`;
  }
}
