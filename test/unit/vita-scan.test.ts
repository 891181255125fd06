import assert from 'node:assert/strict';
import { test } from 'node:test';
import { decodePacket } from '../../src/vita/index.js';
import { coalescedSize, newScan, scanPacket } from '../../src/vita/scan.js';

// Found by `npm run fuzz` (codec, seed 1, input 2375): a header-only packet (type 0, no stream ID, no
// class, size 1 word) is a whole VITA-49 packet to the full decoder, but the scan demanded 8 bytes.
test('the scan takes a 4-byte header-only packet, as the full decoder does', () => {
  const buf = Buffer.from('00000001', 'hex');
  assert.equal(decodePacket(buf).excess, 0);
  const s = newScan();
  assert.equal(scanPacket(buf, s), true);
  assert.equal(s.packetType, 0);
  assert.equal(s.declaredBytes, 4);
  assert.equal(s.streamId, 0);
  assert.equal(s.payloadStart, 4);
  assert.equal(s.payloadEnd, 4);
  // Fewer than 4 bytes is no header at all; a stream ID that does not fit is rejected, not read.
  assert.equal(scanPacket(buf.subarray(0, 3), s), false);
  assert.equal(scanPacket(Buffer.from('10000001', 'hex'), s), false);
});

/**
 * A VITA-49 header by hand (reference §1.1): packet type 3 (extension data with stream id), no class id,
 * no timestamps, `count`, and `words` 32-bit words in all (header, stream id, then payload words).
 */
function handPacket(count: number, words: number, sid = 0x42000000): Buffer {
  const b = Buffer.alloc(words * 4, 0xa5);
  b.writeUInt32BE(((3 << 28) | (count << 16) | words) >>> 0, 0);
  b.writeUInt32BE(sid, 4);
  return b;
}

test('receive offload: two packets of one stream with consecutive counts back to back are read as 2 segments of their size', () => {
  const two = Buffer.concat([handPacket(5, 10), handPacket(6, 10)]);
  assert.equal(scanPacket(two, newScan()), false, 'not one packet: the size field says 40 of its 80 bytes');
  assert.equal(coalescedSize(two, newScan()), 40);
  // The last segment shorter, as GRO leaves it (a waterfall line's last tile).
  assert.equal(coalescedSize(Buffer.concat([handPacket(1, 10), handPacket(2, 10), handPacket(3, 7)]), newScan()), 40);
});

test('receive offload: what is not whole packets of one size is not split', () => {
  assert.equal(coalescedSize(handPacket(1, 10), newScan()), 0, 'one packet');
  assert.equal(coalescedSize(Buffer.concat([handPacket(1, 7), handPacket(2, 10)]), newScan()), 0, 'a longer packet after a shorter one');
  assert.equal(coalescedSize(Buffer.concat([handPacket(1, 10), handPacket(2, 10), Buffer.alloc(6)]), newScan()), 0, 'trailing bytes that are no packet');
  assert.equal(coalescedSize(Buffer.concat([handPacket(1, 10), Buffer.alloc(40)]), newScan()), 0, 'a second segment of zeros (size field 0)');
});
