/**
 * Panadapter trace and waterfall. Live: drawn from the FFT frames and waterfall lines the core pushes,
 * straight to canvas outside React's render cycle; a jump in the waterfall timecode is painted as a
 * red band — a gap is shown as a gap, never smoothed over. Capture: the capture's own frames and lines
 * (a replay snapshot), the waterfall laid out over capture time with holes hatched red, and a time
 * scrubber choosing the panadapter frame. Axes in MHz (pan center ± bandwidth/2) and dBm (min/max_dbm).
 */
import { useEffect, useMemo, useRef, useState, type ReactNode } from 'react';
import type { PanScale, ReplaySnapshot, SpectrumSnapshot } from '../../../src/bridge/protocol.js';
import type { RendererBridge } from '../bridge-client.js';
import { clearCanvas, dbTicks, drawFft, freqTicks, paintGapRow, paintRow } from '../spectrum-draw.js';

const GAP_ROWS_MAX = 24;
const WF_ROWS = 160;

function Axes({ pan, timeTicks, children }: { pan: PanScale | undefined; timeTicks: { at: number; label: string }[]; children: [ReactNode, ReactNode] }) {
  return (
    <div className="spectrum-stack">
      <div className="plot">
        {children[0]}
        {pan && (
          <div className="axis db-axis" aria-hidden="true">
            {dbTicks(pan).map((t) => (
              <span key={t.at} style={{ top: `${t.at * 100}%` }}>
                {t.at === 0 ? `${t.label} dBm` : t.label}
              </span>
            ))}
          </div>
        )}
      </div>
      {pan ? (
        <div className="axis freq-axis" data-testid="freq-axis" aria-label={`Frequency axis ${freqTicks(pan)[0]!.label} to ${freqTicks(pan).at(-1)!.label} MHz, level axis ${pan.maxDbm} to ${pan.minDbm} dBm`}>
          {freqTicks(pan).map((t) => (
            <span key={t.at} style={{ left: `${t.at * 100}%` }}>
              {t.at === 1 ? `${t.label} MHz` : t.label}
            </span>
          ))}
        </div>
      ) : (
        <div className="axis freq-axis" />
      )}
      <div className="plot">
        {children[1]}
        <div className="axis time-axis" aria-hidden="true">
          {timeTicks.map((t) => (
            <span key={t.at} style={{ top: `${t.at * 100}%` }}>
              {t.label}
            </span>
          ))}
        </div>
      </div>
    </div>
  );
}

export function Spectrum({ bridge, run, live, emptyHint, replay }: { bridge: RendererBridge; run: number | undefined; live: boolean; emptyHint: string; replay: ReplaySnapshot | null }) {
  return replay ? <Replay replay={replay} /> : <LiveSpectrum bridge={bridge} run={run} live={live} emptyHint={emptyHint} />;
}

function LiveSpectrum({ bridge, run, live, emptyHint }: { bridge: RendererBridge; run: number | undefined; live: boolean; emptyHint: string }) {
  const panRef = useRef<HTMLCanvasElement>(null);
  const wfRef = useRef<HTMLCanvasElement>(null);
  const [info, setInfo] = useState<{ streamId: string; frames: number; lines: number; gaps: number } | null>(null);
  const [pan, setPan] = useState<PanScale | undefined>(undefined);
  const [stale, setStale] = useState(false);

  useEffect(() => {
    let yMax = 1;
    let lo = Infinity;
    let hi = -Infinity;
    let lastTimecode: number | undefined;
    let lastAt = 0;
    let panKey = '';
    const counts = { frames: 0, lines: 0, gaps: 0, streamId: '' };

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
        for (let i = 0; i < missing; i++) scrollAndPaint((img) => paintGapRow(img, 0));
      }
      lastTimecode = timecode;
      for (const b of bins) {
        if (b < lo) lo = b;
        if (b > hi) hi = b;
      }
      scrollAndPaint((img) => paintRow(img, 0, bins, lo, hi));
    };

    // Every run starts blank: nothing of an earlier source is drawn under a new one.
    clearCanvas(panRef.current);
    clearCanvas(wfRef.current);
    setInfo(null);
    setPan(undefined);
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
        clearCanvas(panRef.current);
        clearCanvas(wfRef.current);
      }
      if (snap.pan) {
        const key = JSON.stringify(snap.pan);
        if (key !== panKey) {
          panKey = key;
          setPan(snap.pan);
        }
      }
      if (snap.fft) {
        counts.frames++;
        // With the pan's y_pixels known the scale is fixed; else the largest bin seen is the bottom.
        if (snap.pan) yMax = snap.pan.yPixels - 1;
        else for (const b of snap.fft.bins) if (b > yMax) yMax = b;
        drawFft(panRef.current, snap.fft.bins, yMax);
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
      <div className="spectrum-wrap">
        <Axes pan={pan} timeTicks={[{ at: 0, label: 'newest' }, { at: 0.93, label: 'older' }]}>
          <canvas ref={panRef} className="pan-canvas" width={800} height={140} data-testid="panadapter" aria-label="Panadapter: signal level across the band, latest FFT frame" role="img" />
          <canvas ref={wfRef} width={800} height={WF_ROWS} data-testid="waterfall" aria-label="Waterfall: newest line at the top; red bands are missing lines" role="img" />
        </Axes>
        {overlay && (
          <div className="spectrum-overlay" role="status">
            {overlay}
          </div>
        )}
      </div>
    </section>
  );
}

/** Index of the last entry with t ≤ `t`, or -1. */
function lastAtOrBefore(items: readonly { t: number }[], t: number): number {
  let lo = 0;
  let hi = items.length - 1;
  let found = -1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if (items[mid]!.t <= t) {
      found = mid;
      lo = mid + 1;
    } else hi = mid - 1;
  }
  return found;
}

function Replay({ replay }: { replay: ReplaySnapshot }) {
  const panRef = useRef<HTMLCanvasElement>(null);
  const wfRef = useRef<HTMLCanvasElement>(null);
  const duration = Math.max(replay.durationS, 0.001);
  const [t, setT] = useState(0);
  const yMax = useMemo(() => (replay.pan ? replay.pan.yPixels - 1 : Math.max(1, ...replay.fft.flatMap((f) => f.bins))), [replay]);

  // The waterfall over the whole capture: row r is capture time r/rows × duration, top to bottom.
  const [gapRows, setGapRows] = useState(0);
  useEffect(() => {
    const c = wfRef.current;
    const ctx = c?.getContext('2d');
    if (!c || !ctx) return;
    clearCanvas(c);
    const img = ctx.createImageData(c.width, c.height);
    let lo = Infinity;
    let hi = -Infinity;
    for (const l of replay.lines) for (const b of l.bins) (lo = Math.min(lo, b)), (hi = Math.max(hi, b));
    // A hole longer than two line spacings (or any time without lines, when waterfall datagrams did
    // arrive) is a gap; shorter ones take the previous line, as a live waterfall would show it.
    const maxHole = 2 * (replay.lineIntervalS ?? duration);
    let gaps = 0;
    for (let r = 0; r < c.height; r++) {
      const mid = ((r + 0.5) * duration) / c.height;
      const i = lastAtOrBefore(replay.lines, mid);
      const line = i >= 0 ? replay.lines[i] : undefined;
      // Before the first line the display was still being set up, unless no line ever completed.
      const hole = line ? mid - line.t > maxHole : replay.lines.length === 0;
      if (line && !hole) paintRow(img, r, line.bins, lo, hi);
      else if (hole && replay.waterfallSeen) {
        paintGapRow(img, r);
        gaps++;
      } else {
        for (let x = 0; x < c.width; x++) img.data.set([5, 8, 12, 255], (r * c.width + x) * 4);
      }
    }
    ctx.putImageData(img, 0, 0);
    setGapRows(gaps);
  }, [replay, duration]);

  useEffect(() => {
    const i = lastAtOrBefore(replay.fft, t);
    const frame = replay.fft[Math.max(0, i)];
    if (frame) drawFft(panRef.current, frame.bins, yMax);
    else clearCanvas(panRef.current);
  }, [replay, t, yMax]);

  const ticks = [0, 0.25, 0.5, 0.75, 1].map((f) => ({ at: f * 0.93, label: `${(f * duration).toFixed(duration < 10 ? 1 : 0)} s` }));
  const frameIdx = lastAtOrBefore(replay.fft, t);
  return (
    <section className="panel spectrum" aria-label="Panadapter and waterfall, replayed from the capture" data-testid="replay">
      <h2>
        Panadapter &amp; waterfall{' '}
        <span className="muted small mono">
          {replay.streamId} · from the capture · {replay.fft.length} frames · {replay.lines.length} lines{gapRows ? ` · gaps hatched red` : ''}
        </span>
      </h2>
      <div className="spectrum-wrap">
        <Axes pan={replay.pan} timeTicks={ticks}>
          <>
            <canvas ref={panRef} className="pan-canvas" width={800} height={140} data-testid="panadapter" aria-label={`Panadapter at ${t.toFixed(2)} s of the capture`} role="img" />
            {/* Over the panadapter only: the waterfall's gap hatching below is the MTU evidence and stays in view. */}
            {replay.fft.length === 0 && (
              <div className="spectrum-overlay" role="status" data-testid="replay-overlay">
                No panadapter frame of this capture is complete: see the path above.
              </div>
            )}
          </>
          <div className="wf-replay">
            <canvas ref={wfRef} width={800} height={240} data-testid="waterfall" aria-label="Waterfall over the whole capture, time downwards; red hatching: no complete line arrived" role="img" />
            <div className="scrub-mark" style={{ top: `${(t / duration) * 100}%` }} aria-hidden="true" />
          </div>
        </Axes>
      </div>
      <label className="scrubber">
        <span className="small">Capture time</span>
        <input type="range" min={0} max={duration} step={duration / 1000} value={t} onChange={(e) => setT(Number(e.target.value))} data-testid="scrubber" />
        <span className="mono small" data-testid="scrub-time">
          {t.toFixed(2)} s / {duration.toFixed(2)} s{frameIdx >= 0 ? ` · frame ${frameIdx + 1} of ${replay.fft.length}` : ''}
        </span>
      </label>
    </section>
  );
}
