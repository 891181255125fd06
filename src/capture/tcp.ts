/**
 * TCP (RFC 9293) stream reassembly per direction: the analysis reads the SmartSDR command channel as text,
 * so it needs each direction's bytes once, in order, and to be told where bytes are missing.
 *
 * Sequence numbers are compared modulo 2^32 (`(a - b) | 0` is the signed distance), so streams that wrap
 * need no special case. A direction whose SYN was not captured starts at the first sequence number seen.
 */
import { type Holder, PIECE_OVERHEAD, ReassemblyBudget } from './budget.js';
import { PairMap } from './endpoint-map.js';
import type { Endpoint, NetEvent } from './types.js';

const EMPTY = Buffer.alloc(0);
/** First slab of a direction's held bytes. */
const MIN_SLAB = 4096;

export const TCP_FLAG = { FIN: 0x01, SYN: 0x02, RST: 0x04, PSH: 0x08, ACK: 0x10 } as const;

export interface TcpLimits {
  /** Out-of-order bytes held per direction before the hole in front of them is declared lost. */
  maxBufferedBytes: number;
  /** Out-of-order segments held per direction, for the same purpose. */
  maxBufferedSegments: number;
  /** Capture seconds a hole may stay open while later bytes wait behind it. */
  holeTimeoutS: number;
  /** Directions tracked at once; the oldest is flushed and forgotten beyond this. */
  maxDirections: number;
}

export const DEFAULT_TCP_LIMITS: TcpLimits = {
  maxBufferedBytes: 1024 * 1024,
  maxBufferedSegments: 512,
  holeTimeoutS: 10,
  maxDirections: 8192,
};

/**
 * Numbers per held segment in `Direction.held`: sequence number, offset in the slab, length, capture time,
 * and the bytes of the segment the capture cut off (its snapshot length) after those it holds.
 */
const HELD = 5;

class Direction implements Holder {
  readonly kind = 'tcp-segments';
  /** Next sequence number expected in order (uint32). */
  next: number;
  /** Sequence number the FIN occupies, once a FIN was seen, else -1. */
  finSeq = -1;
  closed = false;
  /**
   * Segments waiting behind a hole, sorted by sequence number (all lie ahead of `next`), HELD numbers
   * each: no object per segment, as a flood of holes keeps them long enough to reach the old generation.
   */
  held: number[] = [];
  pendingBytes = 0;
  /**
   * The bytes of the held segments, copied in as they arrive: one allocation per few holes instead of
   * one per segment, whose many small ArrayBuffers outlived their use until a GC and put the external
   * memory of a hole flood far past the budget.
   */
  slab: Buffer = EMPTY;
  slabUsed = 0;
  /** Capture time the oldest waiting segment arrived (the hole has been open since). */
  holeSince = 0;
  /**
   * Highest acknowledgment number the other side sent (uint32), -1 before any: the receiver had every byte
   * before it, so those bytes passed the capture point before that ACK did. A hole below it is a capture drop.
   */
  acked = -1;
  /** The opposite direction of the same connection, while both are tracked. */
  peer: Direction | undefined;
  /** Neighbours in the reassembler's age order. */
  older: Direction | undefined;
  newer: Direction | undefined;

  constructor(
    public src: Endpoint,
    public dst: Endpoint,
    next: number,
    /** Initial sequence number when the SYN was seen, else -1. */
    public isn: number,
    private readonly owner: TcpReassembler,
  ) {
    this.next = next;
  }

  /** Makes a forgotten direction (it holds nothing: see `forget`) a new one, as the constructor would. */
  reuse(src: Endpoint, dst: Endpoint, next: number, isn: number): void {
    this.src = src;
    this.dst = dst;
    this.next = next;
    this.isn = isn;
    this.finSeq = -1;
    this.closed = false;
    this.holeSince = 0;
    this.acked = -1;
  }

  evict(): void {
    this.owner.evicted(this);
  }
}

export class TcpReassembler {
  private readonly dirs = new PairMap<Direction>();
  /**
   * Directions oldest first, linked through themselves (the one forgotten past maxDirections is the
   * oldest): a flood of connections adds and drops one per SYN, and a queue beside them cost a Map
   * entry, an array slot and their compaction each time.
   */
  private oldest: Direction | undefined;
  private newest: Direction | undefined;
  /** Capture time of the segment being handled, for events raised by an eviction. */
  private now = 0;
  /** Direction objects made so far (the rest are reused): what a flood of connections costs the heap. */
  directionsMade = 0;

  constructor(
    private readonly sink: (e: NetEvent) => void,
    private readonly limits: TcpLimits = DEFAULT_TCP_LIMITS,
    private readonly budget: ReassemblyBudget = new ReassemblyBudget(),
  ) {}

  /**
   * One TCP segment. `data` may be a view into a reused buffer: it is delivered during this call or copied.
   * `ack`: its acknowledgment number when the ACK flag is set, else -1. `cut`: bytes of the segment's data
   * the capture did not keep (caplen below the IP length: a snapshot length), which follow `data`.
   */
  segment(ts: number, src: Endpoint, dst: Endpoint, seq: number, flags: number, data: Buffer, ack = -1, cut = 0): void {
    this.now = ts;
    let d = this.dirs.get(src, dst);
    if (flags & TCP_FLAG.RST) {
      this.sink({ type: 'tcp-reset', ts, src, dst });
      if (d !== undefined) this.forget(d);
      return;
    }
    if (flags & TCP_FLAG.SYN) {
      if (d === undefined || d.isn !== seq) {
        if (d !== undefined) {
          this.flush(d, ts);
          this.forget(d);
        }
        d = this.create(src, dst, (seq + 1) >>> 0, seq, ts);
        this.sink({ type: 'tcp-open', ts, src, dst });
      }
      seq = (seq + 1) >>> 0;
    }
    if (ack >= 0) {
      const other = d !== undefined ? d.peer : this.dirs.get(dst, src);
      if (other !== undefined) this.acknowledged(other, ack, ts);
    }
    const fin = (flags & TCP_FLAG.FIN) !== 0;
    if (d === undefined) {
      if (data.length === 0 && !fin && cut === 0) return;
      d = this.create(src, dst, seq, -1, ts);
    }
    const length = data.length + cut;
    if (fin) d.finSeq = (seq + length) >>> 0;
    const rel = (seq - d.next) | 0;
    if (rel <= 0) {
      if (-rel < data.length) this.deliver(d, ts, rel === 0 ? data : data.subarray(-rel), ts);
      if (cut > 0) this.cutAt(d, ts, (seq + length) >>> 0, ts);
      this.drain(d, ts, false);
      this.budget.enforce(d);
    } else if (length > 0) {
      this.hold(d, seq, data, ts, cut);
      if (
        d.pendingBytes > this.limits.maxBufferedBytes ||
        d.held.length / HELD > this.limits.maxBufferedSegments ||
        ts - d.holeSince > this.limits.holeTimeoutS
      ) {
        this.skipHole(d, ts);
      }
      this.skipAcked(d, ts);
      this.account(d);
      this.budget.enforce(d);
    }
    this.checkFin(d, ts);
  }

  /**
   * The other side acknowledged up to `ack`: bytes of `d` before it reached the receiver, so a hole below it
   * is bytes the capture missed (a drop), not bytes still on their way — nothing will fill it.
   */
  private acknowledged(d: Direction, ack: number, ts: number): void {
    if (d.acked >= 0 && ((ack - d.acked) | 0) <= 0) return;
    d.acked = ack;
    if (d.held.length === 0) return;
    this.skipAcked(d, ts);
    this.account(d);
    this.checkFin(d, ts);
  }

  /** Skips every hole of `d` that its acknowledgment number already covers. */
  private skipAcked(d: Direction, ts: number): void {
    while (d.acked >= 0 && d.held.length > 0 && ((d.acked - d.held[0]!) | 0) >= 0) this.skipHole(d, ts);
  }

  /** End of input: every hole still open is reported, then the bytes behind it. */
  finish(ts: number): void {
    for (let d = this.oldest; d !== undefined; d = d.newer) {
      this.flush(d, ts);
      this.budget.set(d, 0);
    }
    this.dirs.clear();
    this.oldest = this.newest = undefined;
  }

  /** The budget gave up on the hole of `d` (already released there): deliver what waits behind it. */
  evicted(d: Direction): void {
    while (d.held.length > 0) this.skipHole(d, this.now);
    this.checkFin(d, this.now);
  }

  private create(src: Endpoint, dst: Endpoint, next: number, isn: number, ts: number): Direction {
    const old = this.dirs.size >= this.limits.maxDirections ? this.oldest : undefined;
    if (old !== undefined) {
      this.flush(old, ts);
      this.forget(old);
      // A flood of connections forgets one direction per new one: the forgotten one becomes the new one.
      // Made afresh, each lived through maxDirections others, long enough to reach the old generation,
      // and died there (sessions family: most of what it promoted).
      old.reuse(src, dst, next, isn);
    }
    let d = old;
    if (d === undefined) {
      d = new Direction(src, dst, next, isn, this);
      this.directionsMade++;
    }
    const peer = this.dirs.get(dst, src);
    d.peer = peer;
    if (peer !== undefined) peer.peer = d;
    this.dirs.set(src, dst, d);
    d.older = this.newest;
    if (this.newest !== undefined) this.newest.newer = d;
    else this.oldest = d;
    this.newest = d;
    return d;
  }

  private forget(d: Direction): void {
    // Setting an array's length is a builtin call, once per forgotten direction in a connection flood.
    if (d.held.length > 0) d.held.length = 0;
    d.pendingBytes = 0;
    this.releaseSlab(d);
    this.dirs.delete(d.src, d.dst);
    if (d.older !== undefined) d.older.newer = d.newer;
    else if (this.oldest === d) this.oldest = d.newer;
    if (d.newer !== undefined) d.newer.older = d.older;
    else if (this.newest === d) this.newest = d.older;
    d.older = d.newer = undefined;
    if (d.peer !== undefined) d.peer.peer = undefined;
    d.peer = undefined;
    this.budget.set(d, 0);
  }

  /** Queues a segment that lies beyond a hole, in sequence order, as a copy. */
  private hold(d: Direction, seq: number, data: Buffer, ts: number, cut: number): void {
    const h = d.held;
    const n = h.length / HELD;
    if (n === 0) d.holeSince = ts;
    const rel = (seq - d.next) | 0;
    let lo = 0;
    // Sorted by distance from `next`: segments arrive mostly in order, so look from the end first.
    if (n > 0 && ((h[(n - 1) * HELD]! - d.next) | 0) <= rel) lo = n;
    else {
      for (let hi = n; lo < hi; ) {
        const mid = (lo + hi) >> 1;
        if (((h[mid * HELD]! - d.next) | 0) <= rel) lo = mid + 1;
        else hi = mid;
      }
    }
    if (d.slabUsed + data.length > d.slab.length) this.regrow(d, data.length);
    const at = d.slabUsed;
    data.copy(d.slab, at);
    d.slabUsed += data.length;
    // In place (splice made an array of what it removed on every call, and a hole flood calls it per segment).
    h.push(seq, at, data.length, ts, cut);
    if (lo < n) {
      for (let k = n * HELD - 1; k >= lo * HELD; k--) h[k + HELD] = h[k]!;
      h[lo * HELD] = seq;
      h[lo * HELD + 1] = at;
      h[lo * HELD + 2] = data.length;
      h[lo * HELD + 3] = ts;
      h[lo * HELD + 4] = cut;
    }
    d.pendingBytes += data.length;
  }

  /**
   * A new slab for what is held plus `extra`, with the held bytes moved to its start. At least half of it
   * is left free, so however segments come and go the copying stays proportional to what arrives.
   */
  private regrow(d: Direction, extra: number): void {
    const next = this.budget.slabs.take(Math.max(MIN_SLAB, 2 * (d.pendingBytes + extra)));
    const h = d.held;
    let at = 0;
    for (let i = 0; i < h.length; i += HELD) {
      const off = h[i + 1]!;
      const len = h[i + 2]!;
      d.slab.copy(next, at, off, off + len);
      h[i + 1] = at;
      at += len;
    }
    this.releaseSlab(d);
    d.slab = next;
    d.slabUsed = at;
  }

  /** The direction holds nothing (or is forgotten): its slab goes back for the next hole. */
  private releaseSlab(d: Direction): void {
    if (d.slab !== EMPTY) this.budget.slabs.give(d.slab);
    d.slab = EMPTY;
    d.slabUsed = 0;
  }

  private account(d: Direction): void {
    this.budget.set(d, d.held.length === 0 ? 0 : d.slab.length + (d.held.length / HELD) * PIECE_OVERHEAD);
  }

  private flush(d: Direction, ts: number): void {
    while (d.held.length > 0) this.skipHole(d, ts);
    if (d.finSeq >= 0 && !d.closed) this.cutAt(d, ts, d.finSeq, ts);
    this.checkFin(d, ts);
  }

  /** `arrivedTs`: when the capture saw the bytes (earlier than `ts` when they waited behind a hole that never filled). */
  private deliver(d: Direction, ts: number, data: Buffer, arrivedTs: number): void {
    d.next = (d.next + data.length) >>> 0;
    this.budget.deliver(this.sink, { type: 'tcp-data', ts, src: d.src, dst: d.dst, data, arrivedTs });
  }

  /** The bytes from the in-order point up to `end` will never come: a gap, missed before `beforeTs`. */
  private cutAt(d: Direction, ts: number, end: number, beforeTs: number): void {
    const missing = (end - d.next) | 0;
    if (missing <= 0) return;
    this.sink({ type: 'tcp-gap', ts, src: d.src, dst: d.dst, missingBytes: missing, beforeTs });
    d.next = end;
  }

  /**
   * Delivers buffered segments that the in-order point has reached. `skipped`: the hole in front of them
   * was given up, not filled, so they reached the receiver when they reached the capture: their own times.
   */
  private drain(d: Direction, ts: number, skipped: boolean): void {
    const h = d.held;
    if (h.length === 0) return;
    let i = 0;
    for (; i < h.length; i += HELD) {
      const rel = (h[i]! - d.next) | 0;
      if (rel > 0) break;
      const off = h[i + 1]!;
      const len = h[i + 2]!;
      const cut = h[i + 4]!;
      d.pendingBytes -= len;
      if (-rel < len) this.deliver(d, ts, d.slab.subarray(off - rel, off + len), skipped ? h[i + 3]! : ts);
      if (cut > 0) this.cutAt(d, ts, (h[i]! + len + cut) >>> 0, h[i + 3]!);
    }
    if (i === 0) return;
    for (let k = i; k < h.length; k++) h[k - i] = h[k]!;
    h.length -= i;
    if (h.length === 0) this.releaseSlab(d);
    // The hole now in front (if any) has been open since the earliest of the remaining segments arrived.
    let since = ts;
    for (let k = 3; k < h.length; k += HELD) since = Math.min(since, h[k]!);
    d.holeSince = since;
    this.account(d);
  }

  /** Gives up on the bytes in front of the earliest buffered segment and carries on from there. */
  private skipHole(d: Direction, ts: number): void {
    this.cutAt(d, ts, d.held[0]!, d.held[3]!);
    this.drain(d, ts, true);
  }

  private checkFin(d: Direction, ts: number): void {
    if (d.finSeq >= 0 && !d.closed && d.next === d.finSeq) {
      d.closed = true;
      d.next = (d.next + 1) >>> 0;
      this.sink({ type: 'tcp-close', ts, src: d.src, dst: d.dst });
    }
  }
}
