/**
 * Items in the order they were added, with O(1) add, delete and "oldest": what bounded trackers evict
 * from. A Map would keep the order too, but V8 leaves deleted entries in place until it rehashes, so
 * finding the oldest after many deletions from the front walks over all of them — a quadratic cost under
 * the floods the bounds exist for. Here deletion is lazy and the backing array is compacted once at
 * least half of it is dead.
 *
 * An item deleted and added again is the newest: only its latest slot counts (`live` maps each item to
 * that slot). Were an old slot to count as well, the item would keep its first age, and compaction could
 * not drop the old slots, so a holder released and taken again on every packet made each delete copy the
 * whole array.
 */
export class AgeQueue<T extends object> {
  private items: T[] = [];
  private head = 0;
  /** Each live item's slot in `items`. */
  private readonly live = new Map<T, number>();

  get size(): number {
    return this.live.size;
  }

  has(x: T): boolean {
    return this.live.has(x);
  }

  /** Adds `x` as the newest; an item already present keeps its age. */
  add(x: T): void {
    if (this.live.has(x)) return;
    this.live.set(x, this.items.length);
    this.items.push(x);
  }

  delete(x: T): void {
    if (!this.live.delete(x)) return;
    // Dead slots before `head` count too: they still reference deleted items (a tracker that forgets its
    // oldest direction for each new one kept every direction it ever had alive through them).
    if (this.items.length > 64 && this.items.length > 2 * this.live.size) this.compact();
  }

  /** The oldest item other than `except`, or undefined. */
  oldest(except?: T): T | undefined {
    for (let i = this.head; i < this.items.length; i++) {
      const x = this.items[i]!;
      if (this.live.get(x) !== i) {
        if (i === this.head) this.head++;
        continue;
      }
      if (x !== except) return x;
    }
    return undefined;
  }

  clear(): void {
    this.items = [];
    this.head = 0;
    this.live.clear();
  }

  /** Live items, oldest first (a snapshot: deleting while iterating is safe). */
  values(): T[] {
    return this.items.filter((y, i) => i >= this.head && this.live.get(y) === i);
  }

  private compact(): void {
    const kept: T[] = [];
    for (let i = this.head; i < this.items.length; i++) {
      const y = this.items[i]!;
      if (this.live.get(y) !== i) continue;
      this.live.set(y, kept.length);
      kept.push(y);
    }
    this.items = kept;
    this.head = 0;
  }
}
