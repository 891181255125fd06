/**
 * Values keyed by an ordered pair of endpoints (a TCP direction, a connection), looked up once per packet
 * without building a string per packet: the reader hands out one frozen object per IPv4 address and port
 * carrying its numeric key (addr.ts), so a lookup probes a table of numbers. Building
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
  return k !== undefined ? k : keyOfText(e);
}

/** Kept out of `endpointKey`, so that stays small enough for V8 to inline into every lookup. */
function keyOfText(e: Endpoint): Key {
  const v4 = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(e.ip);
  if (v4 === null) return `${e.ip}|${e.port}`;
  const [a, b, c, d] = [v4[1], v4[2], v4[3], v4[4]].map(Number) as [number, number, number, number];
  if (a > 255 || b > 255 || c > 255 || d > 255) return `${e.ip}|${e.port}`;
  return (((a << 24) | (b << 16) | (c << 8) | d) >>> 0) * 65_536 + e.port;
}

/** Marks a free slot in `PairMap.keyA` (keys are ≥ 0). */
const FREE = -1;
const MIN_BITS = 4;
/**
 * Mixed into every hash, chosen per process: a capture cannot be crafted so that its endpoints collide
 * here (linear probing would then cost time in proportion to the table per lookup).
 */
const SEED = (Math.random() * 2 ** 32) | 0;

/** 32 bits from an IPv4 key's address and port (address × 65 536 + port: both parts exact in a double). */
function mix(h: number, k: number): number {
  const addr = (k / 65_536) >>> 0;
  h = Math.imul(h ^ addr, 0x9e3779b1);
  return Math.imul(h ^ (k - addr * 65_536), 0x85ebca6b);
}

/**
 * Pairs of IPv4 keys in an open-addressing table (linear probing, at most half full, deletion by moving
 * later entries of the run back): no object, Map entry or boxed number per pair. A Map per first
 * endpoint, or one `One` object per connection, kept per-connection objects alive in a flood of new
 * connections until they reached the old generation. Any pair with a text key (IPv6) goes to a Map.
 */
export class PairMap<V> {
  private bits = MIN_BITS;
  private keyA = new Float64Array(1 << MIN_BITS).fill(FREE);
  private keyB = new Float64Array(1 << MIN_BITS);
  /** Each occupied slot's hash, whose top `bits` bits are its home slot. */
  private hashes = new Uint32Array(1 << MIN_BITS);
  private values: (V | undefined)[] = new Array<V | undefined>(1 << MIN_BITS).fill(undefined);
  private used = 0;
  private readonly text = new Map<string, V>();

  get size(): number {
    return this.used + this.text.size;
  }

  get(a: Endpoint, b: Endpoint): V | undefined {
    const ka = endpointKey(a);
    const kb = endpointKey(b);
    if (typeof ka !== 'number' || typeof kb !== 'number') return this.text.get(`${ka}>${kb}`);
    const i = this.find(ka, kb, mix(mix(SEED, ka), kb) >>> 0);
    return i < 0 ? undefined : this.values[i];
  }

  set(a: Endpoint, b: Endpoint, v: V): void {
    const ka = endpointKey(a);
    const kb = endpointKey(b);
    if (typeof ka !== 'number' || typeof kb !== 'number') {
      this.text.set(`${ka}>${kb}`, v);
      return;
    }
    const h = mix(mix(SEED, ka), kb) >>> 0;
    const i = this.find(ka, kb, h);
    if (i >= 0) {
      this.values[i] = v;
      return;
    }
    if (2 * (this.used + 1) > this.keyA.length) this.resize(this.bits + 1);
    this.insert(ka, kb, h, v);
    this.used++;
  }

  delete(a: Endpoint, b: Endpoint): void {
    const ka = endpointKey(a);
    const kb = endpointKey(b);
    if (typeof ka !== 'number' || typeof kb !== 'number') {
      this.text.delete(`${ka}>${kb}`);
      return;
    }
    let i = this.find(ka, kb, mix(mix(SEED, ka), kb) >>> 0);
    if (i < 0) return;
    this.used--;
    // Entries after the freed slot in its run move back when their home slot allows it, so a lookup can
    // stop at the first free slot.
    const mask = this.keyA.length - 1;
    const shift = 32 - this.bits;
    for (let j = (i + 1) & mask; this.keyA[j] !== FREE; j = (j + 1) & mask) {
      const home = this.hashes[j]! >>> shift;
      // Stays if its home lies cyclically in (i, j].
      if (i <= j ? i < home && home <= j : i < home || home <= j) continue;
      this.keyA[i] = this.keyA[j]!;
      this.keyB[i] = this.keyB[j]!;
      this.hashes[i] = this.hashes[j]!;
      this.values[i] = this.values[j];
      i = j;
    }
    this.keyA[i] = FREE;
    this.values[i] = undefined;
  }

  clear(): void {
    this.resize(MIN_BITS, false);
    this.used = 0;
    this.text.clear();
  }

  /** The slot holding the pair, or −1. */
  private find(ka: number, kb: number, h: number): number {
    const mask = this.keyA.length - 1;
    for (let i = h >>> (32 - this.bits); ; i = (i + 1) & mask) {
      const k = this.keyA[i]!;
      if (k === FREE) return -1;
      if (k === ka && this.keyB[i] === kb) return i;
    }
  }

  private insert(ka: number, kb: number, h: number, v: V | undefined): void {
    const mask = this.keyA.length - 1;
    let i = h >>> (32 - this.bits);
    while (this.keyA[i] !== FREE) i = (i + 1) & mask;
    this.keyA[i] = ka;
    this.keyB[i] = kb;
    this.hashes[i] = h;
    this.values[i] = v;
  }

  /** A table of 2^bits slots, holding the entries of the old one unless `keep` is false. */
  private resize(bits: number, keep = true): void {
    const { keyA, keyB, hashes, values } = this;
    this.bits = bits;
    this.keyA = new Float64Array(1 << bits).fill(FREE);
    this.keyB = new Float64Array(1 << bits);
    this.hashes = new Uint32Array(1 << bits);
    this.values = new Array<V | undefined>(1 << bits).fill(undefined);
    if (!keep) return;
    for (let i = 0; i < keyA.length; i++) if (keyA[i] !== FREE) this.insert(keyA[i]!, keyB[i]!, hashes[i]!, values[i]);
  }
}
