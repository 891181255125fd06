/**
 * Big-endian u16 arrays (FFT and waterfall bins) copied in one block and byte-swapped in bulk instead of
 * one readUInt16BE per bin: a waterfall tile has 684 bins, and this is the codec's hot loop.
 */
import { endianness } from 'node:os';

const LITTLE = endianness() === 'LE';

export function readU16BE(buf: Buffer, offset: number, count: number): Uint16Array {
  // allocUnsafeSlow: unpooled (so the Uint16Array view is aligned) and not zero-filled (every byte is copied over).
  const copy = Buffer.allocUnsafeSlow(count * 2);
  buf.copy(copy, 0, offset, offset + count * 2);
  if (LITTLE) copy.swap16();
  return new Uint16Array(copy.buffer, copy.byteOffset, count);
}

export function writeU16BE(values: Uint16Array, buf: Buffer, offset: number): void {
  const bytes = Buffer.from(values.buffer, values.byteOffset, values.byteLength);
  bytes.copy(buf, offset);
  if (LITTLE) buf.subarray(offset, offset + values.byteLength).swap16();
}
