/**
 * Canvas drawing shared by the live panadapter and the capture replay: the FFT trace, waterfall rows
 * in one palette, the gap hatching, and the axis ticks (MHz from the pan's center and bandwidth, dBm
 * from its min/max, reference §3.1).
 */
import type { PanScale } from '../../src/bridge/protocol.js';

const CANVAS_BG = '#05080c';
/** Missing waterfall lines: red/dark-red stripes, never confused with the palette. */
const GAP_STRIPES: [number[], number[]] = [
  [120, 20, 28, 255],
  [60, 10, 14, 255],
];

/** Black → blue → cyan → yellow → red → white, 256 entries of [r, g, b]. */
const PALETTE: [number, number, number][] = (() => {
  const stops: [number, [number, number, number]][] = [
    [0, [0, 0, 8]],
    [0.25, [10, 40, 160]],
    [0.5, [0, 200, 220]],
    [0.7, [240, 230, 40]],
    [0.88, [250, 60, 20]],
    [1, [255, 255, 255]],
  ];
  const out: [number, number, number][] = [];
  for (let i = 0; i < 256; i++) {
    const x = i / 255;
    let k = 0;
    while (k < stops.length - 2 && x > stops[k + 1]![0]) k++;
    const [x0, c0] = stops[k]!;
    const [x1, c1] = stops[k + 1]!;
    const f = (x - x0) / (x1 - x0);
    out.push([0, 1, 2].map((j) => Math.round(c0[j]! + (c1[j]! - c0[j]!) * f)) as [number, number, number]);
  }
  return out;
})();

/** The `pick` of the bins that fall into each of `width` columns. */
function resample(bins: ArrayLike<number>, width: number, pick: (a: number, b: number) => number): Float32Array {
  const out = new Float32Array(width);
  const n = bins.length;
  for (let x = 0; x < width; x++) {
    const a = Math.floor((x * n) / width);
    const b = Math.max(a + 1, Math.floor(((x + 1) * n) / width));
    let v = bins[a] ?? 0;
    for (let i = a + 1; i < b && i < n; i++) v = pick(v, bins[i]!);
    out[x] = v;
  }
  return out;
}

export function clearCanvas(c: HTMLCanvasElement | null): void {
  const ctx = c?.getContext('2d');
  if (!c || !ctx) return;
  ctx.fillStyle = CANVAS_BG;
  ctx.fillRect(0, 0, c.width, c.height);
}

/**
 * One FFT frame. Bins are y pixels from the top (0 = strongest); `yMax` is the bottom of the scale:
 * the pan's y_pixels − 1 when its status was seen, else the largest bin seen so far.
 */
export function drawFft(c: HTMLCanvasElement | null, bins: ArrayLike<number>, yMax: number): void {
  const ctx = c?.getContext('2d');
  if (!c || !ctx) return;
  const { width: W, height: H } = c;
  const col = resample(bins, W, Math.min);
  ctx.fillStyle = CANVAS_BG;
  ctx.fillRect(0, 0, W, H);
  ctx.strokeStyle = '#1b2430';
  ctx.lineWidth = 1;
  for (let i = 1; i < 5; i++) {
    const y = Math.round((i * H) / 5) + 0.5;
    ctx.beginPath();
    ctx.moveTo(0, y);
    ctx.lineTo(W, y);
    ctx.stroke();
  }
  const y = (x: number): number => (Math.min(col[x]!, yMax) / Math.max(1, yMax)) * (H - 2) + 1;
  ctx.beginPath();
  ctx.moveTo(0, H);
  for (let x = 0; x < W; x++) ctx.lineTo(x, y(x));
  ctx.lineTo(W, H);
  ctx.closePath();
  ctx.fillStyle = 'rgba(88,166,255,0.25)';
  ctx.fill();
  ctx.beginPath();
  for (let x = 0; x < W; x++) ctx.lineTo(x, y(x));
  ctx.strokeStyle = '#79c0ff';
  ctx.stroke();
}

/** One waterfall row of `img` (width pixels) from `bins`, intensities mapped lo..hi onto the palette. */
export function paintRow(img: ImageData, row: number, bins: ArrayLike<number>, lo: number, hi: number): void {
  const col = resample(bins, img.width, Math.max);
  const span = Math.max(1, hi - lo);
  const base = row * img.width * 4;
  for (let x = 0; x < img.width; x++) {
    const [r, g, b] = PALETTE[Math.max(0, Math.min(255, Math.round(((col[x]! - lo) / span) * 255)))]!;
    const i = base + x * 4;
    img.data[i] = r;
    img.data[i + 1] = g;
    img.data[i + 2] = b;
    img.data[i + 3] = 255;
  }
}

export function paintGapRow(img: ImageData, row: number): void {
  const base = row * img.width * 4;
  for (let x = 0; x < img.width; x++) img.data.set(GAP_STRIPES[(x >> 2) % 2]!, base + x * 4);
}

/** Frequency ticks across the pan, MHz with enough decimals to tell them apart. */
export function freqTicks(pan: PanScale, n = 5): { at: number; label: string }[] {
  const lo = pan.centerMhz - pan.bandwidthMhz / 2;
  const step = pan.bandwidthMhz / (n - 1);
  const digits = step >= 0.1 ? 2 : step >= 0.01 ? 3 : 4;
  return Array.from({ length: n }, (_, i) => ({ at: i / (n - 1), label: (lo + i * step).toFixed(digits) }));
}

/** dBm ticks from the top (max_dbm) to the bottom (min_dbm) of the panadapter. */
export function dbTicks(pan: PanScale, n = 5): { at: number; label: string }[] {
  return Array.from({ length: n + 1 }, (_, i) => ({ at: i / n, label: (pan.maxDbm - (i * (pan.maxDbm - pan.minDbm)) / n).toFixed(0) }));
}
