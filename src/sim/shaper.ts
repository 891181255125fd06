/**
 * Applies the data-plane faults to each datagram the radio sends, in the order a network would: the
 * stream stops (NAT expiry), a class is filtered, DF packets above the path MTU vanish, a rate limit
 * polices, random loss, then duplication, reordering and delay on the way. What comes out is what a
 * client behind that fault receives, and every decision is counted so tests can compare.
 */
import type { Endpoint } from '../capture/types.js';
import type { DataClass, SimFaults } from './faults.js';
import type { Rng } from './rng.js';

export interface Datagram {
  streamId: number;
  cls: DataClass;
  payload: Buffer;
  dst: Endpoint;
}

type DropReason = 'stopped' | 'outage' | 'class' | 'mtu' | 'rate' | 'loss';

export interface StreamCount {
  streamId: number;
  cls: DataClass;
  dst: Endpoint;
  /** Datagrams the socket accepted, duplicates included. */
  sent: number;
  bytes: number;
  /** Datagrams the local socket refused (a full send buffer on an overloaded machine). */
  sendErrors: number;
  dropped: Record<DropReason, number>;
}

/** IPv4 + UDP headers: a datagram's IP size is its payload + 28. */
const IP_UDP = 28;
/** A policer's burst allowance: 50 ms of the rate, at least two full-size packets. */
const BURST_S = 0.05;

export class Shaper {
  private readonly counts = new Map<string, StreamCount>();
  private tokens = 0;
  private lastRefillMs = 0;
  private held: { d: Datagram; timer: ReturnType<typeof setTimeout> } | undefined;
  private readonly timers = new Set<ReturnType<typeof setTimeout>>();
  private closed = false;

  constructor(
    private readonly faults: SimFaults,
    private readonly rnd: Rng,
    private readonly now: () => number,
    private readonly out: (d: Datagram, failed: () => void) => void,
  ) {}

  /** `startedMs`: when this client's data began (for udp-stop). */
  push(d: Datagram, startedMs: number): void {
    if (this.closed) return;
    const f = this.faults;
    const c = this.count(d);
    const now = this.now();
    if (f.udpStopAfterS !== undefined && now - startedMs >= f.udpStopAfterS * 1000) return void c.dropped.stopped++;
    const sinceS = (now - startedMs) / 1000;
    if (f.outages?.some((o) => sinceS >= o.startS && sinceS < o.startS + o.lengthS)) return void c.dropped.outage++;
    if (f.drop?.includes(d.cls)) return void c.dropped.class++;
    if (f.mtu !== undefined && d.payload.length + IP_UDP > f.mtu) return void c.dropped.mtu++;
    if (f.rateKbps !== undefined && !this.takeTokens(d.payload.length + IP_UDP, now)) return void c.dropped.rate++;
    if (f.lossPct !== undefined && (f.lossPort === undefined || d.dst.port === f.lossPort) && this.rnd() * 100 < f.lossPct) return void c.dropped.loss++;
    const copies = f.duplicatePct !== undefined && this.rnd() * 100 < f.duplicatePct ? 2 : 1;
    for (let i = 0; i < copies; i++) this.reorder(d);
  }

  stats(): StreamCount[] {
    return [...this.counts.values()].map((c) => ({ ...c, dst: { ...c.dst }, dropped: { ...c.dropped } }));
  }

  /** Stops delayed sends; what is still held is dropped (the run is over). */
  close(): void {
    this.closed = true;
    for (const t of this.timers) clearTimeout(t);
    this.timers.clear();
    if (this.held) clearTimeout(this.held.timer);
    this.held = undefined;
  }

  private reorder(d: Datagram): void {
    const pct = this.faults.reorderPct;
    if (this.held) {
      const h = this.held;
      this.held = undefined;
      clearTimeout(h.timer);
      this.delay(d);
      this.delay(h.d);
      return;
    }
    if (pct !== undefined && this.rnd() * 100 < pct) {
      // Held behind the next datagram; released alone if none follows soon.
      this.held = { d, timer: setTimeout(() => this.releaseHeld(), 100) };
      return;
    }
    this.delay(d);
  }

  private releaseHeld(): void {
    const h = this.held;
    this.held = undefined;
    if (h) this.delay(h.d);
  }

  private delay(d: Datagram): void {
    const j = this.faults.jitterMs;
    if (j === undefined || j <= 0) return this.emit(d);
    const t = setTimeout(() => {
      this.timers.delete(t);
      this.emit(d);
    }, this.rnd() * j);
    this.timers.add(t);
  }

  private emit(d: Datagram): void {
    if (this.closed) return;
    const c = this.count(d);
    c.sent++;
    c.bytes += d.payload.length;
    this.out(d, () => {
      c.sent--;
      c.bytes -= d.payload.length;
      c.sendErrors++;
    });
  }

  private takeTokens(bytes: number, now: number): boolean {
    const rate = ((this.faults.rateKbps ?? 0) * 1000) / 8;
    const burst = Math.max(2 * 1500, rate * BURST_S);
    if (this.lastRefillMs === 0) this.tokens = burst;
    else this.tokens = Math.min(burst, this.tokens + ((now - this.lastRefillMs) / 1000) * rate);
    this.lastRefillMs = now;
    if (this.tokens < bytes) return false;
    this.tokens -= bytes;
    return true;
  }

  private count(d: Datagram): StreamCount {
    const key = `${d.streamId}/${d.dst.ip}:${d.dst.port}`;
    let c = this.counts.get(key);
    if (!c) {
      c = { streamId: d.streamId, cls: d.cls, dst: { ...d.dst }, sent: 0, bytes: 0, sendErrors: 0, dropped: { stopped: 0, outage: 0, class: 0, mtu: 0, rate: 0, loss: 0 } };
      this.counts.set(key, c);
    }
    return c;
  }
}
