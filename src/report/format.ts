/**
 * Reports from an AnalysisReport: text (one screen a ham can read: verdict first, then hops, then
 * streams), Markdown (pasted into a ticket as is), HTML (self-contained, no scripts), JSON (the contract).
 */
import type { AnalysisReport, Hop } from '../analysis/model.js';
import { HOP_LABEL } from '../hop-label.js';
import { ruleById } from '../analysis/rules.js';
import { escapeControls } from '../common/text.js';
import { htmlText, jsonSafe, mapStrings, mdCode } from './escape.js';

const STATUS_MARK: Record<Hop['status'], string> = { ok: 'OK', degraded: 'DEGRADED', blocked: 'BLOCKED', unknown: '—' };

function verdictLine(r: AnalysisReport): string {
  const v = r.verdict;
  return `${v.status.toUpperCase()}${v.hop ? ` at ${v.hop}` : ''}${v.cause && v.cause !== 'healthy' ? ` (${v.cause})` : ''}`;
}

/** "decided by <id> (<source>)": which rule of `flexpath rules` made this call, and on what authority. */
function decidedBy(rule: string | undefined): string | undefined {
  if (!rule) return undefined;
  const r = ruleById(rule);
  return `decided by ${rule}${r ? ` (${r.source})` : ''}`;
}

const MODE_TEXT: Record<NonNullable<AnalysisReport['mode']>, string> = { lan: 'LAN session', smartlink: 'SmartLink session', none: 'no FlexRadio session' };

/** Evidence lines per hop in the text report before "… N more" (the Markdown/HTML/JSON keep them all). */
const TEXT_EVIDENCE_MAX = 8;

/** `2026-11-30 09:02:05 UTC` from the ISO time of the first packet. */
function utc(iso: string | undefined): string | undefined {
  return iso === undefined ? undefined : `${iso.slice(0, 10)} ${iso.slice(11, 19)} UTC`;
}

/** The facts a ticket keeps beside the verdict: when the capture ran, how long, what it holds, which build judged it. */
function headerFacts(r: AnalysisReport): Array<[string, string]> {
  const facts: Array<[string, string]> = [['Capture', r.source.file]];
  const start = utc(r.source.start);
  if (start) facts.push(['Started', start]);
  facts.push(['Duration', `${r.source.durationS.toFixed(1)} s — ${r.source.packets} packets, ${mb(r.source.bytes)}`]);
  if (r.mode) facts.push(['Session', MODE_TEXT[r.mode]]);
  facts.push(['FlexPath', r.flexpath?.version ?? 'unknown']);
  return facts;
}

/** The title's words for a demo report (source.simulated): nobody may take it for a station's. */
const SIMULATED_TITLE = 'SIMULATED demo radio, not a real station';

function title(r: AnalysisReport): string {
  return r.source.simulated ? `FlexPath report — ${SIMULATED_TITLE}` : 'FlexPath report';
}

/** Where the redaction note goes (set by --redact, see redact.ts); nothing when the report is not redacted. */
function redactionNote(r: AnalysisReport): string | undefined {
  return r.redacted ? r.redacted : undefined;
}

function label(h: Hop): string {
  return HOP_LABEL[h.id] ?? h.id;
}

function mb(bytes: number): string {
  return bytes >= 1e6 ? `${(bytes / 1e6).toFixed(1)} MB` : `${(bytes / 1e3).toFixed(1)} kB`;
}

/** Rows as aligned text columns (the last column is not padded). */
export function table(rows: string[][]): string[] {
  const widths = rows[0]?.map((_, i) => Math.max(...rows.map((r) => (r[i] ?? '').length))) ?? [];
  return rows.map((r) => r.map((c, i) => (i === r.length - 1 ? c : c.padEnd(widths[i] ?? 0))).join('  ').trimEnd());
}

function streamRows(r: AnalysisReport): string[][] {
  // The packet type column only when it tells something: FlexRadio sends data packets only.
  const typed = r.streams.some((s) => s.packetType !== undefined && s.packetType !== 'data');
  const foreign = r.streams.some((s) => s.oui !== undefined && s.oui !== '0x001c2d');
  return [
    ['kind', 'stream', ...(typed ? ['type'] : []), 'class', 'from → to', 'pkts', 'pkt/s', 'lost', 'ooo', 'dup', 'size B'],
    ...r.streams.map((s) => [
      s.kind, s.id, ...(typed ? [s.packetType ?? ''] : []), foreign && s.oui ? `${s.oui}/${s.pcc}` : s.pcc, `${s.src} → ${s.dst}`,
      String(s.packets), s.ratePps.toFixed(1), String(s.lost), String(s.outOfOrder), String(s.duplicates),
      s.minSize === s.maxSize ? String(s.maxSize) : `${s.minSize}–${s.maxSize}`,
    ]),
  ];
}

/** One line per outage (rules.ts data-outage): when, how long, what it cost. Times from the first packet. */
function outageRows(r: AnalysisReport): string[] {
  return (r.outages ?? []).map((o) => `at ${o.startS.toFixed(1)} s for ${o.lengthS.toFixed(1)} s: every data stream silent, ≈ ${o.lost} packets lost (${o.streams.join(', ')})`);
}

export function formatText(report: AnalysisReport): string {
  // Capture text reaches a terminal here: no control character gets through (escape.ts).
  const r = mapStrings(report, escapeControls);
  const out: string[] = [];
  if (r.source.simulated) out.push(`SIMULATED: ${SIMULATED_TITLE}`, '');
  out.push(`VERDICT: ${verdictLine(r)}`, r.verdict.summary);
  for (const a of r.verdict.advice) out.push(`  → ${a}`);
  const why = decidedBy(r.verdict.rule);
  if (why) out.push(`  (${why})`);
  const note = redactionNote(r);
  if (note) out.push('', `REDACTED: ${note}`);
  out.push('');
  const facts = headerFacts(r);
  const keyWidth = Math.max(...facts.map(([k]) => k.length)) + 1;
  for (const [k, v] of facts) out.push(`${(k + ':').padEnd(keyWidth)} ${v}`);
  for (const radio of r.radios) out.push(`${'Radio:'.padEnd(keyWidth)} ${radio.model} ${radio.serial} v${radio.version} ${radio.ip}${radio.nickname ? ` "${radio.nickname}"` : ''}${radio.callsign ? ` ${radio.callsign}` : ''}`);
  out.push('', 'Path (radio ⇄ computer):');
  const width = Math.max(...r.hops.map((h) => label(h).length));
  const pad = `  ${''.padEnd(8)} ${''.padEnd(width)} `;
  for (const h of r.hops) {
    out.push(`  ${STATUS_MARK[h.status].padEnd(8)} ${label(h).padEnd(width)} ${h.evidence[0] ?? ''}`);
    // Every line of every hop: a second radio's beacons, the second stream of a class.
    const more = h.evidence.slice(1);
    for (const e of more.slice(0, TEXT_EVIDENCE_MAX - 1)) out.push(pad + e);
    if (more.length > TEXT_EVIDENCE_MAX - 1) out.push(pad + `… ${more.length - (TEXT_EVIDENCE_MAX - 1)} more (see --format md or json)`);
    if (h.status === 'blocked' || h.status === 'degraded') {
      const hw = decidedBy(h.rule);
      if (hw) out.push(pad + hw);
    }
  }
  if (r.streams.length > 0) out.push('', 'Streams:', ...table(streamRows(r)).map((l) => '  ' + l));
  if (outageRows(r).length > 0) out.push('', 'Outages:', ...outageRows(r).map((l) => `  ${l}`));
  if (r.warnings.length > 0) out.push('', 'Warnings:', ...r.warnings.map((w) => `  ! ${w}`));
  return out.join('\n') + '\n';
}

/** Capture-derived text in a Markdown table cell: a code span (escape.ts). */
const mdCell = (s: string): string => mdCode(s, true);

export function formatMarkdown(r: AnalysisReport): string {
  const out: string[] = [];
  out.push(`## ${title(r)}`, '');
  const note = redactionNote(r);
  if (note) out.push(`> **Redacted:** ${mdCode(note)}`, '');
  out.push(`**Verdict: ${verdictLine(r)}** — ${mdCode(r.verdict.summary)}`, '');
  const why = decidedBy(r.verdict.rule);
  if (why) out.push(`_${mdCode(why)}_`, '');
  if (r.verdict.advice.length > 0) out.push('**What to do:**', '', ...r.verdict.advice.map((a, i) => `${i + 1}. ${mdCode(a)}`), '');
  for (const [k, v] of headerFacts(r)) out.push(`- **${k}:** ${k === 'Capture' ? mdCode(v) : v}`);
  out.push('');
  if (r.radios.length > 0) {
    out.push('| radio | serial | version | IP | nickname | callsign |', '|---|---|---|---|---|---|');
    for (const x of r.radios) out.push(`| ${mdCell(x.model)} | ${mdCell(x.serial)} | ${mdCell(x.version)} | ${mdCell(x.ip)} | ${mdCell(x.nickname)} | ${mdCell(x.callsign)} |`);
    out.push('');
  }
  out.push('### Path', '', '| hop | status | evidence |', '|---|---|---|');
  for (const h of r.hops) out.push(`| ${label(h)} (${h.id}) | ${STATUS_MARK[h.status]} | ${[...h.evidence, decidedBy(h.rule)].filter((e): e is string => Boolean(e)).map((e) => mdCell(e)).join('; ')} |`);
  if (r.streams.length > 0) {
    const rows = streamRows(r);
    out.push('', '### Streams', '', `| ${rows[0]?.join(' | ')} |`, `|${rows[0]?.map(() => '---').join('|')}|`);
    for (const row of rows.slice(1)) out.push(`| ${row.map(mdCell).join(' | ')} |`);
  }
  if (outageRows(r).length > 0) out.push('', '### Outages', '', ...outageRows(r).map((l) => `- ${mdCode(l)}`));
  if (r.warnings.length > 0) out.push('', '### Warnings', '', ...r.warnings.map((w) => `- ${mdCode(w)}`));
  return out.join('\n') + '\n';
}

const esc = htmlText;

/**
 * Our own sentences mark commands and protocol text with backticks (Markdown style); in HTML they become
 * <code>, after escaping, so no literal backtick shows. Capture text is escaped the same way and an odd
 * backtick in it stays a character.
 */
function htmlProse(s: string): string {
  return esc(s).replace(/`([^`]+)`/g, '<code>$1</code>');
}

const HTML_STYLE = [
  // Readable from a 390-px phone to a desktop: fluid width, long addresses and ids wrap, wide tables scroll in their box.
  'body{font:15px/1.45 system-ui,sans-serif;margin:0 auto;padding:1em;max-width:72em;color:#1b1b1b;background:#fff}',
  'h1{font-size:1.4em;margin:.2em 0}h2{font-size:1.15em;margin:1.2em 0 .4em}',
  'code{font:.92em ui-monospace,monospace;background:#f2f2f2;padding:0 .2em;border-radius:2px;overflow-wrap:anywhere}',
  '.verdict{border-left:.35em solid var(--c);padding:.4em .8em;background:#f7f7f7}',
  '.why{color:#555;font-size:.9em}',
  '.redacted{border:2px solid #555;padding:.4em .8em;font-weight:bold}',
  'dl.facts{display:grid;grid-template-columns:max-content 1fr;gap:.1em 1em;margin:.8em 0}dl.facts dt{font-weight:600}dl.facts dd{margin:0;overflow-wrap:anywhere}',
  '.box{overflow-x:auto;max-width:100%}',
  'table{border-collapse:collapse;margin:.4em 0}td,th{border:1px solid #ccc;padding:.25em .5em;text-align:left;vertical-align:top}',
  'td.ev{overflow-wrap:anywhere;min-width:12em}.id{color:#555;font-size:.85em}',
  '.st{font-weight:bold;color:#fff;padding:0 .4em;border-radius:3px;white-space:nowrap}',
  '@media (max-width:600px){body{font-size:14px;padding:.6em}table.path td,table.path th{display:block;border:0;padding:.1em 0}table.path tr{display:block;border-top:1px solid #ccc;padding:.4em 0}table.path tr:first-child{display:none}}',
  // Paper: colours kept for the status badges, no scroll boxes, rows not cut across pages.
  '@media print{body{max-width:none;padding:0;font-size:10.5pt}.box{overflow:visible}table{width:100%}td,th{overflow-wrap:anywhere;font-size:.9em}tr{break-inside:avoid}.st,.verdict{print-color-adjust:exact;-webkit-print-color-adjust:exact}a{color:inherit}}',
].join('\n');

export function formatHtml(r: AnalysisReport): string {
  const color: Record<Hop['status'], string> = { ok: '#1f7a3a', degraded: '#9a6700', blocked: '#b3261e', unknown: '#555' };
  const verdictColor: Record<AnalysisReport['verdict']['status'], string> = { healthy: color.ok, degraded: color.degraded, blocked: color.blocked, inconclusive: color.unknown };
  const rows = streamRows(r);
  const note = redactionNote(r);
  const why = decidedBy(r.verdict.rule);
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>${esc(r.source.simulated ? title(r) : `FlexPath report — ${r.source.file}`)}</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">
<style>
${HTML_STYLE}
</style>
</head><body>
<h1>${esc(title(r))}</h1>
${note ? `<p class="redacted">Redacted: ${esc(note)}</p>` : ''}
<div class="verdict" style="--c:${verdictColor[r.verdict.status]}">
<p><strong>Verdict: ${esc(verdictLine(r))}</strong> — ${htmlProse(r.verdict.summary)}</p>
${r.verdict.advice.length ? `<ol>${r.verdict.advice.map((a) => `<li>${htmlProse(a)}</li>`).join('')}</ol>` : ''}
${why ? `<p class="why">${esc(why)}</p>` : ''}
</div>
<dl class="facts">
${headerFacts(r).map(([k, v]) => `<dt>${esc(k)}</dt><dd>${k === 'Capture' ? `<code>${esc(v)}</code>` : esc(v)}</dd>`).join('\n')}
${r.radios.map((x) => `<dt>Radio</dt><dd>${esc([x.model, x.serial, x.version && `v${x.version}`, x.ip, x.nickname && `“${x.nickname}”`, x.callsign].filter(Boolean).join(' '))}</dd>`).join('\n')}
</dl>
<h2>Path (radio ⇄ computer)</h2>
<div class="box"><table class="path"><tr><th>hop</th><th>status</th><th>evidence</th></tr>
${r.hops
  .map((h) => {
    const lines = [...h.evidence.map(htmlProse), ...(h.rule ? [`<span class="why">${esc(decidedBy(h.rule) ?? '')}</span>`] : [])];
    return `<tr><td>${esc(label(h))} <span class="id">${esc(h.id)}</span></td><td><span class="st" style="background:${color[h.status]}">${STATUS_MARK[h.status]}</span></td><td class="ev">${lines.join('<br>')}</td></tr>`;
  })
  .join('\n')}
</table></div>
${rows.length > 1 ? `<h2>Streams</h2><div class="box"><table>${rows.map((row, i) => `<tr>${row.map((c) => (i === 0 ? `<th>${esc(c)}</th>` : `<td>${esc(c)}</td>`)).join('')}</tr>`).join('\n')}</table></div>` : ''}
${outageRows(r).length ? `<h2>Outages</h2><ul>${outageRows(r).map((l) => `<li>${esc(l)}</li>`).join('')}</ul>` : ''}
${r.warnings.length ? `<h2>Warnings</h2><ul>${r.warnings.map((w) => `<li>${htmlProse(w)}</li>`).join('')}</ul>` : ''}
</body></html>
`;
}

function formatJson(r: AnalysisReport): string {
  return jsonSafe(JSON.stringify(r, null, 2)) + '\n';
}

export type ReportFormat = 'text' | 'json' | 'md' | 'html';

export function formatReport(r: AnalysisReport, format: ReportFormat): string {
  switch (format) {
    case 'text':
      return formatText(r);
    case 'json':
      return formatJson(r);
    case 'md':
      return formatMarkdown(r);
    case 'html':
      return formatHtml(r);
  }
}
