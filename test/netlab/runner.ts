/**
 * Runs one lab scenario: builds its namespaces, starts the simulated radio (and broker) in the radio's
 * namespace, runs `flexpath diagnose --write` in the client's, analyses the recording with
 * `flexpath analyze`, and tears everything down — also when any step fails.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AnalysisReport, Cause, HopId } from '../../src/analysis/model.js';
import { runCli } from '../helpers/cli.js';
import { Lab, type LabProcess } from './lab.js';
import { ADDR, PORT_BASE, PORTS } from './topology.js';

export interface Expected {
  /**
   * Absent for a healthy path. `data:*`: any data class — random loss hits every class alike, so which
   * one the verdict names first is chance; that the path is degraded by that cause is not.
   */
  hop?: HopId | 'data:*';
  /**
   * 'inconclusive': the evidence cannot place a fault, and the verdict says so (no hop, no cause).
   * 'blocked': blocked at `hop`, whatever the cause — only where the scenario says why the evidence cannot
   * tell the cause; its `reports` hook then checks what the evidence does hold.
   */
  cause: Cause | 'inconclusive' | 'blocked';
}

/** The report of each way into one scenario's session; the optional ones only where they ran. */
export interface Reports {
  live: AnalysisReport;
  recording: AnalysisReport;
  wire?: AnalysisReport;
  listen?: AnalysisReport;
  listenRecording?: AnalysisReport;
}

export interface Scenario {
  name: string;
  /** How the network is built and why the expected verdict is the right one. */
  why: string;
  build(lab: Lab): void;
  /** Simulator arguments beyond address, ports and discovery. */
  sim?: string[];
  /** LAN: `diagnose --host IP --probe`; SmartLink: `diagnose --smartlink` against the lab's broker. */
  diagnose: { mode: 'lan'; host: string; options?: string[] } | { mode: 'smartlink' };
  /** How long a flowing session is watched (`--settle`). */
  settleS: number;
  expect: Expected;
  /**
   * Also capture on the client's interface with tcpdump — what a support agent would ask for — and
   * expect this verdict from `flexpath analyze` of that capture (it sees what the client's kernel sends).
   */
  wireCapture?: Expected;
  /**
   * The verdict of `flexpath analyze` of the diagnosis's own recording, when it must differ from the live
   * one: the recording holds the packets, not this computer's side (its firewall, adapters, port holders).
   * Default: the same as the live verdict.
   */
  recording?: Expected;
  /** Further facts about the run (kernel counters, hops), checked after the verdicts. */
  check?(lab: Lab, live: AnalysisReport): void;
  /**
   * Facts the reports must hold beyond hop and cause, checked after every verdict: the live one, the
   * recording's, and those of the ways in that ran (tcpdump capture, listen and its recording).
   */
  reports?(r: Reports): void;
  /** Processes the path needs (a relay), started once the simulator is up. */
  start?(lab: Lab): Promise<void>;
  /** Done to the network while the diagnosis runs (an outage), started with it. */
  during?(lab: Lab): Promise<void>;
  /**
   * Also run `flexpath listen --capture lan0 --write` on the client for the whole session (started once
   * the diagnosis prints a line matching `listenAfter`, default before it): its live verdict and the
   * analysis of its recording must both be this.
   */
  listen?: Expected;
  listenAfter?: RegExp;
}

export interface Outcome {
  /** The expectation, with a hop read from the recording where it depends on chance. */
  expected: Expected;
  live: AnalysisReport;
  capture: AnalysisReport;
  /** `flexpath analyze` of the tcpdump capture, when the scenario asks for one and tcpdump exists. */
  wire?: AnalysisReport;
  /** `flexpath listen --capture`: its own verdict and the analysis of its recording. */
  listen?: { live: AnalysisReport; recording: AnalysisReport };
  /** What the scenario's `check` found wrong in the lab's own facts (read before teardown). */
  checkError?: Error;
  simOutput: string;
  diagnoseLog: string;
}

const SIM_SECONDS = 60;
const DIAGNOSE_MAX_S = 20;

/** Beacons go to the radio's own LAN broadcast address, as a radio's do: they never cross a router. */
function simArgs(s: Scenario): string[] {
  return ['sim', '--listen', ADDR.radio, '--port-base', String(PORT_BASE), '--discovery', `${ADDR.radioBroadcast}:4992`, '--seconds', String(SIM_SECONDS), ...(s.sim ?? [])];
}

function diagnoseArgs(s: Scenario, file: string): { args: string[]; env?: NodeJS.ProcessEnv } {
  const common = ['--format', 'json', '--no-redact', '--settle', String(s.settleS), '--seconds', String(DIAGNOSE_MAX_S), '--write', file];
  if (s.diagnose.mode === 'lan') return { args: ['diagnose', '--host', s.diagnose.host, '--probe', ...(s.diagnose.options ?? []), ...common] };
  return {
    args: ['diagnose', '--smartlink', '--broker', `${ADDR.broker}:${PORTS.broker}`, '--broker-test-ca', ...common],
    // The simulated broker accepts any non-empty token.
    env: { FLEXPATH_SMARTLINK_TOKEN: 'netlab-token' },
  };
}

/**
 * Runs the scenario and hands its outcome to `verify` before the lab is torn down, so that with
 * NETLAB_KEEP=1 a run that failed — in a step or in `verify` — keeps its namespaces, captures,
 * recordings and reports (reports.json) for inspection.
 */
export async function runScenario(s: Scenario, verify: (o: Outcome) => void): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), `flexpath-netlab-${s.name}-`));
  const file = join(dir, `${s.name}.pcapng`);
  const lab = new Lab();
  let failed = true;
  try {
    s.build(lab);
    const sim = lab.flexpath('radio', simArgs(s), { timeoutMs: (SIM_SECONDS + 10) * 1000, label: `${s.name}: sim` });
    await sim.waitFor(/API tcp \d+/, 10_000);
    const wireFile = join(dir, `${s.name}-tcpdump.pcap`);
    // -Z root: Debian's tcpdump drops to its own user, which may not write into this private directory.
    const tcpdump = s.wireCapture && !tcpdumpMissing ? lab.start('client', 'tcpdump', ['-i', 'lan0', '-U', '--immediate-mode', '-Z', 'root', '-w', wireFile], { timeoutMs: (DIAGNOSE_MAX_S + 15) * 1000, label: `${s.name}: tcpdump` }) : undefined;
    await tcpdump?.waitFor(/listening on/, 5000, 'stderr');
    await s.start?.(lab);
    const listenFile = join(dir, `${s.name}-listen.pcapng`);
    const startListen = (): LabProcess =>
      lab.flexpath('client', ['listen', '--capture', 'lan0', '--format', 'json', '--no-redact', '--write', listenFile], { timeoutMs: (DIAGNOSE_MAX_S + 25) * 1000, label: `${s.name}: listen` });
    let listen = s.listen && !tcpdumpMissing && s.listenAfter === undefined ? startListen() : undefined;
    await listen?.waitFor(/listening on/, 5000, 'stderr');
    const d = diagnoseArgs(s, file);
    const diag = lab.flexpath('client', d.args, { timeoutMs: (DIAGNOSE_MAX_S + 15) * 1000, label: `${s.name}: diagnose`, ...(d.env ? { env: d.env } : {}) });
    const during = s.during?.(lab);
    if (s.listen && !tcpdumpMissing && s.listenAfter !== undefined) {
      await diag.waitFor(s.listenAfter, DIAGNOSE_MAX_S * 1000, 'stderr');
      listen = startListen();
      await listen.waitFor(/listening on/, 5000, 'stderr');
    }
    const r = await diag.done;
    await during;
    if (r.code !== 0 || r.timedOut) throw new Error(`${s.name}: diagnose exit ${r.code}${r.timedOut ? ' (timed out)' : ''}\n${r.stderr}`);
    const live = JSON.parse(r.stdout) as AnalysisReport;
    let checkError: Error | undefined;
    try {
      s.check?.(lab, live);
    } catch (e) {
      checkError = e instanceof Error ? e : new Error(String(e));
    }
    await tcpdump?.stop();
    // SIGTERM ends listen the way Ctrl+C does: it prints its report and closes its recording.
    const listened = listen ? await listen.stop(10_000) : undefined;
    if (listened && (listened.code !== 0 || listened.timedOut)) throw new Error(`${s.name}: listen exit ${listened.code}\n${listened.stderr}`);
    const simDone = await sim.stop();
    // The recording is analysed like any customer's capture: outside the lab, no network involved.
    const a = await analyze(s, file);
    const wire = tcpdump ? await analyze(s, wireFile) : undefined;
    const listenOutcome = listened ? { live: JSON.parse(listened.stdout) as AnalysisReport, recording: await analyze(s, listenFile) } : undefined;
    const outcome: Outcome = {
      expected: s.expect,
      live,
      capture: a,
      ...(wire ? { wire } : {}),
      ...(listenOutcome ? { listen: listenOutcome } : {}),
      ...(checkError ? { checkError } : {}),
      simOutput: simDone.stdout + simDone.stderr,
      diagnoseLog: r.stderr,
    };
    writeFileSync(join(dir, 'reports.json'), JSON.stringify({ live, recording: a, wire, listen: listenOutcome }, null, 1));
    verify(outcome);
    failed = false;
  } finally {
    await lab.end(failed, s.name, dir);
  }
}

async function analyze(s: Scenario, file: string): Promise<AnalysisReport> {
  const a = await runCli(['analyze', file, '--format', 'json', '--no-redact'], { timeoutMs: 60_000 });
  if (a.code !== 0) throw new Error(`${s.name}: analyze ${file} exit ${a.code}\n${a.stderr}`);
  return JSON.parse(a.stdout) as AnalysisReport;
}

/** Why tcpdump cannot be used here, or undefined when it can. */
export const tcpdumpMissing: string | undefined = (() => {
  const r = spawnSync('tcpdump', ['--version'], { timeout: 10_000 });
  return r.error || r.status !== 0 ? 'tcpdump is not installed' : undefined;
})();

/** `hop/cause` of a verdict, `healthy` for a healthy one, the status otherwise. */
export function verdictText(r: { verdict: AnalysisReport['verdict'] }): string {
  const v = r.verdict;
  if (v.status === 'healthy') return 'healthy';
  if (v.hop && v.cause) return `${v.hop}/${v.cause}`;
  return v.status;
}

export function expectedText(e: Expected): string {
  if (e.cause === 'blocked') return `${e.hop ?? '?'} blocked`;
  return e.hop ? `${e.hop}/${e.cause}` : e.cause;
}

/** Does a report's verdict meet the expectation? */
export function meets(r: { verdict: AnalysisReport['verdict'] }, e: Expected): boolean {
  if (e.cause === 'blocked') return r.verdict.status === 'blocked' && r.verdict.hop === e.hop;
  const got = verdictText(r);
  if (e.hop !== 'data:*') return got === expectedText(e);
  const [hop, cause] = got.split('/');
  return hop !== undefined && hop.startsWith('data:') && cause === e.cause;
}
