/** Byte-level mutation primitives shared by the datagram and capture-file fuzzers. */

export type Rnd = () => number;

export const int = (rnd: Rnd, n: number): number => Math.floor(rnd() * n);

export function pick<T>(rnd: Rnd, list: readonly T[]): T {
  return list[int(rnd, list.length)] as T;
}

export function randomBytes(rnd: Rnd, n: number): Buffer {
  const b = Buffer.allocUnsafe(n);
  for (let i = 0; i < n; i++) b[i] = int(rnd, 256);
  return b;
}

/** Values that sit on the edges length and count checks care about. */
export const EDGE_U32 = [0, 1, 3, 4, 11, 12, 13, 16, 28, 32, 0x7fff, 0x8000, 0xffff, 0x10000, 0xffffff, 0x1000000, 0x3fffffc, 0x4000000, 0x7fffffff, 0x80000000, 0xfffffffc, 0xffffffff];
const EDGE_U16 = [0, 1, 2, 3, 4, 7, 8, 0x7f, 0x80, 0xff, 0x100, 0x7fff, 0x8000, 0xfffe, 0xffff];

/**
 * Changes `flips` bytes in place. `at` chooses where (callers bias it toward headers); a quarter of the
 * changes write an edge value over a 16- or 32-bit field instead of a random byte.
 */
export function flipBytes(buf: Buffer, rnd: Rnd, flips: number, at: () => number): void {
  if (buf.length === 0) return;
  for (let f = 0; f < flips; f++) {
    const o = at();
    const r = rnd();
    if (r < 0.15 && o + 4 <= buf.length) buf.writeUInt32BE(pick(rnd, EDGE_U32), o);
    else if (r < 0.25 && o + 2 <= buf.length) buf.writeUInt16BE(pick(rnd, EDGE_U16), o);
    else if (r < 0.4) buf[o] = (buf[o] ?? 0) ^ (1 << int(rnd, 8));
    else buf[o] = int(rnd, 256);
  }
}
