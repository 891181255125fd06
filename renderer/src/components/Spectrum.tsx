/**
 * Panadapter trace and waterfall, drawn from the decoded FFT frames and waterfall lines the core
 * pushes. Drawn straight to canvas outside React's render cycle. A jump in the waterfall timecode is
 * painted as a red band — a gap is shown as a gap, never smoothed over.
 */
import { useEffect, useRef, useState } from 'react';
import type { SpectrumSnapshot } from '../../../src/bridge/protocol.js';
import type { RendererBridge } from '../bridge-client.js';

const GAP_ROWS_MAX = 24;

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

/** Max of the bins that fall into each of `width` columns. */
function resample(bins: number[], width: number, pick: (a: number, b: number) => number): Float32Array {
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

export function Spectrum({ bridge, run, live, emptyHint }: { bridge: RendererBridge; run: number | undefined; live: boolean; emptyHint: string }) {
  const panRef = useRef<HTMLCanvasElement>(null);
  const wfRef = useRef<HTMLCanvasElement>(null);
  const [info, setInfo] = useState<{ streamId: string; frames: number; lines: number; gaps: number } | null>(null);
  const [stale, setStale] = useState(false);

  useEffect(() => {
    let yMax = 1;
    let lo = Infinity;
    let hi = -Infinity;
    let lastTimecode: number | undefined;
    let lastAt = 0;
    const counts = { frames: 0, lines: 0, gaps: 0, streamId: '' };

    const drawFft = (bins: number[]): void => {
      const c = panRef.current;
      const ctx = c?.getContext('2d');
      if (!c || !ctx) return;
      const { width: W, height: H } = c;
      // Bins are y pixels counted from the top (0 = strongest), reference §3.1; scale to our height.
      for (const b of bins) if (b > yMax) yMax = b;
      const col = resample(bins, W, Math.min);
      ctx.fillStyle = '#05080c';
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
      ctx.beginPath();
      ctx.moveTo(0, H);
      for (let x = 0; x < W; x++) ctx.lineTo(x, (col[x]! / yMax) * (H - 2) + 1);
      ctx.lineTo(W, H);
      ctx.closePath();
      ctx.fillStyle = 'rgba(88,166,255,0.25)';
      ctx.fill();
      ctx.beginPath();
      for (let x = 0; x < W; x++) ctx.lineTo(x, (col[x]! / yMax) * (H - 2) + 1);
      ctx.strokeStyle = '#79c0ff';
      ctx.stroke();
    };

    const scrollAndPaint = (row: (img: ImageData) => void): void => {
      const c = wfRef.current;
      const ctx = c?.getContext('2d');
      if (!c || !ctx) return;
      ctx.drawImage(c, 0, 0, c.width, c.height - 1, 0, 1, c.width, c.height - 1);
      const img = ctx.createImageData(c.width, 1);
      row(img);
      ctx.putImageData(img, 0, 0);
    };

    const drawLine = (timecode: number, bins: number[]): void => {
      if (lastTimecode !== undefined) {
        // Lines that never arrived; an older or repeated timecode (reorder) is not a gap.
        const missing = timecode > lastTimecode ? Math.min(GAP_ROWS_MAX, timecode - lastTimecode - 1) : 0;
        if (missing > 0) counts.gaps++;
        for (let i = 0; i < missing; i++) {
          scrollAndPaint((img) => {
            for (let x = 0; x < img.width; x++) {
              const stripe = (x >> 2) % 2 === 0;
              img.data.set(stripe ? [120, 20, 28, 255] : [60, 10, 14, 255], x * 4);
            }
          });
        }
      }
      lastTimecode = timecode;
      for (const b of bins) {
        if (b < lo) lo = b;
        if (b > hi) hi = b;
      }
      const span = Math.max(1, hi - lo);
      scrollAndPaint((img) => {
        const col = resample(bins, img.width, Math.max);
        for (let x = 0; x < img.width; x++) {
          const [r, g, b] = PALETTE[Math.max(0, Math.min(255, Math.round(((col[x]! - lo) / span) * 255)))]!;
          img.data[x * 4] = r;
          img.data[x * 4 + 1] = g;
          img.data[x * 4 + 2] = b;
          img.data[x * 4 + 3] = 255;
        }
      });
    };

    const clear = (): void => {
      for (const c of [panRef.current, wfRef.current]) {
        const ctx = c?.getContext('2d');
        if (c && ctx) {
          ctx.fillStyle = '#05080c';
          ctx.fillRect(0, 0, c.width, c.height);
        }
      }
    };
    // Every run starts blank: nothing of an earlier source is drawn under a new one.
    clear();
    setInfo(null);
    setStale(false);

    const off = bridge.onSnapshot((s) => {
      if (s.type !== 'spectrum' || s.run !== run) return;
      const snap: SpectrumSnapshot = s;
      if (snap.streamId !== counts.streamId) {
        counts.streamId = snap.streamId;
        counts.frames = counts.lines = counts.gaps = 0;
        lastTimecode = undefined;
        yMax = 1;
        lo = Infinity;
        hi = -Infinity;
        clear();
      }
      if (snap.fft) {
        counts.frames++;
        drawFft(snap.fft.bins);
      }
      for (const l of snap.lines) {
        counts.lines++;
        drawLine(l.timecode, l.bins);
      }
      lastAt = performance.now();
      setStale(false);
      setInfo({ ...counts });
    });
    const staleTimer = setInterval(() => {
      if (lastAt > 0 && performance.now() - lastAt > 2000) setStale(true);
    }, 500);
    return () => {
      off();
      clearInterval(staleTimer);
    };
  }, [bridge, run]);

  const overlay = info === null ? emptyHint : stale && live ? 'No panadapter or waterfall data for more than 2 s' : null;
  return (
    <section className="panel spectrum" aria-label="Panadapter and waterfall">
      <h2>
        Panadapter &amp; waterfall{' '}
        {info && (
          <span className="muted small mono">
            {info.streamId} · {info.frames} frames · {info.lines} lines{info.gaps ? ` · ${info.gaps} gaps (red)` : ''}
          </span>
        )}
      </h2>
      <div className="spectrum-stack">
        <canvas ref={panRef} width={800} height={140} data-testid="panadapter" aria-label="Panadapter: signal level across the band, latest FFT frame" role="img" />
        <canvas ref={wfRef} width={800} height={160} data-testid="waterfall" aria-label="Waterfall: newest line at the top; red bands are missing lines" role="img" />
        {overlay && (
          <div className="spectrum-overlay" role="status">
            {overlay}
          </div>
        )}
      </div>
    </section>
  );
}
