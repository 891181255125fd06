import { useEffect, useState } from 'react';
import type { ReportDiff } from '../../../src/bridge/protocol.js';
import { captureRef, type RendererBridge } from '../bridge-client.js';
import { causeText, hopText, STATUS_GLYPH, STATUS_WORD, VERDICT_WORD } from '../vocab.js';

type Side = 'before' | 'after';

/**
 * Before/after: two captures of the same station, from before and after a change, compared hop by hop
 * (`flexpath diff`), so support can show a customer that their change worked — "Waterfall: BLOCKED
 * (MTU: large packets vanish) → OK", in the path view's words (the CLI's line keeps the ids). The main
 * view is left as it is.
 */
export function DiffPanel({ bridge, enabled }: { bridge: RendererBridge; enabled: boolean }) {
  const [files, setFiles] = useState<Record<Side, File | null>>({ before: null, after: null });
  const [busy, setBusy] = useState(false);
  const [result, setResult] = useState<{ diff: ReportDiff } | { error: string } | null>(null);

  useEffect(
    () =>
      bridge.onSnapshot((s) => {
        if (s.type !== 'diff') return;
        setBusy(false);
        setResult(s.outcome.ok ? { diff: s.outcome.diff } : { error: s.outcome.error });
      }),
    [bridge],
  );

  const compare = async (): Promise<void> => {
    const { before, after } = files;
    if (!before || !after) return;
    setBusy(true);
    setResult(null);
    try {
      const [b, a] = await Promise.all([captureRef(bridge, before), captureRef(bridge, after)]);
      bridge.send({ type: 'diff', before: b, after: a });
    } catch (e) {
      setBusy(false);
      setResult({ error: e instanceof Error ? e.message : String(e) });
    }
  };

  const picker = (side: Side, label: string) => (
    <label className="diff-pick">
      <span>{label}</span>
      <input
        type="file"
        accept=".pcap,.pcapng,.cap,.gz,.zip"
        disabled={!enabled || busy}
        data-testid={`diff-${side}`}
        onChange={(e) => {
          const f = e.target.files?.[0] ?? null;
          setFiles((prev) => ({ ...prev, [side]: f }));
        }}
      />
    </label>
  );

  return (
    <section className="panel diff" aria-labelledby="h-diff">
      <h2 id="h-diff">Before / after</h2>
      <p className="muted small">Two captures of the same station, before and after a change: what changed, hop by hop.</p>
      <div className="diff-picks">
        {picker('before', 'Before the change')}
        {picker('after', 'After the change')}
        <button type="button" disabled={!enabled || busy || !files.before || !files.after} onClick={() => void compare()} data-testid="diff-compare">
          {busy ? 'Comparing…' : 'Compare'}
        </button>
      </div>
      {result && 'error' in result && (
        <p className="notice notice-error" role="alert" data-testid="diff-error">
          {result.error}
        </p>
      )}
      {result && 'diff' in result && <DiffResult diff={result.diff} />}
    </section>
  );
}

type HopState = ReportDiff['hops'][number]['before'];

/** "BLOCKED (MTU: large packets vanish)": a hop's state in the words the path view uses. */
const stateText = (s: HopState): string => `${STATUS_WORD[s.status]}${s.cause && s.cause !== 'healthy' ? ` (${causeText(s.cause)})` : ''}`;

function DiffResult({ diff }: { diff: ReportDiff }) {
  const shown = diff.hops.filter((h) => h.changed || h.after.status !== 'unknown' || h.before.status !== 'unknown');
  const changes = diff.hops.filter((h) => h.changed).map((h) => `${hopText(h.id)}: ${stateText(h.before)} → ${stateText(h.after)}`);
  return (
    <div data-testid="diff-result">
      <p className="small">
        <span className="mono">{diff.before.file}</span> {VERDICT_WORD[diff.before.verdict.status]} → <span className="mono">{diff.after.file}</span>{' '}
        <strong className={`verdict-word verdict-${diff.after.verdict.status}`}>{VERDICT_WORD[diff.after.verdict.status]}</strong>
      </p>
      {changes.length === 0 ? (
        <p data-testid="diff-none">No hop changed.</p>
      ) : (
        <ul className="diff-lines" data-testid="diff-changes">
          {changes.map((line) => (
            <li key={line}>{line}</li>
          ))}
        </ul>
      )}
      <div className="table-wrap">
        <table data-testid="diff-table">
          <thead>
            <tr>
              <th scope="col">Hop</th>
              <th scope="col">Before</th>
              <th scope="col">After</th>
              <th scope="col">After: evidence</th>
            </tr>
          </thead>
          <tbody>
            {shown.map((h) => (
              <tr key={h.id} className={h.changed ? 'changed' : undefined}>
                <th scope="row">{hopText(h.id)}</th>
                <td className={`hop-${h.before.status}`}>
                  {STATUS_GLYPH[h.before.status]} {stateText(h.before)}
                </td>
                <td className={`hop-${h.after.status}`}>
                  {STATUS_GLYPH[h.after.status]} {stateText(h.after)}
                </td>
                <td className="small">{h.after.evidence}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </div>
  );
}
