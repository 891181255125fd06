/**
 * The path as the packets travel it: the places they pass (Radio … This computer) as columns, one
 * track per hop in two lanes — control (TCP/TLS) and data (UDP VITA-49, one track per class). A track
 * is drawn as far as its packets get; a blocked one carries a break marker on the segment where they
 * stop and fades out after it. Status shows as colour AND word AND glyph. Every track is a button:
 * click or Enter opens its evidence and deciding rule below. In a narrow panel the rail gives way to
 * a text chain ("Radio — LAN ✕ This computer") so nothing is cut.
 */
import { useState, type CSSProperties } from 'react';
import type { Hop, HopId, LocalFacts, StreamRow, Verdict } from '../../../src/bridge/protocol.js';
import { buildTrack, isSmartLinkSession, nodeLabels, pathNodes, routeAdapterKind, type NodeId, type SegmentState, type Track } from '../path-geometry.js';
import { CAUSE_LABEL, classLossPct, HOP_LABEL, STATUS_GLYPH, STATUS_WORD } from '../vocab.js';
import { CodeText, plainText } from './CodeText.js';

/** The rule id rules-core adds to every hop; tolerated missing until that lands everywhere. */
type RuledHop = Hop & { rule?: string };

const SEG_GLYPH: Record<SegmentState, string> = { flow: '—', degraded: '≈', break: '✕', dead: '┈', unknown: '?' };
const CONTROL_ORDER: HopId[] = ['discovery', 'smartlink-server', 'radio-registration', 'radio-forwarding', 'control', 'stream-setup'];
const DATA_ORDER: HopId[] = ['udp-return', 'data:meter', 'data:panadapter', 'data:waterfall', 'data:audio', 'data:dax'];

type NodeLabels = Record<NodeId, string>;

function stopText(t: Track, label: NodeLabels): string | undefined {
  if (!t.stop) return undefined;
  const where = `stop between ${label[t.stop.reached]} and ${label[t.stop.lost]}`;
  return t.stop.inferred === 'cause' ? where : `never reach ${label[t.stop.lost]} (where exactly they stop is not in the evidence)`;
}

function chain(t: Track, nodes: readonly NodeId[], label: NodeLabels): string {
  let out = label[nodes[t.touches[0]!]!];
  for (const s of t.segments) out += ` ${SEG_GLYPH[s.state]} ${label[nodes[Math.max(s.a, s.b)]!]}`;
  return out;
}

export function PathDiagram({ hops, verdict, sourceKind, streams, local }: { hops: Hop[]; verdict: Verdict | undefined; sourceKind: string | undefined; streams: StreamRow[]; local: LocalFacts | undefined }) {
  const [selected, setSelected] = useState<HopId | null>(null);
  const smartlink = isSmartLinkSession(sourceKind, hops);
  const nodes = pathNodes(smartlink);
  const nodeName = nodeLabels(smartlink, routeAdapterKind(local));
  const cols = nodes.length;
  const culpritId = verdict && verdict.status !== 'healthy' ? verdict.hop : undefined;
  const culpritPlane = hops.find((h) => h.id === culpritId)?.plane;
  const trackOf = (h: Hop): Track => buildTrack(h, nodes, smartlink, h.plane === culpritPlane ? verdict?.cause : undefined);
  // A LAN session never uses the SmartLink hops: neither they nor their nodes are drawn.
  const shown = hops.filter((h) => smartlink || !['smartlink-server', 'radio-registration', 'radio-forwarding'].includes(h.id));
  const drawn = (order: HopId[]): Track[] =>
    order
      .map((id) => shown.find((h) => h.id === id))
      .filter((h): h is Hop => h !== undefined && (h.status !== 'unknown' || h.id === culpritId))
      .map(trackOf);
  const controlTracks = drawn(CONTROL_ORDER);
  const dataTracks = drawn(DATA_ORDER);
  const notJudged = shown.filter((h) => h.status === 'unknown' && h.id !== culpritId);
  const sel = (shown.find((h) => h.id === selected) ?? shown.find((h) => h.id === culpritId) ?? null) as RuledHop | null;
  const selTrack = sel ? trackOf(sel) : undefined;
  const x = (col: number): string => `${((col + 0.5) * 100) / cols}%`;

  const lossOf = (h: Hop): number | undefined => (h.id.startsWith('data:') ? classLossPct(streams, h.id) : undefined);

  const row = (t: Track) => {
    const h = t.hop;
    const culprit = h.id === culpritId;
    const loss = lossOf(h);
    const stop = stopText(t, nodeName);
    const label =
      `${HOP_LABEL[h.id]}: ${STATUS_WORD[h.status]}${culprit && verdict?.cause ? `, cause ${CAUSE_LABEL[verdict.cause]}` : ''}` +
      `${loss !== undefined ? `, ${loss.toFixed(2)} % lost` : ''}. ${stop ? `Packets ${stop}. ` : ''}Path: ${chain(t, nodes, nodeName)}. Activate to show its evidence.`;
    const brk = t.segments.find((s) => s.state === 'break');
    return (
      <li key={h.id}>
        <button
          type="button"
          className={`track hop-${h.status}${culprit ? ' hop-culprit' : ''}${sel?.id === h.id ? ' hop-selected' : ''}`}
          aria-label={label}
          aria-pressed={sel?.id === h.id}
          aria-controls={sel ? 'hop-evidence' : undefined}
          title={[`${HOP_LABEL[h.id]}: ${STATUS_WORD[h.status]}`, ...h.evidence.map((e) => `• ${plainText(e)}`)].join('\n')}
          data-testid={`hop-${h.id}`}
          data-status={h.status}
          data-stop={t.stop ? `${t.stop.reached}>${t.stop.lost}` : ''}
          onClick={() => setSelected(h.id)}
        >
          <span className="track-label">
            <span className="hop-glyph" aria-hidden="true">{STATUS_GLYPH[h.status]}</span>
            <span className="track-name">{HOP_LABEL[h.id]}</span>
            <span className="hop-word">{STATUS_WORD[h.status]}</span>
            {loss !== undefined && loss > 0 && <span className="track-loss">{loss.toFixed(2)} % lost</span>}
            {culprit && verdict?.cause && <span className="hop-cause">{CAUSE_LABEL[verdict.cause]}</span>}
          </span>
          <span className="rail" aria-hidden="true">
            {t.segments.map((s) => {
              const [a, b] = [Math.min(s.a, s.b), Math.max(s.a, s.b)];
              const w = ((b - a) * 100) / cols;
              if (s.state !== 'break') return <span key={`${a}-${b}`} className={`seg seg-${s.state}`} style={{ left: x(a), width: `${w}%` }} />;
              // The packets travel the sender's half of the stop segment, die at the mark, and the rest sees none.
              const senderLeft = t.fromCol <= a;
              return [
                <span key={`${a}-${b}-l`} className={`seg ${senderLeft ? 'seg-break' : 'seg-dead'}`} style={{ left: x(a), width: `${w / 2}%` }} />,
                <span key={`${a}-${b}-r`} className={`seg ${senderLeft ? 'seg-dead' : 'seg-break'}`} style={{ left: `calc(${x(a)} + ${w / 2}%)`, width: `${w / 2}%` }} />,
              ];
            })}
            {t.touches.map((c) => (
              <span key={c} className={`dot${c === t.fromCol ? ' dot-from' : ''}`} style={{ left: x(c) }} />
            ))}
            {brk && (
              <span className="break-mark" style={{ left: `${((Math.min(brk.a, brk.b) + Math.max(brk.a, brk.b) + 1) * 50) / cols}%` }}>
                ✕
              </span>
            )}
          </span>
          <span className="track-chain">
            {chain(t, nodes, nodeName)}
            {stop && <span className="track-stop"> — packets {stop}</span>}
          </span>
        </button>
      </li>
    );
  };

  return (
    <section className="panel path" aria-label="Path diagram" data-testid="path" data-smartlink={smartlink ? 'yes' : 'no'}>
      <h2>
        Path <span className="muted small">— where the packets stop · click a track (or Tab to it and press Enter) for its evidence</span>
      </h2>
      <div className="path-body" style={{ '--cols': cols } as CSSProperties}>
        <div className="nodes" aria-hidden="true">
          <span className="track-label" />
          <span className="node-row">
            {nodes.map((n) => (
              <span key={n} className={`node node-${n}`} data-testid={`node-${n}`}>
                {nodeName[n]}
                {n === 'smartlink' && <span className="node-note">control only</span>}
              </span>
            ))}
          </span>
        </div>
        {/* A lane with no judged hop (a capture of beacons only has no data track) is not drawn at all. */}
        {controlTracks.length > 0 && (
          <>
            <h3 className="lane-title">Control · TCP / TLS</h3>
            <ul className="tracks" aria-label="Control hops">
              {controlTracks.map(row)}
            </ul>
          </>
        )}
        {dataTracks.length > 0 && (
          <>
            <h3 className="lane-title">Data · UDP VITA-49, one track per class</h3>
            <ul className="tracks" aria-label="Data hops">
              {dataTracks.map(row)}
            </ul>
          </>
        )}
      </div>
      {notJudged.length > 0 && (
        <p className="not-judged small">
          <span className="muted">Not judged (not used by this session, or no evidence): </span>
          {notJudged.map((h) => (
            <button
              key={h.id}
              type="button"
              className={`chip hop-unknown${sel?.id === h.id ? ' hop-selected' : ''}`}
              data-testid={`hop-${h.id}`}
              data-status={h.status}
              aria-pressed={sel?.id === h.id}
              aria-controls={sel ? 'hop-evidence' : undefined}
              onClick={() => setSelected(h.id)}
            >
              {STATUS_GLYPH.unknown} {HOP_LABEL[h.id]}
            </button>
          ))}
        </p>
      )}
      {sel && (
        <div className="evidence" id="hop-evidence" aria-live="polite" data-testid="evidence">
          <h3>
            <span className={`tag tag-${sel.status}`}>
              {STATUS_GLYPH[sel.status]} {STATUS_WORD[sel.status]}
            </span>{' '}
            {HOP_LABEL[sel.id]}
            {selTrack && stopText(selTrack, nodeName) && <span className="muted"> — packets {stopText(selTrack, nodeName)}</span>}
          </h3>
          {sel.rule && (
            <p className="small" data-testid="hop-rule">
              Decided by rule <code>{sel.rule}</code> (<code>flexpath rules</code> lists every rule and its source)
            </p>
          )}
          {sel.evidence.length ? (
            <ul>
              {sel.evidence.map((e, i) => (
                <li key={i}>
                  <CodeText text={e} />
                </li>
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
