/**
 * Allocation-free header scan for the analysis hot path (≈ 1 M datagrams/s): fills a caller-owned struct
 * instead of building a VitaHeader, and skips timestamps (reading the 64-bit one costs a BigInt). The full
 * `decodePacket` stays the reference; a test checks the two agree on every field they share.
 */
import { CLASS_ID_FIELD, hasStreamId, headerLength, OUI_MASK, type PacketType, WORD0 } from './header.js';
import { u16be, u32be } from '../common/bytes.js';
import { FLEX_OUI, PCC } from './classes.js';

export interface PacketScan {
  packetType: PacketType;
  packetCount: number;
  /** Declared size in bytes (words × 4). */
  declaredBytes: number;
  streamId: number;
  hasClassId: boolean;
  oui: number;
  informationClassCode: number;
  packetClassCode: number;
  payloadStart: number;
  /** End of the payload region: before the trailer, within the datagram. */
  payloadEnd: number;
}

export function newScan(): PacketScan {
  return {
    packetType: 0, packetCount: 0, declaredBytes: 0, streamId: 0, hasClassId: false, oui: 0,
    informationClassCode: 0, packetClassCode: 0, payloadStart: 0, payloadEnd: 0,
  };
}

/**
 * True when `buf` is a plausible VITA-49 packet: the flags' header fits, and the size field matches the
 * datagram (exactly; for Opus within OPUS_SIZE_SLACK_WORDS either way — its payload runs to the end of
 * the datagram whatever the field says, reference §3.5, §11).
 * Trailing bytes past the declared size are not accepted here: real radios never send them, and
 * requiring an exact match keeps random UDP from being taken for VITA-49.
 */
/**
 * How far (in 32-bit words) an Opus size field may miss the datagram. Reference clients ignore the field
 * (FlexLib VitaOpusDataPacket.cs: payload = datagram − 28 bytes); how the radio rounds it is
 * UNCONFIRMED (reference §11), so "a few words" either way is accepted and anything further rejected.
 */
export const OPUS_SIZE_SLACK_WORDS = 3;

export function scanPacket(buf: Buffer, out: PacketScan): boolean {
  const len = buf.length;
  if (len < 4) return false;
  const w0 = u32be(buf, 0);
  const type = (w0 >>> WORD0.typeShift) as PacketType;
  if (type > 7) return false;
  const hasClass = (w0 & WORD0.classIdFlag) !== 0;
  const tsi = (w0 >>> WORD0.tsiShift) & 3;
  const tsf = (w0 >>> WORD0.tsfShift) & 3;
  const hl = headerLength({ packetType: type, classId: hasClass ? CLASS_PRESENT : undefined, tsi: tsi as 0, tsf: tsf as 0 });
  const trailer = type < 4 && (w0 & WORD0.trailerFlag) !== 0 ? 4 : 0;
  const declared = (w0 & WORD0.sizeMask) * 4;
  if (declared < hl + trailer || hl > len) return false;
  let o = 4;
  out.streamId = 0;
  if (hasStreamId(type)) {
    out.streamId = u32be(buf, o);
    o += 4;
  }
  out.hasClassId = hasClass;
  if (hasClass) {
    out.oui = u32be(buf, o + CLASS_ID_FIELD.word) & OUI_MASK;
    out.informationClassCode = u16be(buf, o + CLASS_ID_FIELD.informationClassCode);
    out.packetClassCode = u16be(buf, o + CLASS_ID_FIELD.packetClassCode);
  } else {
    out.oui = 0;
    out.informationClassCode = 0;
    out.packetClassCode = 0;
  }
  const opus = hasClass && out.oui === FLEX_OUI && out.packetClassCode === PCC.opus;
  if (declared !== len) {
    if (!(opus && Math.abs(declared - len) <= OPUS_SIZE_SLACK_WORDS * 4 && len >= hl + trailer)) return false;
  }
  out.packetType = type;
  out.packetCount = (w0 >>> WORD0.countShift) & 0xf;
  out.declaredBytes = declared;
  out.payloadStart = hl;
  out.payloadEnd = (opus ? len : Math.min(declared, len)) - trailer;
  return true;
}

const CLASS_PRESENT = { padBits: 0, oui: 0, informationClassCode: 0, packetClassCode: 0 };

/**
 * The segment size when `buf` is two or more whole VITA-49 packets back to back, every one but the last
 * of the first one's declared size and the last no longer: one datagram as Linux UDP receive offload (GRO:
 * a socket with UDP_GRO, or udp-gro-forwarding) hands the capture several same-size segments of a flow,
 * merged, the last possibly shorter (Linux udp_offload.c; gso_size is not in the capture). 0 otherwise.
 * An Opus packet whose size field misses its datagram (OPUS_SIZE_SLACK_WORDS) cannot be placed so.
 */
export function coalescedSize(buf: Buffer, scan: PacketScan): number {
  if (buf.length < 4) return 0;
  const size = (u32be(buf, 0) & WORD0.sizeMask) * 4;
  if (size === 0 || size >= buf.length) return 0;
  for (let at = 0; at < buf.length; at += size) {
    const end = Math.min(at + size, buf.length);
    if (!scanPacket(buf.subarray(at, end), scan) || scan.declaredBytes !== end - at) return 0;
  }
  return size;
}
