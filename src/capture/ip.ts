/**
 * IPv4 (RFC 791) and IPv6 (RFC 8200) headers, decoded into one reused view so the hot path allocates
 * nothing, plus bounded fragment reassembly.
 */
import { u16be } from '../vita/bytes.js';


export const IPPROTO = { ICMP: 1, TCP: 6, UDP: 17, ICMPV6: 58 } as const;

/** Fields of the IP header the capture layer needs; filled in place by decodeIp. */
export interface IpView {
  version: 4 | 6;
  /** Upper-layer protocol after IPv6 extension headers. */
  protocol: number;
  /** Offsets of the source and destination address in the buffer. */
  srcOff: number;
  dstOff: number;
  headerLength: number;
  payloadStart: number;
  /** End of the IP payload: the header's length field, cut to what was captured. */
  payloadEnd: number;
  /** Length of the IP packet per its header (may exceed the captured bytes under a snaplen). */
  totalLength: number;
  df: boolean;
  isFragment: boolean;
  /** Byte offset of this fragment in the original payload. */
  fragOffset: number;
  moreFragments: boolean;
  fragId: number;
}

export function newIpView(): IpView {
  return {
    version: 4,
    protocol: 0,
    srcOff: 0,
    dstOff: 0,
    headerLength: 0,
    payloadStart: 0,
    payloadEnd: 0,
    totalLength: 0,
    df: false,
    isFragment: false,
    fragOffset: 0,
    moreFragments: false,
    fragId: 0,
  };
}

/** Why a packet could not be decoded; the reader counts these and reports them as warnings. */
export type IpProblem = 'ip-version' | 'ipv4-header' | 'ipv6-header' | 'ipv6-ext-header';

/** Decodes the IP header at buf[start, end) into `out`. Returns null on success or what was wrong. */
export function decodeIp(buf: Buffer, start: number, end: number, out: IpView): IpProblem | null {
  if (end - start < 1) return 'ip-version';
  const version = buf[start]! >> 4;
  if (version === 4) return decodeIpv4(buf, start, end, out);
  if (version === 6) return decodeIpv6(buf, start, end, out);
  return 'ip-version';
}

function decodeIpv4(buf: Buffer, start: number, end: number, out: IpView): IpProblem | null {
  if (end - start < 20) return 'ipv4-header';
  const ihl = (buf[start]! & 0x0f) * 4;
  const total = u16be(buf, start + 2);
  if (ihl < 20 || total < ihl || start + ihl > end) return 'ipv4-header';
  const flagsFrag = u16be(buf, start + 6);
  out.version = 4;
  out.protocol = buf[start + 9]!;
  out.srcOff = start + 12;
  out.dstOff = start + 16;
  out.headerLength = ihl;
  out.payloadStart = start + ihl;
  // Ethernet pads short frames; the header's length says where the packet ends.
  out.payloadEnd = Math.min(end, start + total);
  out.totalLength = total;
  out.df = (flagsFrag & 0x4000) !== 0;
  out.moreFragments = (flagsFrag & 0x2000) !== 0;
  out.fragOffset = (flagsFrag & 0x1fff) * 8;
  out.isFragment = out.moreFragments || out.fragOffset !== 0;
  out.fragId = u16be(buf, start + 4);
  return null;
}

const MAX_EXT_HEADERS = 16;

function decodeIpv6(buf: Buffer, start: number, end: number, out: IpView): IpProblem | null {
  if (end - start < 40) return 'ipv6-header';
  const payloadLength = u16be(buf, start + 4);
  out.version = 6;
  out.srcOff = start + 8;
  out.dstOff = start + 24;
  out.df = false;
  out.isFragment = false;
  out.moreFragments = false;
  out.fragOffset = 0;
  out.fragId = 0;
  out.totalLength = 40 + payloadLength;
  out.payloadEnd = Math.min(end, start + 40 + payloadLength);
  let next = buf[start + 6]!;
  let off = start + 40;
  for (let n = 0; n < MAX_EXT_HEADERS; n++) {
    switch (next) {
      case 0: // hop-by-hop
      case 43: // routing
      case 60: // destination options
      case 135: // mobility
      case 139: // HIP
      case 140: {
        // shim6 — all share the (next header, length in 8-octet units beyond the first) layout (RFC 8200 §4)
        if (off + 8 > out.payloadEnd) return 'ipv6-ext-header';
        next = buf[off]!;
        off += (buf[off + 1]! + 1) * 8;
        continue;
      }
      case 51: // AH: length in 4-octet units minus 2 (RFC 4302 §2.2)
        if (off + 8 > out.payloadEnd) return 'ipv6-ext-header';
        next = buf[off]!;
        off += (buf[off + 1]! + 2) * 4;
        continue;
      case 44: {
        // fragment header (RFC 8200 §4.5)
        if (off + 8 > out.payloadEnd) return 'ipv6-ext-header';
        next = buf[off]!;
        const offM = buf.readUInt16BE(off + 2);
        out.fragOffset = offM & 0xfff8;
        out.moreFragments = (offM & 1) !== 0;
        out.isFragment = out.moreFragments || out.fragOffset !== 0;
        out.fragId = buf.readUInt32BE(off + 4);
        off += 8;
        continue;
      }
      default:
        break;
    }
    break;
  }
  if (off > out.payloadEnd) return 'ipv6-ext-header';
  out.protocol = next;
  out.headerLength = off - start;
  out.payloadStart = off;
  return null;
}

export interface DefragLimits {
  /** Datagrams waiting for fragments at once; the oldest is dropped beyond this. */
  maxPending: number;
  /** Bytes held in fragments at once. */
  maxBytes: number;
  /** Capture seconds after the first fragment when an incomplete datagram is dropped (Linux uses 30 s). */
  timeoutS: number;
}

export const DEFAULT_DEFRAG_LIMITS: DefragLimits = { maxPending: 256, maxBytes: 8 * 1024 * 1024, timeoutS: 30 };

/** Largest reassembled payload: offset (13 bits × 8) + length must fit the 16-bit length field. */
const MAX_DATAGRAM = 65_535;

interface Pending {
  firstTs: number;
  /** Fragments in arrival order, each a copy (the capture buffer is reused). */
  parts: Array<{ offset: number; data: Buffer }>;
  bytes: number;
  /** Payload length, known once the last fragment (MF = 0) arrived. */
  total: number;
}

export interface DefragCounters {
  /** Datagrams dropped incomplete: timed out, evicted by the limits, or left at the end of the capture. */
  incomplete: number;
  /** Fragments whose bytes overlapped an earlier fragment (earlier bytes kept, as Linux does). */
  overlapping: number;
  /** Fragments that claim bytes beyond 65 535 or a second, different end. */
  invalid: number;
}

/**
 * Reassembles fragmented IP payloads (IPv4 and IPv6 share it; the caller builds the key from
 * addresses, id and protocol). Memory is bounded by `limits`; overlapping fragments keep the bytes that
 * arrived first.
 */
export class Defragmenter {
  private readonly pending = new Map<string, Pending>();
  private bytes = 0;
  readonly counters: DefragCounters = { incomplete: 0, overlapping: 0, invalid: 0 };

  constructor(private readonly limits: DefragLimits = DEFAULT_DEFRAG_LIMITS) {}

  get pendingCount(): number {
    return this.pending.size;
  }

  get pendingBytes(): number {
    return this.bytes;
  }

  /** Adds one fragment; returns the whole payload when this fragment completed it. */
  add(key: string, ts: number, offset: number, more: boolean, data: Buffer): Buffer | undefined {
    this.expire(ts);
    const end = offset + data.length;
    if (end > MAX_DATAGRAM || (more && data.length % 8 !== 0)) {
      this.counters.invalid++;
      return undefined;
    }
    let p = this.pending.get(key);
    if (p === undefined) {
      p = { firstTs: ts, parts: [], bytes: 0, total: -1 };
      this.pending.set(key, p);
    }
    if (!more) {
      if (p.total >= 0 && p.total !== end) {
        this.counters.invalid++;
        return undefined;
      }
      p.total = end;
    }
    if (p.parts.some((q) => offset < q.offset + q.data.length && q.offset < end)) this.counters.overlapping++;
    p.parts.push({ offset, data: Buffer.from(data) });
    p.bytes += data.length;
    this.bytes += data.length;
    const whole = p.total >= 0 ? assembleIfComplete(p) : undefined;
    if (whole !== undefined) {
      this.remove(key, p);
      return whole;
    }
    this.enforceLimits();
    return undefined;
  }

  /** Drops everything still pending (end of capture), counting it as incomplete. */
  finish(): void {
    this.counters.incomplete += this.pending.size;
    this.pending.clear();
    this.bytes = 0;
  }

  private remove(key: string, p: Pending): void {
    this.pending.delete(key);
    this.bytes -= p.bytes;
  }

  private expire(now: number): void {
    // Map iteration is insertion order, so the oldest datagrams come first.
    for (const [key, p] of this.pending) {
      if (now - p.firstTs <= this.limits.timeoutS) break;
      this.remove(key, p);
      this.counters.incomplete++;
    }
  }

  private enforceLimits(): void {
    for (const [key, p] of this.pending) {
      if (this.pending.size <= this.limits.maxPending && this.bytes <= this.limits.maxBytes) break;
      this.remove(key, p);
      this.counters.incomplete++;
    }
  }
}

function assembleIfComplete(p: Pending): Buffer | undefined {
  const sorted = p.parts.map((x, i) => ({ ...x, i })).sort((a, b) => a.offset - b.offset || a.i - b.i);
  let covered = 0;
  for (const f of sorted) {
    if (f.offset > covered) return undefined;
    covered = Math.max(covered, f.offset + f.data.length);
  }
  if (covered < p.total) return undefined;
  const out = Buffer.alloc(p.total);
  // Latest arrival first so that earlier arrivals overwrite it: the first copy of a byte wins.
  for (let i = p.parts.length - 1; i >= 0; i--) {
    const f = p.parts[i]!;
    if (f.offset < p.total) f.data.copy(out, f.offset, 0, Math.min(f.data.length, p.total - f.offset));
  }
  return out;
}
