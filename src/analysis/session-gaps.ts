/**
 * Session boundaries in the evidence: a client's API session to a radio ended (closed or reset, by either
 * side) and the same client opened its next one later. The radio sends a client's streams only while its
 * session lives (reference §5.1: one TCP connection per session; §5.8: streams belong to a client's
 * objects), so the data's silence across the stretch between is the restart's — a radio that restarted or
 * dropped the client, a client that reconnected — not packets lost on the path; and the counters and
 * frame indices of the streams after it start afresh (§1.1), so their jump across it counts nothing.
 */
import type { ControlSession, ControlTracker } from './control-tracker.js';

export interface SessionGap {
  /**
   * The client's addresses: the radio's streams to them stop at `fromTs` and start again after `toTs`. The
   * control channel's, and where either session's own objects' streams go (`dataTo`): a dual-stack client
   * whose control runs over IPv6 gets its data over IPv4 (reference §12 #15), a capture behind a NAT sees
   * the control with one address and the data with the other.
   */
  clients: ReadonlySet<string>;
  before: ControlSession;
  after: ControlSession;
  /** The earlier session's end: its close or reset, else its last packet. */
  fromTs: number;
  /** The next session's first packet. */
  toTs: number;
}

/**
 * Per client address and radio, consecutive API sessions where the earlier ended before the next began.
 * Only where no other session of that client address to that radio lived across the stretch: two clients
 * on one host (reference §5.8) keep receiving data while one of them reconnects, and that data is no restart.
 * `dataTo`: the addresses a session's own data goes to besides its control address (facts.ts sessionSides).
 */
export function sessionGaps(c: ControlTracker, dataTo: (s: ControlSession) => Iterable<string> = () => []): SessionGap[] {
  const groups = new Map<string, ControlSession[]>();
  for (const s of c.apiSessions()) {
    const key = `${s.client.ip}>${s.server.ip}:${s.server.port}`;
    groups.set(key, [...(groups.get(key) ?? []), s]);
  }
  const out: SessionGap[] = [];
  for (const list of groups.values()) {
    const sorted = [...list].sort((a, b) => a.firstTs - b.firstTs);
    for (let i = 1; i < sorted.length; i++) {
      const before = sorted[i - 1]!;
      const after = sorted[i]!;
      const fromTs = before.closeTs ?? before.lastTs;
      if (fromTs > after.firstTs) continue;
      const alive = sorted.some((x) => x !== before && x !== after && x.firstTs < after.firstTs && (x.closeTs ?? x.lastTs) > fromTs);
      if (!alive) out.push({ clients: new Set([after.client.ip, ...dataTo(before), ...dataTo(after)]), before, after, fromTs, toTs: after.firstTs });
    }
  }
  return out;
}

/** `s` and the sessions linked to it by gaps, earliest first: one client's reconnects to one radio. */
export function sessionChain(gaps: readonly SessionGap[], s: ControlSession): ControlSession[] {
  const chain = [s];
  for (let g = gaps.find((x) => x.after === chain[0]); g; g = gaps.find((x) => x.after === chain[0])) chain.unshift(g.before);
  for (let g = gaps.find((x) => x.before === chain.at(-1)); g; g = gaps.find((x) => x.before === chain.at(-1))) chain.push(g.after);
  return chain;
}
