/**
 * FFT frame and waterfall line reassembly from fragments, as FlexLib does it (reference §3.1, §3.2).
 * One assembler per stream. Both keep a bounded amount of state whatever the input: a hostile stream
 * cannot make them grow.
 *
 * "Complete" means every bin of the frame/line arrived; a frame or line that was started but could
 * not be completed counts as broken — the usable-picture figure behind `blocked` vs `degraded`.
 *
 * With `keepBins: false` the assemblers only count (no bin copies): the analysis hot path uses that, the
 * UI's spectrum tap keeps the bins.
 */
import { vitaFrequencyToHz } from './payload/waterfall.js';
import { objectArray } from '../common/arrays.js';

/** One fragment, as read from an FFT or waterfall payload; `bins` may be omitted when only counting. */
interface Fragment {
  /** FFT frame_index or waterfall Timecode. */
  index: number;
  start: number;
  count: number;
  total: number;
  bins?: Uint16Array;
}

/**
 * Which bins of one frame have arrived, as merged [start, end) intervals. Fragments come in a handful
 * per frame, so a short sorted list beats a per-bin map; past MAX_INTERVALS the frame is garbage.
 */
class Coverage {
  private readonly starts: number[] = [];
  private readonly ends: number[] = [];
  covered = 0;
  overflow = false;

  /** Empty again, for the next frame (its arrays are reused). */
  reset(): void {
    this.starts.length = 0;
    this.ends.length = 0;
    this.covered = 0;
    this.overflow = false;
  }

  add(start: number, end: number): void {
    if (end <= start) return;
    const starts = this.starts;
    const ends = this.ends;
    const n = starts.length;
    let i = 0;
    while (i < n && ends[i]! < start) i++;
    let s = start;
    let e = end;
    let j = i;
    while (j < n && starts[j]! <= e) {
      const sj = starts[j]!;
      const ej = ends[j]!;
      if (sj < s) s = sj;
      if (ej > e) e = ej;
      this.covered -= ej - sj;
      j++;
    }
    // Intervals [i, j) become [s, e). Written without splice in the usual cases (a fragment extending
    // one interval, or appended after the last): this runs once per FFT/waterfall packet.
    if (j === i + 1) {
      starts[i] = s;
      ends[i] = e;
    } else if (j === i && i === n) {
      starts.push(s);
      ends.push(e);
    } else {
      starts.splice(i, j - i, s);
      ends.splice(i, j - i, e);
    }
    this.covered += e - s;
    if (starts.length > 64) this.overflow = true;
  }
}

interface Pending {
  index: number;
  total: number;
  coverage: Coverage;
  bins: Uint16Array | undefined;
  meta: unknown;
}

interface AssembledFrame<M> {
  index: number;
  /** Present when the assembler keeps bins. */
  bins: Uint16Array | undefined;
  meta: M;
}

/** Completed frame indices remembered, so late duplicates do not open them again. */
const DONE_KEPT = 8;

/**
 * Shared core: fragments keyed by index; complete when the coverage spans `total`. At most `maxPending`
 * frames are open; the oldest beyond that, or older than `staleAfter` indices behind the newest, are
 * abandoned and counted broken.
 */
class FragmentAssembler<M> {
  completed = 0;
  broken = 0;
  /**
   * Open frames, oldest first: at most maxPending (2 or 16), so a short array searched from the end.
   * Frames that close go to `spare` and are reused with their coverage: one record per frame in a Map
   * (with the Map shrinking and growing around it) was a third of the analysis's allocations.
   */
  private readonly pending: Pending[] = objectArray();
  private readonly spare: Pending[] = objectArray();
  /** Frames begun and neither complete nor abandoned yet (their packets may still be on the way). */
  get open(): number {
    return this.pending.length;
  }
  private newest: number | undefined;
  /** Indices are uint32, so -1 marks an empty slot. */
  private readonly done: number[] = new Array<number>(DONE_KEPT).fill(-1);
  private doneAt = 0;

  constructor(
    private readonly keepBins: boolean,
    private readonly maxPending: number,
    private readonly staleAfter: number,
  ) {}

  push(f: Fragment, meta: M): AssembledFrame<M> | undefined {
    const p = this.add(f.index, f.start, f.count, f.total, f.bins, meta);
    return p ? { index: p.index, bins: p.bins, meta: p.meta as M } : undefined;
  }

  /** One fragment as plain values (no object per packet on the counting path); returns the frame it completed. */
  add(index: number, start: number, count: number, total: number, bins: Uint16Array | undefined, meta: M): Pending | undefined {
    if (count === 0 || start + count > total) return undefined;
    if (this.newest === undefined || isNewer(index, this.newest)) this.newest = index;
    // A fragment of a frame already completed (duplicate) or far behind is ignored, as FlexLib does.
    if (this.done.includes(index) || distance(this.newest, index) > this.staleAfter) return undefined;
    let at = this.find(index);
    let p = at < 0 ? undefined : this.pending[at];
    if (p && p.total !== total) {
      this.close(at);
      this.broken++;
      p = undefined;
    }
    if (!p) {
      p = this.spare.pop() ?? { index, total, coverage: new Coverage(), bins: undefined, meta };
      p.index = index;
      p.total = total;
      p.coverage.reset();
      // A completed frame's bins went to the caller: never reused.
      p.bins = this.keepBins ? new Uint16Array(total) : undefined;
      p.meta = meta;
      this.pending.push(p);
      this.expire();
    }
    if (p.bins && bins) p.bins.set(bins.subarray(0, count), start);
    p.coverage.add(start, start + count);
    if (p.coverage.overflow) {
      this.close(this.find(index));
      this.broken++;
      return undefined;
    }
    if (p.coverage.covered < p.total) return undefined;
    // Returned to the caller, who reads it before the next fragment: only then is the record reused.
    this.close(this.find(index));
    this.completed++;
    // The last DONE_KEPT completed indices, in a ring.
    this.done[this.doneAt] = index;
    this.doneAt = (this.doneAt + 1) % DONE_KEPT;
    return p;
  }

  /**
   * End of input, or of the object under this stream ID (its index went back: a new pan after a restart):
   * every frame still open is broken, and what follows is indexed afresh — else a new object's indices,
   * far behind the newest, would all be ignored as stale until they caught up.
   */
  finish(): void {
    this.broken += this.pending.length;
    while (this.pending.length > 0) this.close(this.pending.length - 1);
    this.newest = undefined;
    this.done.fill(-1);
  }

  /** Position of frame `index` among the open ones, or -1; the newest are the likeliest, so from the end. */
  private find(index: number): number {
    const pending = this.pending;
    for (let i = pending.length - 1; i >= 0; i--) if (pending[i]!.index === index) return i;
    return -1;
  }

  /** Frame `at` leaves the open ones; its record is kept for reuse (its fields are set afresh then). */
  private close(at: number): void {
    this.spare.push(this.pending[at]!);
    this.pending.splice(at, 1);
  }

  /** Oldest first: frames too far behind the newest, and the oldest beyond maxPending, are abandoned. */
  private expire(): void {
    const newest = this.newest ?? 0;
    for (let i = 0; i < this.pending.length; ) {
      if (distance(newest, this.pending[i]!.index) > this.staleAfter || this.pending.length > this.maxPending) {
        this.close(i);
        this.broken++;
      } else {
        i++;
      }
    }
  }
}

/** 32-bit index arithmetic, so wrap-around does not look like a jump backwards. */
function distance(newer: number, older: number): number {
  return (newer - older) >>> 0;
}

function isNewer(a: number, b: number): boolean {
  const d = distance(a, b);
  return d !== 0 && d < 0x80000000;
}

export interface FftFrame {
  frameIndex: number;
  bins: Uint16Array;
}

/**
 * FFT frames: FlexLib keeps one frame open and abandons it when a new frame_index arrives (one error);
 * we keep the previous frame open until one two indices newer arrives, so a single packet reordered
 * across a frame boundary does not break a frame (FlexLib would count it).
 */
export class FftFrameAssembler {
  private readonly core: FragmentAssembler<null>;

  constructor(opts: { keepBins?: boolean } = {}) {
    this.core = new FragmentAssembler<null>(opts.keepBins ?? true, 2, 1);
  }

  get completed(): number {
    return this.core.completed;
  }

  get broken(): number {
    return this.core.broken;
  }

  get open(): number {
    return this.core.open;
  }

  push(p: { frameIndex: number; startBin: number; numBins: number; totalBins: number; bins?: Uint16Array }): FftFrame | undefined {
    const done = this.core.add(p.frameIndex, p.startBin, p.numBins, p.totalBins, p.bins, null);
    return done ? { frameIndex: done.index, bins: done.bins ?? new Uint16Array(0) } : undefined;
  }

  /** Counting only, from the sub-header fields: true when this fragment completed its frame. */
  count(frameIndex: number, startBin: number, numBins: number, totalBins: number): boolean {
    return this.core.add(frameIndex, startBin, numBins, totalBins, undefined, null) !== undefined;
  }

  finish(): void {
    this.core.finish();
  }
}

export interface WaterfallLine {
  timecode: number;
  firstBinHz: number;
  binBandwidthHz: number;
  lineDurationMs: number;
  autoBlackLevel: number;
  bins: Uint16Array;
}

interface LineMeta {
  frameLowFreq: bigint;
  binBandwidth: bigint;
  lineDurationMs: number;
  autoBlackLevel: number;
}

/** FlexLib discards lines older than 10 timecodes (reference §3.2); at most 16 lines are open here. */
export class WaterfallLineAssembler {
  private readonly core: FragmentAssembler<LineMeta | null>;

  constructor(opts: { keepBins?: boolean } = {}) {
    this.core = new FragmentAssembler<LineMeta | null>(opts.keepBins ?? true, 16, 10);
  }

  get completed(): number {
    return this.core.completed;
  }

  get broken(): number {
    return this.core.broken;
  }

  get open(): number {
    return this.core.open;
  }

  push(p: {
    timecode: number; firstBin: number; width: number; height: number; totalBins: number; bins?: Uint16Array;
    frameLowFreq?: bigint; binBandwidth?: bigint; lineDurationMs?: number; autoBlackLevel?: number;
  }): WaterfallLine | undefined {
    // Only one-row tiles have been observed (reference §3.2); others are not reassembled.
    if (p.height !== 1) return undefined;
    const meta: LineMeta | null =
      p.frameLowFreq !== undefined
        ? { frameLowFreq: p.frameLowFreq, binBandwidth: p.binBandwidth ?? 0n, lineDurationMs: p.lineDurationMs ?? 0, autoBlackLevel: p.autoBlackLevel ?? 0 }
        : null;
    const done = this.core.add(p.timecode, p.firstBin, p.width, p.totalBins, p.bins, meta);
    if (!done) return undefined;
    const m = done.meta as LineMeta | null;
    return {
      timecode: done.index,
      firstBinHz: m ? vitaFrequencyToHz(m.frameLowFreq) : 0,
      binBandwidthHz: m ? vitaFrequencyToHz(m.binBandwidth) : 0,
      lineDurationMs: m?.lineDurationMs ?? 0,
      autoBlackLevel: m?.autoBlackLevel ?? 0,
      bins: done.bins ?? new Uint16Array(0),
    };
  }

  /** Counting only, from the tile header fields: true when this tile completed its line. */
  count(timecode: number, firstBin: number, width: number, height: number, totalBins: number): boolean {
    if (height !== 1) return false;
    return this.core.add(timecode, firstBin, width, totalBins, undefined, null) !== undefined;
  }

  finish(): void {
    this.core.finish();
  }
}
