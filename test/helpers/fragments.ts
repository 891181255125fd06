/**
 * IPv4 fragments (RFC 791 §2.3, §3.2) of an Ethernet frame built by src/capture/build.ts: each fragment
 * is the frame's Ethernet and IPv4 headers with the total length, MF flag and fragment offset (8-byte
 * units) rewritten and the header checksum recomputed, followed by its slice of the IP payload.
 */
import { ETHERNET_HEADER, internetChecksum } from '../../src/capture/build.js';

const IPV4_HEADER = 20;

/** One fragment carrying payload bytes [offset, offset + length) of `frame`'s IP payload. */
export function ipv4Fragment(frame: Buffer, offset: number, length: number, more: boolean): Buffer {
  if (offset % 8 !== 0) throw new Error(`fragment offset ${offset} is not a multiple of 8`);
  const head = Buffer.from(frame.subarray(0, ETHERNET_HEADER + IPV4_HEADER));
  const body = frame.subarray(ETHERNET_HEADER + IPV4_HEADER + offset, ETHERNET_HEADER + IPV4_HEADER + offset + length);
  const ip = ETHERNET_HEADER;
  head.writeUInt16BE(IPV4_HEADER + body.length, ip + 2);
  head.writeUInt16BE((more ? 0x2000 : 0) | (offset / 8), ip + 6);
  head.writeUInt16BE(0, ip + 10);
  head.writeUInt16BE(internetChecksum(head, ip, ip + IPV4_HEADER), ip + 10);
  return Buffer.concat([head, body]);
}

/** The frame's IP payload cut into fragments of `size` bytes (a multiple of 8), in payload order. */
export function ipv4Fragments(frame: Buffer, size: number): Buffer[] {
  const payload = frame.length - ETHERNET_HEADER - IPV4_HEADER;
  const out: Buffer[] = [];
  for (let off = 0; off < payload; off += size) out.push(ipv4Fragment(frame, off, Math.min(size, payload - off), off + size < payload));
  return out;
}

const IPV6_HEADER = 40;
const FRAGMENT_HEADER = 8;
/** IPv6 next-header value of the Fragment extension header (RFC 8200 §4.5). */
const NEXT_FRAGMENT = 44;

/**
 * IPv6 fragments (RFC 8200 §4.5) of an Ethernet frame carrying IPv6 with no extension headers: each is the
 * frame's Ethernet and IPv6 headers (payload length rewritten, next header 44), a Fragment header (the
 * original next header, offset in 8-byte units, M flag, `id`) and its slice of the original payload, `size`
 * bytes (a multiple of 8) each but the last.
 */
export function ipv6Fragments(frame: Buffer, size: number, id: number): Buffer[] {
  if (size % 8 !== 0) throw new Error(`fragment size ${size} is not a multiple of 8`);
  const ip = ETHERNET_HEADER;
  const next = frame[ip + 6]!;
  const payload = frame.subarray(ip + IPV6_HEADER);
  const out: Buffer[] = [];
  for (let off = 0; off < payload.length; off += size) {
    const body = payload.subarray(off, Math.min(off + size, payload.length));
    const head = Buffer.from(frame.subarray(0, ip + IPV6_HEADER + FRAGMENT_HEADER));
    head.writeUInt16BE(FRAGMENT_HEADER + body.length, ip + 4);
    head[ip + 6] = NEXT_FRAGMENT;
    const f = ip + IPV6_HEADER;
    head[f] = next;
    head[f + 1] = 0;
    head.writeUInt16BE(off | (off + size < payload.length ? 1 : 0), f + 2);
    head.writeUInt32BE(id >>> 0, f + 4);
    out.push(Buffer.concat([head, body]));
  }
  return out;
}
