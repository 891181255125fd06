import type { SessionState } from '../../../src/bridge/protocol.js';
import type { RendererBridge } from '../bridge-client.js';
import { causeText, hopText } from '../vocab.js';

/**
 * A zip of several captures: what a support engineer wants first is which of them is broken, so every
 * capture is analysed and listed (the CLI's triage table), and any one opens in full from its row.
 */
export function ArchivePanel({ bridge, archive, openLabel }: { bridge: RendererBridge; archive: NonNullable<SessionState['archive']>; openLabel: string | undefined }) {
  return (
    <section className="panel archive" aria-labelledby="h-archive">
      <h2 id="h-archive">
        {archive.label}: {archive.rows.length} captures
      </h2>
      <div className="table-wrap">
        <table data-testid="archive-table">
          <thead>
            <tr>
              <th scope="col">Open</th>
              <th scope="col">Capture</th>
              <th scope="col">Verdict</th>
              <th scope="col">Hop</th>
              <th scope="col">Cause</th>
              <th scope="col">Key figure</th>
            </tr>
          </thead>
          <tbody>
            {archive.rows.map((r) => {
              const open = openLabel === `${archive.label} › ${r.entry}`;
              return (
                <tr key={r.entry} aria-current={open ? 'true' : undefined} data-testid="archive-row">
                  <td>
                    {r.readable && (
                      <button type="button" disabled={open} onClick={() => bridge.send({ type: 'open-entry', entry: r.entry })}>
                        {open ? 'Shown' : 'Open'}
                      </button>
                    )}
                  </td>
                  <td className="mono">{r.entry}</td>
                  <td className={`verdict-word verdict-${r.verdict}`}>{r.verdict.toUpperCase()}</td>
                  <td>{r.hop ? hopText(r.hop) : '—'}</td>
                  <td>{r.cause ? causeText(r.cause) : '—'}</td>
                  <td className="small">{r.readable ? r.figure : r.error}</td>
                </tr>
              );
            })}
          </tbody>
        </table>
      </div>
    </section>
  );
}
