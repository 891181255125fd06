/**
 * One byte budget for everything held while waiting for missing bytes: IP fragments of unfinished
 * datagrams, TCP segments queued behind a hole, and the unfinished last line of each API text stream
 * (the analysis keeps up to 64 KiB per direction). Each holder registers what it holds; past the budget the holder that has waited longest is evicted (a datagram dropped, a TCP hole
 * given up on), whatever its kind, so a flood of one kind cannot keep memory for itself and memory stays
 * bounded however many flows a capture opens.
 */
import { AgeQueue } from '../common/age-queue.js';
import { SlabPool } from './slabs.js';

/** What may be evicted: its owner frees it (and calls `release`) when `evict` runs. */
export interface Holder {
  readonly kind: HolderKind;
  evict(): void;
}

export type HolderKind = 'ip-fragments' | 'tcp-segments' | 'api-lines';

/**
 * Default budget. Empirical: the analysis must stay under 150 MB of peak RSS (issue 13) and Node with the
 * reader's buffers idles at ≈60–70 MB; a healthy capture holds a few kB here (a 64 kB datagram, a TCP
 * window of API text; 256 pending datagrams of 64 kB are 16 MiB), so 24 MiB is never reached by real
 * traffic. 24, not 32: the slab pool's idle quarter comes on top, and the tcp-holes family (the budget
 * full all along) peaked at 148 MiB RSS with 32 and at 139 MiB with 24 (200 MB, bench hostile).
 */
export const DEFAULT_REASSEMBLY_BUDGET = 24 * 1024 * 1024;

/**
 * Accounting overhead charged per held piece (fragment interval, TCP segment) besides its bytes, so a flood
 * of tiny pieces is charged for its objects too (a Buffer and its record cost ≈200 B in V8).
 */
export const PIECE_OVERHEAD = 256;

export class ReassemblyBudget {
  /** What each holder holds now. */
  private readonly holders = new Map<Holder, number>();
  /** Holders in the order they started holding bytes. */
  private readonly order = new AgeQueue<Holder>();
  private used = 0;
  private evicting = false;
  /** Deliveries in progress (see `deliver`): no eviction until they return. */
  private delivering = 0;
  /** Evictions so far, per kind, for the capture's warnings. */
  readonly evicted: Record<HolderKind, number> = { 'ip-fragments': 0, 'tcp-segments': 0, 'api-lines': 0 };
  peak = 0;
  /**
   * Buffers the holders take their bytes' room from and give back when done. Idle ones are at most a
   * quarter of the budget (8 MiB by default) on top of it. Empirical: with an eighth, a fragment flood
   * (hostile-bounds test) kept idle buffers of the sizes it no longer needed and made 12 MiB of new ones
   * for a 1 MiB budget; with a quarter, under 2 MiB.
   */
  readonly slabs: SlabPool;

  constructor(readonly maxBytes: number = DEFAULT_REASSEMBLY_BUDGET) {
    this.slabs = new SlabPool(Math.floor(maxBytes / 4));
  }

  get bytes(): number {
    return this.used;
  }

  /** Sets what `h` holds now (0 releases it). A holder keeps its age until it is released. */
  set(h: Holder, bytes: number): void {
    const before = this.holders.get(h);
    if (bytes <= 0) {
      if (before !== undefined) {
        this.used -= before;
        this.holders.delete(h);
        this.order.delete(h);
      }
      return;
    }
    this.used += bytes - (before ?? 0);
    this.holders.set(h, bytes);
    this.order.add(h);
    if (this.used > this.peak) this.peak = this.used;
  }

  /**
   * Evicts the longest-waiting holders until the total fits. `keep` (the holder being served right now)
   * is evicted last, so an owner can call this in the middle of its own work.
   */
  enforce(keep?: Holder): void {
    if (this.used <= this.maxBytes || this.evicting || this.delivering > 0) return;
    this.evicting = true;
    try {
      for (let h = this.order.oldest(keep); h !== undefined && this.used > this.maxBytes; h = this.order.oldest(keep)) this.evictOne(h);
      if (this.used > this.maxBytes && keep !== undefined && this.holders.has(keep)) this.evictOne(keep);
    } finally {
      this.evicting = false;
    }
  }

  /**
   * Runs a reassembler's hand-over of bytes to its consumer. The consumer holds budgeted memory too (the
   * analysis's unfinished lines) and may enforce the budget: an eviction then could take the very holder
   * that is delivering, in the middle of its loop. Evictions wait; the reassembler enforces after.
   */
  deliver<T>(sink: (e: T) => void, e: T): void {
    this.delivering++;
    try {
      sink(e);
    } finally {
      this.delivering--;
    }
  }

  private evictOne(h: Holder): void {
    this.evicted[h.kind]++;
    h.evict();
    // An owner that forgot to release would otherwise be evicted forever.
    this.set(h, 0);
  }

  /** Warnings for the report: what was given up to stay within the budget. */
  warnings(): string[] {
    const out: string[] = [];
    const n = this.maxBytes;
    const mib = n >= 1048576 ? `${(n / 1048576).toFixed(0)} MiB` : `${(n / 1024).toFixed(0)} KiB`;
    const ip = this.evicted['ip-fragments'];
    const tcp = this.evicted['tcp-segments'];
    if (ip > 0) out.push(`${ip} fragmented IP datagram(s) dropped unfinished to keep reassembly within ${mib} (oldest first)`);
    if (tcp > 0) out.push(`${tcp} TCP hole(s) given up early to keep reassembly within ${mib} (oldest first): bytes after them were delivered with a gap`);
    const lines = this.evicted['api-lines'];
    if (lines > 0) out.push(`${lines} unfinished API text line(s) dropped to keep reassembly within ${mib} (oldest first): the text resumed at the next line end`);
    return out;
  }
}
