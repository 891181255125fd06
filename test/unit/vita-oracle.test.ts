/**
 * Independent oracle for the codec (issue 11): packets assembled byte by byte from the reference's tables
 * (flex-protocol.md §1.1–§1.2 header, §3.1 FFT, §3.2 waterfall tile, §3.3 meters), decoded without our
 * encoder being involved. Header: 0x38 = type 3 with C; 0x5n = TSI UTC, TSF sample count, count n; then
 * size in words, stream ID, OUI 0x001C2D, information class 0x534C + PCC, integer and fractional timestamps.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { decodePacket } from '../../src/vita/packet.js';

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
