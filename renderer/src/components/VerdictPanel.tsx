import type { Verdict } from '../../../src/bridge/protocol.js';
import { CAPTURE_NEXT, CAUSE_LABEL, HOP_LABEL, summaryForPanel, VERDICT_WORD } from '../vocab.js';

export function VerdictPanel({
  verdict,
  running,
  upload,
  error,
}: {
  verdict: Verdict | undefined;
  running: boolean;
  upload: { name: string; fraction: number } | null;
  error: string | undefined;
}) {
  // Someone sending their capture sees its progress, never another source's verdict.
  if (upload) {
    const pct = Math.round(upload.fraction * 100);
    return (
      <section className="panel verdict verdict-none" aria-label="Verdict" data-testid="verdict-upload">
        <h2>Uploading your capture</h2>
        <p>
          {upload.name} — {pct} %
        </p>
        <div className="upload-bar" role="progressbar" aria-label={`Uploading ${upload.name}`} aria-valuemin={0} aria-valuemax={100} aria-valuenow={pct} data-testid="upload-progress">
          <div style={{ width: `${pct}%` }} />
        </div>
      </section>
    );
  }
  if (error && !verdict) {
    return (
      <section className="panel verdict verdict-blocked" aria-label="Verdict" data-testid="verdict-error" role="alert">
        <h2>This file could not be analysed</h2>
        <p className="verdict-summary">{error}</p>
      </section>
    );
  }
  if (!verdict) {
    return (
      <section className="panel verdict verdict-none" aria-label="Verdict">
        <h2>Verdict</h2>
        <p className="muted">{running ? 'Collecting evidence…' : 'Choose a source on the left: a radio, a capture file, or the demo.'}</p>
      </section>
    );
  }
  const next = verdict.cause ? CAPTURE_NEXT[verdict.cause] : 'Capture the session on this computer (tcpdump -i any -w session.pcapng) while the problem happens, and open it here.';
  return (
    <section tabIndex={0} className={`panel verdict verdict-${verdict.status}`} aria-label="Verdict" data-testid="verdict" data-status={verdict.status} data-hop={verdict.hop ?? ''} data-cause={verdict.cause ?? ''}>
      <div className="verdict-head">
        <span className={`verdict-badge v-${verdict.status}`}>{VERDICT_WORD[verdict.status]}</span>
        {verdict.hop && (
          <span className="verdict-where">
            at <strong>{HOP_LABEL[verdict.hop]}</strong>
          </span>
        )}
        {verdict.cause && verdict.cause !== 'healthy' && (
          <span className="verdict-cause">
            cause: <strong>{CAUSE_LABEL[verdict.cause]}</strong>
          </span>
        )}
        {running && <span className="live-dot" aria-label="updating live">LIVE</span>}
      </div>
      <p className="verdict-summary">{summaryForPanel(verdict.summary)}</p>
      <div className="verdict-cols">
        <div>
          <h3>What to do</h3>
          {verdict.advice.length ? (
            <ul>
              {verdict.advice.map((a, i) => (
                <li key={i}>{a}</li>
              ))}
            </ul>
          ) : (
            <p className="muted">No action needed.</p>
          )}
        </div>
        <div>
          <h3>What to capture next</h3>
          <p className="capture-next">{next}</p>
        </div>
      </div>
    </section>
  );
}
