/**
 * The client MTU a path can carry. The radio sizes its large packets to the client's `network_mtu`
 * (`client set enforce_network_mtu=1 network_mtu=N`, reference §5.6): at 1500 its waterfall tiles are
 * 1464-byte DF datagrams on the wire (reference §11 "Client MTU"). When those vanish, the probe steps
 * down 1500 → 1450 → 1400 → 1300 and reports the largest setting whose big packets arrive — a fact the
 * user can act on in SmartSDR's settings. SmartSDR v4 ships 1450 (reference §5.6, §11).
 */
import type { Reply } from '../api/client.js';
import type { AnalysisReport } from '../analysis/model.js';
import { classifyCodes } from '../vita/classes.js';
import { newScan, scanPacket } from '../vita/scan.js';
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

/** True when the report blames the MTU or the large-packet class vanished (what a step-down can fix). */
export function mtuSuspected(r: AnalysisReport): boolean {
  if (r.verdict.cause === 'mtu') return true;
  const wf = r.hops.find((h) => h.id === 'data:waterfall');
  return wf?.status === 'blocked';
}

/** Steps down through the MTUs, from the largest, until one passes. Changes only FlexPath's own client. */
export async function stepMtu(cmd: (c: string) => Promise<Reply>, data: DataPath, sleep: (ms: number) => Promise<void>, steps: readonly number[] = MTU_STEPS): Promise<MtuStep[]> {
  const out: MtuStep[] = [];
  const scan = newScan();
  let window: MtuStep | undefined;
  const onMessage = (msg: Buffer): void => {
    if (!window || !scanPacket(msg, scan) || !scan.hasClassId) return;
    if (classifyCodes(scan.oui, scan.packetClassCode).kind !== 'waterfall') return;
    if (msg.length > window.largest) window.largest = msg.length;
    if (largeAt(window.mtu, msg.length)) window.large++;
  };
  data.socket.socket.on('message', onMessage);
  try {
    for (const mtu of steps) {
      const r = await cmd(`client set enforce_network_mtu=1 network_mtu=${mtu}`);
      if (r.code !== 0) break;
      // Let packets sized for the previous setting drain before counting.
      await sleep(MTU_STEP_DRAIN_S * 1000);
      window = { mtu, large: 0, largest: 0, passed: false };
      await sleep(STEP_MS);
      window.passed = window.large >= MTU_STEP_MIN_LARGE;
      out.push(window);
      window = undefined;
      if (out[out.length - 1]!.passed) break;
    }
  } finally {
    data.socket.socket.off('message', onMessage);
  }
  return out;
}
