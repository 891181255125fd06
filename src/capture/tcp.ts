/**
 * TCP (RFC 9293) stream reassembly per direction: the analysis reads the SmartSDR command channel as text,
 * so it needs each direction's bytes once, in order, and to be told where bytes are missing.
 *
 * Sequence numbers are compared modulo 2^32 (`(a - b) | 0` is the signed distance), so streams that wrap
 * need no special case. A direction whose SYN was not captured starts at the first sequence number seen.
 */
import type { Endpoint, NetEvent } from './types.js';

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

interface Segment {
  seq: number;
  data: Buffer;
  ts: number;
}

interface Direction {
  src: Endpoint;
  dst: Endpoint;
  /** Next sequence number expected in order (uint32). */
  next: number;
  /** Initial sequence number when the SYN was seen, else -1. */
  isn: number;
  /** Sequence number the FIN occupies, once a FIN was seen, else -1. */
  finSeq: number;
  closed: boolean;
  pending: Segment[];
  pendingBytes: number;
}

export class TcpReassembler {
  private readonly dirs = new Map<string, Direction>();

  constructor(
    private readonly sink: (e: NetEvent) => void,
    private readonly limits: TcpLimits = DEFAULT_TCP_LIMITS,
  ) {}

  /** One TCP segment. `data` may be a view into a reused buffer: it is delivered during this call or copied. */
  segment(ts: number, src: Endpoint, dst: Endpoint, seq: number, flags: number, data: Buffer): void {
    const key = `${src.ip}|${src.port}|${dst.ip}|${dst.port}`;
    let d = this.dirs.get(key);
    if (flags & TCP_FLAG.RST) {
      this.sink({ type: 'tcp-reset', ts, src, dst });
      if (d !== undefined) this.dirs.delete(key);
      return;
    }
    if (flags & TCP_FLAG.SYN) {
      if (d === undefined || d.isn !== seq) {
        if (d !== undefined) this.flush(d, ts);
        d = this.create(key, src, dst, (seq + 1) >>> 0, seq, ts);
        this.sink({ type: 'tcp-open', ts, src, dst });
      }
      seq = (seq + 1) >>> 0;
    }
    const fin = (flags & TCP_FLAG.FIN) !== 0;
    if (d === undefined) {
      if (data.length === 0 && !fin) return;
      d = this.create(key, src, dst, seq, -1, ts);
    }
    if (fin) d.finSeq = (seq + data.length) >>> 0;
    const rel = (seq - d.next) | 0;
    if (rel <= 0) {
      if (-rel < data.length) this.deliver(d, ts, data.subarray(-rel));
      this.drain(d, ts);
    } else if (data.length > 0) {
      d.pending.push({ seq, data: Buffer.from(data), ts });
      d.pendingBytes += data.length;
      const oldest = d.pending.reduce((t, s) => Math.min(t, s.ts), ts);
      if (
        d.pendingBytes > this.limits.maxBufferedBytes ||
        d.pending.length > this.limits.maxBufferedSegments ||
        ts - oldest > this.limits.holeTimeoutS
      ) {
        this.skipHole(d, ts);
      }
    }
    this.checkFin(d, ts);
  }

  /** End of input: every hole still open is reported, then the bytes behind it. */
  finish(ts: number): void {
    for (const d of this.dirs.values()) this.flush(d, ts);
    this.dirs.clear();
  }

  private create(key: string, src: Endpoint, dst: Endpoint, next: number, isn: number, ts: number): Direction {
    if (this.dirs.size >= this.limits.maxDirections) {
      const [oldKey, old] = this.dirs.entries().next().value as [string, Direction];
      this.flush(old, ts);
      this.dirs.delete(oldKey);
    }
    const d: Direction = { src, dst, next, isn, finSeq: -1, closed: false, pending: [], pendingBytes: 0 };
    this.dirs.set(key, d);
    return d;
  }

  private flush(d: Direction, ts: number): void {
    while (d.pending.length > 0) this.skipHole(d, ts);
    if (d.finSeq >= 0 && !d.closed && ((d.finSeq - d.next) | 0) > 0) {
      this.sink({ type: 'tcp-gap', ts, src: d.src, dst: d.dst, missingBytes: (d.finSeq - d.next) | 0 });
      d.next = d.finSeq;
    }
    this.checkFin(d, ts);
  }

  private deliver(d: Direction, ts: number, data: Buffer): void {
    d.next = (d.next + data.length) >>> 0;
    this.sink({ type: 'tcp-data', ts, src: d.src, dst: d.dst, data });
  }

  /** Delivers buffered segments that the in-order point has reached. */
  private drain(d: Direction, ts: number): void {
    for (let progress = true; progress && d.pending.length > 0; ) {
      progress = false;
      for (let i = 0; i < d.pending.length; i++) {
        const s = d.pending[i]!;
        const rel = (s.seq - d.next) | 0;
        if (rel > 0) continue;
        d.pending.splice(i, 1);
        d.pendingBytes -= s.data.length;
        if (-rel < s.data.length) this.deliver(d, ts, s.data.subarray(-rel));
        progress = true;
        break;
      }
    }
  }

  /** Gives up on the bytes in front of the earliest buffered segment and carries on from there. */
  private skipHole(d: Direction, ts: number): void {
    let first = d.pending[0]!;
    for (const s of d.pending) if (((s.seq - first.seq) | 0) < 0) first = s;
    const missing = (first.seq - d.next) | 0;
    if (missing > 0) {
      this.sink({ type: 'tcp-gap', ts, src: d.src, dst: d.dst, missingBytes: missing });
      d.next = first.seq;
    }
    this.drain(d, ts);
  }

  private checkFin(d: Direction, ts: number): void {
    if (d.finSeq >= 0 && !d.closed && d.next === d.finSeq) {
      d.closed = true;
      d.next = (d.next + 1) >>> 0;
      this.sink({ type: 'tcp-close', ts, src: d.src, dst: d.dst });
    }
  }
}
