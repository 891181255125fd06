/**
 * Meter payload (PCC 0x8002, reference §3.3): consecutive 4-byte pairs of u16 meter ID and i16 raw
 * value. The unit (from the `meter` status lines on TCP) decides the scaling.
 */
import { need } from '../../common/decode-error.js';

interface MeterReading {
  id: number;
  raw: number;
}

export interface MeterPayload {
  readings: MeterReading[];
}

export const meter = {
  encodingLength(p: MeterPayload): number {
    return p.readings.length * 4;
  },
  encode(p: MeterPayload, buf: Buffer = Buffer.alloc(p.readings.length * 4), offset = 0): Buffer {
    let o = offset;
    for (const r of p.readings) {
      buf.writeUInt16BE(r.id & 0xffff, o);
      buf.writeInt16BE(r.raw, o + 2);
      o += 4;
    }
    return buf;
  },
  /** Whole pairs only; a trailing 1–3 bytes are left to the packet layer as padding. */
  decode(buf: Buffer, offset = 0, end = buf.length): MeterPayload {
    need(end, offset, 0, 'meter pairs');
    const n = Math.floor((end - offset) / 4);
    const readings: MeterReading[] = new Array(n);
    for (let i = 0, o = offset; i < n; i++, o += 4) {
      readings[i] = { id: buf.readUInt16BE(o), raw: buf.readInt16BE(o + 2) };
    }
    return { readings };
  },
};

/**
 * Raw meter value → engineering units, per FlexLib Meter.cs (reference §3.3). Volts/Amps used /1024 on
 * firmware before 1.11; every radio this tool meets is newer, so /256.
 */
export function scaleMeter(raw: number, unit: string | undefined): number {
  switch ((unit ?? '').toLowerCase()) {
    case 'db':
    case 'dbm':
    case 'dbfs':
    case 'swr':
      return raw / 128;
    case 'volts':
    case 'amps':
      return raw / 256;
    case 'degf':
    case 'degc':
      return raw / 64;
    default:
      return raw;
  }
}
