/**
 * `flexpath login` / `flexpath logout`: SmartLink sign-in for the CLI. The password is read with echo
 * off (or, for scripts, from the first line of stdin with `--password-stdin`), sent once to the sign-in
 * server, and never kept; what is kept is the id_token and the refresh token, in a file only this user
 * can read (src/smartlink/token-store.ts). Nothing secret is printed.
 */
import { createInterface } from 'node:readline';
import { authConfig, AuthError } from '../smartlink/auth.js';
import { describeState, signInState, signInWithPassword } from '../smartlink/sign-in.js';
import { fileTokenStore } from '../smartlink/token-store.js';
import { SIM_CA_CERT } from '../sim/test-cert.js';
import { EXIT, UsageError, parse } from './common.js';
import { NoSecretError, readHiddenLine } from './secret.js';

export const LOGIN_HELP = [
  'login [--email E] [--password-stdin] [--status]   sign in to SmartLink (FlexRadio account) for diagnose --smartlink',
  '    the password is read with echo off and not kept; the sign-in is kept readable by you only',
  '    FLEXPATH_AUTH0_DOMAIN / FLEXPATH_AUTH0_CLIENT_ID change the tenant (default frtest.auth0.com)',
].join('\n');
export const LOGOUT_HELP = 'logout   forget the SmartLink sign-in kept by `flexpath login`';

/** First line of a non-terminal stdin (bounded: a password, not a file). */
async function firstLine(input: NodeJS.ReadStream): Promise<string> {
  const rl = createInterface({ input, crlfDelay: Infinity });
  try {
    for await (const line of rl) return line.slice(0, 4096);
    return '';
  } finally {
    rl.close();
  }
}

async function ask(prompt: string, input: NodeJS.ReadStream, err: NodeJS.WritableStream): Promise<string> {
  const rl = createInterface({ input, output: err as NodeJS.WriteStream, terminal: true });
  try {
    return (await new Promise<string>((resolve) => rl.question(prompt, resolve))).trim();
  } finally {
    rl.close();
  }
}

export async function runLogin(argv: string[], out: NodeJS.WritableStream = process.stdout, err: NodeJS.WritableStream = process.stderr, input: NodeJS.ReadStream = process.stdin): Promise<number> {
  const { values } = parse(argv, { email: { type: 'string' }, 'password-stdin': { type: 'boolean' }, status: { type: 'boolean' }, 'auth-test-ca': { type: 'boolean' } }, false);
  const store = fileTokenStore();
  if (values.status) {
    out.write(`${describeState(await signInState(store))}\n`);
    return EXIT.ok;
  }
  const cfg = { ...authConfig(), ...(values['auth-test-ca'] ? { ca: SIM_CA_CERT } : {}) };
  let email = values.email?.trim();
  let password: string;
  if (values['password-stdin']) {
    if (!email) throw new UsageError('--password-stdin needs --email');
    password = await firstLine(input);
  } else {
    if (!input.isTTY) throw new UsageError('run in a terminal to be asked for the password, or use --email E --password-stdin');
    email ||= await ask('FlexRadio account email: ', input, err);
    try {
      password = await readHiddenLine('password (input hidden): ', input, err as NodeJS.WriteStream);
    } catch (e) {
      if (e instanceof NoSecretError) throw new UsageError(e.message);
      throw e;
    }
  }
  if (!email || !password) throw new UsageError('an email and a password are needed');
  try {
    const state = await signInWithPassword(cfg, store, email, password);
    out.write(`${describeState(state)}\nkept in ${store.where}; \`flexpath logout\` forgets it\n`);
    return EXIT.ok;
  } catch (e) {
    if (e instanceof AuthError) {
      err.write(`flexpath login: ${e.message}\n`);
      return EXIT.badInput;
    }
    throw e;
  }
}

export async function runLogout(argv: string[], out: NodeJS.WritableStream = process.stdout): Promise<number> {
  parse(argv, {}, false);
  const store = fileTokenStore();
  const was = await signInState(store);
  await store.clear();
  out.write(was.state === 'signed-out' ? 'not signed in; nothing to forget\n' : 'signed out: the SmartLink sign-in kept on this computer is deleted\n');
  return EXIT.ok;
}
