#!/usr/bin/env node
// The CLI is compiled to dist/ by `npm run build` (run by `prepare` on npm ci/install).
import { tuneHeap } from '../dist/src/common/heap.js';

// Before the CLI's modules load: one of the heap settings only acts on a young generation not yet grown.
tuneHeap();
const { main } = await import('../dist/src/cli/main.js');

// A reader that goes away (`flexpath sim | head`) is no reason to crash or to skip tidying up on the
// radio: further output is simply dropped and the command finishes as it would have.
for (const stream of [process.stdout, process.stderr]) {
  stream.on('error', (err) => {
    if (err.code !== 'EPIPE') throw err;
  });
}

main(process.argv.slice(2)).then(
  (code) => { process.exitCode = code; },
  (err) => {
    process.stderr.write(`flexpath: internal error: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exitCode = 1;
  },
);
