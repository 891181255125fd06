/**
 * `flexpath decode FILE | --hex HEX`: one raw datagram → header and payload summary. For the support
 * agent who has copied one UDP payload out of Wireshark and wants to know what it is.
 */
import { readFile } from 'node:fs/promises';
import { DecodeError } from '../common/decode-error.js';
import { errorText } from '../common/error-text.js';
import { type VitaPacket, decodePacket, formatStreamId, readBeacon, vitaFrequencyToHz } from '../vita/index.js';
import { EXIT, UsageError, oneOf, parse, toJson } from './common.js';

const hex16 = (n: number): string => '0x' + n.toString(16).toUpperCase().padStart(4, '0');
const hex24 = (n: number): string => '0x' + n.toString(16).toUpperCase().padStart(6, '0');

function range(a: ArrayLike<number>): { min: number; max: number } | undefined {
  if (a.length === 0) return undefined;
  let min = Infinity;
  let max = -Infinity;
  for (let i = 0; i < a.length; i++) {
    const v = a[i] ?? 0;
    if (v < min) min = v;
    if (v > max) max = v;
  }
  return { min, max };
}

function payloadSummary(p: VitaPacket): Record<string, unknown> {
  switch (p.kind) {
    case 'discovery': {
      const { extra, ...b } = readBeacon(p.payload);
      return { ...b, otherKeys: extra };
    }
    case 'meter':
      return { readings: p.payload.readings };
    case 'panadapter': {
      const { bins, ...rest } = p.payload;
      return { ...rest, binRange: range(bins) };
    }
    case 'waterfall': {
      const { bins, frameLowFreq, binBandwidth, ...rest } = p.payload;
      return { ...rest, frameLowFreqHz: vitaFrequencyToHz(frameLowFreq), binBandwidthHz: vitaFrequencyToHz(binBandwidth), binRange: range(bins) };
    }
    case 'audio':
      return p.payload.format === 'opus'
        ? { format: 'opus', bytes: p.payload.data.length }
        : { format: p.payload.format, samples: p.payload.samples.length, range: range(p.payload.samples) };
    case 'dax-iq':
      return { byteOrder: p.payload.byteOrder, samples: p.payload.samples.length, range: range(p.payload.samples) };
    case 'other':
      return { bytes: p.payload.length };
  }
}

export function describe(bytes: Buffer): Record<string, unknown> {
  const { packet, excess } = decodePacket(bytes);
  const h = packet.header;
  return {
    length: bytes.length,
    kind: packet.kind,
    header: {
      packetType: h.packetType,
      classIdPresent: h.classId !== undefined,
      trailerPresent: packet.trailer !== undefined,
      tsi: h.tsi,
      tsf: h.tsf,
      packetCount: h.packetCount,
      packetSizeWords: h.packetSize,
      ...(h.streamId !== undefined ? { streamId: formatStreamId(h.streamId) } : {}),
      ...(h.classId
        ? { oui: hex24(h.classId.oui), informationClassCode: hex16(h.classId.informationClassCode), packetClassCode: hex16(h.classId.packetClassCode) }
        : {}),
      ...(h.integerTimestamp !== undefined ? { integerTimestamp: h.integerTimestamp } : {}),
      ...(h.fractionalTimestamp !== undefined ? { fractionalTimestamp: h.fractionalTimestamp } : {}),
    },
    payload: payloadSummary(packet),
    ...(packet.padding ? { paddingBytes: packet.padding.length } : {}),
    ...(packet.trailer ? { trailer: packet.trailer } : {}),
    ...(excess > 0 ? { bytesAfterPacket: excess } : {}),
  };
}

function text(d: Record<string, unknown>, indent = ''): string {
  const lines: string[] = [];
  for (const [k, v] of Object.entries(d)) {
    if (v !== null && typeof v === 'object' && !Array.isArray(v)) {
      lines.push(`${indent}${k}:`, text(v as Record<string, unknown>, indent + '  '));
    } else {
      lines.push(`${indent}${k}: ${Array.isArray(v) ? JSON.stringify(v) : String(v)}`);
    }
  }
  return lines.join('\n');
}

export async function runDecode(argv: string[]): Promise<number> {
  const { values, positionals } = parse(argv, { hex: { type: 'string' }, format: { type: 'string' } });
  const format = oneOf(values.format, ['json', 'text'] as const, 'json', 'format');
  if ((values.hex === undefined) === (positionals.length !== 1)) {
    throw new UsageError('give exactly one of FILE or --hex HEX');
  }
  let bytes: Buffer;
  let what: string;
  if (values.hex !== undefined) {
    const clean = values.hex.replace(/[\s:]/g, '').replace(/^0x/i, '');
    if (!/^([0-9a-fA-F]{2})*$/.test(clean)) {
      process.stderr.write('flexpath decode: --hex: not an even number of hex digits\n');
      return EXIT.badInput;
    }
    bytes = Buffer.from(clean, 'hex');
    what = '--hex';
  } else {
    what = positionals[0] ?? '';
    try {
      bytes = await readFile(what);
    } catch (e) {
      process.stderr.write(`flexpath decode: ${what}: ${errorText(e)}\n`);
      return EXIT.badInput;
    }
  }
  try {
    const d = describe(bytes);
    process.stdout.write((format === 'json' ? toJson(d) : text(d)) + '\n');
    return EXIT.ok;
  } catch (e) {
    if (e instanceof DecodeError) {
      process.stderr.write(`flexpath decode: ${what}: ${e.message}\n`);
      return EXIT.badInput;
    }
    throw e;
  }
}
