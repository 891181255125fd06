// The batch analysis worker as one file (src/analysis/batch.ts says why): FlexPath's own modules only;
// packages and Node's built-ins stay imports, resolved from node_modules as the rest of dist/ does.
// CommonJS, not an ES module: a worker whose entry is an ES module first sets up Node's ES module loader,
// which a CommonJS entry never needs (batch.ts WORKER_URL has the figures).
export default {
  input: 'dist/src/analysis/batch-worker.js',
  platform: 'node',
  external: (id) => !id.startsWith('.') && !id.startsWith('/'),
  output: { file: 'dist/src/batch-worker.bundle.cjs', format: 'cjs' },
  logLevel: 'warn',
};
