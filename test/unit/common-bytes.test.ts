import assert from 'node:assert/strict';
import { test } from 'node:test';
import { u16be, u16le, u32be, u32le } from '../../src/common/bytes.js';
import { prng } from '../helpers/prng.js';

test('hot-path integer reads equal Node Buffer reads at every offset, high bits included', () => {
  const rnd = prng(11);
  const buf = Buffer.from(Array.from({ length: 4099 }, () => Math.floor(rnd() * 256)));
  // Make sure the all-ones and top-bit cases are present, where a signed shift would go negative.
  buf.fill(0xff, 100, 108);
  buf.fill(0x80, 200, 204);
  for (let o = 0; o + 4 <= buf.length; o++) {
    assert.equal(u32be(buf, o), buf.readUInt32BE(o));
    assert.equal(u32le(buf, o), buf.readUInt32LE(o));
    assert.equal(u16be(buf, o), buf.readUInt16BE(o));
    assert.equal(u16le(buf, o), buf.readUInt16LE(o));
  }
  assert.equal(u32be(buf, 100), 4_294_967_295);
  assert.equal(u32le(buf, 200), 0x80808080);
  // Views at an offset into a larger ArrayBuffer read their own bytes.
  const view = buf.subarray(3, 11);
  assert.equal(u32be(view, 1), buf.readUInt32BE(4));
});
