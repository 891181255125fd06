/**
 * Values keyed by an ordered pair of endpoints (a TCP direction, a connection), looked up once per packet
 * without building a string per packet: the reader hands out one frozen object per IPv4 address and port
 * carrying its numeric key (addr.ts), so a lookup is two hash-table probes on numbers. Building
 * `${src.ip}|${src.port}|${dst.ip}|${dst.port}` for every segment was the largest cost of TCP floods.
 */
import { sharedKey } from './addr.js';
import type { Endpoint } from './types.js';

type Key = number | string;

/**
 * The shared endpoint's own key; for any other object (IPv6, tests, live events) the same number for an
 * IPv4 address (so an endpoint made elsewhere finds the reader's entry), else `ip|port`.
 */
function endpointKey(e: Endpoint): Key {
  const k = sharedKey(e);
  if (k !== undefined) return k;
  const v4 = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(e.ip);
  if (v4 === null) return `${e.ip}|${e.port}`;
  const [a, b, c, d] = [v4[1], v4[2], v4[3], v4[4]].map(Number) as [number, number, number, number];
  if (a > 255 || b > 255 || c > 255 || d > 255) return `${e.ip}|${e.port}`;
  return (((a << 24) | (b << 16) | (c << 8) | d) >>> 0) * 65_536 + e.port;
}

/**
 * The values under one first endpoint: inline while there is one (a client talks to one server: a flood of
 * new connections would otherwise make, and later shrink and drop, a Map per connection), a Map from the second.
 */
class One<V> {
  constructor(
    readonly key: Key,
    public value: V,
  ) {}
}

export class PairMap<V> {
  private readonly outer = new Map<Key, One<V> | Map<Key, V>>();
  private count = 0;

  get size(): number {
    return this.count;
  }

  get(a: Endpoint, b: Endpoint): V | undefined {
    const inner = this.outer.get(endpointKey(a));
    if (inner === undefined) return undefined;
    const kb = endpointKey(b);
    if (inner instanceof One) return inner.key === kb ? inner.value : undefined;
    return inner.get(kb);
  }

  set(a: Endpoint, b: Endpoint, v: V): void {
    const ka = endpointKey(a);
    const kb = endpointKey(b);
    const inner = this.outer.get(ka);
    if (inner === undefined) {
      this.outer.set(ka, new One(kb, v));
      this.count++;
    } else if (inner instanceof One) {
      if (inner.key === kb) inner.value = v;
      else {
        this.outer.set(ka, new Map([[inner.key, inner.value], [kb, v]]));
        this.count++;
      }
    } else {
      if (!inner.has(kb)) this.count++;
      inner.set(kb, v);
    }
  }

  delete(a: Endpoint, b: Endpoint): void {
    const ka = endpointKey(a);
    const kb = endpointKey(b);
    const inner = this.outer.get(ka);
    if (inner === undefined) return;
    if (inner instanceof One) {
      if (inner.key !== kb) return;
      this.outer.delete(ka);
    } else {
      if (!inner.delete(kb)) return;
      if (inner.size === 0) this.outer.delete(ka);
    }
    this.count--;
  }

  clear(): void {
    this.outer.clear();
    this.count = 0;
  }
}
