/**
 * Redaction (the default for every export; `--no-redact` turns it off): hides what identifies a person,
 * a radio or a network from a report, so it can be pasted into a public forum — public IPv4 and IPv6
 * addresses (unique-local IPv6 too when asked), radio serials, nicknames, station and host names,
 * callsigns, MAC addresses, file names and paths, and anything token-like (key=value secrets, `Bearer`,
 * JSON secrets, JWTs, one-time `wan validate` handles). Private, loopback and link-local addresses stay:
 * they make the path readable and identify nobody. Version strings are not addresses.
 */
import { isIPv6 } from 'node:net';
import type { AnalysisReport } from '../analysis/model.js';
import { redactSecrets } from '../common/secrets.js';

export interface RedactOptions {
  /** Also hide unique-local IPv6 (fc00::/7): stable per site, so they can tie reports together. */
  ula?: boolean;
}

/** The note every redacted report carries at its top (report `redacted`), so nobody takes it for the original. */
export const REDACTED_NOTE = 'addresses, radio and station identities, file names and secrets are replaced by <placeholders>';

/** FlexRadio serials (reference §4.2: `serial=1234-5678-9012-3456`), wherever they stand (`_` included). */
const SERIAL = /(?<!\d)\d{4}-\d{4}-\d{4}-\d{4}(?!\d)/g;
const MAC = /(?<![0-9a-f:-])[0-9a-f]{2}([:-])[0-9a-f]{2}(?:\1[0-9a-f]{2}){4}(?![0-9a-f:-])/gi;
const IPV4 = /(?<![\w.])(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})(?!\w|\.\d)/g;
/** Candidates only: hex groups with at least two colons; isIPv6 decides (times like 10:08:35 are not). */
const IPV6 = /(?<![\w:.])(?:[0-9a-f]{0,4}:){2,7}(?:[0-9a-f]{1,4}|\d{1,3}(?:\.\d{1,3}){3})?(?![\w:])/gi;
/** A dotted quad right after these is a version (`v3.0.0.1`, `version=3.0.0.1`, `firmware 3.9.19.33`), not an address. */
const VERSION_BEFORE = /(?:\bv|version[=:\s]\s*|_ver[=:\s]\s*|\bver[=:\s]\s*|firmware\s+|smartsdr\s+)$/i;
/** Keys whose values name a person, a place or a machine (beacons, status lines, broker lists). */
const NAME_KEYS = /(?<![\w-])(nickname|name|radio_name|station|host|hostname|inuse_host|gui_client_hosts|gui_client_stations|callsign|serial)=([^\s,;|"']+(?:,[^\s,;|"']+)*)/gi;
/** Absolute paths (POSIX or Windows) with at least one folder. */
const PATH = /(?<=^|[\s"'(=:])(?:[A-Za-z]:\\|\/)(?:[^\s"'\\/]+[\\/])+[^\s"'\\/]*/g;
/** Callsign prefixes and suffixes (`DL/W4BR`, `W4BR/P`, `W4BR/QRP`). */
const CALL_AFFIX = '[A-Za-z0-9]{1,4}';

function isPrivate4(a: number, b: number): boolean {
  return a === 10 || a === 127 || (a === 172 && b >= 16 && b <= 31) || (a === 192 && b === 168) || (a === 169 && b === 254) ||
    (a === 100 && b >= 64 && b <= 127) || (a === 198 && (b === 18 || b === 19)) || a === 0 || a >= 224;
}

/** 'keep', 'ula' or 'public' for an IPv6 address (RFC 4291 §2.4, RFC 4193). */
function class6(ip: string): 'keep' | 'ula' | 'public' {
  const first = ip.startsWith('::') ? 0 : parseInt(ip.split(':')[0] || '0', 16);
  if (ip === '::' || ip === '::1') return 'keep';
  if (/^::ffff:/i.test(ip)) return 'public'; // IPv4-mapped: the IPv4 rule decides below
  if ((first & 0xffc0) === 0xfe80 || (first & 0xff00) === 0xff00) return 'keep'; // link-local, multicast
  if ((first & 0xfe00) === 0xfc00) return 'ula';
  return 'public';
}

const escapeRe = (s: string): string => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

class Redactor {
  private readonly aliases = new Map<string, string>();
  private readonly counts = new Map<string, number>();
  /** Identifying values seen in the report → their placeholder. */
  private readonly names = new Map<string, string>();
  /**
   * Every learned name in one pattern, longest first, built once per report: a pattern per name per
   * string made the report of a capture with 256 radios' beacons take seconds (fuzz tracker, seed 7).
   */
  private namesRe: RegExp | undefined;
  private calls: RegExp | undefined;

  constructor(private readonly opts: RedactOptions) {}

  /** Values known to identify someone: replaced wherever they appear, case-insensitively for callsigns. */
  learn(r: AnalysisReport): void {
    const callsigns = new Set<string>();
    for (const x of r.radios) {
      if (x.callsign.length >= 3) callsigns.add(x.callsign);
      for (const n of [x.nickname, x.nickname.replaceAll(' ', '_')]) if (n.length >= 3) this.names.set(n, '<name>');
      if (x.serial.length >= 3) this.names.set(x.serial, '<serial>');
    }
    const learnFrom = (s: string): void => {
      for (const m of s.matchAll(NAME_KEYS)) {
        for (const v of m[2]!.split(',')) {
          if (v.length < 3) continue;
          const k = m[1]!.toLowerCase();
          if (k === 'callsign') callsigns.add(v);
          else this.names.set(v.replaceAll('\x7f', ' '), k === 'serial' ? '<serial>' : '<name>');
        }
      }
    };
    walk(r, (s) => (learnFrom(s), s));
    if (this.names.size > 0) {
      const alt = [...this.names.keys()].sort((a, b) => b.length - a.length).map(escapeRe).join('|');
      // Case-sensitive: a nickname is often the model's name in another case ("Flex-6600M" on a FLEX-6600M).
      this.namesRe = new RegExp(`(?<![A-Za-z0-9])(?:${alt})(?![A-Za-z0-9])`, 'g');
    }
    if (callsigns.size > 0) {
      const alt = [...callsigns].sort((a, b) => b.length - a.length).map(escapeRe).join('|');
      this.calls = new RegExp(`(?<![A-Za-z0-9])(?:${CALL_AFFIX}/)?(?:${alt})(?:/${CALL_AFFIX})?(?![A-Za-z0-9])`, 'gi');
    }
  }

  private alias(kind: string, value: string): string {
    const key = `${kind}\0${value.toLowerCase()}`;
    let a = this.aliases.get(key);
    if (a === undefined) {
      const n = (this.counts.get(kind) ?? 0) + 1;
      this.counts.set(kind, n);
      a = `<${kind}-${n}>`;
      this.aliases.set(key, a);
    }
    return a;
  }

  text(s: string, key: string): string {
    if (key === 'file') return fileName(s);
    let out = redactSecrets(s);
    out = out.replace(NAME_KEYS, (_m, k: string) => `${k}=<${k.toLowerCase() === 'callsign' ? 'callsign' : k.toLowerCase() === 'serial' ? 'serial' : 'name'}>`);
    if (this.namesRe) out = out.replace(this.namesRe, (m) => this.names.get(m) ?? m);
    if (this.calls) out = out.replace(this.calls, '<callsign>');
    out = out.replace(SERIAL, '<serial>').replace(MAC, '<mac>').replace(PATH, '<path>');
    // Every IPv6 text has colons: most strings of a report skip the costliest pattern (a batch of 20
    // captures spent a tenth of its main thread in it).
    if (out.includes(':')) out = out.replace(IPV6, (m) => {
      if (!isIPv6(m)) return m;
      const c = class6(m);
      if (c === 'keep' || (c === 'ula' && this.opts.ula !== true)) return m;
      const v4 = /^::ffff:(\d+)\.(\d+)\./i.exec(m);
      if (v4 && isPrivate4(Number(v4[1]), Number(v4[2]))) return m;
      return this.alias(c === 'ula' ? 'ula-ip6' : 'public-ip6', m);
    });
    if (key === 'version') return out;
    return out.replace(IPV4, (m, a: string, b: string, c: string, d: string, at: number, whole: string) => {
      if ([a, b, c, d].some((x) => Number(x) > 255)) return m;
      if (VERSION_BEFORE.test(whole.slice(Math.max(0, at - 24), at))) return m;
      if (isPrivate4(Number(a), Number(b))) return m;
      return this.alias('public-ip', m);
    });
  }
}

/** A capture's name says whose it often is (`W4BR-shack.pcapng`): only the kind of file stays. */
function fileName(s: string): string {
  const ext = /\.(pcapng|pcap|cap|gz|zip)(\.gz)?$/i.exec(s)?.[0] ?? '';
  return s === '' || s === '-' || s === 'stdin' ? s : `<file>${ext}`;
}

/** Applies `f(string, key of the field holding it)` to every string in `v`. */
function walk<T>(v: T, f: (s: string, key: string) => string): T {
  const go = (x: unknown, key: string): unknown => {
    if (typeof x === 'string') return f(x, key);
    if (Array.isArray(x)) return x.map((y) => go(y, key));
    if (x !== null && typeof x === 'object') return Object.fromEntries(Object.entries(x).map(([k, y]) => [k, go(y, k)]));
    return x;
  };
  return go(v, '') as T;
}

export function redactReport(r: AnalysisReport, opts: RedactOptions = {}): AnalysisReport {
  const red = new Redactor(opts);
  red.learn(r);
  return { ...walk(r, (s, key) => red.text(s, key)), redacted: REDACTED_NOTE };
}
