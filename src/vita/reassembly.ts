/**
 * FFT frame and waterfall line reassembly from fragments, as FlexLib does it (reference §3.1, §3.2).
 * One assembler per stream. Both keep a bounded amount of state whatever the input: a hostile stream
 * cannot make them grow.
 *
 * "Complete" means every bin of the frame/line arrived; a frame or line that was started but could
 * not be completed counts as broken — the usable-picture figure behind `blocked` vs `degraded`.
 */
import type { FftPayload } from './payload/fft.js';
import { type WaterfallPayload, vitaFrequencyToHz } from './payload/waterfall.js';

export interface FftFrame {
  frameIndex: number;
  bins: Uint16Array;
}

/**
 * FlexLib accepts bins while frame_index is unchanged and emits when the accumulated count equals the
 * width; a new index while the old frame is incomplete abandons the old one (= one error).
 */
export class FftFrameAssembler {
  completed = 0;
  broken = 0;
  private frameIndex: number | undefined;
  private bins: Uint16Array | undefined;
  private filled = 0;
  private seen: Uint8Array | undefined;

  /** Returns the frame when this fragment completes it. */
  push(p: FftPayload): FftFrame | undefined {
    if (this.frameIndex !== p.frameIndex || !this.bins || this.bins.length !== p.totalBins) {
      // Older frame indices (reordered stragglers) are ignored, as FlexLib does.
      if (this.frameIndex !== undefined && p.frameIndex < this.frameIndex && this.frameIndex - p.frameIndex < 0x80000000) {
        return undefined;
      }
      if (this.bins && this.filled < this.bins.length) this.broken++;
      this.frameIndex = p.frameIndex;
      this.bins = new Uint16Array(p.totalBins);
      this.seen = new Uint8Array(p.totalBins);
      this.filled = 0;
    }
    const bins = this.bins;
    const seen = this.seen;
    if (!seen || p.startBin + p.numBins > bins.length) return undefined;
    for (let i = 0; i < p.numBins; i++) {
      const at = p.startBin + i;
      if (!seen[at]) {
        seen[at] = 1;
        this.filled++;
      }
      bins[at] = p.bins[i] ?? 0;
    }
    if (this.filled === bins.length) {
      this.completed++;
      const frame = { frameIndex: p.frameIndex, bins };
      // Start fresh so a duplicate fragment of this frame does not count as a new broken frame.
      this.bins = new Uint16Array(0);
      this.seen = new Uint8Array(0);
      this.filled = 0;
      return frame;
    }
    return undefined;
  }

  /** Call at the end of input: a frame still pending is broken. */
  finish(): void {
    if (this.bins && this.bins.length > 0 && this.filled > 0 && this.filled < this.bins.length) this.broken++;
    this.bins = undefined;
    this.seen = undefined;
    this.filled = 0;
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

interface PendingLine {
  line: WaterfallLine;
  filled: number;
  seen: Uint8Array;
}

/** FlexLib discards lines older than 10 timecodes; we also cap pending lines so memory is bounded. */
const STALE_TIMECODES = 10;
const MAX_PENDING = 16;

export class WaterfallLineAssembler {
  completed = 0;
  broken = 0;
  private readonly pending = new Map<number, PendingLine>();
  private newest: number | undefined;

  push(p: WaterfallPayload): WaterfallLine | undefined {
    // Only one-row tiles have been observed (reference §3.2); others are not reassembled.
    if (p.height !== 1) return undefined;
    if (this.newest === undefined || p.timecode > this.newest) this.newest = p.timecode;
    let entry = this.pending.get(p.timecode);
    if (!entry) {
      if (this.newest - p.timecode > STALE_TIMECODES) return undefined;
      entry = { line: this.makeLine(p, new Uint16Array(p.totalBins)), filled: 0, seen: new Uint8Array(p.totalBins) };
      this.pending.set(p.timecode, entry);
      this.evict();
    }
    const { line, seen } = entry;
    if (p.firstBin + p.width > line.bins.length) return undefined;
    for (let i = 0; i < p.width; i++) {
      const at = p.firstBin + i;
      if (!seen[at]) {
        seen[at] = 1;
        entry.filled++;
      }
      line.bins[at] = p.bins[i] ?? 0;
    }
    if (entry.filled === line.bins.length) {
      this.pending.delete(p.timecode);
      this.completed++;
      return line;
    }
    return undefined;
  }

  finish(): void {
    this.broken += this.pending.size;
    this.pending.clear();
  }

  private makeLine(p: WaterfallPayload, bins: Uint16Array): WaterfallLine {
    return {
      timecode: p.timecode,
      firstBinHz: vitaFrequencyToHz(p.frameLowFreq),
      binBandwidthHz: vitaFrequencyToHz(p.binBandwidth),
      lineDurationMs: p.lineDurationMs,
      autoBlackLevel: p.autoBlackLevel,
      bins,
    };
  }

  private evict(): void {
    const newest = this.newest ?? 0;
    for (const [tc] of this.pending) {
      if (newest - tc > STALE_TIMECODES || this.pending.size > MAX_PENDING) {
        this.pending.delete(tc);
        this.broken++;
      }
    }
  }
}
