/**
 * Classic libpcap files (https://www.tcpdump.org/manpages/pcap-savefile.5.html, IETF draft-ietf-opsawg-pcap):
 * a 24-byte file header whose magic gives the byte order and the timestamp unit (µs 0xA1B2C3D4,
 * ns 0xA1B23C4D), then records of a 16-byte header (seconds, fraction, captured length, original length)
 * followed by the captured bytes.
 */
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

/** The file header: magic, version, GMT offset, sigfigs, snap length, link type (with its flag bits). */
const HEADER = { magic: 0, versionMajor: 4, versionMinor: 6, thiszone: 8, sigfigs: 12, snaplen: 16, linkType: 20, bytes: 24 } as const;

export const pcapHeader = {
  encodingLength: HEADER.bytes,
  encode(h: PcapHeader, buf: Buffer = Buffer.alloc(HEADER.bytes), offset = 0): Buffer {
    const w32 = (v: number, o: number): number => (h.littleEndian ? buf.writeUInt32LE(v >>> 0, o) : buf.writeUInt32BE(v >>> 0, o));
    const w16 = (v: number, o: number): number => (h.littleEndian ? buf.writeUInt16LE(v, o) : buf.writeUInt16BE(v, o));
    w32(h.nanosecond ? PCAP_MAGIC_NS : PCAP_MAGIC_US, offset + HEADER.magic);
    w16(h.versionMajor, offset + HEADER.versionMajor);
    w16(h.versionMinor, offset + HEADER.versionMinor);
    w32(h.thiszone, offset + HEADER.thiszone);
    w32(h.sigfigs, offset + HEADER.sigfigs);
    w32(h.snaplen, offset + HEADER.snaplen);
    w32(((h.linkTypeFlags << 16) | h.linkType) >>> 0, offset + HEADER.linkType);
    return buf;
  },
  /** Throws DecodeError naming the magic field when the bytes are not a pcap header. */
  decode(buf: Buffer, offset = 0): PcapHeader {
    if (buf.length - offset < HEADER.bytes) throw new DecodeError(offset, 'pcap file header', `needs ${HEADER.bytes} bytes, only ${buf.length - offset}`);
    const be = buf.readUInt32BE(offset + HEADER.magic);
    const le = buf.readUInt32LE(offset + HEADER.magic);
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
    const link = r32(offset + HEADER.linkType);
    return {
      littleEndian,
      nanosecond,
      versionMajor: r16(offset + HEADER.versionMajor),
      versionMinor: r16(offset + HEADER.versionMinor),
      thiszone: r32(offset + HEADER.thiszone) | 0,
      sigfigs: r32(offset + HEADER.sigfigs),
      snaplen: r32(offset + HEADER.snaplen),
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

/** A record's header: seconds, fraction, captured length, original length; the data follows. */
const RECORD = { sec: 0, frac: 4, capturedLength: 8, originalLength: 12, bytes: 16 } as const;

export const pcapRecord = {
  encodingLength(r: PcapRecord): number {
    return RECORD.bytes + r.data.length;
  },
  /** The streaming parser (PcapParser.parse) is its decoder, at the same RECORD offsets. */
  encode(r: PcapRecord, littleEndian: boolean, buf: Buffer = Buffer.alloc(RECORD.bytes + r.data.length), offset = 0): Buffer {
    const dv = new DataView(buf.buffer, buf.byteOffset, buf.length);
    dv.setUint32(offset + RECORD.sec, r.sec >>> 0, littleEndian);
    dv.setUint32(offset + RECORD.frac, r.frac >>> 0, littleEndian);
    dv.setUint32(offset + RECORD.capturedLength, r.data.length, littleEndian);
    dv.setUint32(offset + RECORD.originalLength, r.origLen >>> 0, littleEndian);
    r.data.copy(buf, offset + RECORD.bytes);
    return buf;
  },
};

/** Streaming pcap parser. The first parse call must see the whole 24-byte header. */
export class PcapParser implements FormatParser {
  readonly format = 'pcap';
  want: number = HEADER.bytes;
  stopped = false;
  header: PcapHeader | undefined;
  readonly linkTypes = new Set<number>();
  readonly captureDropped = undefined;
  readonly application = undefined;
  /** Records seen, for messages (1-based numbers like Wireshark's frame.number). */
  private records = 0;

  constructor(
    private readonly sink: RecordSink,
    private readonly warnings: string[],
  ) {}

  parse(buf: Buffer, pos: number, end: number, base: number): number {
    let h = this.header;
    if (h === undefined) {
      if (end - pos < HEADER.bytes) return pos;
      h = this.header = pcapHeader.decode(buf, pos);
      this.linkTypes.add(h.linkType);
      pos += HEADER.bytes;
    }
    const le = h.littleEndian;
    const fracToNs = h.nanosecond ? 1 : 1000;
    const linkType = h.linkType;
    const sink = this.sink;
    const dv = new DataView(buf.buffer, buf.byteOffset, buf.length);
    for (;;) {
      if (end - pos < RECORD.bytes) {
        this.want = RECORD.bytes;
        return pos;
      }
      const caplen = dv.getUint32(pos + RECORD.capturedLength, le);
      if (caplen > MAX_RECORD) {
        this.warnings.push(
          `corrupt pcap record #${this.records + 1} at offset ${base + pos}: captured length ${caplen} is impossible; stopped reading there`,
        );
        this.stopped = true;
        return pos;
      }
      if (end - pos < RECORD.bytes + caplen) {
        this.want = RECORD.bytes + caplen;
        return pos;
      }
      const sec = dv.getUint32(pos + RECORD.sec, le);
      const frac = dv.getUint32(pos + RECORD.frac, le);
      const origLen = dv.getUint32(pos + RECORD.originalLength, le);
      this.records++;
      sink.record(linkType, sec, frac * fracToNs, buf, pos + RECORD.bytes, caplen, origLen, 0);
      pos += RECORD.bytes + caplen;
    }
  }

  finish(): void {}

  describeCut(offset: number, have: number): string {
    if (this.header === undefined) return `the pcap file header (${have} of ${HEADER.bytes} bytes present)`;
    const n = this.records + 1;
    if (have < RECORD.bytes) return `the header of record #${n} at offset ${offset} (${have} of ${RECORD.bytes} bytes present)`;
    return `record #${n} at offset ${offset} (${have} of ${this.want} bytes present)`;
  }
}
