/**
 * Independent oracle for the codec (issue 11): packets assembled byte by byte from the reference's tables
 * (flex-protocol.md §1.1–§1.3 header and trailer, §3.1 FFT, §3.2 waterfall tile, §3.3 meters, §3.5 Opus,
 * §3.6 float32 audio, §3.7 reduced-bandwidth audio, §3.8 and §11 DAX IQ, §4 discovery), decoded without our
 * encoder being involved. Header: 0x38 = type 3 with C; 0x5n = TSI UTC, TSF sample count, count n; then
 * size in words, stream ID, OUI 0x001C2D, information class 0x534C + PCC, integer and fractional timestamps.
 * The same type byte (0x38 for extension data, 0x18 for IF data) and class words (0x534C03E3 for DAX
 * audio) stand in a third-party decoder's header, tmiw/smartsdr-codec2 DSP_API/src/vita.h.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { DecodeError } from '../../src/common/decode-error.js';
import { decodePacket } from '../../src/vita/packet.js';
import { readBeacon } from '../../src/vita/payload/discovery.js';
import { newScan, scanPacket } from '../../src/vita/scan.js';

const hex = (s: string): Buffer => Buffer.from(s.replace(/\s+/g, ''), 'hex');
/** 28-byte header: count 5, `words` total, stream `sid`, PCC `pcc`, integer timestamp 1 700 000 000 (0x6553F100). */
const head = (words: string, sid: string, pcc: string): string => `3855 ${words} ${sid} 00001c2d 534c${pcc} 6553f100 0000000000000000`;

test('FFT (§3.1): start 2, 3 bins of 2 bytes, frame of 50, frame index 7, then 2 padding bytes', () => {
  const p = decodePacket(hex(`${head('000c', '40000000', '8003')} 0002 0003 0002 0032 00000007 0001 00ff 1234 0000`)).packet;
  assert.equal(p.kind, 'panadapter');
  assert.equal(p.header.streamId, 0x40000000);
  assert.equal(p.header.packetCount, 5);
  if (p.kind !== 'panadapter') return;
  assert.equal(p.payload.startBin, 2);
  assert.equal(p.payload.numBins, 3);
  assert.equal(p.payload.totalBins, 50);
  assert.equal(p.payload.frameIndex, 7);
  assert.deepEqual([...p.payload.bins], [1, 255, 0x1234]);
});

test('waterfall tile (§3.2): 14 MHz low edge, 46.875 Hz bins (× 2^20), 50 ms, 2 bins at 684 of 3360, timecode 10', () => {
  const p = decodePacket(hex(`${head('0011', '42000000', '8004')} 00000d59f8000000 0000000002ee0000 00000032 0002 0001 0000000a 00000005 0d20 02ac 0102 0304`)).packet;
  assert.equal(p.kind, 'waterfall');
  if (p.kind !== 'waterfall') return;
  assert.equal(p.payload.frameLowFreq, 14_000_000n * 2n ** 20n);
  assert.equal(p.payload.binBandwidth, 49_152_000n);
  assert.equal(p.payload.lineDurationMs, 50);
  assert.equal(p.payload.width, 2);
  assert.equal(p.payload.height, 1);
  assert.equal(p.payload.timecode, 10);
  assert.equal(p.payload.autoBlackLevel, 5);
  assert.equal(p.payload.totalBins, 3360);
  assert.equal(p.payload.firstBin, 684);
  assert.deepEqual([...p.payload.bins], [0x0102, 0x0304]);
});

test('meters (§3.3): u16 id, i16 raw — meter 1 at −128 (−1 dB), meter 24 at 256', () => {
  const p = decodePacket(hex(`${head('0009', '00000700', '8002')} 0001 ff80 0018 0100`)).packet;
  assert.equal(p.kind, 'meter');
  if (p.kind !== 'meter') return;
  assert.deepEqual(p.payload.readings, [{ id: 1, raw: -128 }, { id: 24, raw: 256 }]);
});

/** 7 bytes of one Opus packet (TOC 0xFC: CELT fullband 20 ms stereo, then frame bytes); their meaning is not ours to check. */
const OPUS_BYTES = 'fc ff fe 01 02 03 04';

test('Opus (§3.5): the payload is the datagram minus the 28-byte header, a 35-byte datagram with the size rounded up to 9 words', () => {
  const d = hex(`${head('0009', '04000008', '8005')} ${OPUS_BYTES}`);
  assert.equal(d.length, 35);
  const p = decodePacket(d).packet;
  assert.equal(p.kind, 'audio');
  assert.equal(p.header.streamId, 0x04000008);
  if (p.kind !== 'audio' || p.payload.format !== 'opus') return assert.fail('not Opus');
  assert.deepEqual([...p.payload.data], [0xfc, 0xff, 0xfe, 1, 2, 3, 4]);
});

// FlexLib VitaOpusDataPacket.cs reads payload_bytes = datagram bytes − 28 and never looks at the size field
// (reference §3.5, §11: how the radio rounds the field is UNCONFIRMED). A field a few words short of or past
// the datagram is the same packet; one that claims ten times the datagram is not a packet of this datagram.
for (const [words, what] of [['0007', '7 bytes short'], ['0008', '3 bytes short'], ['000a', '5 bytes past'], ['000b', '9 bytes past']] as const) {
  test(`Opus (§3.5, FlexLib VitaOpusDataPacket.cs): size field ${what} of the 35-byte datagram still gives the 7 payload bytes, in the decoder and the hot-path scan`, () => {
    const d = hex(`${head(words, '04000008', '8005')} ${OPUS_BYTES}`);
    const p = decodePacket(d).packet;
    if (p.kind !== 'audio' || p.payload.format !== 'opus') return assert.fail('not Opus');
    assert.deepEqual([...p.payload.data], [0xfc, 0xff, 0xfe, 1, 2, 3, 4]);
    const s = newScan();
    assert.equal(scanPacket(d, s), true);
    assert.deepEqual([s.payloadStart, s.payloadEnd], [28, 35]);
  });
}

test('Opus: a size field of 90 words (360 bytes) on a 35-byte datagram is refused, naming the size field', () => {
  const d = hex(`${head('005a', '04000008', '8005')} ${OPUS_BYTES}`);
  assert.throws(() => decodePacket(d), (e: unknown) => e instanceof DecodeError && e.field === 'packet size' && e.offset === 2);
  assert.equal(scanPacket(d, newScan()), false);
});

test('float32 DAX audio (§3.6, PCC 0x03E3): big-endian interleaved L, R — 1.0, −1.0, 0.5, −0.25', () => {
  // IEEE-754 single: 1.0 = 3F800000, −1.0 = BF800000, 0.5 = 3F000000, −0.25 = BE800000.
  const p = decodePacket(hex(`${head('000b', '04000009', '03e3')} 3f800000 bf800000 3f000000 be800000`)).packet;
  assert.equal(p.kind, 'audio');
  if (p.kind !== 'audio' || p.payload.format !== 'float32-stereo') return assert.fail('not float32 stereo');
  assert.deepEqual([...p.payload.samples], [1, -1, 0.5, -0.25]);
});

test('reduced-bandwidth audio (§3.7, PCC 0x0123): big-endian int16 mono — 32767, −32767, 256, −2', () => {
  const p = decodePacket(hex(`${head('0009', '0400000a', '0123')} 7fff 8001 0100 fffe`)).packet;
  assert.equal(p.kind, 'audio');
  if (p.kind !== 'audio' || p.payload.format !== 'int16-mono') return assert.fail('not int16 mono');
  assert.deepEqual([...p.payload.samples], [32767, -32767, 256, -2]);
});

test('DAX IQ (§3.8, §11; FlexLib VitaIFDataPacket.cs): a 4128-byte type-1 packet with trailer, 512 little-endian float32 I/Q pairs', () => {
  // 0x1C = type 1 (IF data with stream ID), C, T; size 0x0408 = 1032 words = 28 header + 4096 payload + 4 trailer.
  const iqHead = '1c54 0408 20000000 00001c2d 534c02e3 6553f100 0000000000000000';
  // Little-endian IEEE-754: 1.0 = 00 00 80 3F, −0.5 = 00 00 00 BF, 16384 = 00 00 80 46, −32768 = 00 00 00 C7.
  const twoPairs = '0000803f 000000bf 00008046 000000c7';
  // Trailer (§1.3): enable bit 30 and indicator bit 18 = "valid data".
  const d = hex(`${iqHead} ${twoPairs.repeat(256)} 40040000`);
  assert.equal(d.length, 4128);
  const p = decodePacket(d).packet;
  assert.equal(p.kind, 'dax-iq');
  assert.equal(p.header.packetType, 1);
  assert.equal(p.header.streamId, 0x20000000);
  assert.deepEqual(p.trailer && [p.trailer.enables, p.trailer.indicators], [0x400, 0x400]);
  if (p.kind !== 'dax-iq') return;
  assert.equal(p.payload.byteOrder, 'le');
  assert.equal(p.payload.samples.length, 1024);
  assert.deepEqual([...p.payload.samples.subarray(0, 4)], [1, -0.5, 16384, -32768]);
  assert.deepEqual([...p.payload.samples.subarray(1020)], [1, -0.5, 16384, -32768]);
  assert.equal(p.padding, undefined);
});

test('discovery beacon (§4.1, §4.2): stream 0x800, PCC 0xFFFF, key=value text NUL-padded to a word; station spaces are 0x7F', () => {
  // 229 text bytes + 3 NUL = 232; with the 28-byte header 260 bytes = 65 (0x41) words.
  const text =
    'discovery_protocol_version=3.1.0.2 model=FLEX-6600 serial=1234-5678-9012-3456 nickname=Ham_Shack ip=192.168.1.50 ' +
    'port=4992 status=In_Use gui_client_programs=SmartSDR-Win gui_client_stations=OFFICE\x7fPC gui_client_handles=0x7022E1CF';
  const d = Buffer.concat([hex('3852 0041 00000800 00001c2d 534cffff 6553f100 0000000000000000'), Buffer.from(text, 'latin1'), hex('000000')]);
  assert.equal(d.length, 260);
  const p = decodePacket(d).packet;
  assert.equal(p.kind, 'discovery');
  assert.equal(p.header.streamId, 0x800);
  if (p.kind !== 'discovery') return;
  const b = readBeacon(p.payload);
  assert.equal(b.protocolVersion, '3.1.0.2');
  assert.equal(b.model, 'FLEX-6600');
  assert.equal(b.serial, '1234-5678-9012-3456');
  assert.equal(b.nickname, 'Ham_Shack');
  assert.equal(b.ip, '192.168.1.50');
  assert.equal(b.port, 4992);
  assert.equal(b.status, 'In_Use');
  assert.deepEqual(b.guiClients, [{ program: 'SmartSDR-Win', station: 'OFFICE PC', handle: '0x7022E1CF', ip: undefined, host: undefined }]);
  assert.deepEqual([...(p.padding ?? [])], [0, 0, 0]);
});
