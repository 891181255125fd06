/**
 * DAX IQ payload (PCC 0x02E3–0x02E6, packet type 1): interleaved I,Q float32.
 *
 * Byte order is UNCONFIRMED (reference §3.8, §9): FlexLib, flexlib-go and AB4EJ read little-endian,
 * AetherSDR big-endian. We decode little-endian (the majority, incl. FlexLib) unless that reading is
 * implausible and the big-endian one is not — then we say which order we used, never guess silently.
 */
type ByteOrder = 'le' | 'be';

export interface DaxIqPayload {
  byteOrder: ByteOrder;
  /** Interleaved I, Q, as on the wire (full scale ≈ ±32768 per FlexLib). */
  samples: Float32Array;
}

/**
 * Real IQ stays within a few times full scale and well above float denormals; NaN, infinities, 1e7+ or
 * sub-1e-20 magnitudes mean the bytes are being read in the wrong order.
 */
function plausible(buf: Buffer, offset: number, n: number, be: boolean): boolean {
  for (let i = 0; i < n; i++) {
    const v = be ? buf.readFloatBE(offset + i * 4) : buf.readFloatLE(offset + i * 4);
    const a = Math.abs(v);
    if (!Number.isFinite(v) || a > 1e7 || (a !== 0 && a < 1e-20)) return false;
  }
  return true;
}

export const daxIq = {
  encodingLength(p: DaxIqPayload): number {
    return p.samples.length * 4;
  },
  encode(p: DaxIqPayload, buf: Buffer = Buffer.alloc(p.samples.length * 4), offset = 0): Buffer {
    for (let i = 0; i < p.samples.length; i++) {
      const v = p.samples[i] ?? 0;
      if (p.byteOrder === 'be') buf.writeFloatBE(v, offset + i * 4);
      else buf.writeFloatLE(v, offset + i * 4);
    }
    return buf;
  },
  decode(buf: Buffer, offset = 0, end = buf.length): DaxIqPayload {
    const n = Math.max(0, Math.floor((end - offset) / 4));
    const byteOrder: ByteOrder = !plausible(buf, offset, n, false) && plausible(buf, offset, n, true) ? 'be' : 'le';
    const samples = new Float32Array(n);
    for (let i = 0; i < n; i++) {
      samples[i] = byteOrder === 'be' ? buf.readFloatBE(offset + i * 4) : buf.readFloatLE(offset + i * 4);
    }
    return { byteOrder, samples };
  },
};
