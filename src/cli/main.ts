/**
 * `flexpath` entry point: dispatches to one module per subcommand. Exit codes (DESIGN.md §4):
 * 0 done (whatever the verdict), 1 bad input, 2 usage.
 */
import { EXIT, UsageError } from './common.js';

type Runner = (argv: string[]) => Promise<number>;

// Each subcommand's modules are loaded only when it runs (or its help is shown): `analyze` then starts
// without the UI server, the simulator or the live diagnosis, which is start-up time on every scripted run.
const COMMANDS: Record<string, { run: Runner; help: () => Promise<string> }> = {
  analyze: {
    run: async (argv) => (await import('./analyze.js')).runAnalyze(argv),
    help: async () => (await import('./analyze.js')).ANALYZE_HELP,
  },
  decode: {
    run: async (argv) => (await import('./decode.js')).runDecode(argv),
    help: async () => 'decode FILE | --hex HEX [--format json|text]   one raw VITA-49 datagram',
  },
  diagnose: { run: async (argv) => (await import('./diagnose.js')).runDiagnose(argv), help: async () => (await import('./diagnose.js')).DIAGNOSE_HELP },
  diff: { run: async (argv) => (await import('./diff.js')).runDiff(argv), help: async () => (await import('./diff.js')).DIFF_HELP },
  listen: { run: async (argv) => (await import('./listen.js')).runListen(argv), help: async () => (await import('./listen.js')).LISTEN_HELP },
  login: { run: async (argv) => (await import('./login.js')).runLogin(argv), help: async () => (await import('./login.js')).LOGIN_HELP },
  logout: { run: async (argv) => (await import('./login.js')).runLogout(argv), help: async () => (await import('./login.js')).LOGOUT_HELP },
  rules: { run: async (argv) => (await import('./rules.js')).runRules(argv), help: async () => (await import('./rules.js')).RULES_HELP },
  sim: { run: async (argv) => (await import('./sim.js')).runSim(argv), help: async () => (await import('./sim.js')).SIM_HELP },
  ui: { run: async (argv) => (await import('./ui.js')).runUi(argv), help: async () => 'ui [--port P] [--open]   the app in your browser (127.0.0.1 only)' },
};

async function usage(): Promise<string> {
  const helps = await Promise.all(Object.values(COMMANDS).map((c) => c.help()));
  return ['usage: flexpath <command> [options]', '', 'commands:', ...helps.map((h) => `  ${h}`)].join('\n');
}

export async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    process.stdout.write((await usage()) + '\n');
    return name === undefined ? EXIT.usage : EXIT.ok;
  }
  const cmd = COMMANDS[name];
  if (!cmd) {
    process.stderr.write(`flexpath: unknown command "${name}"\n${await usage()}\n`);
    return EXIT.usage;
  }
  if (rest.includes('--help') || rest.includes('-h')) {
    process.stdout.write(`usage: flexpath ${await cmd.help()}\n`);
    return EXIT.ok;
  }
  try {
    return await cmd.run(rest);
  } catch (e) {
    if (e instanceof UsageError) {
      process.stderr.write(`flexpath ${name}: ${e.message}\n${await cmd.help()}\n`);
      return EXIT.usage;
    }
    throw e;
  }
}
