/**
 * `flexpath rules`: the rule table every verdict comes from — id, hop, status/cause, thresholds and the
 * source of each — so a reader of a report can look up what "decided by <id>" means.
 */
import { type RuleRow, ruleTable } from '../analysis/rules.js';
import { EXIT, oneOf, parse, toJson } from './common.js';

export const RULES_HELP = 'rules [--format text|json|md]   the rule table: id, hop, status/cause, thresholds, source';

const verdictOf = (r: RuleRow): string => (r.cause ? `${r.status}/${r.cause}` : r.status);
const thresholdsOf = (r: RuleRow): string =>
  Object.entries(r.thresholds)
    .map(([k, v]) => `${k}=${v}`)
    .join(' ');

export function formatRules(rows: RuleRow[], format: 'text' | 'json' | 'md'): string {
  if (format === 'json') return toJson(rows) + '\n';
  if (format === 'md') {
    const cell = (s: string): string => s.replace(/\|/g, '\\|');
    return ['| id | hop | status/cause | thresholds | source |', '|---|---|---|---|---|', ...rows.map((r) => `| ${r.id} | ${r.hop} | ${verdictOf(r)} | ${cell(thresholdsOf(r))} | ${cell(r.source)} |`)].join('\n') + '\n';
  }
  const head = ['id', 'hop', 'status/cause', 'thresholds'];
  const cols = rows.map((r) => [r.id, r.hop, verdictOf(r), thresholdsOf(r)]);
  const w = head.map((h, i) => Math.max(h.length, ...cols.map((c) => (c[i] ?? '').length)));
  const line = (c: string[]): string => c.map((x, i) => (i === c.length - 1 ? x : x.padEnd(w[i] ?? 0))).join('  ').trimEnd();
  const out = [line(head)];
  rows.forEach((r, i) => out.push(line(cols[i] ?? []), `    source: ${r.source}`));
  return out.join('\n') + '\n';
}

export async function runRules(argv: string[]): Promise<number> {
  const { values } = parse(argv, { format: { type: 'string' } }, false);
  process.stdout.write(formatRules(ruleTable(), oneOf(values.format, ['text', 'json', 'md'] as const, 'text', 'format')));
  return EXIT.ok;
}
