/**
 * Reports from an AnalysisReport: text (one screen a ham can read: verdict first, then hops, then
 * streams), Markdown (pasted into a ticket as is), HTML (self-contained, no scripts), JSON (the contract).
 */
import type { AnalysisReport, Hop } from '../analysis/model.js';
import { ruleById } from '../analysis/rules.js';
import { escapeControls, htmlText, jsonSafe, mapStrings, mdCode } from './escape.js';

const STATUS_MARK: Record<Hop['status'], string> = { ok: 'OK', degraded: 'DEGRADED', blocked: 'BLOCKED', unknown: '—' };

function verdictLine(r: AnalysisReport): string {
  const v = r.verdict;
  return `${v.status.toUpperCase()}${v.hop ? ` at ${v.hop}` : ''}${v.cause && v.cause !== 'healthy' ? ` (${v.cause})` : ''}`;
}

/** "decided by <id> (<source>)": which rule of `flexpath rules` made this call, and on what authority. */
export function decidedBy(rule: string | undefined): string | undefined {
  if (!rule) return undefined;
  const r = ruleById(rule);
  return `decided by ${rule}${r ? ` (${r.source})` : ''}`;
}

function mb(bytes: number): string {
  return bytes >= 1e6 ? `${(bytes / 1e6).toFixed(1)} MB` : `${(bytes / 1e3).toFixed(1)} kB`;
}

function table(rows: string[][]): string[] {
  const widths = rows[0]?.map((_, i) => Math.max(...rows.map((r) => (r[i] ?? '').length))) ?? [];
  return rows.map((r) => r.map((c, i) => (i === r.length - 1 ? c : c.padEnd(widths[i] ?? 0))).join('  ').trimEnd());
}

function streamRows(r: AnalysisReport): string[][] {
  return [
    ['kind', 'stream', 'class', 'from → to', 'pkts', 'pkt/s', 'lost', 'ooo', 'dup', 'size B'],
    ...r.streams.map((s) => [
      s.kind, s.id, s.pcc, `${s.src} → ${s.dst}`, String(s.packets), s.ratePps.toFixed(1), String(s.lost), String(s.outOfOrder), String(s.duplicates),
      s.minSize === s.maxSize ? String(s.maxSize) : `${s.minSize}–${s.maxSize}`,
    ]),
  ];
}

export function formatText(report: AnalysisReport): string {
  // Capture text reaches a terminal here: no control character gets through (escape.ts).
  const r = mapStrings(report, escapeControls);
  const out: string[] = [];
  out.push(`VERDICT: ${verdictLine(r)}`, r.verdict.summary);
  for (const a of r.verdict.advice) out.push(`  → ${a}`);
  const why = decidedBy(r.verdict.rule);
  if (why) out.push(`  (${why})`);
  out.push('', `Source: ${r.source.file} — ${r.source.packets} packets, ${mb(r.source.bytes)}, ${r.source.durationS.toFixed(1)} s`);
  for (const radio of r.radios) out.push(`Radio: ${radio.model} ${radio.serial} v${radio.version} ${radio.ip}${radio.nickname ? ` "${radio.nickname}"` : ''}${radio.callsign ? ` ${radio.callsign}` : ''}`);
  out.push('', 'Path (radio ⇄ computer):');
  for (const h of r.hops) {
    out.push(`  ${STATUS_MARK[h.status].padEnd(8)} ${h.id.padEnd(18)} ${h.evidence[0] ?? ''}`);
    if (h.status === 'blocked' || h.status === 'degraded') {
      for (const e of [...h.evidence.slice(1, 5), decidedBy(h.rule)]) if (e) out.push(`  ${''.padEnd(8)} ${''.padEnd(18)} ${e}`);
    }
  }
  if (r.streams.length > 0) out.push('', 'Streams:', ...table(streamRows(r)).map((l) => '  ' + l));
  if (r.warnings.length > 0) out.push('', 'Warnings:', ...r.warnings.map((w) => `  ! ${w}`));
  return out.join('\n') + '\n';
}

/** Capture-derived text in a Markdown table cell: a code span (escape.ts). */
const mdCell = (s: string): string => mdCode(s, true);

export function formatMarkdown(r: AnalysisReport): string {
  const out: string[] = [];
  out.push('## FlexPath report', '', `**Verdict: ${verdictLine(r)}** — ${mdCode(r.verdict.summary)}`, '');
  const why = decidedBy(r.verdict.rule);
  if (why) out.push(`_${mdCode(why)}_`, '');
  if (r.verdict.advice.length > 0) out.push('**What to do:**', '', ...r.verdict.advice.map((a, i) => `${i + 1}. ${mdCode(a)}`), '');
  out.push(`Source: ${mdCode(r.source.file)} — ${r.source.packets} packets, ${mb(r.source.bytes)}, ${r.source.durationS.toFixed(1)} s`, '');
  if (r.radios.length > 0) {
    out.push('| radio | serial | version | IP | nickname | callsign |', '|---|---|---|---|---|---|');
    for (const x of r.radios) out.push(`| ${mdCell(x.model)} | ${mdCell(x.serial)} | ${mdCell(x.version)} | ${mdCell(x.ip)} | ${mdCell(x.nickname)} | ${mdCell(x.callsign)} |`);
    out.push('');
  }
  out.push('### Path', '', '| hop | status | evidence |', '|---|---|---|');
  for (const h of r.hops) out.push(`| ${h.id} | ${STATUS_MARK[h.status]} | ${[...h.evidence, decidedBy(h.rule)].filter((e): e is string => Boolean(e)).map((e) => mdCell(e)).join('; ')} |`);
  if (r.streams.length > 0) {
    const rows = streamRows(r);
    out.push('', '### Streams', '', `| ${rows[0]?.join(' | ')} |`, `|${rows[0]?.map(() => '---').join('|')}|`);
    for (const row of rows.slice(1)) out.push(`| ${row.map(mdCell).join(' | ')} |`);
  }
  if (r.warnings.length > 0) out.push('', '### Warnings', '', ...r.warnings.map((w) => `- ${mdCode(w)}`));
  return out.join('\n') + '\n';
}

const esc = htmlText;

export function formatHtml(r: AnalysisReport): string {
  const color: Record<Hop['status'], string> = { ok: '#1f7a3a', degraded: '#9a6700', blocked: '#b3261e', unknown: '#555' };
  const rows = streamRows(r);
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>FlexPath report — ${esc(r.source.file)}</title>
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">
<style>body{font:14px/1.4 system-ui,sans-serif;margin:2em;max-width:70em}table{border-collapse:collapse}td,th{border:1px solid #ccc;padding:.25em .5em;text-align:left;vertical-align:top}.st{font-weight:bold;color:#fff;padding:0 .4em;border-radius:3px}</style>
</head><body>
<h1>FlexPath report</h1>
<p><strong>Verdict: ${esc(verdictLine(r))}</strong> — ${esc(r.verdict.summary)}</p>
${r.verdict.rule ? `<p><em>${esc(decidedBy(r.verdict.rule) ?? '')}</em></p>` : ''}
${r.verdict.advice.length ? `<ol>${r.verdict.advice.map((a) => `<li>${esc(a)}</li>`).join('')}</ol>` : ''}
<p>Source: <code>${esc(r.source.file)}</code> — ${r.source.packets} packets, ${esc(mb(r.source.bytes))}, ${r.source.durationS.toFixed(1)} s</p>
${r.radios.map((x) => `<p>Radio: ${esc(`${x.model} ${x.serial} v${x.version} ${x.ip} ${x.nickname} ${x.callsign}`)}</p>`).join('\n')}
<h2>Path</h2>
<table><tr><th>hop</th><th>status</th><th>evidence</th></tr>
${r.hops.map((h) => `<tr><td>${esc(h.id)}</td><td><span class="st" style="background:${color[h.status]}">${STATUS_MARK[h.status]}</span></td><td>${[...h.evidence, decidedBy(h.rule)].filter((e): e is string => Boolean(e)).map(esc).join('<br>')}</td></tr>`).join('\n')}
</table>
${rows.length > 1 ? `<h2>Streams</h2><table>${rows.map((row, i) => `<tr>${row.map((c) => (i === 0 ? `<th>${esc(c)}</th>` : `<td>${esc(c)}</td>`)).join('')}</tr>`).join('\n')}</table>` : ''}
${r.warnings.length ? `<h2>Warnings</h2><ul>${r.warnings.map((w) => `<li>${esc(w)}</li>`).join('')}</ul>` : ''}
</body></html>
`;
}

export function formatJson(r: AnalysisReport): string {
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
