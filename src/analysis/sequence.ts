/**
 * Loss, reordering and duplicates from the 4-bit VITA-49 packet counter (reference §10): receiving r
 * when e = (last + 1) mod 16 was expected means (r − e) mod 16 packets went missing. A packet that is
 * "behind" (more than half the counter space) arrived late: it is out of order, and one of the packets
 * counted lost has turned up. A repeat of the last count is a duplicate. Bursts of 16 or more alias away
 * — an inherent limit of a 4-bit counter, stated in reports.
 */
export class SequenceTracker {
  lost = 0;
  outOfOrder = 0;
  duplicates = 0;
  /** Separate loss events, as FlexLib counts them (one per gap, whatever its size; reference §7.1). */
  gaps = 0;
  private last = -1;

  /** Returns how many packets this one reveals as lost (0 when in order). */
  push(count: number): number {
    if (this.last < 0) {
      this.last = count;
      return 0;
    }
    const expected = (this.last + 1) & 15;
    const d = (count - expected) & 15;
    if (d === 0) {
      this.last = count;
      return 0;
    }
    if (d === 15) {
      this.duplicates++;
      return 0;
    }
    if (d >= 8) {
      this.outOfOrder++;
      if (this.lost > 0) this.lost--;
      return 0;
    }
    this.lost += d;
    this.gaps++;
    this.last = count;
    return d;
  }
}
