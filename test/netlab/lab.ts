/**
 * A network-namespace lab (DESIGN.md §6 netlab): namespaces joined by veth pairs, addressed from
 * 198.18.0.0/15 (RFC 2544 benchmarking space, never routed on the internet), with nftables, tc and
 * sysctls applied inside them and FlexPath's own CLI run in them. Nothing routes out of the lab: fresh
 * namespaces start without any route, and the only routes added point at lab neighbours.
 *
 * Names are `fpnl-<pid>-<run>-<role>`, so parallel runs never collide, and a later run can tell the
 * leftovers of a crashed one (whose pid is gone) from the namespaces of one still running.
 */
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { rmSync } from 'node:fs';
import { testCliPath } from '../helpers/paths.js';

const NS_PREFIX = 'fpnl-';
/** Every command the lab runs is bounded; `ip`/`nft`/`tc` answer in milliseconds. */
const COMMAND_TIMEOUT_MS = 10_000;

/** Why the lab cannot run here, or undefined when it can. */
export function labUnavailable(): string | undefined {
  if (process.platform !== 'linux') return 'network namespaces need Linux';
  if (process.getuid?.() !== 0) return 'not root: creating network namespaces, nftables rules and tc qdiscs needs root';
  for (const [tool, args, pkg] of [['ip', ['-V'], 'iproute2'], ['nft', ['--version'], 'nftables'], ['tc', ['-V'], 'iproute2']] as const) {
    const r = spawnSync(tool, [...args], { timeout: COMMAND_TIMEOUT_MS, encoding: 'utf8' });
    if (r.error || r.status !== 0) return `${tool} is missing (install ${pkg})`;
  }
  return undefined;
}

class LabCommandError extends Error {}

/** Runs one command and returns its stdout; throws with its stderr when it fails. */
export function run(cmd: string, args: string[], input?: string): string {
  const r = spawnSync(cmd, args, { timeout: COMMAND_TIMEOUT_MS, encoding: 'utf8', ...(input !== undefined ? { input } : {}) });
  if (r.error) throw new LabCommandError(`${cmd} ${args.join(' ')}: ${r.error.message}`);
  if (r.status !== 0) throw new LabCommandError(`${cmd} ${args.join(' ')} → exit ${r.status}: ${r.stderr.trim()}${input ? `\n--- input ---\n${input}` : ''}`);
  return r.stdout;
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function labNamespaces(): string[] {
  return run('ip', ['netns', 'list'])
    .split('\n')
    .map((l) => l.split(' ')[0] ?? '')
    .filter((n) => n.startsWith(NS_PREFIX));
}

/** Kills what still runs inside a namespace (by pid, one at a time) and deletes it. */
function deleteNamespace(name: string): void {
  const pids = spawnSync('ip', ['netns', 'pids', name], { timeout: COMMAND_TIMEOUT_MS, encoding: 'utf8' }).stdout ?? '';
  for (const p of pids.split('\n').map(Number).filter((n) => Number.isInteger(n) && n > 0)) {
    try {
      process.kill(p, 'SIGKILL');
    } catch {
      // already gone
    }
  }
  spawnSync('ip', ['netns', 'del', name], { timeout: COMMAND_TIMEOUT_MS });
}

/** Removes namespaces left by lab runs whose process no longer exists; returns their names. */
export function removeStaleNamespaces(): string[] {
  const stale = labNamespaces().filter((n) => {
    const pid = Number(n.slice(NS_PREFIX.length).split('-')[0]);
    return !Number.isInteger(pid) || pid <= 0 || (pid !== process.pid && !alive(pid));
  });
  for (const n of stale) deleteNamespace(n);
  return stale;
}

export interface ProcResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  timedOut: boolean;
}

/** A process started inside a namespace; killed by pid when its time is up or the lab is torn down. */
export class LabProcess {
  readonly done: Promise<ProcResult>;
  private out = '';
  private err = '';
  private timedOut = false;
  private readonly timer: ReturnType<typeof setTimeout>;
  private exited = false;

  constructor(
    readonly label: string,
    private readonly child: ChildProcess,
    timeoutMs: number,
  ) {
    child.stdout?.on('data', (d: Buffer) => (this.out += d.toString('utf8')));
    child.stderr?.on('data', (d: Buffer) => (this.err += d.toString('utf8')));
    this.timer = setTimeout(() => {
      this.timedOut = true;
      this.kill('SIGKILL');
    }, timeoutMs);
    this.done = new Promise((resolve) => {
      child.on('close', (code, signal) => {
        this.exited = true;
        clearTimeout(this.timer);
        resolve({ code, signal, stdout: this.out, stderr: this.err, timedOut: this.timedOut });
      });
      child.on('error', (e) => {
        this.err += `spawn error: ${e.message}\n`;
      });
    });
  }

  get stdout(): string {
    return this.out;
  }

  get stderr(): string {
    return this.err;
  }

  /** Resolves once stdout (or stderr) matches, rejects if the process ends first or `ms` pass. */
  async waitFor(pattern: RegExp, ms: number, stream: 'stdout' | 'stderr' = 'stdout'): Promise<string> {
    const end = performance.now() + ms;
    while (performance.now() < end) {
      const m = pattern.exec(stream === 'stdout' ? this.out : this.err);
      if (m) return m[0];
      if (this.exited) break;
      await new Promise((r) => setTimeout(r, 50));
    }
    throw new Error(`${this.label}: no ${pattern} on ${stream} within ${ms} ms (exited: ${this.exited})\nstdout: ${this.out}\nstderr: ${this.err}`);
  }

  kill(signal: NodeJS.Signals): void {
    if (this.exited || this.child.pid === undefined) return;
    try {
      process.kill(this.child.pid, signal);
    } catch {
      // already gone
    }
  }

  /** SIGTERM, then SIGKILL if it has not ended within `graceMs`. */
  async stop(graceMs = 3000): Promise<ProcResult> {
    this.kill('SIGTERM');
    const t = setTimeout(() => this.kill('SIGKILL'), graceMs);
    try {
      return await this.done;
    } finally {
      clearTimeout(t);
    }
  }
}

export interface LinkEnd {
  role: string;
  /** Interface name inside that namespace (≤ 15 characters). */
  dev: string;
  /** Address with prefix, e.g. 198.18.1.2/24. */
  addr: string;
}

let runs = 0;

/** One scenario's namespaces and processes; `destroy` removes all of them. */
export class Lab {
  readonly id: string;
  private readonly roles = new Map<string, string>();
  private readonly procs = new Set<LabProcess>();

  constructor() {
    this.id = `${process.pid}-${++runs}`;
  }

  /** The namespace name of a role. */
  ns(role: string): string {
    const n = this.roles.get(role);
    if (!n) throw new Error(`no namespace for role ${role}`);
    return n;
  }

  addNamespace(role: string, o: { forward?: boolean } = {}): void {
    const name = `${NS_PREFIX}${this.id}-${role}`;
    run('ip', ['netns', 'add', name]);
    this.roles.set(role, name);
    this.ip(role, 'link', 'set', 'lo', 'up');
    if (o.forward) this.sysctl(role, 'net.ipv4.ip_forward', '1');
  }

  /** A veth pair between two namespaces, both ends up, with addresses and (optionally) a smaller MTU. */
  link(a: LinkEnd, b: LinkEnd, mtu?: number): void {
    run('ip', ['link', 'add', a.dev, 'netns', this.ns(a.role), 'type', 'veth', 'peer', 'name', b.dev, 'netns', this.ns(b.role)]);
    for (const end of [a, b]) {
      if (mtu !== undefined) this.ip(end.role, 'link', 'set', end.dev, 'mtu', String(mtu));
      this.ip(end.role, 'addr', 'add', end.addr, 'dev', end.dev);
      this.ip(end.role, 'link', 'set', end.dev, 'up');
    }
  }

  ip(role: string, ...args: string[]): string {
    return run('ip', ['-n', this.ns(role), ...args]);
  }

  /** Any command inside the namespace. */
  exec(role: string, cmd: string, args: string[], input?: string): string {
    return run('ip', ['netns', 'exec', this.ns(role), cmd, ...args], input);
  }

  sysctl(role: string, key: string, value: string): void {
    this.exec(role, 'sysctl', ['-qw', `${key}=${value}`]);
  }

  /** Loads an nftables ruleset (the text of `nft -f`). */
  nft(role: string, ruleset: string): void {
    this.exec(role, 'nft', ['-f', '-'], ruleset);
  }

  /** Packets counted by a named nftables counter (`counter NAME { }` in table inet lab). */
  counter(role: string, name: string): number {
    const out = this.exec(role, 'nft', ['list', 'counter', 'inet', 'lab', name]);
    const m = /packets (\d+)/.exec(out);
    if (!m?.[1]) throw new Error(`counter ${name} in ${role}: unexpected output ${out}`);
    return Number(m[1]);
  }

  tc(role: string, ...args: string[]): void {
    this.exec(role, 'tc', args);
  }

  /** Starts `flexpath …` inside a namespace, bounded by `timeoutMs`. */
  flexpath(role: string, args: string[], o: { timeoutMs: number; env?: NodeJS.ProcessEnv; label?: string }): LabProcess {
    // The test entry: its SmartLink broker is at a namespace address, trusted through the test CA.
    return this.start(role, process.execPath, [testCliPath, ...args], o);
  }

  start(role: string, cmd: string, args: string[], o: { timeoutMs: number; env?: NodeJS.ProcessEnv; label?: string }): LabProcess {
    // `ip netns exec` execs the command, so the child's pid is the command's own: kill() reaches it.
    const child = spawn('ip', ['netns', 'exec', this.ns(role), cmd, ...args], { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, ...o.env } });
    const p = new LabProcess(o.label ?? `${role}: ${args.slice(0, 2).join(' ')}`, child, o.timeoutMs);
    this.procs.add(p);
    void p.done.then(() => this.procs.delete(p));
    return p;
  }

  /** Stops every process it started, then deletes its namespaces (processes left inside are killed by pid). */
  async destroy(): Promise<void> {
    await Promise.all([...this.procs].map((p) => p.stop(2000)));
    for (const name of this.roles.values()) deleteNamespace(name);
    this.roles.clear();
  }

  /**
   * Ends the scenario: torn down, or — when it failed and NETLAB_KEEP=1 — its processes stopped but its
   * namespaces (addresses, routes, nftables rules and counters) and `dir` (captures, recordings, reports)
   * kept for inspection, and where they are printed. The next netlab run removes kept namespaces (their
   * run's pid is gone); `dir` stays until deleted.
   */
  async end(failed: boolean, label: string, dir: string): Promise<void> {
    if (!(failed && keepFailed())) {
      await this.destroy();
      rmSync(dir, { recursive: true, force: true });
      return;
    }
    await Promise.all([...this.procs].map((p) => p.stop(2000)));
    const kept = [...this.roles].map(([role, name]) => `  ${role}: ip netns exec ${name} …`).join('\n');
    process.stdout.write(`netlab: NETLAB_KEEP=1: ${label} failed; kept its namespaces\n${kept}\nand its files in ${dir}\n`);
  }
}

/** NETLAB_KEEP=1: a failed scenario's namespaces and files stay for inspection (Lab.end). */
function keepFailed(): boolean {
  return process.env.NETLAB_KEEP === '1';
}

/** NETLAB_ONLY=name,name: just those scenarios (for working on one); undefined: all. */
export function onlyScenarios(): string[] | undefined {
  return process.env.NETLAB_ONLY?.split(',');
}
