/**
 * Classic libpcap files (https://www.tcpdump.org/manpages/pcap-savefile.5.html, IETF draft-ietf-opsawg-pcap):
 * a 24-byte file header whose magic gives the byte order and the timestamp unit (µs 0xA1B2C3D4,
 * ns 0xA1B23C4D), then records of a 16-byte header (seconds, fraction, captured length, original length)
 * followed by the captured bytes.
 */
import { u32be, u32le } from '../common/bytes.js';
import { DecodeError } from '../common/decode-error.js';
import { type FormatParser, MAX_RECORD, type RecordSink } from './format.js';

export const PCAP_MAGIC_US = 0xa1b2c3d4;
export const PCAP_MAGIC_NS = 0xa1b23c4d;

export interface PcapHeader {
  littleEndian: boolean;
  nanosecond: boolean;
  versionMajor: number;
  versionMinor: number;
  /** GMT offset in seconds; always 0 in practice. */
  thiszone: number;
  sigfigs: number;
  snaplen: number;
  linkType: number;
  /** Upper bits of the link-type field: FCS length and flags (pcap-savefile "LinkType and additional information"). */
  linkTypeFlags: number;
}

export const pcapHeader = {
  encodingLength: 24,
  encode(h: PcapHeader, buf: Buffer = Buffer.alloc(24), offset = 0): Buffer {
    const w32 = (v: number, o: number): number => (h.littleEndian ? buf.writeUInt32LE(v >>> 0, o) : buf.writeUInt32BE(v >>> 0, o));
    const w16 = (v: number, o: number): number => (h.littleEndian ? buf.writeUInt16LE(v, o) : buf.writeUInt16BE(v, o));
    w32(h.nanosecond ? PCAP_MAGIC_NS : PCAP_MAGIC_US, offset);
    w16(h.versionMajor, offset + 4);
    w16(h.versionMinor, offset + 6);
    w32(h.thiszone, offset + 8);
    w32(h.sigfigs, offset + 12);
    w32(h.snaplen, offset + 16);
    w32(((h.linkTypeFlags << 16) | h.linkType) >>> 0, offset + 20);
    return buf;
  },
  /** Throws DecodeError naming the magic field when the bytes are not a pcap header. */
  decode(buf: Buffer, offset = 0): PcapHeader {
    if (buf.length - offset < 24) throw new DecodeError(offset, 'pcap file header', `needs 24 bytes, only ${buf.length - offset}`);
    const be = buf.readUInt32BE(offset);
    const le = buf.readUInt32LE(offset);
    let littleEndian: boolean;
    let nanosecond: boolean;
    if (be === PCAP_MAGIC_US || be === PCAP_MAGIC_NS) {
      littleEndian = false;
      nanosecond = be === PCAP_MAGIC_NS;
    } else if (le === PCAP_MAGIC_US || le === PCAP_MAGIC_NS) {
      littleEndian = true;
      nanosecond = le === PCAP_MAGIC_NS;
    } else {
      throw new DecodeError(offset, 'magic', `0x${be.toString(16).padStart(8, '0')} is not a pcap magic`);
    }
    const r32 = (o: number): number => (littleEndian ? buf.readUInt32LE(o) : buf.readUInt32BE(o));
    const r16 = (o: number): number => (littleEndian ? buf.readUInt16LE(o) : buf.readUInt16BE(o));
    const link = r32(offset + 20);
    return {
      littleEndian,
      nanosecond,
      versionMajor: r16(offset + 4),
      versionMinor: r16(offset + 6),
      thiszone: r32(offset + 8) | 0,
      sigfigs: r32(offset + 12),
      snaplen: r32(offset + 16),
      linkType: link & 0xffff,
      linkTypeFlags: link >>> 16,
    };
  },
};

export interface PcapRecord {
  sec: number;
  /** Microseconds or nanoseconds, per the file header. */
  frac: number;
  origLen: number;
  data: Buffer;
}

export const pcapRecord = {
  encodingLength(r: PcapRecord): number {
    return 16 + r.data.length;
  },
  encode(r: PcapRecord, littleEndian: boolean, buf: Buffer = Buffer.alloc(16 + r.data.length), offset = 0): Buffer {
    if (littleEndian) {
      buf.writeUInt32LE(r.sec >>> 0, offset);
      buf.writeUInt32LE(r.frac >>> 0, offset + 4);
      buf.writeUInt32LE(r.data.length, offset + 8);
      buf.writeUInt32LE(r.origLen >>> 0, offset + 12);
    } else {
      buf.writeUInt32BE(r.sec >>> 0, offset);
      buf.writeUInt32BE(r.frac >>> 0, offset + 4);
      buf.writeUInt32BE(r.data.length, offset + 8);
      buf.writeUInt32BE(r.origLen >>> 0, offset + 12);
    }
    r.data.copy(buf, offset + 16);
    return buf;
  },
  /** `data` is a view into buf. */
  decode(buf: Buffer, littleEndian: boolean, offset = 0): PcapRecord {
    if (buf.length - offset < 16) throw new DecodeError(offset, 'pcap record header', `needs 16 bytes, only ${buf.length - offset}`);
    const r32 = (o: number): number => (littleEndian ? buf.readUInt32LE(o) : buf.readUInt32BE(o));
    const caplen = r32(offset + 8);
    if (offset + 16 + caplen > buf.length) throw new DecodeError(offset + 8, 'caplen', `${caplen} bytes exceed the buffer`);
    return { sec: r32(offset), frac: r32(offset + 4), origLen: r32(offset + 12), data: buf.subarray(offset + 16, offset + 16 + caplen) };
  },
};

/** Streaming pcap parser. The first parse call must see the whole 24-byte header. */
export class PcapParser implements FormatParser {
  readonly format = 'pcap';
  want = 24;
  stopped = false;
  header: PcapHeader | undefined;
  readonly linkTypes = new Set<number>();
  readonly captureDropped = undefined;
  /** Records seen, for messages (1-based numbers like Wireshark's frame.number). */
  private records = 0;

  constructor(
    private readonly sink: RecordSink,
    private readonly warnings: string[],
  ) {}

  parse(buf: Buffer, pos: number, end: number, base: number): number {
    let h = this.header;
    if (h === undefined) {
      if (end - pos < 24) return pos;
      h = this.header = pcapHeader.decode(buf, pos);
      this.linkTypes.add(h.linkType);
      pos += 24;
    }
    const le = h.littleEndian;
    const fracToNs = h.nanosecond ? 1 : 1000;
    const linkType = h.linkType;
    const sink = this.sink;
    for (;;) {
      if (end - pos < 16) {
        this.want = 16;
        return pos;
      }
      const caplen = le ? u32le(buf, pos + 8) : u32be(buf, pos + 8);
      if (caplen > MAX_RECORD) {
        this.warnings.push(
          `corrupt pcap record #${this.records + 1} at offset ${base + pos}: captured length ${caplen} is impossible; stopped reading there`,
        );
        this.stopped = true;
        return pos;
      }
      if (end - pos < 16 + caplen) {
        this.want = 16 + caplen;
        return pos;
      }
      const sec = le ? u32le(buf, pos) : u32be(buf, pos);
      const frac = le ? u32le(buf, pos + 4) : u32be(buf, pos + 4);
      const origLen = le ? u32le(buf, pos + 12) : u32be(buf, pos + 12);
      this.records++;
      sink.record(linkType, sec, frac * fracToNs, buf, pos + 16, caplen, origLen, 0);
      pos += 16 + caplen;
    }
  }

  finish(): void {}

  describeCut(offset: number, have: number): string {
    if (this.header === undefined) return `the pcap file header (${have} of 24 bytes present)`;
    const n = this.records + 1;
    if (have < 16) return `the header of record #${n} at offset ${offset} (${have} of 16 bytes present)`;
    return `record #${n} at offset ${offset} (${have} of ${this.want} bytes present)`;
  }
}
