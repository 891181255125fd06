import { type ChildProcess, spawn } from 'node:child_process';
import { cliPath } from './paths.js';

export interface CliResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

export interface CliRun {
  child: ChildProcess;
  /** Settles when the process exits; rejects (after killing it) past the time limit. */
  done: Promise<CliResult>;
}

/** Starts `flexpath …` as a user would, with a hard time limit so a hang fails instead of stalling CI. */
export function startCli(args: string[], opts: { timeoutMs?: number; env?: NodeJS.ProcessEnv; input?: Buffer } = {}): CliRun {
  const child = spawn(process.execPath, [cliPath, ...args], { env: { ...process.env, ...opts.env }, stdio: ['pipe', 'pipe', 'pipe'] });
  const done = new Promise<CliResult>((resolve, reject) => {
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout?.on('data', (d: Buffer) => out.push(d));
    child.stderr?.on('data', (d: Buffer) => err.push(d));
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`flexpath ${args.join(' ')} did not exit within ${opts.timeoutMs ?? 30_000} ms`));
    }, opts.timeoutMs ?? 30_000);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, stdout: Buffer.concat(out).toString('utf8'), stderr: Buffer.concat(err).toString('utf8') });
    });
  });
  child.stdin?.end(opts.input);
  return { child, done };
}

export function runCli(args: string[], opts: { timeoutMs?: number; env?: NodeJS.ProcessEnv; input?: Buffer } = {}): Promise<CliResult> {
  return startCli(args, opts).done;
}
