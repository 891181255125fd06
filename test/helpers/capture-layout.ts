/**
 * Where the blocks (pcapng) or records (pcap) of a capture file lie, walked from the length fields
 * alone — written apart from src/capture so tests can check the reader against it, and so the fuzzer
 * knows where headers and lengths are. Stops at the first block that does not fit.
 */

export interface CaptureBlock {
  offset: number;
  length: number;
  /** A captured frame (pcap record, pcapng EPB/SPB/obsolete packet block). */
  packet: boolean;
  /** pcap: 'file-header' | 'record'; pcapng: the block type. */
  kind: 'file-header' | 'record' | number;
  littleEndian: boolean;
}

export interface CaptureLayout {
  format: 'pcap' | 'pcapng';
  blocks: CaptureBlock[];
  /** Offset just past the last whole block. */
  end: number;
}

const PCAPNG_SHB = 0x0a0d0d0a;
const PACKET_BLOCKS = new Set([2, 3, 6]);

export function captureLayout(buf: Buffer): CaptureLayout {
  if (buf.length < 4) throw new Error(`${buf.length} bytes: no magic`);
  const magicBe = buf.readUInt32BE(0);
  if (magicBe === PCAPNG_SHB) return pcapngLayout(buf);
  const le = [0xd4c3b2a1, 0x4d3cb2a1].includes(magicBe);
  if (!le && ![0xa1b2c3d4, 0xa1b23c4d].includes(magicBe)) throw new Error(`magic 0x${magicBe.toString(16)} is neither pcap nor pcapng`);
  const blocks: CaptureBlock[] = [];
  if (buf.length < 24) return { format: 'pcap', blocks, end: 0 };
  blocks.push({ offset: 0, length: 24, packet: false, kind: 'file-header', littleEndian: le });
  let o = 24;
  while (o + 16 <= buf.length) {
    const caplen = le ? buf.readUInt32LE(o + 8) : buf.readUInt32BE(o + 8);
    if (o + 16 + caplen > buf.length) break;
    blocks.push({ offset: o, length: 16 + caplen, packet: true, kind: 'record', littleEndian: le });
    o += 16 + caplen;
  }
  return { format: 'pcap', blocks, end: o };
}

function pcapngLayout(buf: Buffer): CaptureLayout {
  const blocks: CaptureBlock[] = [];
  let le = true;
  let o = 0;
  while (o + 12 <= buf.length) {
    if (buf.readUInt32BE(o) === PCAPNG_SHB) {
      // Each section header announces its byte order with 0x1A2B3C4D at +8.
      if (buf.readUInt32LE(o + 8) === 0x1a2b3c4d) le = true;
      else if (buf.readUInt32BE(o + 8) === 0x1a2b3c4d) le = false;
      else break;
    }
    const type = le ? buf.readUInt32LE(o) : buf.readUInt32BE(o);
    const length = le ? buf.readUInt32LE(o + 4) : buf.readUInt32BE(o + 4);
    if (length < 12 || length % 4 !== 0 || o + length > buf.length) break;
    blocks.push({ offset: o, length, packet: PACKET_BLOCKS.has(type), kind: type, littleEndian: le });
    o += length;
  }
  return { format: 'pcapng', blocks, end: o };
}
