import { memo, useEffect, useRef } from 'react';
import { CartesianGrid, Legend, Line, LineChart, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import type { SeriesPoint, StreamKind } from '../../../src/bridge/protocol.js';
import { KIND_COLOR, KIND_DASH, KIND_LABEL } from '../vocab.js';

function Chart({ title, series, pick, unit }: { title: string; series: SeriesPoint[]; pick: (p: SeriesPoint) => Partial<Record<StreamKind, number>>; unit: string }) {
  const kinds = [...new Set(series.flatMap((p) => Object.keys(pick(p)) as StreamKind[]))].filter((k) => k !== 'discovery');
  const data = series.map((p) => ({ t: p.t, ...pick(p) }));
  if (kinds.length === 0) {
    return (
      <figure className="chart" aria-label={title}>
        <figcaption>{title}</figcaption>
        <p className="muted small chart-empty">No VITA-49 packet has arrived from the radio yet: nothing to plot.</p>
      </figure>
    );
  }
  return (
    <figure className="chart" aria-label={`${title}: ${kinds.map((k) => KIND_LABEL[k]).join(', ')}`}>
      <figcaption>{title}</figcaption>
      <ResponsiveContainer width="100%" height={150}>
        {/* No accessibility layer: it makes every chart a tab stop with nothing to say that the
            figure's label and the table do not; keyboard order stays sources → verdict → hops. */}
        <LineChart data={data} margin={{ top: 4, right: 8, bottom: 0, left: -12 }} accessibilityLayer={false}>
          <CartesianGrid className="chart-grid" />
          <XAxis dataKey="t" type="number" domain={['dataMin', 'dataMax']} allowDecimals={false} tickFormatter={(v: number) => `${v}s`} fontSize={11} />
          <YAxis fontSize={11} unit={unit} />
          <Tooltip
            contentStyle={{ background: 'var(--panel)', border: '1px solid var(--border)', color: 'var(--text)', fontSize: 11 }}
            labelFormatter={(v) => `t = ${Number(v).toFixed(0)} s`}
          />
          <Legend wrapperStyle={{ fontSize: 11 }} />
          {kinds.map((k) => (
            <Line key={k} dataKey={k} name={KIND_LABEL[k]} stroke={KIND_COLOR[k]} strokeDasharray={KIND_DASH[k]} legendType="plainline" dot={false} isAnimationActive={false} strokeWidth={1.5} />
          ))}
        </LineChart>
      </ResponsiveContainer>
    </figure>
  );
}

/**
 * Model snapshots arrive up to 10/s but the series gains one point a second: redraw the charts only
 * when a point was added (charting is the costliest part of a live render).
 */
export const SeriesCharts = memo(
  SeriesChartsView,
  (a, b) => a.live === b.live && a.hasSource === b.hasSource && a.series.length === b.series.length && a.series.at(-1)?.t === b.series.at(-1)?.t,
);

function SeriesChartsView({ series, live, hasSource }: { series: SeriesPoint[]; live: boolean; hasSource: boolean }) {
  const ref = useRef<HTMLElement>(null);
  // recharts' layer groups become tab stops (8 per pair of charts in Chromium) with nothing to announce
  // that the figure's label and the streams table do not say: keep them out of the tab order
  // (sources → verdict → hops), also when recharts adds layers later.
  useEffect(() => {
    const root = ref.current;
    if (!root) return;
    const untab = (): void => {
      for (const el of root.querySelectorAll('svg g, [tabindex]:not([tabindex="-1"])')) if (el.getAttribute('tabindex') !== '-1') el.setAttribute('tabindex', '-1');
    };
    untab();
    const watch = new MutationObserver(untab);
    watch.observe(root, { childList: true, subtree: true });
    return () => watch.disconnect();
  }, []);
  return (
    <section className="panel charts" aria-label="Rate and loss over time" ref={ref}>
      <h2>Rate and loss per class</h2>
      {series.length < 2 ? (
        <p className="muted">{live ? 'Collecting… the first points appear after two seconds.' : hasSource ? 'This capture is shorter than two seconds: see the table.' : 'Rate and loss per class are drawn once a source runs.'}</p>
      ) : (
        <div className="chart-row" data-testid="charts">
          <Chart title="Packets per second" series={series} pick={(p) => p.rate} unit="" />
          <Chart title="Loss %" series={series} pick={(p) => p.lossPct} unit="%" />
        </div>
      )}
    </section>
  );
}
