import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { DecodeError } from '../../src/common/decode-error.js';
import {
  PCC, type VitaPacket, decodePacket, encodePacket, encodingLength, readBeacon, scaleMeter,
  describeSampleClass, streamId, vitaFrequencyToHz,
} from '../../src/vita/index.js';
import { newScan, scanPacket } from '../../src/vita/scan.js';
import { flexHeader } from '../helpers/packets.js';
import { fixture } from '../helpers/paths.js';

function roundTrip(p: VitaPacket): void {
  const bytes = encodePacket(p);
  assert.equal(bytes.length, encodingLength(p));
  assert.equal(bytes.readUInt16BE(2) * 4, Math.ceil(bytes.length / 4) * 4, 'size field counts every word');
  const back = decodePacket(bytes).packet;
  assert.deepEqual({ ...back, header: { ...back.header, packetSize: 0 } }, { ...p, header: { ...p.header, packetSize: 0 } });
  assert.deepEqual(encodePacket(back), bytes, 'decode → encode gives identical bytes');
}

test('the real FLEX-6700 beacon (fixture) decodes to the values in its text', () => {
  const bytes = readFileSync(fixture('flex6700-discovery-datagram.bin'));
  const { packet } = decodePacket(bytes);
  assert.equal(packet.kind, 'discovery');
  assert.equal(packet.header.streamId, 0x800);
  assert.equal(packet.header.packetSize * 4, 552); // fixtures README: 552-byte payload
  assert.equal(packet.header.integerTimestamp, 0x62438ffc);
  if (packet.kind !== 'discovery') return;
  const b = readBeacon(packet.payload);
  assert.equal(b.model, 'FLEX-6700');
  assert.equal(b.serial, '1121-1104-6700-2912');
  assert.equal(b.version, '3.2.39.3374');
  assert.equal(b.callsign, 'W4BR');
  assert.equal(b.nickname, 'PSOC2/HF/AMP');
  assert.equal(b.ip, '192.168.0.11');
  assert.equal(b.port, 4992);
  assert.equal(b.status, 'Available');
  assert.equal(b.wanConnected, true);
  assert.equal(b.licensedClients, 2);
  assert.equal(b.protocolVersion, '3.0.0.1');
  assert.equal(b.extra['max_licensed_version'], 'v3');
  assert.deepEqual(b.guiClients, []);
  // NUL padding is kept as padding, so the radio's bytes come back exactly.
  assert.deepEqual(packet.padding, Buffer.alloc(3));
  assert.deepEqual(encodePacket(packet), bytes);
});

test('a 3.1.0.4-style beacon with GUI clients (reference §4.2 example lists), spaces as 0x7F', () => {
  const text =
    'discovery_protocol_version=3.1.0.4 model=FLEX-8600 serial=1234-5678-8600-0001 version=4.2.18.41174 nickname=My_Radio ' +
    'callsign=K1ABC ip=10.0.0.5 port=4992 status=In_Use gui_client_ips=10.0.0.9,10.0.0.10 gui_client_programs=SmartSDR-Win,SmartSDR-M ' +
    'gui_client_stations=OFFICE-LINUX,Maestro\x7fShack gui_client_handles=0x7022E1CF,0x7C88FB0C license_is_unknown=0';
  const p: VitaPacket = {
    kind: 'discovery',
    header: flexHeader(PCC.discovery, 0x800),
    payload: { tokens: text.split(' ').map((t) => [t.slice(0, t.indexOf('=')), t.slice(t.indexOf('=') + 1)] as [string, string]) },
  };
  roundTrip({ ...p, padding: Buffer.alloc((4 - (Buffer.byteLength(text) % 4)) % 4) });
  const b = readBeacon(p.payload);
  // Verbatim: FlexLib keeps the nickname as sent (reference §11 "Discovery text").
  assert.equal(b.nickname, 'My_Radio');
  assert.equal(b.guiClients.length, 2);
  assert.deepEqual(b.guiClients[1], { program: 'SmartSDR-M', station: 'Maestro Shack', handle: '0x7C88FB0C', ip: '10.0.0.10', host: undefined });
  assert.equal(b.extra['license_is_unknown'], '0');
});

test('FFT: 50 bins → 144-byte datagram = 28 + 12 + 100 + 4 trailing zeros (reference §3.1)', () => {
  const bins = Array.from({ length: 50 }, (_, i) => 15 + (i % 2));
  const p: VitaPacket = {
    kind: 'panadapter',
    header: flexHeader(PCC.fft, 0x40000000, 7),
    payload: { startBin: 0, numBins: 50, binSize: 2, totalBins: 50, frameIndex: 1234, bins: Uint16Array.from(bins) },
    padding: Buffer.alloc(4),
  };
  assert.equal(encodingLength(p), 144);
  roundTrip(p);
  const decoded = decodePacket(encodePacket(p)).packet;
  assert.equal(decoded.kind === 'panadapter' && decoded.payload.numBins, 50, 'bins sized from num_bins, not the length');
});

test('waterfall: 684 bins → 1436-byte datagram, 624 bins → 1316 (reference §3.2)', () => {
  for (const [width, size] of [[684, 1436], [624, 1316]] as const) {
    const p: VitaPacket = {
      kind: 'waterfall',
      header: flexHeader(PCC.waterfall, 0x42000000, 3),
      payload: {
        frameLowFreq: -5n, binBandwidth: 49_152_000n, lineDurationMs: 50, width, height: 1, timecode: 99,
        autoBlackLevel: 12, totalBins: 3360, firstBin: width === 684 ? 2052 : 2736, bins: new Uint16Array(width).map((_, i) => i * 7),
      },
      padding: Buffer.alloc(4),
    };
    assert.equal(encodingLength(p), size);
    roundTrip(p);
  }
  assert.equal(vitaFrequencyToHz(49_152_000n), 46.875);
});

test('meters: id/value pairs, 5 pairs → 48-byte datagram; scaling by unit (reference §3.3)', () => {
  const p: VitaPacket = {
    kind: 'meter',
    header: flexHeader(PCC.meter, 0x700, 15),
    payload: { readings: [{ id: 1, raw: -32000 }, { id: 2, raw: 128 }, { id: 16, raw: 3456 }, { id: 22, raw: 2560 }, { id: 18, raw: 3000 }] },
  };
  assert.equal(encodingLength(p), 48);
  roundTrip(p);
  assert.equal(scaleMeter(-32000, 'dBFS'), -250);
  assert.equal(scaleMeter(3456, 'Volts'), 13.5);
  assert.equal(scaleMeter(2560, 'degC'), 40);
  assert.equal(scaleMeter(3000, 'RPM'), 3000);
});

test('opus: payload length from the datagram; size field rounded up to whole words (reference §3.5)', () => {
  const p: VitaPacket = { kind: 'audio', header: flexHeader(PCC.opus, 0x04000009, 1), payload: { format: 'opus', data: Buffer.from([1, 2, 3, 4, 5, 6, 7]) } };
  const bytes = encodePacket(p);
  assert.equal(bytes.length, 35);
  assert.equal(bytes.readUInt16BE(2), 9); // ceil(35 / 4)
  roundTrip(p);
});

// Found by `npm run fuzz` (codec, seed 217487615, input 685864): an Opus packet with a trailer flag,
// 28-byte header, size 8 words, 31 bytes long. The Opus allowance (up to 3 bytes short) let the packet
// end inside its trailer: the payload ended before it began and the trailer was read from header bytes.
test('opus: the short-size allowance covers the payload only, never the header or trailer', () => {
  const cut = Buffer.from('3c5200080400fd0900001c2d534c80056553f100000000000000000030be5a', 'hex');
  assert.throws(() => decodePacket(cut), (e: unknown) => e instanceof DecodeError && e.offset === 2 && e.field === 'packet size');
  assert.equal(scanPacket(cut, newScan()), false);
  // With one payload byte and a trailer (28 + 1 + 4 = 33 bytes, size 9 words) the allowance still holds.
  const p: VitaPacket = { kind: 'audio', header: { ...flexHeader(PCC.opus, 0x04000009, 1), trailerFlag: true }, payload: { format: 'opus', data: Buffer.from([7]) } };
  const bytes = encodePacket(p);
  assert.equal(bytes.length, 33);
  assert.deepEqual(decodePacket(bytes).packet.payload, { format: 'opus', data: Buffer.from([7]) });
  assert.equal(scanPacket(bytes, newScan()), true);
});

test('float32 stereo and int16 mono audio are big-endian (reference §3.6, §3.7)', () => {
  const f: VitaPacket = { kind: 'audio', header: flexHeader(PCC.ifNarrow, 0x04000008), payload: { format: 'float32-stereo', samples: Float32Array.from([0.5, -0.25]) } };
  const fb = encodePacket(f);
  assert.deepEqual(fb.subarray(28, 32), Buffer.from([0x3f, 0x00, 0x00, 0x00]));
  roundTrip(f);
  const m: VitaPacket = { kind: 'audio', header: flexHeader(PCC.ifNarrowReducedBw, 0x04000008), payload: { format: 'int16-mono', samples: Int16Array.from([1, -2, 32767, -32768]) } };
  const mb = encodePacket(m);
  assert.deepEqual(mb.subarray(28, 30), Buffer.from([0x00, 0x01]));
  roundTrip(m);
});

test('128 stereo float frames → 1052-byte packet; 128 int16 samples → 284 (reference §3.9)', () => {
  assert.equal(encodingLength({ kind: 'audio', header: flexHeader(PCC.ifNarrow, 1), payload: { format: 'float32-stereo', samples: new Float32Array(256) } }), 1052);
  assert.equal(encodingLength({ kind: 'audio', header: flexHeader(PCC.ifNarrowReducedBw, 1), payload: { format: 'int16-mono', samples: new Int16Array(128) } }), 284);
});

test('DAX IQ: little-endian by default, big-endian recognised (reference §3.8)', () => {
  const samples = Float32Array.from([1000.5, -2000.25, 32767, -32768]);
  for (const byteOrder of ['le', 'be'] as const) {
    const p: VitaPacket = { kind: 'dax-iq', header: flexHeader(PCC.daxIq48k, 0x20000000, 0, 1), payload: { byteOrder, samples } };
    roundTrip(p);
  }
  const le = encodePacket({ kind: 'dax-iq', header: flexHeader(PCC.daxIq24k, 0x20000000, 0, 1), payload: { byteOrder: 'le', samples } });
  assert.deepEqual(le.subarray(28, 32), Buffer.from(new Float32Array([1000.5]).buffer));
});

test('trailer present (T=1) is decoded after the payload; non-Flex OUI is `other` with its codes kept', () => {
  const h = { ...flexHeader(0x1234, 0xabcd), trailerFlag: true, classId: { padBits: 0, oui: 0x0012a2, informationClassCode: 1, packetClassCode: 0x1234 } };
  const p: VitaPacket = { kind: 'other', header: h, payload: Buffer.from('jumbo'.repeat(4000)), trailer: { enables: 0x800, indicators: 0x800, contextCountEnabled: true, contextCount: 3 } };
  roundTrip(p);
  const back = decodePacket(encodePacket(p)).packet;
  assert.equal(back.header.classId?.oui, 0x0012a2);
  assert.equal(back.header.classId?.packetClassCode, 0x1234);
  assert.equal(back.trailer?.contextCount, 3);
});

test('jumbo payloads up to the 16-bit word limit (256 KiB) round-trip; past it encode refuses', () => {
  const big: VitaPacket = { kind: 'other', header: flexHeader(0x1, 1), payload: Buffer.alloc(65535 * 4 - 28, 7) };
  roundTrip(big);
  assert.throws(() => encodePacket({ ...big, payload: Buffer.alloc(65535 * 4) }), RangeError);
});

test('size field larger than the datagram → DecodeError at offset 2, field packet size', () => {
  const bytes = encodePacket({ kind: 'meter', header: flexHeader(PCC.meter, 0x700), payload: { readings: [{ id: 1, raw: 2 }] } });
  assert.throws(() => decodePacket(bytes.subarray(0, bytes.length - 4)), (e: unknown) => e instanceof DecodeError && e.offset === 2 && e.field === 'packet size');
});

test('FFT bins past total_bins_in_frame and bad bin_size name the field', () => {
  const b = encodePacket({
    kind: 'panadapter', header: flexHeader(PCC.fft, 0x40000000),
    payload: { startBin: 0, numBins: 4, binSize: 2, totalBins: 4, frameIndex: 1, bins: new Uint16Array(4) },
  });
  const wrongSize = Buffer.from(b);
  wrongSize.writeUInt16BE(4, 28 + 4);
  assert.throws(() => decodePacket(wrongSize), (e: unknown) => e instanceof DecodeError && e.field === 'FFT bin_size' && e.offset === 32);
  const overflow = Buffer.from(b);
  overflow.writeUInt16BE(3, 28);
  assert.throws(() => decodePacket(overflow), (e: unknown) => e instanceof DecodeError && e.field === 'FFT start_bin_index');
});

test('sample-class bit field decodes the known PCCs as the reference table says (§2.3)', () => {
  assert.deepEqual(describeSampleClass(0x03e3), { isFloat: true, isAudio: true, framesPerSample: 2, bitsPerSample: 32, sampleRate: 24000 });
  assert.deepEqual(describeSampleClass(0x0123), { isFloat: false, isAudio: true, framesPerSample: 1, bitsPerSample: 16, sampleRate: 24000 });
  assert.deepEqual(describeSampleClass(0x02e6), { isFloat: true, isAudio: false, framesPerSample: 2, bitsPerSample: 32, sampleRate: 192000 });
  assert.deepEqual(describeSampleClass(0x0100), { isFloat: false, isAudio: true, framesPerSample: 1, bitsPerSample: 8, sampleRate: 3000 });
  assert.equal(describeSampleClass(0x8003), undefined);
  assert.equal(streamId(-1), 0xffffffff);
});
