import type { StreamRow } from '../../../src/bridge/protocol.js';
import { KIND_LABEL, lossPct as lossOf } from '../vocab.js';

const fmt = (n: number, digits = 1): string => (Number.isFinite(n) ? n.toFixed(digits) : '—');

export function StreamsTable({ streams }: { streams: StreamRow[] }) {
  return (
    <section className="panel streams" aria-label="Streams">
      <h2>Streams</h2>
      {streams.length === 0 ? (
        <p className="muted">No VITA-49 stream seen yet.</p>
      ) : (
        <div className="table-wrap">
          <table data-testid="streams-table">
            <thead>
              <tr>
                <th scope="col">Kind</th>
                <th scope="col">Stream ID</th>
                <th scope="col">Source → destination</th>
                <th scope="col" className="num" title="Live: over the last second; capture: average over the stream's life">Pkts/s</th>
                <th scope="col" className="num">Expected</th>
                <th scope="col" className="num">Loss %</th>
                <th scope="col" className="num">Jitter ms</th>
                <th scope="col" className="num">Size B</th>
                <th scope="col" className="num">Packets</th>
              </tr>
            </thead>
            <tbody>
              {streams.map((s) => {
                const lossPct = lossOf(s);
                // Live: what flows now, so a stream that stopped reads 0, not its lifetime average.
                const pps = s.nowPps ?? s.ratePps;
                const low = s.expectedPps !== undefined && pps < 0.8 * s.expectedPps;
                return (
                  <tr key={`${s.id}-${s.src}-${s.dst}`}>
                    <td>{KIND_LABEL[s.kind]}</td>
                    <td className="mono">{s.id}</td>
                    <td className="mono">
                      {s.src} → {s.dst}
                    </td>
                    <td className={`num mono${low ? ' warn' : ''}`}>{fmt(pps)}{low ? ' ▼' : ''}</td>
                    <td className="num mono muted">{s.expectedPps !== undefined ? `≈${fmt(s.expectedPps)}` : 'varies'}</td>
                    <td className={`num mono${lossPct >= 1 ? ' warn' : ''}`}>{fmt(lossPct, 2)}{lossPct >= 1 ? ' ▲' : ''}</td>
                    <td className="num mono">{s.jitterMs !== undefined ? fmt(s.jitterMs) : '—'}</td>
                    <td className="num mono">{s.minSize === s.maxSize ? s.maxSize : `${s.minSize}–${s.maxSize}`}</td>
                    <td className="num mono">{s.packets}</td>
                  </tr>
                );
              })}
            </tbody>
          </table>
          <p className="muted small">▼ rate below 80 % of what a healthy LAN delivers · ▲ 1 % or more lost · jitter: smoothed variation of the spacing between frames (panadapter, waterfall) or packets</p>
        </div>
      )}
    </section>
  );
}
