/**
 * Values keyed by an ordered pair of endpoints (a TCP direction, a connection), looked up once per packet
 * without building a string per packet: the reader hands out one frozen object per IPv4 address and port
 * carrying its key text (addr.ts), and a string made once keeps its hash, so a lookup is two hash-table
 * probes. Building `${src.ip}|${src.port}|${dst.ip}|${dst.port}` for every segment was the largest cost
 * of TCP floods.
 */
import { ENDPOINT_KEY } from './addr.js';
import type { Endpoint } from './types.js';

/** `ip|port`: the shared endpoint's own key, or made now for any other object (IPv6, tests). */
function endpointKey(e: Endpoint): string {
  return (e as { [ENDPOINT_KEY]?: string })[ENDPOINT_KEY] ?? `${e.ip}|${e.port}`;
}

export class PairMap<V> {
  private readonly outer = new Map<string, Map<string, V>>();
  private count = 0;

  get size(): number {
    return this.count;
  }

  get(a: Endpoint, b: Endpoint): V | undefined {
    return this.outer.get(endpointKey(a))?.get(endpointKey(b));
  }

  set(a: Endpoint, b: Endpoint, v: V): void {
    const ka = endpointKey(a);
    let inner = this.outer.get(ka);
    if (inner === undefined) {
      inner = new Map();
      this.outer.set(ka, inner);
    }
    const kb = endpointKey(b);
    if (!inner.has(kb)) this.count++;
    inner.set(kb, v);
  }

  delete(a: Endpoint, b: Endpoint): void {
    const ka = endpointKey(a);
    const inner = this.outer.get(ka);
    if (inner === undefined || !inner.delete(endpointKey(b))) return;
    this.count--;
    if (inner.size === 0) this.outer.delete(ka);
  }

  clear(): void {
    this.outer.clear();
    this.count = 0;
  }
}
