// The batch analysis worker as one file (src/analysis/batch.ts says why): FlexPath's own modules only;
// packages and Node's built-ins stay imports, resolved from node_modules as the rest of dist/ does.
export default {
  input: 'dist/src/analysis/batch-worker.js',
  platform: 'node',
  external: (id) => !id.startsWith('.') && !id.startsWith('/'),
  output: { file: 'dist/src/batch-worker.bundle.js', format: 'esm' },
  logLevel: 'warn',
};
