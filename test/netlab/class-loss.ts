/**
 * Loss per data class in a recording, counted by the test from tshark's VITA-49 dissection (`vrt`), not
 * by FlexPath: for random loss, which class first shows it is chance, so the expected hop is read from
 * what actually went missing.
 */
import type { HopId } from '../../src/analysis/model.js';
import { lossDegrades } from '../../src/analysis/rules.js';
import { counterGaps } from '../helpers/counter-gaps.js';
import { tsharkFields } from '../helpers/tshark.js';

/** Packet class codes of the probe's classes (reference §2.2), in path order. */
const CLASS_HOPS: Array<[number, HopId]> = [
  [0x8002, 'data:meter'],
  [0x8003, 'data:panadapter'],
  [0x8004, 'data:waterfall'],
  [0x8005, 'data:audio'],
];

export interface ClassLoss {
  hop: HopId;
  lost: number;
  received: number;
}

/** Per class: datagrams received at `port` and missing by the 4-bit counters. */
export function classLoss(file: string, port: number): ClassLoss[] {
  const { rows, stderr } = tsharkFields(file, ['vrt.sid', 'vrt.seq', 'vrt.cid'], ['-d', `udp.port==${port},vrt`, '-Y', `vrt && udp.dstport==${port}`]);
  if (stderr) throw new Error(`tshark: ${stderr}`);
  const byPcc = new Map<number, Array<{ streamId: number; count: number }>>();
  for (const [sid, seq, cid] of rows) {
    if (sid === undefined || seq === undefined || cid === undefined) continue;
    const pcc = Number(BigInt(cid) & 0xffffn);
    let list = byPcc.get(pcc);
    if (!list) byPcc.set(pcc, (list = []));
    list.push({ streamId: Number(sid), count: Number(seq) });
  }
  return CLASS_HOPS.map(([pcc, hop]) => {
    const g = counterGaps(byPcc.get(pcc) ?? []);
    return { hop, lost: g.lost, received: g.received };
  });
}

/** The first class in path order whose loss FlexPath's LAN rule calls degraded, if any. */
export function firstLossyHop(loss: ClassLoss[]): HopId | undefined {
  return loss.find((c) => c.received > 0 && lossDegrades(c.lost, c.received, 'lan'))?.hop;
}

export function formatLoss(loss: ClassLoss[]): string {
  return loss.map((c) => `${c.hop.slice(5)} ${c.lost}/${c.lost + c.received}`).join(', ');
}
