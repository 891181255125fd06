/**
 * `flexpath` entry point: dispatches to one module per subcommand. Exit codes (DESIGN.md §4):
 * 0 done (whatever the verdict), 1 bad input, 2 usage.
 */
import { runAnalyze } from './analyze.js';
import { runDecode } from './decode.js';
import { DIAGNOSE_HELP, runDiagnose } from './diagnose.js';
import { LISTEN_HELP, runListen } from './listen.js';
import { EXIT, UsageError } from './common.js';
import { runSim, SIM_HELP } from './sim.js';
import { runUi } from './ui.js';

type Runner = (argv: string[]) => Promise<number>;

const COMMANDS: Record<string, { run: Runner; help: string }> = {
  analyze: { run: runAnalyze, help: 'analyze FILE [--format text|json|md|html] [--out F] [--redact]   a pcap/pcapng capture → verdict' },
  decode: { run: runDecode, help: 'decode FILE | --hex HEX [--format json|text]   one raw VITA-49 datagram' },
  diagnose: { run: runDiagnose, help: DIAGNOSE_HELP },
  listen: { run: runListen, help: LISTEN_HELP },
  sim: { run: runSim, help: SIM_HELP },
  ui: { run: runUi, help: 'ui [--port P] [--open]   the app in your browser (127.0.0.1 only)' },
};

function usage(): string {
  return ['usage: flexpath <command> [options]', '', 'commands:', ...Object.values(COMMANDS).map((c) => `  ${c.help}`)].join('\n');
}

export async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    process.stdout.write(usage() + '\n');
    return name === undefined ? EXIT.usage : EXIT.ok;
  }
  const cmd = COMMANDS[name];
  if (!cmd) {
    process.stderr.write(`flexpath: unknown command "${name}"\n${usage()}\n`);
    return EXIT.usage;
  }
  if (rest.includes('--help') || rest.includes('-h')) {
    process.stdout.write(`usage: flexpath ${cmd.help}\n`);
    return EXIT.ok;
  }
  try {
    return await cmd.run(rest);
  } catch (e) {
    if (e instanceof UsageError) {
      process.stderr.write(`flexpath ${name}: ${e.message}\n${cmd.help}\n`);
      return EXIT.usage;
    }
    throw e;
  }
}
