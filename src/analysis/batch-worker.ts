/**
 * One worker thread of a batch analysis (batch.ts): takes input specs one at a time (the first may ask
 * to prime the thread with it), posts progress (bytes read since the last message) and then the report
 * or a readable error.
 */
import { parentPort } from 'node:worker_threads';
import { analyzeInput, primeAnalysis } from './analyze-file.js';
import { describeInputError } from './input-error.js';
import type { WorkerJob, WorkerReply } from './batch.js';

const port = parentPort;
if (port !== null) {
  // Every module this thread needs has loaded: the thread that made it may set its V8 flags again
  // (batch.ts, common/heap.ts withDefaultHeapFlags).
  port.postMessage({ type: 'ready' } satisfies WorkerReply);
  port.on('message', async ({ spec, prime }: WorkerJob) => {
    let last = 0;
    const post = (m: WorkerReply): void => port.postMessage(m);
    if (prime) await primeAnalysis(spec);
    analyzeInput(spec, {
      // This thread only analyses: the progress it posts is read by the thread that made it.
      blocking: true,
      onProgress: (done) => {
        post({ type: 'progress', bytes: done - last });
        last = done;
      },
    }).then(
      (report) => post({ type: 'done', report }),
      async (e: unknown) => post({ type: 'failed', error: await describeInputError(e, 'path' in spec && spec.kind === 'file' ? spec.path : undefined) }),
    );
  });
}
