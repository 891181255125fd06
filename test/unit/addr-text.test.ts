/**
 * IPv4 address text and shared endpoints (capture/addr.ts) come from direct-mapped caches, where a new
 * address overwrites whatever shared its slot, and the text of an address is built on a cached prefix of
 * its first three bytes: over many addresses, with slots and prefixes colliding, every text must still be
 * the address's own dotted quad, and every endpoint its own address and port.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { endpointAt, ipv4Text } from '../../src/capture/addr.js';
import { prng } from '../helpers/prng.js';

test('IPv4 text and endpoints of 200 000 addresses (sequential, random, shared prefixes, revisited) are their own', () => {
  const rnd = prng(13);
  const buf = Buffer.alloc(4);
  const addresses: number[] = [];
  for (let i = 0; i < 50_000; i++) addresses.push((0x0a000000 + i) >>> 0); // a flood: one /24 after another
  for (let i = 0; i < 50_000; i++) addresses.push(Math.floor(rnd() * 2 ** 32));
  for (let i = 0; i < 50_000; i++) addresses.push(((Math.floor(rnd() * 64) << 24) | (Math.floor(rnd() * 4) << 8) | Math.floor(rnd() * 256)) >>> 0);
  for (let i = 0; i < 50_000; i++) addresses.push(addresses[Math.floor(rnd() * addresses.length)]!);
  for (const a of addresses) {
    buf.writeUInt32BE(a, 0);
    const dotted = [a >>> 24, (a >>> 16) & 255, (a >>> 8) & 255, a & 255].join('.');
    assert.equal(ipv4Text(buf, 0), dotted);
    const port = Math.floor(rnd() * 65_536);
    assert.deepEqual(endpointAt(4, buf, 0, port), { ip: dotted, port });
  }
});
