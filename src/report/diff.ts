/** `flexpath diff` output: text, Markdown or JSON of a ReportDiff (analysis/diff.ts). */
import type { HopChange, HopState, ReportDiff } from '../analysis/diff.js';
import type { Verdict } from '../analysis/model.js';
import { escapeControls } from '../common/text.js';
import { jsonSafe, mapStrings, mdCode } from './escape.js';

export type DiffFormat = 'text' | 'md' | 'json';

const state = (s: HopState): string => `${s.status}${s.cause && s.cause !== 'healthy' ? ` (${s.cause})` : ''}`;
const verdict = (v: Verdict): string => `${v.status}${v.hop ? ` at ${v.hop}` : ''}${v.cause && v.cause !== 'healthy' ? ` (${v.cause})` : ''}`;

/** "data:waterfall blocked (mtu) → ok": the line support pastes. */
function changeLine(h: HopChange): string {
  return `${h.id} ${state(h.before)} → ${state(h.after)}`;
}

function text(diff: ReportDiff): string {
  const d = mapStrings(diff, escapeControls);
  const out = [`Before: ${d.before.file} — ${verdict(d.before.verdict)}`, `After:  ${d.after.file} — ${verdict(d.after.verdict)}`, ''];
  const changed = d.hops.filter((h) => h.changed);
  out.push(changed.length === 0 ? 'No hop changed.' : 'Changed:');
  for (const h of changed) {
    out.push(`  ${changeLine(h)}   ${h.label}`);
    out.push(`      before: ${h.before.evidence}`, `      after:  ${h.after.evidence}`);
  }
  const same = d.hops.filter((h) => !h.changed && h.after.status !== 'unknown');
  if (same.length > 0) out.push('', 'Unchanged:', ...same.map((h) => `  ${h.id} ${state(h.after)}`));
  if (d.kinds.length > 0) {
    out.push('', 'Streams (packets, lost):');
    for (const k of d.kinds) out.push(`  ${k.kind.padEnd(10)} ${k.before.packets} / ${k.before.lost} → ${k.after.packets} / ${k.after.lost}`);
  }
  return out.join('\n') + '\n';
}

const cell = (s: string): string => mdCode(s, true);

function markdown(d: ReportDiff): string {
  const out = [
    '## FlexPath: before / after',
    '',
    `- **Before:** ${cell(d.before.file)} — ${verdict(d.before.verdict)}`,
    `- **After:** ${cell(d.after.file)} — ${verdict(d.after.verdict)}`,
    '',
    '| hop | before | after | after: evidence |',
    '|---|---|---|---|',
  ];
  for (const h of d.hops) {
    if (!h.changed && h.after.status === 'unknown') continue;
    const mark = h.changed ? '**' : '';
    out.push(`| ${mark}${cell(h.label)}${mark} | ${state(h.before)} | ${state(h.after)} | ${cell(h.after.evidence)} |`);
  }
  return out.join('\n') + '\n';
}

export function formatDiff(d: ReportDiff, format: DiffFormat): string {
  switch (format) {
    case 'text':
      return text(d);
    case 'md':
      return markdown(d);
    case 'json':
      return jsonSafe(JSON.stringify(d, null, 2)) + '\n';
  }
}
