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
