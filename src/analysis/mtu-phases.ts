/**
 * A session cut where the client's `network_mtu` changes (`client set enforce_network_mtu=1
 * network_mtu=N`, reference §5.6): the radio re-sizes its large packets to N − 64 bytes of UDP payload
 * (reference §3.2, §11 "Client MTU"), so each stretch at one MTU is its own path test. The probe's MTU
 * steps (src/diagnose/mtu-step.ts) read live, and a capture of them reads here, by these same numbers.
 */
import type { MtuStepsFact } from './facts.js';

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
  return udpPayloadBytes >= mtu - RADIO_PAYLOAD_SHORTFALL - LARGE_MARGIN;
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
/** The radio’s largest UDP payload is network_mtu − 64 bytes (reference §8 #8: 1436 B at network_mtu 1500; other settings UNCONFIRMED on a real radio, the simulator follows it, and LARGE_MARGIN absorbs a shortfall). */
const RADIO_PAYLOAD_SHORTFALL = 64;

/** The IP datagram of the radio's largest packets at client network_mtu `mtu`: 1500 → 1464 B (reference §11 "Client MTU"). */
export function datagramBytesAt(mtu: number): number {
  return mtu - RADIO_PAYLOAD_SHORTFALL + UDP_IP_HEADERS;
}

/** The steps in words, for the waterfall hop's evidence: "MTU steps after the run: network_mtu 1500: 0 large packets arrived; …". */
export function mtuStepsLine(m: MtuStepsFact): string {
  const text = m.steps.map((s) => `network_mtu ${s.mtu}: ${s.passed ? `passes (${s.large} large packets, largest ${s.largest + UDP_IP_HEADERS} B on the wire)` : `${s.large} large packets arrived`}`).join('; ');
  return `MTU steps ${m.where}: ${text}`;
}
