/**
 * Runs a command to completion and measures its wall time and peak RSS, as a user at a shell would see
 * them (process start-up included). Peak RSS comes from GNU time's `-v` report when /usr/bin/time exists,
 * else from polling the child's VmHWM in /proc (a high-water mark, so a late poll still sees the peak).
 */
import { spawn } from 'node:child_process';
import { closeSync, existsSync, openSync, readFileSync } from 'node:fs';

export interface Timed {
  wallS: number;
  /** Peak resident set size in bytes, when it could be read. */
  peakRss: number | undefined;
  /**
   * CPU seconds (user + system, all threads) of the command, when GNU time reports them: a loaded machine
   * stretches wall time much more than the CPU a run takes, so ratios of CPU time survive the load.
   */
  cpuS: number | undefined;
  exitCode: number | null;
  /** Captured stdout (only when asked for; otherwise it went to /dev/null). */
  stdout: string;
  stderr: string;
}

const GNU_TIME = '/usr/bin/time';
export const rssMethod = existsSync(GNU_TIME) ? '/usr/bin/time -v' : '/proc VmHWM polling';

function vmHwm(pid: number): number | undefined {
  try {
    const m = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) * 1024 : undefined;
  } catch {
    return undefined;
  }
}

export function runTimed(cmd: string, args: string[], opts: { keepStdout?: boolean; timeoutMs?: number } = {}): Promise<Timed> {
  const gnuTime = existsSync(GNU_TIME);
  const [file, argv] = gnuTime ? [GNU_TIME, ['-v', cmd, ...args]] : [cmd, args];
  const devNull = opts.keepStdout === true ? undefined : openSync('/dev/null', 'w');
  return new Promise((resolve, reject) => {
    const start = process.hrtime.bigint();
    const child = spawn(file, argv, { stdio: ['ignore', devNull ?? 'pipe', 'pipe'] });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout?.on('data', (d: Buffer) => out.push(d));
    child.stderr?.on('data', (d: Buffer) => err.push(d));
    let polled: number | undefined;
    const poll = gnuTime
      ? undefined
      : setInterval(() => {
          const v = child.pid === undefined ? undefined : vmHwm(child.pid);
          if (v !== undefined) polled = Math.max(polled ?? 0, v);
        }, 20);
    const timer = setTimeout(() => child.kill('SIGKILL'), opts.timeoutMs ?? 600_000);
    child.on('error', reject);
    child.on('close', (code) => {
      const wallS = Number(process.hrtime.bigint() - start) / 1e9;
      clearTimeout(timer);
      if (poll) clearInterval(poll);
      if (devNull !== undefined) closeSync(devNull);
      let stderr = Buffer.concat(err).toString('utf8');
      let peakRss = polled;
      let cpuS: number | undefined;
      if (gnuTime) {
        const m = /Maximum resident set size \(kbytes\): (\d+)/.exec(stderr);
        peakRss = m ? Number(m[1]) * 1024 : undefined;
        const user = /User time \(seconds\): ([\d.]+)/.exec(stderr);
        const sys = /System time \(seconds\): ([\d.]+)/.exec(stderr);
        if (user && sys) cpuS = Number(user[1]) + Number(sys[1]);
        // GNU time's report starts with a tab-indented "Command being timed" line; keep the command's own stderr.
        const cut = stderr.search(/^\s*Command (being timed|exited)/m);
        if (cut >= 0) stderr = stderr.slice(0, cut);
      }
      resolve({ wallS, peakRss, cpuS, exitCode: code, stdout: Buffer.concat(out).toString('utf8'), stderr });
    });
  });
}

/** Best (shortest) of `n` runs; the peak RSS is the largest seen, the CPU time the least. */
export async function bestOf(n: number, run: () => Promise<Timed>): Promise<Timed> {
  let best: Timed | undefined;
  let rss: number | undefined;
  let cpu: number | undefined;
  for (let i = 0; i < n; i++) {
    const t = await run();
    if (t.peakRss !== undefined) rss = Math.max(rss ?? 0, t.peakRss);
    if (t.cpuS !== undefined) cpu = Math.min(cpu ?? Infinity, t.cpuS);
    if (best === undefined || t.wallS < best.wallS) best = t;
  }
  return { ...(best as Timed), peakRss: rss, cpuS: cpu };
}

/** The middle value (mean of the two middle ones for an even count); NaN for none. */
export function median(xs: readonly number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s.length === 0 ? NaN : s.length % 2 ? s[(s.length - 1) / 2]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
}
