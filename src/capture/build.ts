/**
 * Packet builders for tests and the simulator's `--write`: Ethernet II frames carrying IPv4 (RFC 791) or
 * IPv6 (RFC 8200) with UDP (RFC 768), TCP (RFC 9293) or ICMP errors (RFC 792/1191, RFC 4443), with
 * correct header checksums (RFC 1071) so Wireshark shows them as valid. The IP version follows the
 * addresses given.
 */
import { u16be } from '../common/bytes.js';
import { ipv4Text, ipv6Text, parseIp } from './addr.js';
import { IPPROTO } from './ip.js';
import { ICMP, TCP, UDP, encodeIcmpError, encodeTcp, encodeUdp } from './l4.js';
import { TCP_FLAG } from './tcp.js';
import type { Endpoint, IcmpReason } from './types.js';

export const ETHERNET_HEADER = 14;

interface IpOptions {
  /** IPv4 Don't-Fragment bit (the radio sets it, reference §1.6). Default false. */
  df?: boolean;
  /** TTL / hop limit. Default 64. */
  ttl?: number;
  /** IPv4 identification. Default 0. */
  ipId?: number;
  srcMac?: string;
  dstMac?: string;
}

export interface UdpSpec extends IpOptions {
  src: Endpoint;
  dst: Endpoint;
  payload: Buffer;
}

export interface TcpSpec extends IpOptions {
  src: Endpoint;
  dst: Endpoint;
  seq: number;
  ack?: number;
  flags: { syn?: boolean; ack?: boolean; fin?: boolean; rst?: boolean; psh?: boolean };
  payload?: Buffer;
  window?: number;
}

export interface IcmpSpec extends IpOptions {
  /** Who reports the error (a router, or the destination host). */
  from: string;
  /** The frame (as built here) that caused the error; its IP packet is quoted back to its sender. */
  original: Buffer;
  reason: Exclude<IcmpReason, 'other'>;
  /** Next-hop MTU for frag-needed (ICMPv4) / packet too big (ICMPv6). */
  mtu?: number;
}

/** RFC 1071 one's-complement sum of buf[start, end) added to `sum` (not folded). */
function sum16(buf: Buffer, start: number, end: number, sum = 0): number {
  let i = start;
  // Plain byte reads: this loop covers every payload byte of every frame a capture writer builds.
  for (; i + 1 < end; i += 2) sum += u16be(buf, i);
  if (i < end) sum += buf[i]! << 8;
  return sum;
}

function fold(sum: number): number {
  while (sum > 0xffff) sum = (sum & 0xffff) + Math.floor(sum / 65_536);
  return ~sum & 0xffff;
}

/** Internet checksum of buf[start, end). */
export function internetChecksum(buf: Buffer, start = 0, end = buf.length): number {
  return fold(sum16(buf, start, end));
}

/** Sum of the pseudo header the UDP/TCP/ICMPv6 checksum covers (RFC 768, RFC 8200 §8.1). */
function pseudoSum(src: Buffer, dst: Buffer, protocol: number, length: number): number {
  const p = Buffer.alloc(src.length === 4 ? 12 : 40);
  if (src.length === 4) {
    src.copy(p, 0);
    dst.copy(p, 4);
    p[9] = protocol;
    p.writeUInt16BE(length, 10);
  } else {
    src.copy(p, 0);
    dst.copy(p, 16);
    p.writeUInt32BE(length, 32);
    p[39] = protocol;
  }
  return sum16(p, 0, p.length);
}

function macBytes(mac: string | undefined, fallback: string): Buffer {
  return Buffer.from((mac ?? fallback).split(':').map((h) => parseInt(h, 16)));
}

/** An IP packet around an upper-layer message whose checksum field (at `checksumAt`, or -1) is filled here. */
function ipPacket(src: string, dst: string, protocol: number, l4: Buffer, checksumAt: number, o: IpOptions): Buffer {
  const s = parseIp(src);
  const d = parseIp(dst);
  if (s.length !== d.length) throw new Error(`addresses of different IP versions: ${src}, ${dst}`);
  const v6 = s.length === 16;
  const wireProtocol = v6 && protocol === IPPROTO.ICMP ? IPPROTO.ICMPV6 : protocol;
  if (checksumAt >= 0) {
    l4.writeUInt16BE(0, checksumAt);
    // ICMPv4 has no pseudo header; UDP, TCP and ICMPv6 do.
    const base = wireProtocol === IPPROTO.ICMP ? 0 : pseudoSum(s, d, wireProtocol, l4.length);
    let c = fold(sum16(l4, 0, l4.length, base));
    // RFC 768: a computed UDP checksum of 0 is sent as all ones.
    if (c === 0 && wireProtocol === IPPROTO.UDP) c = 0xffff;
    l4.writeUInt16BE(c, checksumAt);
  }
  if (v6) {
    const h = Buffer.alloc(40);
    h.writeUInt32BE(0x60000000, 0);
    h.writeUInt16BE(l4.length, 4);
    h[6] = wireProtocol;
    h[7] = o.ttl ?? 64;
    s.copy(h, 8);
    d.copy(h, 24);
    return Buffer.concat([h, l4]);
  }
  const h = Buffer.alloc(20);
  h[0] = 0x45;
  h.writeUInt16BE(20 + l4.length, 2);
  h.writeUInt16BE(o.ipId ?? 0, 4);
  h.writeUInt16BE(o.df === true ? 0x4000 : 0, 6);
  h[8] = o.ttl ?? 64;
  h[9] = wireProtocol;
  s.copy(h, 12);
  d.copy(h, 16);
  h.writeUInt16BE(internetChecksum(h), 10);
  return Buffer.concat([h, l4]);
}

/** Ethernet II frame around an IP packet; broadcast destination MAC for 255.255.255.255. */
function ethernet(ip: Buffer, o: { srcMac?: string; dstMac?: string; broadcast?: boolean } = {}): Buffer {
  const h = Buffer.alloc(ETHERNET_HEADER);
  macBytes(o.dstMac, o.broadcast === true ? 'ff:ff:ff:ff:ff:ff' : '02:00:00:00:00:02').copy(h, 0);
  macBytes(o.srcMac, '02:00:00:00:00:01').copy(h, 6);
  h.writeUInt16BE(ip[0]! >> 4 === 6 ? 0x86dd : 0x0800, 12);
  return Buffer.concat([h, ip]);
}

export function buildUdp(spec: UdpSpec): Buffer {
  const l4 = encodeUdp(spec.src.port, spec.dst.port, spec.payload);
  const ip = ipPacket(spec.src.ip, spec.dst.ip, IPPROTO.UDP, l4, UDP.checksum, spec);
  return ethernet(ip, { ...spec, broadcast: spec.dst.ip === '255.255.255.255' });
}

export function buildTcp(spec: TcpSpec): Buffer {
  const f = spec.flags;
  const flags =
    (f.fin === true ? TCP_FLAG.FIN : 0) |
    (f.syn === true ? TCP_FLAG.SYN : 0) |
    (f.rst === true ? TCP_FLAG.RST : 0) |
    (f.psh === true ? TCP_FLAG.PSH : 0) |
    (f.ack === true ? TCP_FLAG.ACK : 0);
  const l4 = encodeTcp({ srcPort: spec.src.port, dstPort: spec.dst.port, seq: spec.seq, ack: spec.ack ?? 0, flags, window: spec.window ?? 65_535 }, spec.payload ?? Buffer.alloc(0));
  return ethernet(ipPacket(spec.src.ip, spec.dst.ip, IPPROTO.TCP, l4, TCP.checksum, spec), spec);
}

const ICMP4_CODE: Record<IcmpSpec['reason'], number> = {
  'net-unreachable': 0,
  'host-unreachable': 1,
  'port-unreachable': 3,
  'frag-needed': 4,
  'admin-prohibited': 13,
};
const ICMP6_UNREACHABLE_CODE: Record<Exclude<IcmpSpec['reason'], 'frag-needed'>, number> = {
  'net-unreachable': 0,
  'admin-prohibited': 1,
  'host-unreachable': 3,
  'port-unreachable': 4,
};
/** RFC 4443 §2.4(c): an ICMPv6 error must fit in the minimum IPv6 MTU of 1280 bytes. */
const ICMP6_MAX_QUOTE = 1280 - 40 - 8;

/** An ICMP error about `original`, sent from `from` back to the original sender. */
export function buildIcmpError(spec: IcmpSpec): Buffer {
  const quotedIp = spec.original.subarray(ETHERNET_HEADER);
  const v6 = quotedIp[0]! >> 4 === 6;
  const to = v6 ? ipv6Text(quotedIp, 8) : ipv4Text(quotedIp, 12);
  let l4: Buffer;
  if (v6) {
    const quote = quotedIp.subarray(0, Math.min(quotedIp.length, ICMP6_MAX_QUOTE));
    l4 = spec.reason === 'frag-needed' ? encodeIcmpError(6, 2, 0, spec.mtu ?? 1280, quote) : encodeIcmpError(6, 1, ICMP6_UNREACHABLE_CODE[spec.reason], undefined, quote);
  } else {
    // RFC 792: the internet header plus the first 64 bits of the original datagram's data.
    const quote = quotedIp.subarray(0, (quotedIp[0]! & 0x0f) * 4 + 8);
    l4 = encodeIcmpError(4, 3, ICMP4_CODE[spec.reason], spec.reason === 'frag-needed' ? spec.mtu ?? 576 : undefined, quote);
  }
  return ethernet(ipPacket(spec.from, to, IPPROTO.ICMP, l4, ICMP.checksum, spec), spec);
}

