#!/usr/bin/env node
// The CLI is compiled to dist/ by `npm run build` (run by `prepare` on npm ci/install).
import { main } from '../dist/src/cli/main.js';

main(process.argv.slice(2)).then(
  (code) => { process.exitCode = code; },
  (err) => {
    process.stderr.write(`flexpath: internal error: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exitCode = 1;
  },
);
