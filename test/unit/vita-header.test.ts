import assert from 'node:assert/strict';
import { test } from 'node:test';
import { DecodeError } from '../../src/common/decode-error.js';
import { type PacketType, type VitaHeader, header, headerLength, streamId, trailer } from '../../src/vita/index.js';

test('word 0 bit layout matches the reference byte view (§1.1): 0x38 0x5n = type 3, C, UTC, sample count', () => {
  // First 16 bytes of a FLEX-6600 fw 4.1.5 beacon quoted in reference §4.1.
  const bytes = Buffer.from('385200b40000080000001c2d534cffff' + '00000000' + '0000000000000000', 'hex');
  const h = header.decode(bytes);
  assert.equal(h.packetType, 3);
  assert.ok(h.classId);
  assert.equal(h.trailerFlag, false);
  assert.equal(h.tsi, 1);
  assert.equal(h.tsf, 1);
  assert.equal(h.packetCount, 2);
  assert.equal(h.packetSize, 0xb4);
  assert.equal(h.streamId, 0x800);
  assert.deepEqual(h.classId, { padBits: 0, oui: 0x1c2d, informationClassCode: 0x534c, packetClassCode: 0xffff });
  assert.equal(headerLength(h), 28);
});

test('every packet type 0–7 round-trips, with and without each optional field', () => {
  for (let type = 0; type < 8; type++) {
    for (const withClass of [false, true]) {
      for (const tsi of [0, 1, 2, 3] as const) {
        for (const tsf of [0, 1, 2, 3] as const) {
          const withStream = type !== 0 && type !== 2;
          const h: VitaHeader = {
            packetType: type as PacketType,
            trailerFlag: type < 4 && tsi === 2,
            reservedBits: type >= 4 ? 1 : 0,
            tsi,
            tsf,
            packetCount: (type * 3 + tsi) & 0xf,
            packetSize: 0x1234,
            ...(withStream ? { streamId: streamId(0x84000000 + type) } : {}),
            ...(withClass ? { classId: { padBits: 3, oui: 0xabcdef, informationClassCode: 0x1111, packetClassCode: 0x2222 } } : {}),
            ...(tsi ? { integerTimestamp: 1_700_000_000 + type } : {}),
            ...(tsf ? { fractionalTimestamp: 123456789012345n } : {}),
          };
          // Expected length by hand: 4 + 4 stream + 8 class + 4 int + 8 frac.
          const len = 4 + (withStream ? 4 : 0) + (withClass ? 8 : 0) + (tsi ? 4 : 0) + (tsf ? 8 : 0);
          const buf = header.encode(h);
          assert.equal(buf.length, len);
          assert.deepEqual(header.decode(buf), h);
          assert.deepEqual(header.encode(header.decode(buf)), buf);
        }
      }
    }
  }
});

// Reference §1.2 says waveform meter packets (TSI = TSF = 0) have a "20-byte header"; by the field table
// in the same section that is word 0 + stream ID + two class words = 16 bytes. We follow the table.
test('a header without timestamps is word 0 + stream ID + class ID = 16 bytes', () => {
  const h = header.decode(Buffer.from('18000005880000000000 1c2d534c8002'.replace(/ /g, ''), 'hex'));
  assert.equal(h.packetType, 1);
  assert.equal(h.tsi, 0);
  assert.equal(headerLength(h), 16);
  assert.equal(h.streamId, 0x88000000);
});

test('truncated headers name the missing field and its offset', () => {
  const full = header.encode({
    packetType: 3, trailerFlag: false, reservedBits: 0, tsi: 1, tsf: 1, packetCount: 0, packetSize: 7,
    streamId: streamId(0x700), classId: { padBits: 0, oui: 0x1c2d, informationClassCode: 0x534c, packetClassCode: 0x8002 },
    integerTimestamp: 1, fractionalTimestamp: 0n,
  });
  const expectations: Array<[number, string, number]> = [
    [0, 'header word 0', 0],
    [3, 'header word 0', 0],
    [4, 'stream ID', 4],
    [10, 'class ID', 8],
    [17, 'integer timestamp', 16],
    [20, 'fractional timestamp', 20],
  ];
  for (const [cut, field, offset] of expectations) {
    assert.throws(() => header.decode(full.subarray(0, cut)), (e: unknown) => {
      assert.ok(e instanceof DecodeError);
      assert.equal(e.field, field);
      assert.equal(e.offset, offset);
      return true;
    });
  }
});

test('trailer fields sit where VITA-49 puts them (bits 31–20, 19–8, 7, 6–0)', () => {
  const t = trailer.decode(Buffer.from([0xab, 0xcd, 0xef, 0x85]));
  assert.equal(t.enables, 0xabc);
  assert.equal(t.indicators, 0xdef);
  assert.equal(t.contextCountEnabled, true);
  assert.equal(t.contextCount, 5);
  assert.deepEqual(trailer.encode(t), Buffer.from([0xab, 0xcd, 0xef, 0x85]));
});

// Found by `npm run fuzz` (codec, seed 2, input 44): bits 26–24 of class word A are reserved, and were
// dropped, so decode → encode changed byte 8 from 0x2e to 0x28.
test('the reserved bits 26–24 of class word A survive decode → encode', () => {
  const bytes = Buffer.from('3853000a000007002e000008534c80026553f1000000000000000000000183000000ff2000150080', 'hex');
  const h = header.decode(bytes);
  // 0x2e = 0b00101_110: pad-bit count 5, reserved bits 0b110.
  assert.equal(h.classId?.padBits, 5);
  assert.equal(h.classId?.reservedBits, 6);
  assert.equal(h.classId?.oui, 0x000008);
  assert.deepEqual(header.encode(h), bytes.subarray(0, 28));
});
