/**
 * The transport headers FlexPath reads and writes, each layout declared once with its encoder beside
 * it: UDP (RFC 768 "Format"), TCP (RFC 9293 §3.1) and the ICMP error header (RFC 792, RFC 1191 §4,
 * RFC 4443 §3.1–3.2). The dissector and the ICMP decoder read the fields in place at these offsets (no
 * object per packet on the hot path); the capture builders write them with the encoders below.
 * Checksums are left 0 here: they cover a pseudo header the IP layer fills in (build.ts).
 */

/** UDP header: ports, length (header and data), checksum. */
export const UDP = { srcPort: 0, dstPort: 2, length: 4, checksum: 6, bytes: 8 } as const;

/**
 * TCP header without options: ports, sequence and acknowledgment numbers, data offset (high nibble of
 * byte 12, in 32-bit words), flags (byte 13), window, checksum, urgent pointer.
 */
export const TCP = { srcPort: 0, dstPort: 2, seq: 4, ack: 8, dataOffset: 12, flags: 13, window: 14, checksum: 16, bytes: 20 } as const;

/**
 * ICMP error header: type, code, checksum and 4 bytes whose use depends on the type — ICMPv4
 * fragmentation-needed puts the next-hop MTU in their last 2 (RFC 1191 §4), ICMPv6 packet-too-big in
 * all 4 (RFC 4443 §3.2). The quoted packet follows.
 */
export const ICMP = { type: 0, code: 1, checksum: 2, mtu4: 6, mtu6: 4, bytes: 8 } as const;

/** Header length of the TCP segment at `at`, from its data offset field. */
export function tcpHeaderBytes(buf: Uint8Array, at: number): number {
  return (buf[at + TCP.dataOffset]! >> 4) * 4;
}

/** A UDP datagram (header and payload) with checksum 0. */
export function encodeUdp(srcPort: number, dstPort: number, payload: Buffer): Buffer {
  const b = Buffer.alloc(UDP.bytes + payload.length);
  b.writeUInt16BE(srcPort, UDP.srcPort);
  b.writeUInt16BE(dstPort, UDP.dstPort);
  b.writeUInt16BE(b.length, UDP.length);
  payload.copy(b, UDP.bytes);
  return b;
}

export interface TcpHeader {
  srcPort: number;
  dstPort: number;
  seq: number;
  ack: number;
  /** The flags byte (TCP_FLAG bits, tcp.ts). */
  flags: number;
  window: number;
}

/** A TCP segment without options (header and payload) with checksum 0. */
export function encodeTcp(h: TcpHeader, payload: Buffer): Buffer {
  const b = Buffer.alloc(TCP.bytes + payload.length);
  b.writeUInt16BE(h.srcPort, TCP.srcPort);
  b.writeUInt16BE(h.dstPort, TCP.dstPort);
  b.writeUInt32BE(h.seq >>> 0, TCP.seq);
  b.writeUInt32BE(h.ack >>> 0, TCP.ack);
  b[TCP.dataOffset] = (TCP.bytes / 4) << 4;
  b[TCP.flags] = h.flags;
  b.writeUInt16BE(h.window, TCP.window);
  payload.copy(b, TCP.bytes);
  return b;
}

/** An ICMP error message quoting `quote`, with checksum 0; `mtu` goes where its version keeps it. */
export function encodeIcmpError(version: 4 | 6, type: number, code: number, mtu: number | undefined, quote: Buffer): Buffer {
  const b = Buffer.alloc(ICMP.bytes + quote.length);
  b[ICMP.type] = type;
  b[ICMP.code] = code;
  if (mtu !== undefined) {
    if (version === 4) b.writeUInt16BE(mtu, ICMP.mtu4);
    else b.writeUInt32BE(mtu, ICMP.mtu6);
  }
  quote.copy(b, ICMP.bytes);
  return b;
}
