/**
 * Capture timestamps as (seconds, nanoseconds) without precision loss. pcapng stores a 64-bit tick count
 * in a per-interface resolution; nanosecond ticks since 1970 (~1.7e18) exceed a double's 2^53, so the
 * division is done in 16-bit digits where every intermediate value is an exact integer.
 */

/** Result of splitTicks, reused between calls (read it before the next call). */
export const split = { sec: 0, nsec: 0 };

/** Resolutions up to this many ticks per second are split through the per-`hi` cache below. */
const CACHEABLE_TPS = 2 ** 37;
/** hi·2^32 = qHi·tps + rHi for the last (hi, tps) seen: `hi` changes only every 4.3 s of nanosecond ticks. */
let cachedHi = -1;
let cachedTps = 0;
let qHi = 0;
let rHi = 0;
/** Remainder of the last longDivide. */
let remainder = 0;

/**
 * Splits hi·2^32 + lo ticks of `ticksPerSecond` into split.sec and split.nsec. Exact for resolutions up to
 * 2^37 ticks per second (the remainder times 65 536 stays below 2^53), which covers 10^-9 and 2^-32.
 */
export function splitTicks(hi: number, lo: number, ticksPerSecond: number): void {
  if (hi === 0 && ticksPerSecond === 1_000_000) {
    split.sec = Math.floor(lo / 1_000_000);
    split.nsec = (lo % 1_000_000) * 1000;
    return;
  }
  let r: number;
  if (ticksPerSecond <= CACHEABLE_TPS) {
    // This runs once per packet: hi·2^32 is divided once per distinct hi, then only rHi + lo (< 2^38).
    if (hi !== cachedHi || ticksPerSecond !== cachedTps) {
      longDivide(hi, 0, ticksPerSecond);
      qHi = split.sec;
      rHi = remainder;
      cachedHi = hi;
      cachedTps = ticksPerSecond;
    }
    const x = rHi + lo;
    const q = Math.floor(x / ticksPerSecond);
    r = x - q * ticksPerSecond;
    split.sec = qHi + q;
  } else {
    longDivide(hi, lo, ticksPerSecond);
    r = remainder;
  }
  split.nsec = ticksPerSecond === 1_000_000_000 ? r : nanos(r, ticksPerSecond);
}

/** floor((hi·2^32 + lo) / d) into split.sec and the remainder into `remainder`, by 16-bit digits. */
function longDivide(hi: number, lo: number, d: number): void {
  let cur = hi >>> 16;
  let q = Math.floor(cur / d);
  let r = cur - q * d;
  cur = r * 65_536 + (hi & 0xffff);
  let qd = Math.floor(cur / d);
  r = cur - qd * d;
  q = q * 65_536 + qd;
  cur = r * 65_536 + (lo >>> 16);
  qd = Math.floor(cur / d);
  r = cur - qd * d;
  q = q * 65_536 + qd;
  cur = r * 65_536 + (lo & 0xffff);
  qd = Math.floor(cur / d);
  r = cur - qd * d;
  q = q * 65_536 + qd;
  split.sec = q;
  remainder = r;
}

/**
 * floor(r · 10^9 / tps) for a remainder r < tps, exact up to tps = 2^37: r · 10^9 itself can exceed 2^53
 * (finer than nanosecond resolutions), so it is taken in two steps, 10^9 = 31 250 × 32 000.
 */
function nanos(r: number, tps: number): number {
  const a = r * 31_250;
  const q = Math.floor(a / tps);
  return q * 32_000 + Math.floor(((a - q * tps) * 32_000) / tps);
}

/** Inverse of splitTicks for writers: the 64-bit tick count of a (sec, nsec) time as [hi, lo]. */
export function toTicks(sec: number, nsec: number, ticksPerSecond: number): [number, number] {
  const ticks = BigInt(sec) * BigInt(ticksPerSecond) + (BigInt(nsec) * BigInt(ticksPerSecond)) / 1_000_000_000n;
  return [Number(ticks >> 32n), Number(ticks & 0xffffffffn)];
}

/** (sec, nsec) of a writer's timestamp argument: seconds as a number, or nanoseconds as a bigint. */
export function secNsec(ts: number | bigint): [number, number] {
  if (typeof ts === 'bigint') return [Number(ts / 1_000_000_000n), Number(ts % 1_000_000_000n)];
  const sec = Math.floor(ts);
  let nsec = Math.round((ts - sec) * 1e9);
  if (nsec >= 1e9) nsec = 999_999_999;
  return [sec, nsec];
}

/** Fixed for the process; read once, as its getter costs more than performance.now() on the per-datagram path. */
const TIME_ORIGIN_MS = performance.timeOrigin;

/** Wall-clock Unix seconds with sub-millisecond resolution: the timestamp of live events and of what we record. */
export function unixNow(): number {
  return (TIME_ORIGIN_MS + performance.now()) / 1000;
}
