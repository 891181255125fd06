/**
 * IP address text, both ways. Decoding is on the per-packet hot path, so address strings and endpoints
 * are interned: a capture has few distinct addresses, and re-formatting "192.168.10.27" 800 000 times a
 * second would cost more than the rest of the dissection. The IPv4 caches are direct-mapped (a slot per
 * hash of the key, a new key overwrites the slot's old one), so a capture of a port scan or a flood of
 * new connections costs no memory growth and no rebuilding: a Map of 65 536 entries, cleared when full
 * and grown again, was a fifth of the bytes a flood of connections allocated. IPv6 text keeps a Map,
 * cleared when full.
 */
import type { Endpoint } from './types.js';
import { u32be } from '../common/bytes.js';

const V6_CACHE_LIMIT = 65_536;
/**
 * Slots of each direct-mapped IPv4 cache (a power of two). A real capture has a handful of addresses and
 * endpoints, so collisions are rare; the cost of one is a string or object made again.
 */
const SLOT_BITS = 14;
const SLOTS = 1 << SLOT_BITS;

/** The slot of a 32-bit value (Fibonacci hashing: the top bits of the product). */
function slotOf(x: number): number {
  return Math.imul(x, 0x9e3779b1) >>> (32 - SLOT_BITS);
}

const v4TextKeys = new Float64Array(SLOTS).fill(-1);
const v4TextVals: string[] = new Array<string>(SLOTS).fill('');
const v6Text = new Map<string, string>();
const v4EndpointKeys = new Float64Array(SLOTS).fill(-1);
const v4Endpoints: Endpoint[] = new Array<Endpoint>(SLOTS).fill({ ip: '', port: -1 });

/** "a.b.c." of an address's first three bytes, direct-mapped by them (see ipv4Text). */
const v4PrefixKeys = new Int32Array(SLOTS).fill(-1);
const v4PrefixVals: string[] = new Array<string>(SLOTS).fill('');
const BYTE_TEXT = Array.from({ length: 256 }, (_, i) => String(i));

/**
 * Dotted-quad text of the IPv4 address at `off`. A new address whose first three bytes were seen is the
 * cached prefix and one concatenation: formatted whole, the template's intermediate strings were ~160
 * bytes per new address, most of what a flood of new clients (one address each) allocated per connection.
 */
export function ipv4Text(buf: Buffer, off: number): string {
  const a = u32be(buf, off);
  const slot = slotOf(a);
  if (v4TextKeys[slot] === a) return v4TextVals[slot]!;
  const p = a >>> 8;
  const ps = slotOf(p);
  let prefix = v4PrefixVals[ps]!;
  if (v4PrefixKeys[ps] !== p) {
    prefix = `${buf[off]}.${buf[off + 1]}.${buf[off + 2]}.`;
    v4PrefixKeys[ps] = p;
    v4PrefixVals[ps] = prefix;
  }
  const s = prefix + BYTE_TEXT[buf[off + 3]!]!;
  v4TextKeys[slot] = a;
  v4TextVals[slot] = s;
  return s;
}

/** RFC 5952 text of the IPv6 address at `off`: lower-case, no leading zeros, the longest zero run as `::`. */
export function ipv6Text(buf: Buffer, off: number): string {
  const key = buf.toString('latin1', off, off + 16);
  let s = v6Text.get(key);
  if (s === undefined) {
    s = formatIpv6(buf, off);
    if (v6Text.size >= V6_CACHE_LIMIT) v6Text.clear();
    v6Text.set(key, s);
  }
  return s;
}

function formatIpv6(buf: Buffer, off: number): string {
  const groups: number[] = [];
  for (let i = 0; i < 8; i++) groups.push(buf.readUInt16BE(off + 2 * i));
  // RFC 5952 §5: IPv4-mapped addresses keep the dotted quad.
  if (groups[0] === 0 && groups[1] === 0 && groups[2] === 0 && groups[3] === 0 && groups[4] === 0 && groups[5] === 0xffff) {
    return `::ffff:${buf[off + 12]}.${buf[off + 13]}.${buf[off + 14]}.${buf[off + 15]}`;
  }
  // RFC 5952 §4.2: the longest run of two or more zero groups, the first one on a tie.
  let bestAt = -1;
  let bestLen = 1;
  for (let i = 0; i < 8; ) {
    if (groups[i] !== 0) {
      i++;
      continue;
    }
    let j = i;
    while (j < 8 && groups[j] === 0) j++;
    if (j - i > bestLen) {
      bestAt = i;
      bestLen = j - i;
    }
    i = j;
  }
  const hex = (from: number, to: number): string => groups.slice(from, to).map((g) => g.toString(16)).join(':');
  if (bestAt < 0) return hex(0, 8);
  return `${hex(0, bestAt)}::${hex(bestAt + bestLen, 8)}`;
}

/**
 * The last two endpoints handed out, checked before the map: a capture is mostly one source and one
 * destination (the radio's data to the client), so this spares a map lookup per address.
 */
/** Keys of ep0 and ep1: in a Float64Array, as a key (address × 65 536 + port) is no small integer and a module-level `let` holding one would box a new heap number on every write. */
const keys = new Float64Array([-1, -1]);
let ep0: Endpoint | undefined;
let ep1: Endpoint | undefined;

/** Returns its argument from the constructor, so a subclass's private fields are added to any object. */
class Stampable {
  constructor(o: object) {
    return o;
  }
}

/**
 * The key of a shared IPv4 endpoint (address × 65 536 + port, see endpoint-map.ts), made once with the
 * object: a private field stamped onto the plain object, which JSON, spreads and deep comparisons do not
 * see. A hidden property by defineProperty (and its key text) cost ~3 µs per new endpoint, the largest
 * cost of a flood of new connections.
 */
class KeyStamp extends Stampable {
  readonly #key: number;

  constructor(o: Endpoint, key: number) {
    super(o);
    this.#key = key;
  }

  static of(e: Endpoint): number | undefined {
    return #key in e ? (e as unknown as KeyStamp).#key : undefined;
  }
}

/**
 * A plain endpoint object (its prototype is Object.prototype: deep comparisons and JSON see `{ ip, port }`)
 * made by `new`, so V8 gives it room in the object for the stamp added next: an object literal has room
 * for its own two properties only, and the stamp went to a separate property array per endpoint.
 */
const SharedEndpoint = function (this: Endpoint, ip: string, port: number) {
  this.ip = ip;
  this.port = port;
} as unknown as new (ip: string, port: number) => Endpoint;
SharedEndpoint.prototype = Object.prototype;

/** The key a shared endpoint carries (undefined for any other object: IPv6, or one made elsewhere). */
export function sharedKey(e: Endpoint): number | undefined {
  return KeyStamp.of(e);
}

/** The shared, frozen endpoint for an IPv4 address (as read from `buf` at `off`) and port. */
function ipv4Endpoint(buf: Buffer, off: number, port: number): Endpoint {
  const a = u32be(buf, off);
  const key = a * 65_536 + port;
  if (key === keys[0]) return ep0!;
  if (key === keys[1]) return ep1!;
  const slot = slotOf(a ^ Math.imul(port, 0x85ebca6b));
  let e: Endpoint;
  if (v4EndpointKeys[slot] === key) e = v4Endpoints[slot]!;
  else {
    e = new SharedEndpoint(ipv4Text(buf, off), port);
    new KeyStamp(e, key);
    Object.freeze(e);
    v4EndpointKeys[slot] = key;
    v4Endpoints[slot] = e;
  }
  keys[1] = keys[0]!;
  ep1 = ep0;
  keys[0] = key;
  ep0 = e;
  return e;
}

function ipv6Endpoint(buf: Buffer, off: number, port: number): Endpoint {
  return { ip: ipv6Text(buf, off), port };
}

/** Endpoint of the address at `off` of an IP header of `version`. */
export function endpointAt(version: 4 | 6, buf: Buffer, off: number, port: number): Endpoint {
  return version === 4 ? ipv4Endpoint(buf, off, port) : ipv6Endpoint(buf, off, port);
}

/** Parses dotted IPv4 or IPv6 text (with `::` and an optional trailing dotted quad) to 4 or 16 bytes. */
export function parseIp(text: string): Buffer {
  if (!text.includes(':')) {
    const parts = text.split('.');
    const bytes = parts.map((p) => (/^\d{1,3}$/.test(p) ? Number(p) : NaN));
    if (bytes.length !== 4 || bytes.some((b) => !(b >= 0 && b <= 255))) throw new Error(`not an IPv4 address: ${text}`);
    return Buffer.from(bytes);
  }
  const halves = text.split('::');
  if (halves.length > 2) throw new Error(`not an IPv6 address: ${text}`);
  const groupsOf = (part: string): number[] => {
    if (part === '') return [];
    const out: number[] = [];
    for (const g of part.split(':')) {
      if (g.includes('.')) {
        const v4 = parseIp(g);
        out.push(v4.readUInt16BE(0), v4.readUInt16BE(2));
      } else if (/^[0-9a-fA-F]{1,4}$/.test(g)) {
        out.push(parseInt(g, 16));
      } else {
        throw new Error(`not an IPv6 address: ${text}`);
      }
    }
    return out;
  };
  const head = groupsOf(halves[0] ?? '');
  const tail = halves.length === 2 ? groupsOf(halves[1] ?? '') : [];
  const fill = 8 - head.length - tail.length;
  if (halves.length === 2 ? fill < 1 : fill !== 0) throw new Error(`not an IPv6 address: ${text}`);
  const groups = [...head, ...new Array<number>(halves.length === 2 ? fill : 0).fill(0), ...tail];
  const out = Buffer.alloc(16);
  groups.forEach((g, i) => out.writeUInt16BE(g, 2 * i));
  return out;
}
