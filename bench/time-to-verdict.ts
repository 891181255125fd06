/**
 * Time to verdict (issue 11 §3): `flexpath diagnose --probe` against a simulated radio on loopback, one
 * fault at a time, each over several runs. The simulator runs as its own process (`flexpath sim`), as a
 * radio would, so its pacing does not share diagnose's event loop. While a run goes on, the live evidence
 * is judged every POLL_MS; the time to verdict is the time from the first stream request (facts
 * `udpReturn.waitedS`) to the first judgement after which the verdict (status, hop, cause) never changed
 * again until the report (and, beside it, the first judgement that gave that verdict: on a loaded
 * machine a healthy path's verdict can flip to jitter and back). AetherSDR's no-UDP warning after 10 s,
 * which names no cause, is the reference
 * figure; wall times on a loaded machine vary, so the load average and diagnose's own CPU time are
 * printed beside them.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { loadavg } from 'node:os';
import { fileURLToPath } from 'node:url';
import { judge } from '../src/analysis/judge.js';
import { FIRST_PACKET_FLOOR_S } from '../src/analysis/rules.js';
import type { AnalysisReport, Verdict } from '../src/analysis/model.js';
import { unixNow } from '../src/capture/timestamp.js';
import { startLanDiagnosis } from '../src/diagnose/lan.js';
import { median } from './timing.js';

/** AetherSDR warns after 10 s without UDP and names no cause (issue 11 §3). */
const AETHERSDR_NO_UDP_S = 10;
const POLL_MS = 25;
const RUN_MAX_S = 25;

interface FaultCase {
  name: string;
  /** `flexpath sim` fault arguments. */
  faults: string[];
}

const TTV_CASES: readonly FaultCase[] = [
  { name: 'healthy', faults: [] },
  { name: 'udp blocked', faults: ['drop=meter,panadapter,waterfall,audio,dax'] },
  // diagnose asks for network_mtu 1450: 1442-byte waterfall datagrams, above a 1400 path.
  { name: 'MTU black hole', faults: ['mtu=1400'] },
  { name: 'wrong port', faults: ['wrong-port'] },
  { name: 'random loss 5 %', faults: ['loss=5'] },
];

interface RunResult {
  verdict: string;
  /** Seconds from the first stream request to the verdict that stood; undefined if it never stood before the report. */
  ttvS: number | undefined;
  /** Seconds to the first judgement that gave the final verdict (it may have changed and come back after). */
  firstS: number | undefined;
  cpuMs: number;
  /** Per data hop: seconds from request to first packet (the walk's own step). */
  firstPacketS: number[];
}

const key = (v: Verdict): string => [v.status, v.hop, v.cause !== v.status ? v.cause : undefined].filter(Boolean).join(' / ');

/** `flexpath sim` in a child process on loopback; resolves with its API port once it printed it. */
async function startSim(faults: string[]): Promise<{ port: number; child: ChildProcess }> {
  const bin = fileURLToPath(new URL('../../bin/flexpath.js', import.meta.url));
  const args = [bin, 'sim', '--port-base', '0', '--discovery', 'off', '--seconds', String(RUN_MAX_S + 15), ...faults.flatMap((f) => ['--fault', f])];
  const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  const port = await new Promise<number>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`flexpath sim printed no API port: ${out}`)), 15_000);
    child.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      const m = /API tcp (\d+)/.exec(out);
      if (m) {
        clearTimeout(timer);
        resolve(Number(m[1]));
      }
    });
    child.on('exit', (code) => reject(new Error(`flexpath sim exited (${code}): ${out}`)));
  });
  return { port, child };
}

async function stopSim(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill('SIGTERM');
  await exited;
}

async function oneRun(c: FaultCase): Promise<RunResult> {
  const sim = await startSim(c.faults);
  try {
    const cpu0 = process.cpuUsage();
    const d = startLanDiagnosis({ host: '127.0.0.1', port: sim.port, mode: 'probe', discoveryPort: false, flexlibRange: false, dataHost: '127.0.0.1', noMtuStep: true, maxSeconds: RUN_MAX_S });
    const samples: Array<{ t: number; key: string }> = [];
    let finished = false;
    const done = d.done.finally(() => {
      finished = true;
    });
    while (!finished) {
      const f = d.evidence.analyzer.facts(unixNow());
      if (f.udpReturn.requestedClasses > 0) samples.push({ t: f.udpReturn.waitedS, key: key(judge(f).verdict) });
      await new Promise((r) => setTimeout(r, POLL_MS));
    }
    const report: AnalysisReport = await done;
    const cpu = process.cpuUsage(cpu0);
    const final = key(report.verdict);
    let from = samples.length;
    while (from > 0 && samples[from - 1]!.key === final) from--;
    return {
      verdict: final,
      ttvS: from < samples.length ? samples[from]!.t : undefined,
      firstS: samples.find((x) => x.key === final)?.t,
      cpuMs: (cpu.user + cpu.system) / 1000,
      firstPacketS: firstPackets(report),
    };
  } finally {
    await stopSim(sim.child);
  }
}

function firstPackets(r: AnalysisReport): number[] {
  const out: number[] = [];
  for (const h of r.hops) {
    for (const e of h.evidence) {
      const m = /first packet from \S+, ([\d.]+) s after it was requested/.exec(e);
      if (m) out.push(Number(m[1]));
    }
  }
  return out;
}

const fmt = (s: number): string => (Number.isFinite(s) ? `${s.toFixed(2)} s` : 'n/a');

/** `only`: fault names to run (all when empty). */
export async function benchTimeToVerdict(runs: number, only: readonly string[] = []): Promise<void> {
  const load0 = loadavg()[0]!;
  console.log(`time to verdict: flexpath diagnose --probe against \`flexpath sim\` (own process) on loopback, ${runs} runs per fault; load average ${load0.toFixed(1)} at the start`);
  console.log(`  reference: AetherSDR warns after ${AETHERSDR_NO_UDP_S} s without UDP and names no cause`);
  const firstPacket: number[] = [];
  for (const c of TTV_CASES.filter((x) => only.length === 0 || only.includes(x.name))) {
    const results: RunResult[] = [];
    for (let i = 0; i < runs; i++) results.push(await oneRun(c));
    const stood = results.flatMap((r) => (r.ttvS !== undefined ? [r.ttvS] : []));
    const first = results.flatMap((r) => (r.firstS !== undefined ? [r.firstS] : []));
    const verdicts = new Map<string, number>();
    for (const r of results) verdicts.set(r.verdict, (verdicts.get(r.verdict) ?? 0) + 1);
    const m = median(stood);
    console.log(
      `  ${c.name.padEnd(16)} median ${fmt(m)} (min ${fmt(Math.min(...stood))}, max ${fmt(Math.max(...stood))}; ${(m / AETHERSDR_NO_UDP_S).toFixed(3)} of AetherSDR's ${AETHERSDR_NO_UDP_S} s; first called ${fmt(median(first))})` +
        `  diagnose CPU ${median(results.map((r) => r.cpuMs)).toFixed(0)} ms/run  verdicts: ${[...verdicts].map(([v, n]) => `${v} ×${n}`).join(', ')}`,
    );
    if (c.name === 'healthy') firstPacket.push(...results.flatMap((r) => r.firstPacketS));
  }
  if (firstPacket.length > 0) {
    console.log(`  first packet of a class after its request (healthy runs, ${firstPacket.length} classes): median ${fmt(median(firstPacket))}, max ${fmt(Math.max(...firstPacket))} — FIRST_PACKET_FLOOR_S is ${FIRST_PACKET_FLOOR_S} s`);
  }
  console.log(`  load average ${loadavg()[0]!.toFixed(1)} at the end`);
}
