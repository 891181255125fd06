/**
 * Loss, reordering and duplicates from the 4-bit VITA-49 packet counter (reference §10): receiving r
 * when e = (last + 1) mod 16 was expected means (r − e) mod 16 packets went missing. A later packet whose
 * count is one of those reported missing arrived late: it is out of order, and one loss is taken back.
 * A repeat of the last count is a duplicate. Bursts of 16 or more alias away — an inherent limit of a
 * 4-bit counter, stated in reports.
 *
 * "Late" is decided from the set of counts actually reported missing, not from "more than half the
 * counter behind": the real discovery fixture jumps by 9 across a 9-second gap, which the half-space
 * rule would misread as reordering and then cascade.
 */
/** How many packets before the first one, and how early in the stream, may still turn up late. */
const PRE_START = 3;

export class SequenceTracker {
  lost = 0;
  outOfOrder = 0;
  duplicates = 0;
  /** Separate loss events, as FlexLib counts them (one per gap, whatever its size; reference §7.1). */
  gaps = 0;
  private last = -1;
  /** Bit c set: count c was skipped by a gap and has not turned up since. */
  private missing = 0;
  /**
   * The counts just before the first one seen: packets the radio sent earlier may still arrive, behind
   * the first, when the path reorders. Only for the first few packets: later, a count that far back is
   * a jump forward (the discovery fixture jumps 4 → 13 five packets in).
   */
  private beforeFirst = 0;
  private pushed = 0;

  /**
   * Missing packets that may still turn up late: those less than half the counter behind the newest.
   * A live judgement subtracts them, so datagrams merely in flight behind a reordered one are not loss.
   */
  unsettled(): number {
    if (this.last < 0) return 0;
    let n = 0;
    for (let back = 1; back < 8; back++) if (this.missing & (1 << ((this.last - back) & 15))) n++;
    return n;
  }

  /** (count − expected) mod 16: what resync would count for `count`, read without changing anything. */
  jumpTo(count: number): number {
    return this.last < 0 ? 0 : (count - this.last - 1) & 15;
  }

  /**
   * The first packet after a silence the tracker measured to span at least half the counter (time or
   * frame index, stream-tracker.ts): the count then says the loss only modulo 16, and a repeat or a count
   * just behind is no duplicate or late packet but the counter wrapped. Counts (count − expected) mod 16
   * as lost — the caller corrects that by whole cycles — and forgets what was missing before the silence.
   */
  resync(count: number): number {
    if (this.last < 0) return this.push(count);
    const d = (count - this.last - 1) & 15;
    this.last = count;
    this.missing = 0;
    this.beforeFirst = 0;
    this.pushed = PRE_START + 1;
    this.lost += d;
    if (d > 0) this.gaps++;
    return d;
  }

  /**
   * A packet the caller knows was sent before the first one seen (its frame position, stream-tracker.ts
   * beforeStart): late, whatever its count says; the counter's state stays as it was. Returns 0 lost.
   */
  late(): number {
    this.outOfOrder++;
    return 0;
  }

  /** Returns how many packets this one reveals as lost (0 when in order). */
  push(count: number): number {
    const bit = 1 << count;
    if (this.last < 0) {
      this.last = count;
      for (let back = 1; back <= PRE_START; back++) this.beforeFirst |= 1 << ((count - back) & 15);
      return 0;
    }
    if (++this.pushed > PRE_START) this.beforeFirst = 0;
    const expected = (this.last + 1) & 15;
    if (count === expected) {
      // In order: clears any stale mark from a gap 16 packets ago.
      this.last = count;
      this.missing &= ~bit;
      return 0;
    }
    if (count === this.last) {
      this.duplicates++;
      return 0;
    }
    // Late only if it was reported missing and lies less than half the counter behind: a mark left by a
    // gap a whole cycle ago must not turn a new packet into a "late" one (a pattern of equal gaps, as an
    // MTU limit dropping 4 of every 5 tiles makes, would otherwise cancel its own loss).
    if (this.missing & bit && ((this.last - count) & 15) < 8) {
      this.missing &= ~bit;
      this.outOfOrder++;
      this.lost--;
      return 0;
    }
    if (this.beforeFirst & bit && ((this.last - count) & 15) < 8) {
      this.beforeFirst &= ~bit;
      this.outOfOrder++;
      return 0;
    }
    const d = (count - expected) & 15;
    this.last = count;
    this.missing &= ~bit;
    for (let i = 0, c = expected; i < d; i++, c = (c + 1) & 15) this.missing |= 1 << c;
    this.lost += d;
    this.gaps++;
    return d;
  }
}
