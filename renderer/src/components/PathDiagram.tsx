/**
 * The path as a map: six places packets pass, control hops drawn above them, data hops below, each
 * as a bar over the stretch of path it covers. Status shows as colour AND word AND glyph (dashed
 * outline for unknown). A bar shows the hop's leading evidence line (the engine puts the deciding fact
 * first); all of it is in the tooltip, and in the panel below once the bar is clicked or activated
 * from the keyboard.
 */
import { useState } from 'react';
import type { Hop, HopId, Verdict } from '../../../src/analysis/model.js';
import { CAUSE_LABEL, HOP_LABEL, STATUS_GLYPH, STATUS_WORD } from '../vocab.js';

const PLACES = ['This computer', 'Local network / VPN', 'Internet', 'SmartLink server', "Radio's router", 'Radio'] as const;

/** Which places each hop spans (column indexes into PLACES) and which way its packets flow. */
const SPAN: Record<HopId, { from: number; to: number; dir: '→' | '←' | '⇄' }> = {
  discovery: { from: 0, to: 1, dir: '←' },
  'smartlink-server': { from: 0, to: 3, dir: '⇄' },
  'radio-registration': { from: 3, to: 5, dir: '⇄' },
  'radio-forwarding': { from: 4, to: 5, dir: '⇄' },
  control: { from: 0, to: 5, dir: '⇄' },
  'stream-setup': { from: 0, to: 5, dir: '⇄' },
  // The client's registrations and pings go out, the radio's data comes back: both ways.
  'udp-return': { from: 0, to: 5, dir: '⇄' },
  'data:meter': { from: 0, to: 5, dir: '←' },
  'data:panadapter': { from: 0, to: 5, dir: '←' },
  'data:waterfall': { from: 0, to: 5, dir: '←' },
  'data:audio': { from: 0, to: 5, dir: '←' },
  'data:dax': { from: 0, to: 5, dir: '←' },
};

export function PathDiagram({ hops, verdict }: { hops: Hop[]; verdict: Verdict | undefined }) {
  const [selected, setSelected] = useState<HopId | null>(null);
  const control = hops.filter((h) => h.plane === 'control');
  const data = hops.filter((h) => h.plane === 'data');
  const sel = hops.find((h) => h.id === selected) ?? hops.find((h) => h.id === verdict?.hop) ?? null;

  const bar = (h: Hop) => {
    const span = SPAN[h.id];
    const culprit = verdict?.hop === h.id && verdict.status !== 'healthy';
    const headline = h.evidence[0];
    const more = h.evidence.length - 1;
    const label =
      `${HOP_LABEL[h.id]}: ${STATUS_WORD[h.status]}${culprit && verdict?.cause ? `, cause ${CAUSE_LABEL[verdict.cause]}` : ''}` +
      `${headline ? ` — ${headline}` : ''}${more > 0 ? ` (${more} more evidence line${more > 1 ? 's' : ''}: activate to show)` : ''}`;
    return (
      <div className="lane-row" key={h.id} role="listitem">
        <span className="lane-name">{HOP_LABEL[h.id]}</span>
        <div className="lane-track">
          <button
            type="button"
            className={`hop hop-${h.status}${culprit ? ' hop-culprit' : ''}${sel?.id === h.id ? ' hop-selected' : ''}`}
            style={{ gridColumn: `${span.from + 1} / ${span.to + 2}` }}
            aria-label={label}
            aria-pressed={sel?.id === h.id}
            aria-controls="hop-evidence"
            title={[`${HOP_LABEL[h.id]}: ${STATUS_WORD[h.status]}`, ...h.evidence.map((e) => `• ${e}`)].join('\n')}
            data-testid={`hop-${h.id}`}
            data-status={h.status}
            onClick={() => setSelected(h.id)}
          >
            <span className="hop-dir" aria-hidden="true">{span.dir}</span>
            <span className="hop-glyph" aria-hidden="true">{STATUS_GLYPH[h.status]}</span>
            <span className="hop-word">{STATUS_WORD[h.status]}</span>
            {culprit && verdict?.cause && <span className="hop-cause">{CAUSE_LABEL[verdict.cause]}</span>}
            {headline && <span className="hop-ev">{headline}</span>}
            {more > 0 && (
              <span className="hop-more" aria-hidden="true">
                +{more}
              </span>
            )}
          </button>
        </div>
      </div>
    );
  };

  return (
    <section className="panel path" aria-label="Path diagram">
      <h2>
        Path <span className="muted small">— where the packets stop · click a hop (or Tab to it and press Enter) for all its evidence</span>
      </h2>
      <div className="lane-title">Control plane</div>
      <div role="list" aria-label="Control plane hops">
        {control.map(bar)}
      </div>
      <div className="lane-row places" aria-hidden="true">
        <span className="lane-name" />
        <div className="lane-track">
          {PLACES.map((p, i) => (
            <div className="place" key={p} style={{ gridColumn: `${i + 1}` }}>
              {p}
            </div>
          ))}
        </div>
      </div>
      <div className="lane-title">Data plane (VITA-49 over UDP)</div>
      <div role="list" aria-label="Data plane hops">
        {data.map(bar)}
      </div>
      {sel && (
        <div className="evidence" id="hop-evidence" aria-live="polite" data-testid="evidence">
          <h3>
            <span className={`tag tag-${sel.status}`}>
              {STATUS_GLYPH[sel.status]} {STATUS_WORD[sel.status]}
            </span>{' '}
            {HOP_LABEL[sel.id]}
          </h3>
          {sel.evidence.length ? (
            <ul>
              {sel.evidence.map((e, i) => (
                <li key={i}>{e}</li>
              ))}
            </ul>
          ) : (
            <p className="muted">No evidence recorded for this hop.</p>
          )}
        </div>
      )}
    </section>
  );
}
