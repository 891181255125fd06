/**
 * One interface over every OS's way of reading this computer's network state (issue 16). Each OS has
 * its implementation (linux.ts tested for real; windows.ts and macos.ts run their tools and hand the
 * output to parsers tested on recorded samples). Every method only reads; a method that cannot run
 * (no privileges, tool missing) answers `{ checked: false, reason }` instead of failing.
 */
import { execFile } from 'node:child_process';
import type { LocalFacts, LocalOs, RadioDatagram } from './types.js';

export interface LocalProbe {
  readonly os: LocalOs;
  /** The adapter and source address the OS would use for a packet to `to`. */
  route(to: string): Promise<LocalFacts['route']>;
  interfaces(): Promise<LocalFacts['interfaces']>;
  /** Sockets on these UDP ports, with the program holding each where the OS lets us see it. */
  udpPorts(ports: number[]): Promise<LocalFacts['ports']>;
  /** Each host firewall's state and the rules that would drop this datagram. */
  firewalls(d: RadioDatagram): Promise<LocalFacts['firewalls']>;
}

export interface RunResult {
  /** Exit code; null when the tool could not be started or was stopped. */
  code: number | null;
  stdout: string;
  stderr: string;
  /** The tool is not installed. */
  missing: boolean;
}

/** Runs one read-only tool, bounded in time and output. */
export type Runner = (cmd: string, args: string[]) => Promise<RunResult>;

const TOOL_TIMEOUT_MS = 8000;
/** A firewall listing larger than this is cut off rather than held in memory. */
const TOOL_MAX_BYTES = 16 * 1024 * 1024;

export const runTool: Runner = (cmd, args) =>
  new Promise((resolve) => {
    execFile(cmd, args, { timeout: TOOL_TIMEOUT_MS, maxBuffer: TOOL_MAX_BYTES, encoding: 'utf8', windowsHide: true }, (err, stdout, stderr) => {
      const e = err as (NodeJS.ErrnoException & { code?: string | number }) | null;
      resolve({
        code: e ? (typeof e.code === 'number' ? e.code : null) : 0,
        stdout: stdout ?? '',
        stderr: stderr ?? '',
        missing: e?.code === 'ENOENT',
      });
    });
  });

/** Does this tool's complaint mean "run me as root/admin"? */
export function needsAdmin(r: RunResult): boolean {
  return /permission denied|operation not permitted|must be root|need to be root|access is denied|requires elevation|administrator/i.test(r.stderr + r.stdout);
}

export const NEEDS_ADMIN = 'not checked (needs admin)';
