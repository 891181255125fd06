/**
 * Audio payloads. Opus (PCC 0x8005) is one opaque Opus packet whose length comes from the datagram
 * (encoders round the VITA size up to whole words, reference §3.5). Float32 stereo (0x03E3) and int16
 * mono (0x0123) are big-endian (reference §3.6, §3.7).
 */
export interface OpusPayload {
  format: 'opus';
  /** A view into the datagram: no copy. */
  data: Buffer;
}

export interface Float32AudioPayload {
  format: 'float32-stereo';
  /** Interleaved L, R. */
  samples: Float32Array;
}

export interface Int16AudioPayload {
  format: 'int16-mono';
  samples: Int16Array;
}

export type AudioPayload = OpusPayload | Float32AudioPayload | Int16AudioPayload;

export const opus = {
  encodingLength(p: OpusPayload): number {
    return p.data.length;
  },
  encode(p: OpusPayload, buf: Buffer = Buffer.alloc(p.data.length), offset = 0): Buffer {
    p.data.copy(buf, offset);
    return buf;
  },
  decode(buf: Buffer, offset = 0, end = buf.length): OpusPayload {
    return { format: 'opus', data: buf.subarray(offset, end) };
  },
};

export const float32Stereo = {
  encodingLength(p: Float32AudioPayload): number {
    return p.samples.length * 4;
  },
  encode(p: Float32AudioPayload, buf: Buffer = Buffer.alloc(p.samples.length * 4), offset = 0): Buffer {
    for (let i = 0; i < p.samples.length; i++) buf.writeFloatBE(p.samples[i] ?? 0, offset + i * 4);
    return buf;
  },
  /** Whole 4-byte samples only; a ragged tail is left to the packet layer as padding. */
  decode(buf: Buffer, offset = 0, end = buf.length): Float32AudioPayload {
    const n = Math.max(0, Math.floor((end - offset) / 4));
    const samples = new Float32Array(n);
    for (let i = 0; i < n; i++) samples[i] = buf.readFloatBE(offset + i * 4);
    return { format: 'float32-stereo', samples };
  },
};

export const int16Mono = {
  encodingLength(p: Int16AudioPayload): number {
    return p.samples.length * 2;
  },
  encode(p: Int16AudioPayload, buf: Buffer = Buffer.alloc(p.samples.length * 2), offset = 0): Buffer {
    for (let i = 0; i < p.samples.length; i++) buf.writeInt16BE(p.samples[i] ?? 0, offset + i * 2);
    return buf;
  },
  decode(buf: Buffer, offset = 0, end = buf.length): Int16AudioPayload {
    const n = Math.max(0, Math.floor((end - offset) / 2));
    const samples = new Int16Array(n);
    for (let i = 0; i < n; i++) samples[i] = buf.readInt16BE(offset + i * 2);
    return { format: 'int16-mono', samples };
  },
};
