/**
 * A session cut where the client's `network_mtu` changes (`client set enforce_network_mtu=1
 * network_mtu=N`, reference §5.6): the radio re-sizes its large packets to N − 64 bytes of UDP payload
 * (reference §3.2, §11 "Client MTU"), so each stretch at one MTU is its own path test. The probe's MTU
 * steps (src/diagnose/mtu-step.ts) read live, and a capture of them reads here, by these same numbers.
 */
import type { AnalysisReport } from './model.js';

/**
 * After an MTU change, packets sized for the previous setting are still on the way; they are not counted
 * for the new one. Empirical: the simulator and the lab's relays drain within tens of ms.
 */
export const MTU_STEP_DRAIN_S = 0.3;
/**
 * A step passes when at least this many large waterfall datagrams arrive. Empirical: one stray tile can
 * slip through before the radio applies the new size, three cannot.
 */
export const MTU_STEP_MIN_LARGE = 3;
/**
 * "Large" = within 100 bytes of the biggest UDP payload the radio may send at that MTU (N − 64: 1500 →
 * 1436, reference §3.2). Empirical margin: a real radio's tile ends where its bins end, not at the byte.
 */
const LARGE_MARGIN = 100;

/** Is a waterfall datagram of `udpPayloadBytes` one of the large ones the radio sends at `mtu`? */
export function largeAt(mtu: number, udpPayloadBytes: number): boolean {
  return udpPayloadBytes >= mtu - 64 - LARGE_MARGIN;
}

export interface MtuStep {
  mtu: number;
  /** Large waterfall datagrams that arrived at this setting (after the drain). */
  large: number;
  /** Largest waterfall UDP payload that arrived, bytes. */
  largest: number;
  passed: boolean;
}

/** UDP + IPv4 headers: what a UDP payload weighs on the wire. */
const UDP_IP_HEADERS = 28;

/**
 * Puts the steps into a report: a fact on the waterfall hop and, where a smaller MTU carried the large
 * packets that `tested` did not, the setting to use. `where` says where the steps were seen.
 */
export function noteMtuSteps(r: Pick<AnalysisReport, 'hops' | 'verdict'>, steps: readonly MtuStep[], tested: number | undefined, where: string): void {
  if (steps.length === 0) return;
  const hop = r.hops.find((h) => h.id === 'data:waterfall');
  const text = steps.map((s) => `network_mtu ${s.mtu}: ${s.passed ? `passes (${s.large} large packets, largest ${s.largest + UDP_IP_HEADERS} B on the wire)` : `${s.large} large packets arrived`}`).join('; ');
  hop?.evidence.push(`MTU steps ${where}: ${text}`);
  const pass = steps.find((s) => s.passed);
  if (pass && (tested === undefined || pass.mtu < tested)) {
    r.verdict.advice.unshift(`set SmartSDR’s MTU to ${pass.mtu} (its network MTU setting; the same in Maestro): large packets at ${tested ?? 'the first setting'} did not arrive, at ${pass.mtu} they did`);
  } else if (!pass) {
    r.verdict.advice.unshift(`not even network_mtu ${steps[steps.length - 1]!.mtu} carried the large packets: the loss is not (only) the MTU`);
  }
}
