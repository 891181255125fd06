/**
 * `flexpath analyze FILE [--format text|json|md|html] [--out F] [--redact]`: a customer's capture → which
 * hop stops the packets. Exit 0 whatever the verdict; 1 when the file is not a capture we can read.
 */
import { writeFile } from 'node:fs/promises';
import { analyzeCaptureFile } from '../analysis/analyze-file.js';
import { type ReportFormat, formatReport } from '../report/format.js';
import { redactReport } from '../report/redact.js';
import { DecodeError } from '../vita/errors.js';
import { EXIT, UsageError, oneOf, parse } from './common.js';
import { progressBar } from './progress.js';

export async function runAnalyze(argv: string[]): Promise<number> {
  const { values, positionals } = parse(argv, {
    format: { type: 'string' },
    out: { type: 'string' },
    redact: { type: 'boolean' },
  });
  if (positionals.length !== 1) throw new UsageError('give exactly one capture file');
  const file = positionals[0] ?? '';
  const format = oneOf<ReportFormat>(values.format, ['text', 'json', 'md', 'html'], 'text', 'format');
  const bar = progressBar('analyzing');
  let report;
  try {
    report = await analyzeCaptureFile(file, { onProgress: (done, total) => bar.update(done, total) });
  } catch (e) {
    bar.end();
    const code = (e as NodeJS.ErrnoException).code;
    if (e instanceof DecodeError) process.stderr.write(`flexpath analyze: ${file}: ${e.message}\n`);
    else if (typeof code === 'string') process.stderr.write(`flexpath analyze: ${file}: ${code}\n`);
    else throw e;
    return EXIT.badInput;
  }
  bar.end();
  const text = formatReport(values.redact ? redactReport(report) : report, format);
  if (values.out) await writeFile(values.out, text);
  else process.stdout.write(text);
  return EXIT.ok;
}
