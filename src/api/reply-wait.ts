/**
 * How long a command's reply may take before it counts as missing: max(base, REPLY_RTT_FACTOR × the
 * measured round trip), so a long path is judged by whether replies come, not by a LAN's clock (issue 11
 * class 7). REPLY_RTT_FACTOR = 3 is TCP's own retransmission bar after one round-trip measurement R
 * (RFC 6298 §2.2: SRTT = R, RTTVAR = R/2, RTO = SRTT + 4 × RTTVAR = 3R). The bases belong to the callers.
 */
export const REPLY_RTT_FACTOR = 3;

/** Seconds (or any unit, the same for both) a reply may take: max(base, 3 × rtt). */
export function replyWait(base: number, rtt: number): number {
  return Math.max(base, REPLY_RTT_FACTOR * rtt);
}

/** RFC 6298 §2.3 smoothing (α = 1/8) of round-trip samples; the first sample is taken as it is. */
export function smoothRtt(srtt: number | undefined, sample: number): number {
  return srtt === undefined ? sample : srtt + (sample - srtt) / 8;
}
