/**
 * Would the host's nftables ruleset drop the radio's UDP? A small evaluator over `nft -j list ruleset`
 * (libnftables JSON schema, `man libnftables-json`) for one datagram: the base chains on the filter
 * hooks prerouting and input, in hook then priority order, their rules with jump/goto/return, and the
 * chain policy. It understands the common shapes — addresses and prefixes, ports and ranges, sets,
 * l4proto, iifname, ct state — and marks a rule it cannot decide as uncertain instead of guessing.
 *
 * Conntrack state is the datagram's `flow`: NEW unless told otherwise. On fw 4.2.18+ the radio sends from
 * UDP 4993 while LAN clients talk to 4992/4991, so no earlier packet made the state (reference §8 #7,
 * §12 #5); on SmartLink the client's registrations opened it.
 */
import { inCidr, familyOf } from './address.js';
import type { FirewallHit, RadioDatagram } from './types.js';

type Json = null | boolean | number | string | Json[] | { [k: string]: Json };
type Obj = { [k: string]: Json };
type Tri = 'yes' | 'no' | 'maybe';

interface Chain {
  family: string;
  table: string;
  name: string;
  type?: string;
  hook?: string;
  prio?: number;
  policy?: string;
  rules: Array<{ handle?: number; expr: Json[] }>;
}

const isObj = (j: Json | undefined): j is Obj => typeof j === 'object' && j !== null && !Array.isArray(j);
const HOOK_ORDER: Record<string, number> = { prerouting: 0, input: 1 };
/** Chains and jumps deeper than this are not followed (a loop in a hand-made ruleset). */
const MAX_DEPTH = 16;

export interface NftAnswer {
  /** Base chains on the input path that exist at all (a ruleset with none filters nothing). */
  filterChains: number;
  drops: FirewallHit[];
}

/**
 * `json` is the parsed output of `nft -j list ruleset`; `text` (optional) the output of
 * `nft -a list ruleset`, used to quote a rule the way the user wrote it.
 */
export function nftDrops(json: unknown, pkt: RadioDatagram, text?: string): NftAnswer {
  const items = isObj(json as Json) && Array.isArray((json as Obj).nftables) ? ((json as Obj).nftables as Json[]) : [];
  const chains = new Map<string, Chain>();
  const key = (family: string, table: string, name: string): string => `${family}\u0000${table}\u0000${name}`;
  for (const it of items) {
    if (!isObj(it)) continue;
    const c = it.chain;
    if (isObj(c) && typeof c.name === 'string' && typeof c.table === 'string' && typeof c.family === 'string') {
      chains.set(key(c.family, c.table, c.name), {
        family: c.family,
        table: c.table,
        name: c.name,
        ...(typeof c.type === 'string' ? { type: c.type } : {}),
        ...(typeof c.hook === 'string' ? { hook: c.hook } : {}),
        ...(typeof c.prio === 'number' ? { prio: c.prio } : {}),
        ...(typeof c.policy === 'string' ? { policy: c.policy } : {}),
        rules: [],
      });
    }
  }
  for (const it of items) {
    const r = isObj(it) ? it.rule : undefined;
    if (!isObj(r) || typeof r.family !== 'string' || typeof r.table !== 'string' || typeof r.chain !== 'string' || !Array.isArray(r.expr)) continue;
    chains.get(key(r.family, r.table, r.chain))?.rules.push({ ...(typeof r.handle === 'number' ? { handle: r.handle } : {}), expr: r.expr });
  }
  const v6 = familyOf(pkt.src) === 6;
  const families = v6 ? ['inet', 'ip6'] : ['inet', 'ip'];
  const base = [...chains.values()]
    .filter((c) => c.type === 'filter' && c.hook !== undefined && c.hook in HOOK_ORDER && families.includes(c.family))
    .sort((a, b) => (HOOK_ORDER[a.hook ?? ''] ?? 0) - (HOOK_ORDER[b.hook ?? ''] ?? 0) || (a.prio ?? 0) - (b.prio ?? 0));
  const quoted = text ? ruleTexts(text) : new Map<string, string>();
  const drops: FirewallHit[] = [];
  // Once a rule that might accept (or divert) the datagram was passed, later drops are only possible.
  let doubt = false;
  const where = (c: Chain): string => `nftables table ${c.family} ${c.table} chain ${c.name}`;
  const hit = (c: Chain, rule: { handle?: number; expr: Json[] }, verdict: 'drop' | 'reject', certain: boolean): FirewallHit => ({
    where: where(c),
    rule: (rule.handle !== undefined ? quoted.get(`${c.family} ${c.table} ${rule.handle}`) : undefined) ?? render(rule.expr),
    verdict,
    certain: certain && !doubt,
    ...(rule.handle !== undefined ? { handle: rule.handle } : {}),
    chain: { family: c.family, table: c.table, name: c.name },
  });

  type Outcome = { end: 'accept' } | { end: 'drop' } | { end: 'return' } | { end: 'fallthrough' };
  const run = (c: Chain, depth: number): Outcome => {
    if (depth > MAX_DEPTH) return { end: 'return' };
    for (const rule of c.rules) {
      const verdict = verdictOf(rule.expr);
      const m = matchRule(rule.expr, pkt);
      if (m === 'no' || verdict === undefined) continue;
      if (m === 'maybe') {
        if (verdict.kind === 'drop' || verdict.kind === 'reject') drops.push(hit(c, rule, verdict.kind, false));
        else doubt = true;
        continue;
      }
      switch (verdict.kind) {
        case 'accept':
          return { end: 'accept' };
        case 'drop':
        case 'reject':
          drops.push(hit(c, rule, verdict.kind, true));
          return { end: 'drop' };
        case 'return':
          return { end: 'return' };
        case 'jump':
        case 'goto': {
          const target = chains.get(key(c.family, c.table, verdict.target));
          if (!target) continue;
          const r = run(target, depth + 1);
          if (r.end === 'accept' || r.end === 'drop') return r;
          if (verdict.kind === 'goto') return { end: 'return' };
        }
      }
    }
    return { end: 'fallthrough' };
  };

  for (const c of base) {
    const r = run(c, 0);
    if (r.end === 'drop') break;
    if (r.end !== 'accept' && c.policy === 'drop') {
      drops.push({ where: where(c), rule: 'policy drop (no rule accepted the datagram)', verdict: 'drop', certain: !doubt, chain: { family: c.family, table: c.table, name: c.name } });
      break;
    }
  }
  return { filterChains: base.length, drops };
}

type Verdict = { kind: 'accept' | 'drop' | 'reject' | 'return' } | { kind: 'jump' | 'goto'; target: string };

function verdictOf(expr: Json[]): Verdict | undefined {
  for (const e of expr) {
    if (!isObj(e)) continue;
    if ('accept' in e) return { kind: 'accept' };
    if ('drop' in e) return { kind: 'drop' };
    if ('reject' in e) return { kind: 'reject' };
    if ('return' in e) return { kind: 'return' };
    for (const k of ['jump', 'goto'] as const) {
      const t = e[k];
      if (isObj(t) && typeof t.target === 'string') return { kind: k, target: t.target };
    }
  }
  return undefined;
}

/** Statements that neither match nor decide: they never stop a datagram on their own. */
const PASSIVE = new Set(['counter', 'log', 'mangle', 'meta', 'ct', 'notrack', 'accept', 'drop', 'reject', 'return', 'jump', 'goto', 'continue', 'comment']);

function matchRule(expr: Json[], pkt: RadioDatagram): Tri {
  let out: Tri = 'yes';
  for (const e of expr) {
    if (!isObj(e)) continue;
    const m = e.match;
    if (isObj(m)) {
      const r = matchOne(m, pkt);
      if (r === 'no') return 'no';
      if (r === 'maybe') out = 'maybe';
      continue;
    }
    // limit, quota, set lookups, fib … : cannot be decided from one datagram.
    if (!Object.keys(e).every((k) => PASSIVE.has(k))) out = 'maybe';
  }
  return out;
}

type Value = { kind: 'str'; v: string } | { kind: 'num'; v: number } | { kind: 'absent' } | { kind: 'unknown' };

function leftValue(left: Json, pkt: RadioDatagram): Value {
  if (!isObj(left)) return { kind: 'unknown' };
  const p = left.payload;
  if (isObj(p) && typeof p.field === 'string') {
    const proto = p.protocol;
    const v6 = familyOf(pkt.src) === 6;
    if (proto === 'ip' || proto === 'ip6') {
      if ((proto === 'ip6') !== v6) return { kind: 'absent' };
      if (p.field === 'saddr') return { kind: 'str', v: pkt.src };
      if (p.field === 'daddr') return { kind: 'str', v: pkt.dst };
      if (p.field === 'protocol' || p.field === 'nexthdr') return { kind: 'str', v: 'udp' };
      return { kind: 'unknown' };
    }
    if (proto === 'udp' || proto === 'th') {
      if (p.field === 'sport') return { kind: 'num', v: pkt.sport };
      if (p.field === 'dport') return { kind: 'num', v: pkt.dport };
      return { kind: 'unknown' };
    }
    // A tcp/icmp/sctp header match implies that protocol: a UDP datagram never matches it.
    if (typeof proto === 'string') return { kind: 'absent' };
    return { kind: 'unknown' };
  }
  const meta = left.meta;
  if (isObj(meta) && typeof meta.key === 'string') {
    switch (meta.key) {
      case 'l4proto':
        return { kind: 'str', v: 'udp' };
      case 'nfproto':
        return { kind: 'str', v: familyOf(pkt.src) === 6 ? 'ipv6' : 'ipv4' };
      case 'protocol':
        return { kind: 'str', v: familyOf(pkt.src) === 6 ? 'ip6' : 'ip' };
      case 'iifname':
        return pkt.iface ? { kind: 'str', v: pkt.iface } : { kind: 'unknown' };
      case 'pkttype':
        return { kind: 'str', v: 'host' };
      default:
        return { kind: 'unknown' };
    }
  }
  const ct = left.ct;
  if (isObj(ct) && ct.key === 'state') return { kind: 'str', v: pkt.flow ?? 'new' };
  return { kind: 'unknown' };
}

/** Protocol names nft may print for numbers and the other way round. */
const PROTO_NUM: Record<string, number> = { udp: 17, tcp: 6, icmp: 1, ipv6: 10, ipv4: 2 };

function equals(v: Value, right: Json): Tri {
  if (typeof right === 'string' && right.startsWith('@')) return 'maybe';
  if (isObj(right)) {
    if (Array.isArray(right.set)) {
      let any: Tri = 'no';
      for (const el of right.set) {
        const r = equals(v, el);
        if (r === 'yes') return 'yes';
        if (r === 'maybe') any = 'maybe';
      }
      return any;
    }
    const pre = right.prefix;
    if (isObj(pre) && typeof pre.addr === 'string' && typeof pre.len === 'number') {
      return v.kind === 'str' && familyOf(v.v) !== undefined ? (inCidr(v.v, `${pre.addr}/${pre.len}`) ? 'yes' : 'no') : 'maybe';
    }
    const range = right.range;
    if (Array.isArray(range) && range.length === 2) {
      const [lo, hi] = range;
      if (v.kind === 'num' && typeof lo === 'number' && typeof hi === 'number') return v.v >= lo && v.v <= hi ? 'yes' : 'no';
      return 'maybe';
    }
    return 'maybe';
  }
  if (Array.isArray(right)) {
    // Flag lists (ct state established,related): any of them.
    return right.some((x) => equals(v, x) === 'yes') ? 'yes' : right.some((x) => equals(v, x) === 'maybe') ? 'maybe' : 'no';
  }
  if (v.kind === 'num') {
    if (typeof right === 'number') return v.v === right ? 'yes' : 'no';
    return 'maybe';
  }
  if (v.kind === 'str') {
    if (typeof right === 'number') return PROTO_NUM[v.v] === right ? 'yes' : 'no';
    if (typeof right !== 'string') return 'maybe';
    // iifname "eth*" wildcards
    if (right.endsWith('*')) return v.v.startsWith(right.slice(0, -1)) ? 'yes' : 'no';
    return v.v === right ? 'yes' : 'no';
  }
  return 'maybe';
}

function matchOne(m: Obj, pkt: RadioDatagram): Tri {
  const v = leftValue(m.left ?? null, pkt);
  if (v.kind === 'absent') return 'no';
  if (v.kind === 'unknown') return 'maybe';
  const op = typeof m.op === 'string' ? m.op : '==';
  const right = m.right ?? null;
  if (op === '==' || op === 'in') return equals(v, right);
  if (op === '!=') {
    const r = equals(v, right);
    return r === 'maybe' ? 'maybe' : r === 'yes' ? 'no' : 'yes';
  }
  if (v.kind === 'num' && typeof right === 'number') {
    if (op === '<') return v.v < right ? 'yes' : 'no';
    if (op === '>') return v.v > right ? 'yes' : 'no';
    if (op === '<=') return v.v <= right ? 'yes' : 'no';
    if (op === '>=') return v.v >= right ? 'yes' : 'no';
  }
  return 'maybe';
}

/** `family table handle` → the rule's text from `nft -a list ruleset`, without the handle comment. */
function ruleTexts(text: string): Map<string, string> {
  const out = new Map<string, string>();
  let table: string | undefined;
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    const t = /^table\s+(\S+)\s+(\S+)\s*\{/.exec(line);
    if (t) {
      table = `${t[1]} ${t[2]}`;
      continue;
    }
    const h = /^(.*\S)\s+# handle (\d+)$/.exec(line);
    if (table && h?.[1] && !/^(chain|set|map|counter|table|flowtable)\b/.test(h[1])) out.set(`${table} ${h[2]}`, h[1]);
  }
  return out;
}

/** A readable form of a rule from its JSON, for when the text listing is not available. */
function render(expr: Json[]): string {
  const parts: string[] = [];
  for (const e of expr) {
    if (!isObj(e)) continue;
    if (isObj(e.match)) {
      const m = e.match;
      const op = m.op === '==' || m.op === 'in' ? '' : ` ${String(m.op)}`;
      parts.push(`${renderLeft(m.left ?? null)}${op} ${renderRight(m.right ?? null)}`);
    } else {
      const k = Object.keys(e)[0];
      if (k === 'jump' || k === 'goto') parts.push(`${k} ${isObj(e[k]) ? String((e[k] as Obj).target) : ''}`);
      else if (k === 'counter' && typeof e.counter === 'string') parts.push(`counter name ${JSON.stringify(e.counter)}`);
      else if (k) parts.push(k);
    }
  }
  return parts.join(' ');
}

function renderLeft(l: Json): string {
  if (!isObj(l)) return String(l);
  if (isObj(l.payload)) return `${String(l.payload.protocol)} ${String(l.payload.field)}`;
  if (isObj(l.meta)) return l.meta.key === 'iifname' || l.meta.key === 'oifname' ? String(l.meta.key) : `meta ${String(l.meta.key)}`;
  if (isObj(l.ct)) return `ct ${String(l.ct.key)}`;
  return Object.keys(l)[0] ?? '?';
}

function renderRight(r: Json): string {
  if (Array.isArray(r)) return r.map(renderRight).join(',');
  if (isObj(r)) {
    if (Array.isArray(r.set)) return `{ ${r.set.map(renderRight).join(', ')} }`;
    if (isObj(r.prefix)) return `${String(r.prefix.addr)}/${String(r.prefix.len)}`;
    if (Array.isArray(r.range)) return `${String(r.range[0])}-${String(r.range[1])}`;
    return JSON.stringify(r);
  }
  return typeof r === 'string' && !/^[\w.:/@-]+$/.test(r) ? JSON.stringify(r) : String(r);
}
