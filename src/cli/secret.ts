/**
 * Reads a secret (the SmartLink token) from the environment or, failing that, from the terminal with
 * echo off. Never from a pipe by accident, never printed.
 */
import type { ReadStream } from 'node:tty';

export const TOKEN_ENV = 'FLEXPATH_SMARTLINK_TOKEN';

export class NoSecretError extends Error {}

export async function readSecret(prompt: string, env: NodeJS.ProcessEnv = process.env, input: NodeJS.ReadStream = process.stdin, out: NodeJS.WriteStream = process.stderr): Promise<string> {
  const fromEnv = env[TOKEN_ENV]?.trim();
  if (fromEnv) return fromEnv;
  if (!input.isTTY) throw new NoSecretError(`set ${TOKEN_ENV} or run in a terminal to be asked for the SmartLink token`);
  return readHiddenLine(prompt, input, out);
}

/** One line from the terminal with echo off (a password, a pasted token); Ctrl+C cancels. */
export async function readHiddenLine(prompt: string, input: NodeJS.ReadStream = process.stdin, out: NodeJS.WriteStream = process.stderr): Promise<string> {
  if (!input.isTTY) throw new NoSecretError('not a terminal');
  out.write(prompt);
  const tty = input as ReadStream;
  tty.setRawMode(true);
  tty.resume();
  try {
    return await new Promise<string>((resolve, reject) => {
      let text = '';
      const onData = (chunk: Buffer): void => {
        for (const ch of chunk.toString('utf8')) {
          if (ch === '\r' || ch === '\n') {
            tty.off('data', onData);
            out.write('\n');
            return resolve(text.trim());
          }
          if (ch === '\x03') {
            tty.off('data', onData);
            out.write('\n');
            return reject(new NoSecretError('cancelled'));
          }
          if (ch === '\x7f' || ch === '\b') text = text.slice(0, -1);
          else text += ch;
        }
      };
      tty.on('data', onData);
    });
  } finally {
    tty.setRawMode(false);
    tty.pause();
  }
}
