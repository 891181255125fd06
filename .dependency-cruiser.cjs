/**
 * The import arrows of DESIGN.md §3, checked by dependency-cruiser (`npm run deps`; the integration test
 * test/integration/dependency-rules.test.ts runs it on the tree and on a copy with planted violations).
 *
 *   renderer → bridge types only · electron → src · cli → src
 *   in src: vita ← capture ← analysis ← report, vita/api/smartlink ← sim
 *   nothing in src imports electron, react or the DOM · src/common is imported by anyone and imports nothing of ours
 *
 * src/diagnose (the live walk) and src/local (this computer's facts) are not in §3's picture: diagnose sits
 * beside cli/bridge above analysis, local is a leaf that analysis reads. The DOM is kept out of src by
 * tsconfig.json (lib ES2023, no "DOM"): a DOM global in src does not compile.
 *
 * Exceptions are listed in the rule they loosen, each with its reason.
 */
const SRC_EXCEPT = (...dirs) => `^src/(?!(${dirs.join('|')})/)`;

/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: 'src-no-ui',
      severity: 'error',
      comment: 'src/ is the Node core: no Electron, React or renderer code (DESIGN §3).',
      from: { path: '^src/' },
      to: { path: ['^(electron|renderer)/', '(^|/)node_modules/(electron|react|react-dom|recharts|@vitejs)/', '^(electron|react|react-dom|recharts)$'] },
    },
    {
      name: 'common-is-a-leaf',
      severity: 'error',
      comment: 'src/common holds helpers everyone imports (DecodeError, byte readers, secret redaction); it imports nothing of ours.',
      from: { path: '^src/common/' },
      to: { path: ['^src/(?!common/)', '^(electron|renderer|bin|test|bench)/'] },
    },
    {
      name: 'vita-is-the-bottom',
      severity: 'error',
      comment: 'vita ← capture ← analysis ← report: the codec imports only itself and src/common.',
      from: { path: '^src/vita/' },
      to: { path: SRC_EXCEPT('vita', 'common') },
    },
    {
      name: 'capture-below-analysis',
      severity: 'error',
      comment: 'vita ← capture ← analysis ← report: capture reads packets and knows nothing of what is made of them.',
      from: { path: '^src/capture/' },
      to: { path: SRC_EXCEPT('capture', 'vita', 'common') },
    },
    {
      name: 'analysis-below-report',
      severity: 'error',
      comment:
        'vita ← capture ← analysis ← report: analysis never imports what presents or drives it. It may read the line ' +
        'protocols (api, smartlink) and this computer\'s facts (local).',
      from: { path: '^src/analysis/' },
      to: { path: '^src/(report|sim|cli|bridge|diagnose)/' },
    },
    {
      name: 'report-on-analysis',
      severity: 'error',
      comment: 'report formats what analysis produced; it drives nothing.',
      from: { path: '^src/report/' },
      to: { path: '^src/(capture|sim|cli|bridge|diagnose|api|smartlink)/' },
    },
    {
      name: 'sim-on-protocols',
      severity: 'error',
      comment:
        'vita/api/smartlink ← sim. Exception: the simulator speaks capture\'s Endpoint/NetEvent types, stamps ' +
        'events with its clock (timestamp.ts) and records what it sends as pcapng through capture\'s writer ' +
        '(recorder.ts → event-writer.ts); capture never imports sim, so no cycle.',
      from: { path: '^src/sim/' },
      to: { path: SRC_EXCEPT('sim', 'vita', 'api', 'smartlink', 'common', 'capture'), pathNot: '^src/version\\.ts$' },
    },
    {
      name: 'sim-capture-exception',
      severity: 'error',
      comment: 'Only the three capture modules named in sim-on-protocols.',
      from: { path: '^src/sim/' },
      to: { path: '^src/capture/', pathNot: '^src/capture/(types|timestamp|event-writer)\\.ts$' },
    },
    {
      name: 'protocols-below-sim',
      severity: 'error',
      comment: 'The line protocols (api, smartlink) are what sim and analysis build on; they import neither.',
      from: { path: '^src/(api|smartlink)/' },
      to: { path: SRC_EXCEPT('api', 'smartlink', 'common') },
    },
    {
      name: 'local-is-a-leaf',
      severity: 'error',
      comment: 'src/local gathers this computer\'s facts; analysis and diagnose read them.',
      from: { path: '^src/local/' },
      to: { path: SRC_EXCEPT('local', 'common') },
    },
    {
      name: 'diagnose-below-front-ends',
      severity: 'error',
      comment: 'The live walk is driven by cli and bridge; it imports neither, nor the simulator.',
      from: { path: '^src/diagnose/' },
      to: { path: '^src/(cli|bridge|sim)/' },
    },
    {
      name: 'cli-on-top',
      severity: 'error',
      comment: 'cli → src; nothing in src imports the command line.',
      from: { path: '^src/(?!cli/)' },
      to: { path: '^src/cli/' },
    },
    {
      name: 'electron-on-src',
      severity: 'error',
      comment: 'electron → src: the shell never reaches into the renderer\'s code.',
      from: { path: '^electron/' },
      to: { path: '^renderer/' },
    },
    {
      name: 'renderer-bridge-types-only',
      severity: 'error',
      comment: 'renderer → bridge types only: the one typed interface, src/bridge/protocol.ts (its types and plain constants).',
      from: { path: '^renderer/' },
      to: { path: ['^src/', '^electron/'], pathNot: '^src/bridge/protocol\\.ts$' },
    },
    {
      name: 'bridge-protocol-types-only',
      severity: 'error',
      comment:
        'What the renderer bundles from src/bridge/protocol.ts must be types: it imports the rest of src as types only. ' +
        'Exception: src/hop-label.ts, the hop names the reports and the UI share (one table), kept plain by hop-label-is-plain.',
      from: { path: '^src/bridge/protocol\\.ts$' },
      to: { path: '^src/', pathNot: '^src/hop-label\\.ts$', dependencyTypesNot: ['type-only'] },
    },
    {
      name: 'hop-label-is-plain',
      severity: 'error',
      comment: 'The renderer bundles src/hop-label.ts (bridge-protocol-types-only): it imports the rest of src as types only.',
      from: { path: '^src/hop-label\\.ts$' },
      to: { path: '^src/', dependencyTypesNot: ['type-only'] },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '^(dist|node_modules)/' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
  },
};
