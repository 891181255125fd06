/**
 * The engines the UI drives, wired in one place. A member left out here shows in the UI as "not
 * available in this build" rather than as invented data. Each way in is a few lines once its engine
 * exists: analyzeCaptureFile (src/analysis/analyze-file.ts), formatMarkdown/formatHtml (src/report),
 * the simulator + live diagnose (src/sim, src/diagnose) for startDemo/diagnoseLan/diagnoseSmartLink.
 */
import type { Backends } from './session.js';
import { packTar } from './tar.js';

export function productBackends(): Backends {
  return {
    bundle: (files) => packTar(files),
  };
}
