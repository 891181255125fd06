/**
 * IPv4 (RFC 791) and IPv6 (RFC 8200) headers, decoded into one reused view so the hot path allocates
 * nothing, plus bounded fragment reassembly.
 */
import { u16be } from '../common/bytes.js';
import { AgeQueue } from '../common/age-queue.js';
import { type Holder, PIECE_OVERHEAD, ReassemblyBudget } from './budget.js';
import type { SlabPool } from './slabs.js';


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
  // A total length of 0 is a segment the sender's NIC splits (TCP segmentation offload / Windows large send
  // offload), captured before the split, often over 64 KiB: its length is the bytes captured (Wireshark
  // packet-ip.c does the same, preference "Support packet-capture from IP TSO-enabled hardware", on by default).
  const total = u16be(buf, start + 2) || end - start;
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
  // 0 without a jumbo option's length (RFC 2675) is a send-offload segment captured before the split, as
  // for IPv4 (tcpdump PRs #1329, #1404: Linux BIG TCP IPv6 leaves it 0, Windows LSO as well): the bytes captured.
  const payloadLength = u16be(buf, start + 4) || end - start - 40;
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
  /**
   * Fragments accepted per datagram. RFC 791 cuts payloads at 8-byte boundaries, so a 65 535-byte
   * datagram has at most 8192 distinct fragments: more than that are repeats or overlaps, i.e. an attack.
   */
  maxFragments: number;
  /** Capture seconds after the first fragment when an incomplete datagram is dropped (Linux uses 30 s). */
  timeoutS: number;
}

export const DEFAULT_DEFRAG_LIMITS: DefragLimits = { maxPending: 256, maxFragments: 8192, timeoutS: 30 };

/** Largest reassembled payload: offset (13 bits × 8) + length must fit the 16-bit length field. */
const MAX_DATAGRAM = 65_535;
const EMPTY = Buffer.alloc(0);
/** First slab of a datagram's kept bytes; it doubles as bytes arrive (≤ 128 KiB: kept bytes are unique, ≤ 65 535). */
const MIN_SLAB = 2048;
/** Budget charge per kept run: three numbers in an array. */
const PIECE_RECORD = 32;
/**
 * Numbers of a table a reused record keeps room for: 2048 runs, 48 KiB, so SPARE_RECORDS keep at most
 * 1.5 MiB. A 15-kB datagram in 8-byte fragments is 1900 runs: with room for 64 (1.5 KiB) the tables of
 * such datagrams were still 19.7 of the 40 MB the fragments family promoted per 200 MB.
 */
const MAX_KEPT_TABLE = 3 * 2048;
/** Finished records kept for reuse: a datagram completes or is dropped before the next one starts, mostly. */
const SPARE_RECORDS = 16;

export interface DefragCounters {
  /** Datagrams dropped incomplete: timed out, evicted by the limits, or left at the end of the capture. */
  incomplete: number;
  /** Fragments whose bytes overlapped an earlier fragment (earlier bytes kept, as Linux does). */
  overlapping: number;
  /** Fragments that claim bytes beyond 65 535, beyond the datagram's end, or a second, different end. */
  invalid: number;
  /** Datagrams dropped because they came in more than `maxFragments` pieces. */
  tooManyFragments: number;
}

/**
 * One datagram being reassembled. `spans` holds the byte ranges received so far as merged intervals
 * [start, end) (flat, sorted, disjoint, never touching), so each fragment costs O(log n + spans it
 * merges) whatever the order fragments come in. Only bytes not received before are kept (the first
 * copy of a byte wins), appended to one slab per datagram, so memory is what arrived, once, without an
 * allocation per fragment (a flood of 8-byte fragments made those the main cost). Slabs come from the
 * budget's pool and go back to it (a fresh ArrayBuffer per datagram left ~40 MiB of them to the GC).
 *
 * A finished record is reused for a later datagram (Defragmenter.spare), its two tables with their
 * room: they are filled up to a count, never spliced or emptied. Made afresh, a datagram left incomplete
 * lived through up to maxPending others, reached V8's old generation with its tables, and died there.
 */
class Pending implements Holder {
  readonly kind = 'ip-fragments';
  /** Kept bytes, in arrival order; `pieces` says where each run belongs: [datagram offset, slab offset, length]… */
  private slab: Buffer = EMPTY;
  private pieces: number[] = [];
  private piecesUsed = 0;
  /** Merged intervals, `spansUsed` numbers of it. */
  private spans: number[] = [];
  private spansUsed = 0;
  held = 0;
  fragments = 0;
  /** Bytes of the largest fragment's payload so far. */
  largest = 0;
  /** Payload length, known once the last fragment (MF = 0) arrived. */
  total = -1;

  constructor(
    public key: string,
    public firstTs: number,
    private readonly owner: Defragmenter,
  ) {}

  /** Makes a finished record (released: no slab) a new datagram's, as the constructor would. */
  reuse(key: string, firstTs: number): void {
    this.key = key;
    this.firstTs = firstTs;
    this.held = 0;
    this.fragments = 0;
    this.largest = 0;
    this.total = -1;
    this.piecesUsed = 0;
    this.spansUsed = 0;
    // Room kept for the next datagram is bounded: a datagram in thousands of pieces keeps none.
    if (this.pieces.length > MAX_KEPT_TABLE) this.pieces = [];
    if (this.spans.length > MAX_KEPT_TABLE) this.spans = [];
  }

  evict(): void {
    this.owner.evicted(this);
  }

  /** Highest byte offset received + 1. */
  get end(): number {
    return this.spansUsed === 0 ? 0 : this.spans[this.spansUsed - 1]!;
  }

  get complete(): boolean {
    return this.total >= 0 && this.spansUsed === 2 && this.spans[0] === 0 && this.spans[1]! >= this.total;
  }

  get accounted(): number {
    return this.slab.length + PIECE_OVERHEAD + (this.piecesUsed / 3) * PIECE_RECORD;
  }

  /** Keeps the bytes of [a, a + data.length) not received before; true if any had been. */
  insert(a: number, data: Buffer, pool: SlabPool): boolean {
    const b = a + data.length;
    const s = this.spans;
    const used = this.spansUsed;
    // First span that ends at or after `a` (touching spans merge too).
    let lo = 0;
    for (let hi = used / 2; lo < hi; ) {
      const mid = (lo + hi) >> 1;
      if (s[mid * 2 + 1]! < a) lo = mid + 1;
      else hi = mid;
    }
    let start = a;
    let end = b;
    let cursor = a;
    let overlapped = false;
    let j = lo;
    for (; j * 2 < used && s[j * 2]! <= b; j++) {
      const ss = s[j * 2]!;
      const se = s[j * 2 + 1]!;
      if (cursor < ss) this.keep(cursor, data, cursor - a, ss - a, pool);
      if (ss < b && se > a) overlapped = true;
      if (se > cursor) cursor = se;
      if (ss < start) start = ss;
      if (se > end) end = se;
    }
    if (cursor < b) this.keep(cursor, data, cursor - a, b - a, pool);
    // Spans lo..j-1 become the one [start, end): the ones after move by the difference, in place.
    const shift = 2 - (j - lo) * 2;
    if (shift > 0) {
      while (s.length < used + shift) s.push(0);
      for (let k = used - 1; k >= j * 2; k--) s[k + shift] = s[k]!;
    } else if (shift < 0) {
      for (let k = j * 2; k < used; k++) s[k + shift] = s[k]!;
    }
    s[lo * 2] = start;
    s[lo * 2 + 1] = end;
    this.spansUsed = used + shift;
    return overlapped;
  }

  /** Up to `max` bytes from the payload's start, when its first fragment arrived (else empty): a copy. */
  head(max: number): Buffer {
    if (this.spansUsed === 0 || this.spans[0] !== 0) return EMPTY;
    const n = Math.min(max, this.spans[1]!);
    const out = Buffer.alloc(n);
    const p = this.pieces;
    for (let i = 0; i < this.piecesUsed; i += 3) {
      const at = p[i]!;
      if (at < n) this.slab.copy(out, at, p[i + 1]!, p[i + 1]! + Math.min(p[i + 2]!, n - at));
    }
    return out;
  }

  /** The whole payload, in a buffer from `pool` (the caller gives it back). */
  assemble(pool: SlabPool): Buffer {
    // Complete: the pieces cover every byte of [0, total).
    const out = pool.take(this.total);
    const p = this.pieces;
    for (let i = 0; i < this.piecesUsed; i += 3) {
      const at = p[i]!;
      if (at < this.total) this.slab.copy(out, at, p[i + 1]!, p[i + 1]! + Math.min(p[i + 2]!, this.total - at));
    }
    return out;
  }

  release(pool: SlabPool): void {
    if (this.slab !== EMPTY) pool.give(this.slab);
    this.slab = EMPTY;
  }

  private keep(offset: number, data: Buffer, from: number, to: number, pool: SlabPool): void {
    const n = to - from;
    if (this.held + n > this.slab.length) {
      // Doubling, from MIN_SLAB: the pool's sizes are powers of two.
      const next = pool.take(Math.max(MIN_SLAB, this.slab.length * 2, this.held + n));
      this.slab.copy(next, 0, 0, this.held);
      this.release(pool);
      this.slab = next;
    }
    data.copy(this.slab, this.held, from, to);
    const p = this.pieces;
    const i = this.piecesUsed;
    // A run that continues the last one, in the datagram and in the slab (fragments in order), extends it.
    if (i > 0 && p[i - 3]! + p[i - 1]! === offset && p[i - 2]! + p[i - 1]! === this.held) {
      p[i - 1] = p[i - 1]! + n;
      this.held += n;
      return;
    }
    if (i === p.length) p.push(offset, this.held, n);
    else {
      p[i] = offset;
      p[i + 1] = this.held;
      p[i + 2] = n;
    }
    this.piecesUsed = i + 3;
    this.held += n;
  }
}

/** What a datagram dropped incomplete left (DefragSink): read during the call only. */
export interface IncompleteDatagram {
  key: string;
  firstTs: number;
  fragments: number;
  /** Payload bytes of its largest fragment. */
  largest: number;
  /** Payload length when its last fragment arrived, else -1. */
  total: number;
  /** The payload's first bytes, when its first fragment arrived (else empty). */
  head(max: number): Buffer;
}

/**
 * Reassembles fragmented IP payloads (IPv4 and IPv6 share it; the caller builds the key from
 * addresses, id and protocol). Memory is bounded by the pending and fragment limits and by the shared
 * reassembly budget; overlapping fragments keep the bytes that arrived first.
 */
export class Defragmenter {
  private readonly pending = new Map<string, Pending>();
  private readonly order = new AgeQueue<Pending>();
  readonly counters: DefragCounters = { incomplete: 0, overlapping: 0, invalid: 0, tooManyFragments: 0 };
  /** Finished records, for the next datagrams (see Pending). */
  private readonly spare: Pending[] = [];
  /** Records made so far (the rest were reused): what a flood of datagrams costs the heap. */
  recordsMade = 0;

  constructor(
    private readonly limits: DefragLimits = DEFAULT_DEFRAG_LIMITS,
    private readonly budget: ReassemblyBudget = new ReassemblyBudget(),
    /** Told of each datagram dropped incomplete, before its record is released. */
    private readonly onIncomplete?: (d: IncompleteDatagram) => void,
  ) {}

  get pendingCount(): number {
    return this.pending.size;
  }

  /** The buffer of the datagram `add` returned last, given back to the pool on the next call. */
  private handedOut: Buffer | undefined;

  /**
   * Adds one fragment; returns the whole payload when this fragment completed it: a view valid until the
   * next call (as the reader's are during its sink's call: a consumer copies what it keeps).
   */
  add(key: string, ts: number, offset: number, more: boolean, data: Buffer): Buffer | undefined {
    this.expire(ts);
    const end = offset + data.length;
    if (end > MAX_DATAGRAM || (more && data.length % 8 !== 0)) {
      this.counters.invalid++;
      return undefined;
    }
    let p = this.pending.get(key);
    if (p === undefined) {
      p = this.spare.pop();
      if (p !== undefined) p.reuse(key, ts);
      else {
        p = new Pending(key, ts, this);
        this.recordsMade++;
      }
      this.pending.set(key, p);
      this.order.add(p);
      this.enforcePending();
    }
    if (data.length > p.largest) p.largest = data.length;
    if (++p.fragments > this.limits.maxFragments) {
      this.counters.tooManyFragments++;
      this.drop(p);
      return undefined;
    }
    // A datagram has one end: a second, different last fragment, or bytes past it, are invalid.
    if (!more ? (p.total >= 0 && p.total !== end) || p.end > end : p.total >= 0 && end > p.total) {
      this.counters.invalid++;
      return undefined;
    }
    if (!more) p.total = end;
    if (data.length > 0 && p.insert(offset, data, this.budget.slabs)) this.counters.overlapping++;
    if (p.complete) {
      this.drop(p, false);
      // The caller is done with the datagram returned before: its buffer goes back now.
      this.takeBack();
      this.handedOut = p.assemble(this.budget.slabs);
      p.release(this.budget.slabs);
      const total = p.total;
      this.recycle(p);
      return this.handedOut.subarray(0, total);
    }
    this.budget.set(p, p.accounted);
    this.budget.enforce(p);
    return undefined;
  }

  /** Drops everything still pending (end of capture), counting it as incomplete. */
  finish(): void {
    for (const p of this.order.values()) this.drop(p);
    this.takeBack();
  }

  /** The budget evicted `p`: it is already released there. */
  evicted(p: Pending): void {
    this.onIncomplete?.(p);
    p.release(this.budget.slabs);
    this.pending.delete(p.key);
    this.order.delete(p);
    this.counters.incomplete++;
    this.recycle(p);
  }

  /** `p` is finished and released: kept for a later datagram while there are few spare. */
  private recycle(p: Pending): void {
    if (this.spare.length < SPARE_RECORDS) this.spare.push(p);
  }

  private takeBack(): void {
    if (this.handedOut !== undefined) this.budget.slabs.give(this.handedOut);
    this.handedOut = undefined;
  }

  /** Forgets `p`: completed, or (`incomplete`) dropped unfinished. */
  private drop(p: Pending, incomplete = true): void {
    this.pending.delete(p.key);
    this.order.delete(p);
    this.budget.set(p, 0);
    if (!incomplete) return;
    this.onIncomplete?.(p);
    p.release(this.budget.slabs);
    this.counters.incomplete++;
    this.recycle(p);
  }

  private expire(now: number): void {
    for (let p = this.order.oldest(); p !== undefined && now - p.firstTs > this.limits.timeoutS; p = this.order.oldest()) this.drop(p);
  }

  private enforcePending(): void {
    for (let p = this.order.oldest(); p !== undefined && this.pending.size > this.limits.maxPending; p = this.order.oldest()) this.drop(p);
  }
}
