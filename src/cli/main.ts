/**
 * `flexpath` entry. Minimal dispatcher: each subcommand lives in its own module and returns the exit
 * code (0 done, 1 bad input, 2 usage).
 */
import { runUi } from './ui.js';

const USAGE = 'usage: flexpath ui [--port P] [--open]\n';

export async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  if (command === 'ui') return runUi(rest);
  process.stderr.write(USAGE);
  return 2;
}
