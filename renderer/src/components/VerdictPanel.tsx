import type { Verdict } from '../../../src/analysis/model.js';
import { CAPTURE_NEXT, CAUSE_LABEL, HOP_LABEL, summaryForPanel, VERDICT_WORD } from '../vocab.js';

export function VerdictPanel({ verdict, running }: { verdict: Verdict | undefined; running: boolean }) {
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
    <section className={`panel verdict verdict-${verdict.status}`} aria-label="Verdict" data-testid="verdict" data-status={verdict.status} data-hop={verdict.hop ?? ''} data-cause={verdict.cause ?? ''}>
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
