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
  const total = 12 + bodyLength;
  const out = buf ?? Buffer.alloc(offset + total);
  const e = rw(le);
  e.w32(out, type, offset);
  e.w32(out, total, offset + 4);
  body(out, offset + 8);
  e.w32(out, total, offset + total - 4);
  return out;
}

/** Checks a block's frame at `offset` and returns [type, total length]. */
function checkFrame(buf: Buffer, offset: number, le: boolean, expectType: number, name: string): number {
  const e = rw(le);
  if (buf.length - offset < 12) throw new DecodeError(offset, name, `needs at least 12 bytes, only ${buf.length - offset}`);
  const type = e.u32(buf, offset);
  if (type !== expectType) throw new DecodeError(offset, 'block type', `0x${type.toString(16)} is not ${name}`);
  const total = e.u32(buf, offset + 4);
  if (total < 12 || total % 4 !== 0 || offset + total > buf.length) throw new DecodeError(offset + 4, 'block total length', `${total} is invalid here`);
  if (e.u32(buf, offset + total - 4) !== total) throw new DecodeError(offset + total - 4, 'trailing block total length', `does not repeat ${total}`);
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
  encodingLength: (s: SectionHeader): number => 12 + 16 + options.encodingLength(s.options),
  encode(s: SectionHeader, buf?: Buffer, offset = 0): Buffer {
    const le = s.littleEndian;
    return frame(BLOCK.SHB, 16 + options.encodingLength(s.options), le, buf, offset, (b, at) => {
      const e = rw(le);
      e.w32(b, BYTE_ORDER_MAGIC, at);
      e.w16(b, s.versionMajor, at + 4);
      e.w16(b, s.versionMinor, at + 6);
      if (le) b.writeBigInt64LE(s.sectionLength, at + 8);
      else b.writeBigInt64BE(s.sectionLength, at + 8);
      options.encode(s.options, le, b, at + 16);
    });
  },
  /** Reads the byte order from the block itself. */
  decode(buf: Buffer, offset = 0): SectionHeader {
    if (buf.length - offset < 12) throw new DecodeError(offset, 'section header block', `needs at least 12 bytes, only ${buf.length - offset}`);
    const littleEndian = byteOrderOf(buf, offset);
    const total = checkFrame(buf, offset, littleEndian, BLOCK.SHB, 'section header block');
    if (total < 28) throw new DecodeError(offset + 4, 'block total length', `${total} is too short for a section header`);
    const e = rw(littleEndian);
    return {
      littleEndian,
      versionMajor: e.u16(buf, offset + 12),
      versionMinor: e.u16(buf, offset + 14),
      sectionLength: littleEndian ? buf.readBigInt64LE(offset + 16) : buf.readBigInt64BE(offset + 16),
      options: options.decode(buf, offset + 24, offset + total - 4, littleEndian),
    };
  },
};

/** Byte order of the section header at `offset` (needs 12 bytes), from its byte-order magic. */
function byteOrderOf(buf: Buffer, offset: number): boolean {
  const bom = buf.readUInt32LE(offset + 8);
  if (bom === BYTE_ORDER_MAGIC) return true;
  if (buf.readUInt32BE(offset + 8) === BYTE_ORDER_MAGIC) return false;
  throw new DecodeError(offset + 8, 'byte-order magic', `0x${buf.readUInt32BE(offset + 8).toString(16).padStart(8, '0')} is not 0x1a2b3c4d in either byte order`);
}

export interface InterfaceDescription {
  linkType: number;
  /** 0 = no limit. */
  snaplen: number;
  options: PcapngOption[];
}

export const idb = {
  encodingLength: (i: InterfaceDescription): number => 12 + 8 + options.encodingLength(i.options),
  encode(i: InterfaceDescription, le: boolean, buf?: Buffer, offset = 0): Buffer {
    return frame(BLOCK.IDB, 8 + options.encodingLength(i.options), le, buf, offset, (b, at) => {
      const e = rw(le);
      e.w16(b, i.linkType, at);
      e.w16(b, 0, at + 2);
      e.w32(b, i.snaplen, at + 4);
      options.encode(i.options, le, b, at + 8);
    });
  },
  decode(buf: Buffer, le: boolean, offset = 0): InterfaceDescription {
    const total = checkFrame(buf, offset, le, BLOCK.IDB, 'interface description block');
    if (total < 20) throw new DecodeError(offset + 4, 'block total length', `${total} is too short for an interface description`);
    const e = rw(le);
    return { linkType: e.u16(buf, offset + 8), snaplen: e.u32(buf, offset + 12), options: options.decode(buf, offset + 16, offset + total - 4, le) };
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
  /** Captured bytes (a view when decoded). */
  data: Buffer;
  options: PcapngOption[];
}

export const epb = {
  encodingLength: (p: { data: Buffer; options?: PcapngOption[] }): number => 32 + pad4(p.data.length) + options.encodingLength(p.options ?? []),
  encode(p: EnhancedPacket, le: boolean, buf?: Buffer, offset = 0): Buffer {
    return frame(BLOCK.EPB, 20 + pad4(p.data.length) + options.encodingLength(p.options), le, buf, offset, (b, at) => {
      const e = rw(le);
      e.w32(b, p.interfaceId, at);
      e.w32(b, p.tsHigh, at + 4);
      e.w32(b, p.tsLow, at + 8);
      e.w32(b, p.data.length, at + 12);
      e.w32(b, p.originalLength, at + 16);
      p.data.copy(b, at + 20);
      b.fill(0, at + 20 + p.data.length, at + 20 + pad4(p.data.length));
      options.encode(p.options, le, b, at + 20 + pad4(p.data.length));
    });
  },
  decode(buf: Buffer, le: boolean, offset = 0): EnhancedPacket {
    const total = checkFrame(buf, offset, le, BLOCK.EPB, 'enhanced packet block');
    const e = rw(le);
    if (total < 32) throw new DecodeError(offset + 4, 'block total length', `${total} is too short for an enhanced packet`);
    const caplen = e.u32(buf, offset + 20);
    if (32 + pad4(caplen) > total) throw new DecodeError(offset + 20, 'captured packet length', `${caplen} does not fit in a block of ${total}`);
    const dataEnd = offset + 28 + caplen;
    return {
      interfaceId: e.u32(buf, offset + 8),
      tsHigh: e.u32(buf, offset + 12),
      tsLow: e.u32(buf, offset + 16),
      originalLength: e.u32(buf, offset + 24),
      data: buf.subarray(offset + 28, dataEnd),
      options: options.decode(buf, offset + 28 + pad4(caplen), offset + total - 4, le),
    };
  },
};

/** A simple packet block does not store its captured length: it is min(original length, the block's room, the snaplen of interface 0). */
function simpleCaplen(originalLength: number, total: number, snaplen: number): number {
  let caplen = Math.min(originalLength, total - 16);
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
    12 + n.records.reduce((s, r) => s + 4 + pad4(r.value.length), 4) + options.encodingLength(n.options),
  encode(n: { records: NameRecord[]; options: PcapngOption[] }, le: boolean, buf?: Buffer, offset = 0): Buffer {
    return frame(BLOCK.NRB, nrb.encodingLength(n) - 12, le, buf, offset, (b, at) => {
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
    const end = offset + total - 4;
    const records: NameRecord[] = [];
    let at = offset + 8;
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
  encodingLength: (s: InterfaceStatistics): number => 12 + 12 + options.encodingLength(s.options),
  encode(s: InterfaceStatistics, le: boolean, buf?: Buffer, offset = 0): Buffer {
    return frame(BLOCK.ISB, 12 + options.encodingLength(s.options), le, buf, offset, (b, at) => {
      const e = rw(le);
      e.w32(b, s.interfaceId, at);
      e.w32(b, s.tsHigh, at + 4);
      e.w32(b, s.tsLow, at + 8);
      options.encode(s.options, le, b, at + 12);
    });
  },
  decode(buf: Buffer, le: boolean, offset = 0): InterfaceStatistics {
    const total = checkFrame(buf, offset, le, BLOCK.ISB, 'interface statistics block');
    if (total < 24) throw new DecodeError(offset + 4, 'block total length', `${total} is too short for interface statistics`);
    const e = rw(le);
    return {
      interfaceId: e.u32(buf, offset + 8),
      tsHigh: e.u32(buf, offset + 12),
      tsLow: e.u32(buf, offset + 16),
      options: options.decode(buf, offset + 20, offset + total - 4, le),
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
      if (end - pos < 12) {
        this.want = 12;
        return pos;
      }
      let le = this.le;
      let type = dv.getUint32(pos, le);
      if (type === BLOCK.SHB) {
        try {
          le = byteOrderOf(buf, pos);
        } catch (err) {
          if (!this.sawSection) throw err;
          return this.corrupt(pos, base + pos + 8, 'section header block has no valid byte-order magic');
        }
      } else if (!this.sawSection) {
        throw new DecodeError(base + pos, 'magic', 'file does not start with a pcapng section header block');
      }
      type = dv.getUint32(pos, le);
      const total = dv.getUint32(pos + 4, le);
      if (total < 12 || total % 4 !== 0 || total > MAX_RECORD) {
        return this.corrupt(pos, base + pos + 4, `${blockName(type)} #${this.blocks + 1} declares block total length ${total}`);
      }
      if (end - pos < total) {
        this.pendingType = type;
        this.pendingLength = total;
        this.want = total;
        return pos;
      }
      const trailer = dv.getUint32(pos + total - 4, le);
      if (trailer !== total) {
        return this.corrupt(pos, base + pos + total - 4, `${blockName(type)} #${this.blocks + 1} at offset ${base + pos} ends with length ${trailer}, not ${total}`);
      }
      this.blocks++;
      if (type === BLOCK.EPB || type === BLOCK.OBSOLETE_PACKET) {
        if (total < 32) return this.corrupt(pos, base + pos + 4, `${blockName(type)} #${this.blocks} is ${total} bytes, shorter than its fixed fields`);
        const ifid = type === BLOCK.EPB ? dv.getUint32(pos + 8, le) : dv.getUint16(pos + 8, le);
        const caplen = dv.getUint32(pos + 20, le);
        const iface = this.ifaces[ifid];
        if (iface === undefined || 32 + caplen > total) {
          this.skipPacket(base + pos, iface === undefined ? `interface ${ifid} was never described` : `captured length ${caplen} exceeds the block`);
        } else {
          const hi = dv.getUint32(pos + 12, le);
          const lo = dv.getUint32(pos + 16, le);
          const origLen = dv.getUint32(pos + 24, le);
          splitTicks(hi, lo, iface.ticksPerSecond);
          this.lastSec = split.sec + iface.tsOffset;
          this.lastNsec = split.nsec;
          sink.record(iface.linkType, this.lastSec, this.lastNsec, buf, pos + 28, caplen, origLen, ifid);
        }
      } else if (type === BLOCK.SPB) {
        const iface = this.ifaces[0];
        if (iface === undefined || total < 16) {
          this.skipPacket(base + pos, iface === undefined ? 'no interface was described' : 'block too short');
        } else {
          const origLen = dv.getUint32(pos + 8, le);
          sink.record(iface.linkType, this.lastSec, this.lastNsec, buf, pos + 12, simpleCaplen(origLen, total, iface.snaplen), origLen, 0);
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
        if (s.versionMajor !== 1) throw new DecodeError(pos + 12, 'major version', `${s.versionMajor} is not 1`);
        this.le = s.littleEndian;
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
