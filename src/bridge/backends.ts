/**
 * The engines the UI drives, wired in one place. A member left out here shows in the UI as "not
 * available in this build" rather than as invented data.
 */
import { analyzeCaptureFile } from '../analysis/analyze-file.js';
import { formatReport } from '../report/format.js';
import { redactReport } from '../report/redact.js';
import type { Backends } from './session.js';
import { packTar } from './tar.js';

export function productBackends(): Backends {
  return {
    analyzeCaptureFile: (path, opts) =>
      analyzeCaptureFile(path, opts.onProgress ? { onProgress: (done, total) => opts.onProgress?.(done, total ?? done) } : {}),
    formatReport: (report, format, opts) => formatReport(opts.redact ? redactReport(report) : report, format === 'markdown' ? 'md' : 'html'),
    bundle: (files) => packTar(files),
  };
}
