/**
 * What an analysis of hostile input must still be: its state within the bounds the trackers declare
 * (memory stays flat whatever the input), and its report renderable in every format (the CLI's and the
 * UI's paths), redactable, and free of NaN/Infinity, which JSON would turn into null behind the
 * contract's back (DESIGN.md §4 says numbers).
 */
import type { Analyzer } from '../../src/analysis/analyzer.js';
import { MAX_METERS, MAX_OBJECTS, MAX_SESSIONS } from '../../src/analysis/control-tracker.js';
import type { AnalysisReport } from '../../src/analysis/model.js';
import { MAX_RADIOS, MAX_STREAMS } from '../../src/analysis/stream-tracker.js';
import { type Recorder, describeError } from './harness.js';

/**
 * Checks a run's one Analyzer after input `index` — its state bounds, its report, and `extra` (the
 * category's own accounting) — settling it with finish() first when `final`. Problems are failures.
 */
export function checkAnalyzer(rec: Recorder, index: number, a: Analyzer, final: boolean, extra: (r: AnalysisReport) => string | undefined = () => undefined): void {
  const name = final ? 'final report' : 'snapshot report';
  rec.begin(index);
  try {
    if (final) a.finish();
    const report = a.report({ file: 'fuzz', packets: a.events, bytes: 0, durationS: 0 });
    const problem = extra(report) ?? stateProblem(a) ?? reportProblem(report);
    if (problem !== undefined) rec.fail(index, `${name}: ${problem}`, true);
    else rec.outcome(`${name} ok`);
  } catch (e) {
    rec.fail(index, `${name}: ${describeError(e)}`, true);
  }
  rec.end(index, () => `${name} after input ${index}`, false);
}
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

/** Undefined when every tracked collection is within its bound, else which is not. */
export function stateProblem(a: Analyzer): string | undefined {
  const c = a.control;
  const sizes: Array<[string, number, number]> = [
    ['streams', a.streams.streams.length, MAX_STREAMS],
    ['radios', a.streams.beacons.size, MAX_RADIOS],
    ['TCP sessions', c.sessions.length, MAX_SESSIONS],
    ['pans', c.pans.size, MAX_OBJECTS],
    ['waterfalls', c.waterfalls.size, MAX_OBJECTS],
    ['stream announcements', c.streams.size, MAX_OBJECTS],
    ['clients', c.clients.size, MAX_OBJECTS],
    ['meters', c.meters.size, MAX_METERS],
  ];
  const over = sizes.find(([, n, max]) => n > max);
  return over === undefined ? undefined : `${over[1]} ${over[0]} tracked, more than the bound of ${over[2]}`;
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
