import type { SessionState, Verdict } from '../../../src/bridge/protocol.js';
import { summarizeArchive } from '../archive-summary.js';
import { CodeText } from './CodeText.js';
import { CAPTURE_NEXT, CAUSE_LABEL, causeText, HOP_LABEL, hopText, summaryForPanel, VERDICT_WORD } from '../vocab.js';

export function VerdictPanel({
  verdict,
  running,
  upload,
  error,
  archive,
}: {
  verdict: Verdict | undefined;
  running: boolean;
  upload: { name: string; fraction: number } | null;
  error: string | undefined;
  /** A zip of several captures listed in the table above; none of them may be open yet. */
  archive: SessionState['archive'];
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
  if (!verdict && archive && !running) return <ArchiveVerdict archive={archive} />;
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
                <li key={i}>
                  <CodeText text={a} />
                </li>
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

/** The zip's captures are analysed and listed, none is open: the worst of them, and how many of each. */
function ArchiveVerdict({ archive }: { archive: NonNullable<SessionState['archive']> }) {
  const s = summarizeArchive(archive.rows);
  const w = s.worst;
  const tally = [...s.counts.map((c) => `${c.n} ${VERDICT_WORD[c.status]}`), ...(s.unreadable > 0 ? [`${s.unreadable} unreadable`] : [])].join(' · ');
  return (
    <section className={`panel verdict verdict-${s.worstStatus ?? 'none'}`} aria-label="Verdict" data-testid="verdict-archive" data-worst={s.worstStatus ?? ''}>
      <div className="verdict-head">
        {s.worstStatus && <span className={`verdict-badge v-${s.worstStatus}`}>{VERDICT_WORD[s.worstStatus]}</span>}
        <span className="verdict-where">
          {s.worstStatus === undefined ? 'none' : s.counts.length === 1 && s.unreadable === 0 ? 'all' : 'worst'} of the <strong>{s.total} captures</strong> in {archive.label}
        </span>
      </div>
      <p className="verdict-summary">
        {w === undefined
          ? 'None of them could be read: the table says why for each.'
          : `${w.entry}${w.hop ? ` at ${hopText(w.hop)}` : ''}${w.cause ? ` (${causeText(w.cause)})` : ''}${w.figure ? ` — ${w.figure}` : ''}`}
      </p>
      <p className="muted" data-testid="verdict-archive-tally">
        {tally}. Open a capture from the table for its full verdict, path and streams.
      </p>
    </section>
  );
}
