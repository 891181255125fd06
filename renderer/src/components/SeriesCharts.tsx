import { memo } from 'react';
import { CartesianGrid, Legend, Line, LineChart, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import type { StreamKind } from '../../../src/analysis/model.js';
import type { SeriesPoint } from '../../../src/bridge/protocol.js';
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
        <LineChart data={data} margin={{ top: 4, right: 8, bottom: 0, left: -12 }}>
          <CartesianGrid stroke="#232a34" />
          <XAxis dataKey="t" type="number" domain={['dataMin', 'dataMax']} allowDecimals={false} tickFormatter={(v: number) => `${v}s`} stroke="#6e7681" fontSize={10} />
          <YAxis stroke="#6e7681" fontSize={10} unit={unit} />
          <Tooltip contentStyle={{ background: '#161b22', border: '1px solid #2a313c', fontSize: 11 }} labelFormatter={(v) => `t = ${Number(v).toFixed(0)} s`} />
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
  (a, b) => a.live === b.live && a.series.length === b.series.length && a.series.at(-1)?.t === b.series.at(-1)?.t,
);

function SeriesChartsView({ series, live }: { series: SeriesPoint[]; live: boolean }) {
  return (
    <section className="panel charts" aria-label="Rate and loss over time">
      <h2>Rate and loss per class</h2>
      {series.length < 2 ? (
        <p className="muted">{live ? 'Collecting… the first points appear after two seconds.' : 'This capture is shorter than two seconds: see the table.'}</p>
      ) : (
        <div className="chart-row" data-testid="charts">
          <Chart title="Packets per second" series={series} pick={(p) => p.rate} unit="" />
          <Chart title="Loss %" series={series} pick={(p) => p.lossPct} unit="%" />
        </div>
      )}
    </section>
  );
}
