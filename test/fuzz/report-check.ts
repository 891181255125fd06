/**
 * What a report built from hostile input must still be: renderable in every format (the CLI's and the
 * UI's paths), redactable, and free of NaN/Infinity, which JSON would turn into null behind the
 * contract's back (DESIGN.md §4 says numbers).
 */
import type { AnalysisReport } from '../../src/analysis/model.js';
import { formatReport } from '../../src/report/format.js';
import { redactReport } from '../../src/report/redact.js';

/** Undefined when the report is sound, else what is wrong with it. Exceptions propagate to the caller. */
export function reportProblem(r: AnalysisReport): string | undefined {
  const bad = nonFinite(r, 'report');
  if (bad !== undefined) return `${bad} is not a finite number`;
  for (const f of ['text', 'json', 'md', 'html'] as const) formatReport(r, f);
  formatReport(redactReport(r), 'json');
  return undefined;
}

function nonFinite(v: unknown, path: string): string | undefined {
  if (typeof v === 'number') return Number.isFinite(v) ? undefined : `${path} = ${v}`;
  if (Array.isArray(v)) {
    for (let i = 0; i < v.length; i++) {
      const bad = nonFinite(v[i], `${path}[${i}]`);
      if (bad !== undefined) return bad;
    }
    return undefined;
  }
  if (v !== null && typeof v === 'object') {
    for (const [k, x] of Object.entries(v)) {
      const bad = nonFinite(x, `${path}.${k}`);
      if (bad !== undefined) return bad;
    }
  }
  return undefined;
}
