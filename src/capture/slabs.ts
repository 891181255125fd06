/**
 * Buffers for bytes held while waiting for missing ones (TCP segments behind a hole), handed back and
 * handed out again instead of dropped. Under a flood the budget gives up a holder for every new one, so
 * held memory turns over all the time: with a fresh ArrayBuffer each time, the released ones stayed
 * allocated until a full GC found them (V8 collects external memory lazily) and the allocator's heap
 * fragmented — the tcp-holes family held ~32 MiB by the budget's count and 90 MiB of ArrayBuffers.
 *
 * Sizes are powers of two, so a returned buffer fits the next request of its class. What waits idle is
 * bounded (`maxIdle`); beyond it a returned buffer is left to the GC as before.
 */

/** Smallest buffer handed out: 2^8 bytes. */
const MIN_CLASS = 8;
/** Largest pooled class, 2^22 = 4 MiB; larger requests get a buffer of their own and are not kept. */
const MAX_CLASS = 22;

export class SlabPool {
  /** Idle buffers by size class (index = log2 of the size). */
  private readonly idle: Buffer[][] = Array.from({ length: MAX_CLASS + 1 }, () => []);
  private idleBytes = 0;

  constructor(readonly maxIdle: number) {}

  /** A buffer of at least `min` bytes (contents undefined): a power of two up to 4 MiB. */
  take(min: number): Buffer {
    let cls = MIN_CLASS;
    while (cls < MAX_CLASS && 1 << cls < min) cls++;
    if (1 << cls < min) return Buffer.allocUnsafeSlow(min);
    const b = this.idle[cls]!.pop();
    if (b !== undefined) {
      this.idleBytes -= b.length;
      return b;
    }
    // Its own allocation: a slice of Node's shared pool would keep the pool's whole slab alive.
    return Buffer.allocUnsafeSlow(1 << cls);
  }

  /** Hands `b` back: no view into it may be used after this. */
  give(b: Buffer): void {
    const n = b.length;
    // Only whole buffers of a pooled class, never a view or a size this pool did not make.
    if (n < 1 << MIN_CLASS || n > 1 << MAX_CLASS || (n & (n - 1)) !== 0 || b.byteOffset !== 0 || b.buffer.byteLength !== n) return;
    const cls = 31 - Math.clz32(n);
    // Full: the sizes given back last are the ones in demand, so idle ones of other sizes make room.
    while (this.idleBytes + n > this.maxIdle && this.dropIdle(cls));
    if (this.idleBytes + n > this.maxIdle) return;
    this.idle[cls]!.push(b);
    this.idleBytes += n;
  }

  /** Leaves one idle buffer of the size with the most idle bytes (other than `keep`) to the GC; false if none. */
  private dropIdle(keep: number): boolean {
    let most = -1;
    for (let c = MIN_CLASS; c <= MAX_CLASS; c++) {
      if (c !== keep && this.idle[c]!.length > 0 && (most < 0 || this.idle[c]!.length * 2 ** c > this.idle[most]!.length * 2 ** most)) most = c;
    }
    if (most < 0) return false;
    this.idle[most]!.pop();
    this.idleBytes -= 1 << most;
    return true;
  }
}
