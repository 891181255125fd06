import assert from 'node:assert/strict';
import { test } from 'node:test';
import { decodePacket } from '../../src/vita/index.js';
import { newScan, scanPacket } from '../../src/vita/scan.js';

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
