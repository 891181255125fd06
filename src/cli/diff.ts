/**
 * `flexpath diff BEFORE AFTER [--format text|md|json] [--out F]`: two captures of the same setup, before
 * and after a change → what changed, hop by hop. Exit 0 whatever changed; 1 when either is unreadable.
 */
import { analyzeBatch } from '../analysis/batch.js';
import { diffReports } from '../analysis/diff.js';
import { expandInputs } from '../capture/inputs.js';
import { type DiffFormat, formatDiff } from '../report/diff.js';
import { EXIT, UsageError, oneOf, parse } from './common.js';
import { claimOutput, writeOutput } from './output-file.js';

export const DIFF_HELP = 'diff BEFORE AFTER [--format text|md|json] [--out F] [--force]   two captures (before/after a change) → what changed, hop by hop';

export async function runDiff(argv: string[]): Promise<number> {
  const { values, positionals } = parse(argv, { format: { type: 'string' }, out: { type: 'string' }, force: { type: 'boolean' } });
  if (positionals.length !== 2) throw new UsageError('give two captures: before and after');
  const format = oneOf<DiffFormat>(values.format, ['text', 'md', 'json'], 'text', 'format');
  const { specs, failures } = await expandInputs(positionals);
  if (values.out !== undefined) await claimOutput(values.out, { option: 'out', force: values.force === true, inputs: [...positionals, ...specs.flatMap((s) => ('path' in s ? [s.path] : []))] });
  for (const f of failures) process.stderr.write(`flexpath diff: ${f.name}: ${f.error}\n`);
  if (failures.length > 0) return EXIT.badInput;
  if (specs.length !== 2) throw new UsageError('each of BEFORE and AFTER must be one capture (not a folder or a zip of several)');
  const [before, after] = await analyzeBatch(specs);
  if (!before?.ok || !after?.ok) {
    for (const o of [before, after]) if (o && !o.ok) process.stderr.write(`flexpath diff: ${o.name}: ${o.error}\n`);
    return EXIT.badInput;
  }
  const text = formatDiff(diffReports(before.report, after.report), format);
  if (values.out) await writeOutput(values.out, text);
  else process.stdout.write(text);
  return EXIT.ok;
}
