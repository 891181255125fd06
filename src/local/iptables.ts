/**
 * Would a legacy iptables ruleset drop the radio's UDP? Evaluates the text of `iptables-save` (one
 * `-A CHAIN …` line per rule, `man iptables-save`) for the filter table's INPUT chain and the user
 * chains it jumps to. Understands -p, -s, -d, -i, --sport/--dport (ranges `a:b`), multiport
 * --sports/--dports, conntrack --ctstate / state --state, `!`, and the targets ACCEPT, DROP, REJECT,
 * RETURN and user chains; a rule with anything else is reported as uncertain.
 * Conntrack state is taken as NEW (see nft.ts: the radio sends from 4993, reference §8 #7).
 */
import { familyOf, inCidr } from './address.js';
import type { FirewallHit, RadioDatagram } from './types.js';

type Tri = 'yes' | 'no' | 'maybe';

interface Rule {
  line: string;
  args: string[];
}

/** Splits an iptables-save line into words, keeping "quoted comments" together. */
function words(line: string): string[] {
  const out: string[] = [];
  const re = /"((?:[^"\\]|\\.)*)"|(\S+)/g;
  let m: RegExpExecArray | null;
  while ((m = re.exec(line))) out.push(m[1] ?? m[2] ?? '');
  return out;
}

function parseIptablesSave(text: string): { policies: Map<string, string>; rules: Map<string, Rule[]> } {
  const policies = new Map<string, string>();
  const rules = new Map<string, Rule[]>();
  let table = '';
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    if (line.startsWith('*')) table = line.slice(1);
    if (table !== 'filter') continue;
    const p = /^:(\S+)\s+(\S+)/.exec(line);
    if (p?.[1] && p[2]) {
      policies.set(p[1], p[2]);
      rules.set(p[1], rules.get(p[1]) ?? []);
      continue;
    }
    if (!line.startsWith('-A ')) continue;
    const w = words(line);
    const chain = w[1] ?? '';
    const list = rules.get(chain) ?? [];
    list.push({ line: line.slice(3 + chain.length).trim(), args: w.slice(2) });
    rules.set(chain, list);
  }
  return { policies, rules };
}

function portIn(port: number, spec: string): boolean {
  return spec.split(',').some((part) => {
    const [a, b] = part.split(':');
    const lo = a === '' || a === undefined ? 0 : Number(a);
    const hi = b === undefined ? lo : b === '' ? 65535 : Number(b);
    return port >= lo && port <= hi;
  });
}

function addrIn(ip: string, spec: string): boolean {
  return spec.split(',').some((s) => inCidr(ip, s));
}

interface Parsed {
  match: Tri;
  target?: string;
  goto: boolean;
}

function evalRule(args: string[], pkt: RadioDatagram): Parsed {
  let match: Tri = 'yes';
  let target: string | undefined;
  let goto = false;
  const and = (t: Tri, negate: boolean): void => {
    const r: Tri = t === 'maybe' ? 'maybe' : (t === 'yes') !== negate ? 'yes' : 'no';
    if (r === 'no') match = 'no';
    else if (r === 'maybe' && match === 'yes') match = 'maybe';
  };
  for (let i = 0; i < args.length; i++) {
    let a = args[i] ?? '';
    let negate = false;
    if (a === '!') {
      negate = true;
      a = args[++i] ?? '';
    }
    let v = args[i + 1] ?? '';
    // The old form puts `!` after the option: `-s ! 10.0.0.0/8`.
    if (v === '!') {
      negate = !negate;
      i++;
      v = args[i + 1] ?? '';
    }
    const take = (): string => {
      i++;
      return v;
    };
    switch (a) {
      case '-p':
      case '--protocol': {
        const p = take().toLowerCase();
        and(p === 'all' || p === '0' ? 'yes' : p === 'udp' || p === '17' ? 'yes' : 'no', negate);
        break;
      }
      case '-s':
      case '--source':
        and(addrIn(pkt.src, take()) ? 'yes' : 'no', negate);
        break;
      case '-d':
      case '--destination':
        and(addrIn(pkt.dst, take()) ? 'yes' : 'no', negate);
        break;
      case '-i':
      case '--in-interface': {
        const name = take();
        and(pkt.iface === undefined ? 'maybe' : name.endsWith('+') ? (pkt.iface.startsWith(name.slice(0, -1)) ? 'yes' : 'no') : pkt.iface === name ? 'yes' : 'no', negate);
        break;
      }
      case '--sport':
      case '--source-port':
      case '--sports':
      case '--source-ports':
        and(portIn(pkt.sport, take()) ? 'yes' : 'no', negate);
        break;
      case '--dport':
      case '--destination-port':
      case '--dports':
      case '--destination-ports':
        and(portIn(pkt.dport, take()) ? 'yes' : 'no', negate);
        break;
      case '--ctstate':
      case '--state':
        and(take().split(',').includes((pkt.flow ?? 'new').toUpperCase()) ? 'yes' : 'no', negate);
        break;
      case '-m':
      case '--match': {
        const mod = take();
        if (!['udp', 'tcp', 'conntrack', 'state', 'comment', 'multiport'].includes(mod)) and('maybe', false);
        break;
      }
      case '--comment':
        take();
        break;
      case '-j':
      case '--jump':
        target = take();
        break;
      case '-g':
      case '--goto':
        target = take();
        goto = true;
        break;
      default:
        // Target options (--reject-with, --log-prefix …) follow the target and do not match.
        if (target !== undefined) {
          if (v && !v.startsWith('-')) i++;
          break;
        }
        and('maybe', false);
        if (v && !v.startsWith('-')) i++;
    }
  }
  // `-p tcp` style matches made the rule about another protocol: already 'no'.
  return { match, ...(target !== undefined ? { target } : {}), goto };
}

/** Drops of the radio's datagram by the INPUT chain of `iptables-save` output. */
export function iptablesDrops(text: string, pkt: RadioDatagram): { inputRules: number; policy?: string; drops: FirewallHit[] } {
  const { policies, rules } = parseIptablesSave(text);
  const drops: FirewallHit[] = [];
  if (familyOf(pkt.src) !== 4 && familyOf(pkt.src) !== 6) return { inputRules: 0, drops };
  let doubt = false;
  const run = (chain: string, depth: number): 'accept' | 'drop' | 'return' => {
    if (depth > 16) return 'return';
    for (const r of rules.get(chain) ?? []) {
      const e = evalRule(r.args, pkt);
      if (e.match === 'no' || e.target === undefined) continue;
      const t = e.target;
      const drop = t === 'DROP' || t === 'REJECT';
      if (e.match === 'maybe') {
        if (drop) drops.push({ where: `iptables filter ${chain}`, rule: `-A ${chain} ${r.line}`, verdict: t === 'DROP' ? 'drop' : 'reject', certain: false });
        else if (t === 'ACCEPT' || rules.has(t)) doubt = true;
        continue;
      }
      if (t === 'ACCEPT') return 'accept';
      if (drop) {
        drops.push({ where: `iptables filter ${chain}`, rule: `-A ${chain} ${r.line}`, verdict: t === 'DROP' ? 'drop' : 'reject', certain: !doubt });
        return 'drop';
      }
      if (t === 'RETURN') return 'return';
      if (rules.has(t)) {
        const sub = run(t, depth + 1);
        if (sub !== 'return') return sub;
        if (e.goto) return 'return';
      }
    }
    return 'return';
  };
  const end = run('INPUT', 0);
  const policy = policies.get('INPUT');
  if (end === 'return' && policy === 'DROP') drops.push({ where: 'iptables filter INPUT', rule: ':INPUT DROP (chain policy: no rule accepted the datagram)', verdict: 'drop', certain: !doubt });
  return { inputRules: rules.get('INPUT')?.length ?? 0, ...(policy ? { policy } : {}), drops };
}
