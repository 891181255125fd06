/**
 * PairMap (capture/endpoint-map.ts): the reader's shared endpoints carry a numeric key; an endpoint made
 * anywhere else (a test, a live event, a copy) must find the same entry, in both orders, for IPv4 and IPv6.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { endpointAt, parseIp } from '../../src/capture/addr.js';
import { PairMap } from '../../src/capture/endpoint-map.js';
import type { Endpoint } from '../../src/capture/types.js';
import { prng } from '../helpers/prng.js';

/** The endpoint the reader hands out for `ip`, `port`, read from the address's bytes as a header holds them. */
function shared(ip: string, port: number): Endpoint {
  const bytes = parseIp(ip);
  return endpointAt(bytes.length === 4 ? 4 : 6, bytes, 0, port);
}

test('a shared endpoint and a plain object of the same address and port are one key', () => {
  const m = new PairMap<string>();
  const radio = shared('192.168.1.20', 4992);
  const client = shared('10.255.0.9', 50_123);
  m.set(radio, client, 'from the reader');
  assert.deepEqual(radio, { ip: '192.168.1.20', port: 4992 }, 'the key is not a visible property');
  assert.equal(JSON.stringify(client), '{"ip":"10.255.0.9","port":50123}');
  assert.equal(m.get({ ip: '192.168.1.20', port: 4992 }, { ip: '10.255.0.9', port: 50_123 }), 'from the reader');
  assert.equal(m.get({ ...radio }, { ...client }), 'from the reader', 'a spread copy finds it too');
  assert.equal(m.get(client, radio), undefined, 'the pair is ordered');
  m.set({ ip: '10.255.0.9', port: 50_123 }, { ip: '192.168.1.20', port: 4992 }, 'made elsewhere');
  assert.equal(m.get(client, radio), 'made elsewhere');
  assert.equal(m.size, 2);
  // A second partner of the same first endpoint, then each deleted once.
  const other = shared('10.255.0.10', 50_123);
  m.set(radio, other, 'second');
  assert.equal(m.get(radio, client), 'from the reader');
  assert.equal(m.get({ ip: '192.168.1.20', port: 4992 }, { ip: '10.255.0.10', port: 50_123 }), 'second');
  m.delete({ ip: '192.168.1.20', port: 4992 }, { ip: '10.255.0.9', port: 50_123 });
  assert.equal(m.get(radio, client), undefined);
  assert.equal(m.get(radio, other), 'second');
  m.delete(radio, other);
  m.delete(radio, other);
  assert.equal(m.size, 1);
});

test('addresses that differ only in port, or in the last address byte, are different keys; IPv6 keys by text', () => {
  const m = new PairMap<number>();
  const a = shared('10.0.0.1', 1);
  m.set(a, shared('10.0.0.2', 2), 1);
  m.set(a, shared('10.0.0.2', 3), 2);
  m.set(a, shared('10.0.0.3', 2), 3);
  assert.deepEqual([m.get(a, { ip: '10.0.0.2', port: 2 }), m.get(a, { ip: '10.0.0.2', port: 3 }), m.get(a, { ip: '10.0.0.3', port: 2 })], [1, 2, 3]);
  const v6 = shared('2001:db8::1', 4992);
  m.set(v6, { ip: '2001:db8::2', port: 50_000 }, 4);
  assert.equal(m.get({ ip: '2001:db8::1', port: 4992 }, shared('2001:db8::2', 50_000)), 4);
  assert.equal(m.get({ ip: '2001:db8::1', port: 4993 }, shared('2001:db8::2', 50_000)), undefined);
});

test('many pairs added and deleted in random order: every lookup agrees with a Map keyed by text', () => {
  // Few distinct addresses and ports, so pairs share their home slots and deletions move entries back.
  for (let seed = 1; seed <= 20; seed++) {
    const rnd = prng(seed);
    const m = new PairMap<number>();
    const ref = new Map<string, number>();
    const pick = (): Endpoint => {
      const ip = `10.0.${Math.floor(rnd() * 4)}.${Math.floor(rnd() * 8)}`;
      const port = 1000 + Math.floor(rnd() * 6);
      // Half as the reader hands them out, half made elsewhere: both must find the same entries.
      return rnd() < 0.5 ? shared(ip, port) : { ip, port };
    };
    const text = (a: Endpoint, b: Endpoint): string => `${a.ip}:${a.port}>${b.ip}:${b.port}`;
    for (let op = 0; op < 4000; op++) {
      const a = pick();
      const b = pick();
      const r = rnd();
      if (r < 0.45) {
        m.set(a, b, op);
        ref.set(text(a, b), op);
      } else if (r < 0.8) {
        m.delete(a, b);
        ref.delete(text(a, b));
      } else assert.equal(m.get(a, b), ref.get(text(a, b)), `seed ${seed} op ${op}`);
      if (op % 500 === 499) {
        assert.equal(m.size, ref.size, `seed ${seed} op ${op}`);
        for (const [k, v] of ref) {
          const [x, y] = k.split('>') as [string, string];
          const ep = (s: string): Endpoint => ({ ip: s.slice(0, s.lastIndexOf(':')), port: Number(s.slice(s.lastIndexOf(':') + 1)) });
          assert.equal(m.get(ep(x), ep(y)), v, `seed ${seed} op ${op} ${k}`);
        }
      }
    }
    m.clear();
    assert.equal(m.size, 0);
    assert.equal(m.get(shared('10.0.0.1', 1000), shared('10.0.0.2', 1000)), undefined);
  }
});
