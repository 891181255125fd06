/**
 * `ufw status verbose` (Ubuntu's Uncomplicated Firewall, `man ufw`): whether it is active, its default
 * incoming policy, and the first listed rule that decides the radio's datagram — ufw applies the first
 * matching rule, and the default policy when none matches.
 */
import { familyOf, inCidr } from './address.js';
import type { FirewallHit, RadioDatagram } from './types.js';

export interface UfwStatus {
  active: boolean;
  /** `deny`, `reject` or `allow`, from "Default: deny (incoming), …". */
  incoming?: string;
  rules: Array<{ to: string; action: string; from: string; line: string }>;
}

export function parseUfwStatus(text: string): UfwStatus | undefined {
  const status = /^Status:\s*(\w+)/m.exec(text);
  if (!status?.[1]) return undefined;
  const incoming = /^Default:.*?(\w+)\s*\(incoming\)/m.exec(text)?.[1];
  const rules: UfwStatus['rules'] = [];
  let inTable = false;
  for (const line of text.split('\n')) {
    if (/^--\s+-+\s+--/.test(line.trim())) {
      inTable = true;
      continue;
    }
    if (!inTable || !line.trim()) continue;
    // Columns are separated by two or more spaces; the action may be "ALLOW IN".
    const cols = line.trim().replace(/^\[\s*\d+\]\s*/, '').split(/\s{2,}/);
    if (cols.length < 3) continue;
    rules.push({ to: cols[0] ?? '', action: cols[1] ?? '', from: cols.slice(2).join(' '), line: line.trim() });
  }
  return { active: status[1].toLowerCase() === 'active', ...(incoming ? { incoming: incoming.toLowerCase() } : {}), rules };
}

type Tri = 'yes' | 'no' | 'maybe';

/** "4991/udp", "4990:4999/udp", "Anywhere", "192.168.1.0/24 4991/udp", with an optional "(v6)" or "on eth0". */
function endpointMatches(spec: string, ip: string, port: number, iface: string | undefined): Tri {
  let s = spec.replace(/\s*#.*$/, '').trim();
  const v6 = /\(v6\)/.test(s);
  if (v6 !== (familyOf(ip) === 6)) return 'no';
  s = s.replace(/\s*\(v6\)/, '');
  let out: Tri = 'yes';
  const on = /\son\s+(\S+)/.exec(s);
  if (on?.[1]) {
    s = s.replace(on[0], '');
    if (iface === undefined) out = 'maybe';
    else if (iface !== on[1]) return 'no';
  }
  for (const tok of s.split(/\s+/).filter(Boolean)) {
    if (/^anywhere$/i.test(tok)) continue;
    const pm = /^(\d+(?:[:,]\d+)*)(?:\/(\w+))?$/.exec(tok);
    if (pm?.[1]) {
      if (pm[2] && pm[2] !== 'udp') return 'no';
      const ok = pm[1].split(',').some((part) => {
        const [a, b] = part.split(':').map(Number);
        return port >= (a ?? 0) && port <= (b ?? a ?? 0);
      });
      if (!ok) return 'no';
      continue;
    }
    if (familyOf(tok.split('/')[0] ?? '') !== undefined) {
      if (!inCidr(ip, tok)) return 'no';
      continue;
    }
    // An application profile name ("OpenSSH"): its ports are not in the listing.
    out = 'maybe';
  }
  return out;
}

export function ufwDrops(st: UfwStatus, pkt: RadioDatagram): FirewallHit[] {
  // ufw's before.rules accept loopback and established traffic ahead of every listed rule (/etc/ufw/before.rules).
  if (!st.active || pkt.flow === 'established' || pkt.iface === 'lo' || inCidr(pkt.src, '127.0.0.0/8') || pkt.src === '::1') return [];
  const drops: FirewallHit[] = [];
  let doubt = false;
  for (const r of st.rules) {
    const action = r.action.toUpperCase();
    if (/\bOUT\b/.test(action) || /\bFWD\b/.test(action)) continue;
    const to = endpointMatches(r.to, pkt.dst, pkt.dport, pkt.iface);
    const from = endpointMatches(r.from, pkt.src, pkt.sport, undefined);
    if (to === 'no' || from === 'no') continue;
    const certain = to === 'yes' && from === 'yes';
    const deny = action.startsWith('DENY') || action.startsWith('REJECT');
    if (!certain) {
      if (deny) drops.push({ where: 'ufw', rule: r.line, verdict: action.startsWith('REJECT') ? 'reject' : 'drop', certain: false });
      else doubt = true;
      continue;
    }
    if (deny) {
      drops.push({ where: 'ufw', rule: r.line, verdict: action.startsWith('REJECT') ? 'reject' : 'drop', certain: !doubt });
      return drops;
    }
    if (action.startsWith('ALLOW') || action.startsWith('LIMIT')) return drops;
  }
  if (st.incoming === 'deny' || st.incoming === 'reject') {
    drops.push({ where: 'ufw', rule: `default ${st.incoming} (incoming)`, verdict: st.incoming === 'reject' ? 'reject' : 'drop', certain: !doubt });
  }
  return drops;
}
