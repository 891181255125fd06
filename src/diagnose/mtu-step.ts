/**
 * The client MTU a path can carry. The radio sizes its large packets to the client's `network_mtu`
 * (`client set enforce_network_mtu=1 network_mtu=N`, reference §5.6): at 1500 its waterfall tiles are
 * 1464-byte DF datagrams on the wire (reference §11 "Client MTU"). When those vanish, the probe steps
 * down 1500 → 1450 → 1400 → 1300 and reports the largest setting whose big packets arrive — a fact the
 * user can act on in SmartSDR's settings. SmartSDR v4 ships 1450 (reference §5.6, §11).
 */
import { setTimeout as sleep } from 'node:timers/promises';
import type { Reply } from '../api/client.js';
import { formatCode } from '../api/codes.js';
import type { AnalysisReport } from '../analysis/model.js';
import { classifyCodes } from '../vita/classes.js';
import { newScan, scanPacket } from '../vita/scan.js';
import type { LiveEvidence } from './live.js';
import type { DataPath } from './walk.js';
import { MTU_STEP_DRAIN_S, MTU_STEP_MIN_LARGE, type MtuStep, largeAt } from '../analysis/mtu-phases.js';

/** SmartSDR v4's shipped client MTU (reference §5.6: SmartSDR.exe.config `MTU=1450`). */
export const SMARTSDR_DEFAULT_MTU = 1450;
/** Largest first: 1500 (Ethernet), 1450 (SmartSDR v4), 1400 and 1300 (what fixed SD-WAN/VPN reports, reference §12 #3). */
const MTU_STEPS = [1500, 1450, 1400, 1300] as const;
/**
 * How long each step listens. Waterfall tiles come every line duration (50 ms observed, reference §3.2),
 * so 1.5 s holds ≈ 30 of them even after the radio has re-sized its packets.
 */
const STEP_MS = 1500;

/**
 * True when the report blames the MTU or the large-packet class vanished (what a step-down can fix) while
 * the radio's other data arrives: with nothing arriving at all (udp-return blocked) no step can pass. Not
 * when the waterfall's loss is a rate limit's (cause bandwidth: loss that grows with the stream's rate,
 * rules.ts data-frames-lost-rate-limit, data-stopped-rate-limit): smaller packets carry the same bytes,
 * so no step can pass it, and each step's command would wait behind the limit (+6 s of steps).
 */
function mtuSuspected(r: AnalysisReport): boolean {
  if (r.hops.find((h) => h.id === 'udp-return')?.status === 'blocked') return false;
  if (r.verdict.cause === 'mtu') return true;
  const wf = r.hops.find((h) => h.id === 'data:waterfall');
  return wf?.status === 'blocked' && wf.cause !== 'bandwidth';
}

/** What the steps found, and why they ended early when they did. */
interface StepRun {
  /** The steps that ran to their end (a step cut short counts nothing: its window saw too little). */
  steps: MtuStep[];
  /** Why stepping ended before a step passed or the list ran out: stopped by the user, or the radio could not be asked. */
  cut?: string;
}

/**
 * Steps down through the MTUs, from the largest, until one passes. Changes only FlexPath's own client
 * (network_mtu is a per-client setting, reference §5.6: each client sends its own), so nothing of an
 * operator's is touched, and the setting goes with FlexPath's client when it disconnects. A stop
 * (Ctrl+C, the UI) ends the stepping at once, so the tidy-up follows without waiting out the steps; a
 * command that gets no reply or a connection that drops ends it too, keeping the steps that finished.
 */
async function stepMtu(cmd: (c: string) => Promise<Reply>, data: DataPath, o: Pick<AfterRun, 'signal' | 'closed'>, steps: readonly number[] = MTU_STEPS): Promise<StepRun> {
  const signal = o.signal;
  const out: MtuStep[] = [];
  const scan = newScan();
  let window: MtuStep | undefined;
  const onMessage = (msg: Buffer): void => {
    if (!window || !scanPacket(msg, scan) || !scan.hasClassId) return;
    if (classifyCodes(scan.oui, scan.packetClassCode).kind !== 'waterfall') return;
    if (msg.length > window.largest) window.largest = msg.length;
    if (largeAt(window.mtu, msg.length)) window.large++;
  };
  const wait = (ms: number): Promise<boolean> => sleep(ms, true, { signal }).catch(() => false);
  data.socket.socket.on('message', onMessage);
  try {
    for (const mtu of steps) {
      if (signal.aborted) return { steps: out, cut: `stopped before network_mtu ${mtu}` };
      let r: Reply;
      try {
        r = await cmd(`client set enforce_network_mtu=1 network_mtu=${mtu}`);
      } catch (e) {
        return { steps: out, cut: `network_mtu ${mtu} could not be set (${e instanceof Error ? e.message : String(e)})` };
      }
      if (r.code !== 0) return { steps: out, cut: `the radio refused network_mtu ${mtu} (${formatCode(r.code)})` };
      // Let packets sized for the previous setting drain before counting.
      const drained = await wait(MTU_STEP_DRAIN_S * 1000);
      const step: MtuStep = { mtu, large: 0, largest: 0, passed: false };
      window = step;
      if (!drained || !(await wait(STEP_MS))) return { steps: out, cut: `stopped during network_mtu ${mtu}` };
      window = undefined;
      // The radio stops sending to a client it dropped: that silence says nothing of the packets' size.
      if (o.closed()) return { steps: out, cut: `the control connection ended during network_mtu ${mtu}` };
      step.passed = step.large >= MTU_STEP_MIN_LARGE;
      out.push(step);
      if (step.passed) break;
    }
    return { steps: out };
  } finally {
    window = undefined;
    data.socket.socket.off('message', onMessage);
  }
}

interface AfterRun {
  /** The client MTU the run was judged at. */
  mtu: number;
  signal: AbortSignal;
  /** True once the control connection is gone. */
  closed(): boolean;
  say(text: string): void;
}

/**
 * When the judged run lost its large packets, steps FlexPath's client MTU and judges the run again with
 * the steps as facts (they confirm or refute an MTU cause). The analysis ends with the run — the steps
 * after it would read as an outage — while the recording goes on with them, which `analyze` reads as MTU
 * phases after the run. Steps cut short are said in the waterfall's evidence; the finished ones count.
 */
export async function stepAfterRun(ev: LiveEvidence, cmd: (c: string) => Promise<Reply>, data: DataPath, report: AnalysisReport, o: AfterRun): Promise<AnalysisReport> {
  if (o.signal.aborted || !mtuSuspected(report)) return report;
  o.say('large packets did not arrive: stepping the client MTU down …');
  ev.pause(true);
  const run = await stepMtu(cmd, data, o);
  if (run.cut) ev.step('data:waterfall', `MTU steps cut short: ${run.cut}`);
  if (run.steps.length > 0) ev.analyzer.mtuStepsTried({ tested: o.mtu, where: 'after the run', steps: run.steps });
  else if (!run.cut) return report;
  const judged = ev.report();
  o.say(`with the MTU steps (${run.steps.map((x) => `${x.mtu}: ${x.passed ? 'passes' : 'no'}`).join(', ') || 'none finished'}): ${judged.verdict.summary}`);
  return judged;
}
