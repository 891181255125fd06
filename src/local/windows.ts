/**
 * The Windows side of the local checks. It cannot run here: the parsers are tested on recorded output
 * of each tool (test/fixtures/local/windows, with where each sample comes from), the probe only runs
 * the tools, read-only: `route print -4`, `netsh interface ipv4 show interfaces` (MTU),
 * `netstat -ano -p udp` with `tasklist /fo csv /nh`, `netsh advfirewall show allprofiles` and
 * PowerShell `Get-NetConnectionProfile` (which network is Public: reference §12 #2).
 * Inbound rules are not evaluated (their listing is not parsed yet): a profile that blocks inbound by
 * default is reported as a possible drop, never a certain one.
 */
import { networkInterfaces } from 'node:os';
import { classify, familyOf, inPrefix, isTailscaleName, maskToPrefix } from './address.js';
import { type LocalProbe, NEEDS_ADMIN, type Runner, needsAdmin, runTool } from './probe.js';
import type { FirewallFact, FirewallHit, InterfaceKind, LocalFacts, LocalInterface, PortHolder, RadioDatagram } from './types.js';

export interface WinRoute {
  dest: string;
  mask: string;
  /** `On-link` or an address. */
  gateway: string;
  /** The local address of the adapter it leaves by. */
  iface: string;
  metric: number;
}

/** The "IPv4 Route Table / Active Routes" section of `route print`. */
export function parseRoutePrint(text: string): WinRoute[] {
  const out: WinRoute[] = [];
  let active = false;
  for (const line of text.split(/\r?\n/)) {
    if (/^\s*Active Routes:/i.test(line)) {
      active = true;
      continue;
    }
    if (/^\s*(Persistent Routes:|IPv6 Route Table|=+\s*$)/i.test(line) && active && out.length > 0) break;
    if (!active) continue;
    const c = line.trim().split(/\s+/);
    if (c.length !== 5 || familyOf(c[0] ?? '') !== 4 || familyOf(c[1] ?? '') !== 4) continue;
    out.push({ dest: c[0] ?? '', mask: c[1] ?? '', gateway: c[2] ?? '', iface: c[3] ?? '', metric: Number(c[4]) });
  }
  return out;
}

/** Longest prefix, then lowest metric: the route Windows uses for `to`. */
export function lookupRoute(routes: WinRoute[], to: string): WinRoute | undefined {
  let best: { r: WinRoute; len: number } | undefined;
  for (const r of routes) {
    const len = maskToPrefix(r.mask);
    if (len === undefined || !inPrefix(to, r.dest, len)) continue;
    if (!best || len > best.len || (len === best.len && r.metric < best.r.metric)) best = { r, len };
  }
  return best?.r;
}

/** `netsh interface ipv4 show interfaces`: Idx, Met, MTU, State, Name (the name may contain spaces). */
export function parseNetshInterfaces(text: string): Array<{ index: number; mtu: number; connected: boolean; name: string }> {
  const out: Array<{ index: number; mtu: number; connected: boolean; name: string }> = [];
  for (const line of text.split(/\r?\n/)) {
    const m = /^\s*(\d+)\s+(\d+)\s+(\d+)\s+(\S+)\s+(.+?)\s*$/.exec(line);
    if (!m) continue;
    out.push({ index: Number(m[1]), mtu: Number(m[3]), connected: m[4]?.toLowerCase() === 'connected', name: m[5] ?? '' });
  }
  return out;
}

/** `netstat -ano -p udp`: `UDP  0.0.0.0:161  *:*  1620` (IPv6 in brackets). */
export function parseNetstatUdp(text: string): Array<{ local: string; port: number; pid: number }> {
  const out: Array<{ local: string; port: number; pid: number }> = [];
  for (const line of text.split(/\r?\n/)) {
    const m = /^\s*UDP\s+\[?([^\]\s]*?)\]?:(\d+)\s+\S+\s+(\d+)\s*$/i.exec(line);
    if (!m) continue;
    const local = m[1] === '*' || m[1] === '' ? '0.0.0.0' : (m[1] ?? '');
    out.push({ local: local.replace(/%\d+$/, ''), port: Number(m[2]), pid: Number(m[3]) });
  }
  return out;
}

/** `tasklist /fo csv /nh`: `"snmp.exe","1620","Services","0","1,180 K"`. */
export function parseTasklistCsv(text: string): Map<number, string> {
  const out = new Map<number, string>();
  for (const line of text.split(/\r?\n/)) {
    const cols = [...line.matchAll(/"((?:[^"]|"")*)"/g)].map((m) => m[1] ?? '');
    const pid = Number(cols[1]);
    if (cols[0] && Number.isInteger(pid)) out.set(pid, cols[0]);
  }
  return out;
}

export interface WinProfile {
  name: string;
  enabled: boolean;
  inboundDefault?: 'block' | 'allow';
}

/** `netsh advfirewall show allprofiles` (or `show currentprofile` / `show public`): one block per profile. */
export function parseAdvfirewall(text: string): WinProfile[] {
  const out: WinProfile[] = [];
  let cur: WinProfile | undefined;
  for (const line of text.split(/\r?\n/)) {
    const head = /^\s*(\w+) Profile Settings:/i.exec(line);
    if (head?.[1]) {
      cur = { name: head[1], enabled: false };
      out.push(cur);
      continue;
    }
    if (!cur) continue;
    const state = /^\s*State\s+(ON|OFF)\b/i.exec(line);
    if (state?.[1]) cur.enabled = state[1].toUpperCase() === 'ON';
    const policy = /^\s*Firewall Policy\s+(\w+)Inbound/i.exec(line);
    if (policy?.[1]) cur.inboundDefault = /^block/i.test(policy[1]) ? 'block' : 'allow';
  }
  return out;
}

/** PowerShell `Get-NetConnectionProfile` list output: `Name : …`, `InterfaceAlias : …`, `NetworkCategory : …`. */
export function parseConnectionProfiles(text: string): Array<{ network: string; alias: string; category: string }> {
  const out: Array<{ network: string; alias: string; category: string }> = [];
  let cur: Partial<{ network: string; alias: string; category: string }> = {};
  const flush = (): void => {
    if (cur.alias && cur.category) out.push({ network: cur.network ?? '', alias: cur.alias, category: cur.category });
    cur = {};
  };
  for (const line of text.split(/\r?\n/)) {
    const m = /^\s*(\w+)\s*:\s*(.*?)\s*$/.exec(line);
    if (!m) continue;
    if (m[1] === 'Name') {
      flush();
      cur.network = m[2];
    } else if (m[1] === 'InterfaceAlias') cur.alias = m[2];
    else if (m[1] === 'NetworkCategory') cur.category = m[2];
  }
  flush();
  return out;
}

/** Windows adapter names by what they usually are. */
function windowsInterfaceKind(name: string): InterfaceKind {
  if (/loopback/i.test(name)) return 'loopback';
  if (/wi-?fi|wireless|wlan/i.test(name)) return 'wifi';
  if (/tailscale|wireguard|openvpn|nordlynx|proton|zerotier|vpn|\btap\b|wintun/i.test(name)) return 'vpn';
  if (/vethernet|hyper-v|virtualbox|vmware|docker|wsl/i.test(name)) return 'virtual';
  if (/ethernet|local area connection/i.test(name)) return 'ethernet';
  return 'other';
}

/**
 * The profile that applies to the adapter the radio's data arrives on, and whether its default blocks
 * inbound: the Public category is the classic case (reference §12 #2).
 */
export function windowsFirewallFact(profiles: WinProfile[], categories: Array<{ alias: string; category: string; network: string }>, adapter: string | undefined): FirewallFact {
  const cat = categories.find((c) => c.alias === adapter) ?? (categories.length === 1 ? categories[0] : undefined);
  const name = cat ? (cat.category === 'DomainAuthenticated' ? 'Domain' : cat.category) : undefined;
  const p = name ? profiles.find((x) => x.name.toLowerCase() === name.toLowerCase()) : undefined;
  const notes: string[] = [];
  if (cat) notes.push(`adapter ${cat.alias} is on network "${cat.network}" with the ${cat.category} profile`);
  const drops: FirewallHit[] = [];
  if (p?.enabled && p.inboundDefault === 'block') {
    drops.push({ where: `Windows Defender Firewall, ${p.name} profile`, rule: 'default BlockInbound (no inbound allow rule for the radio was checked)', verdict: 'drop', certain: false });
  }
  return {
    tool: 'windows',
    enabled: profiles.some((x) => x.enabled),
    drops,
    notes,
    profiles: profiles.map((x) => ({ name: x.name, enabled: x.enabled, ...(x.inboundDefault ? { inboundDefault: x.inboundDefault } : {}) })),
  };
}

export function windowsProbe(run: Runner = runTool): LocalProbe {
  const adapters = (): LocalInterface[] =>
    Object.entries(networkInterfaces()).map(([name, addrs]) => {
      const kind = windowsInterfaceKind(name);
      return {
        name,
        kind,
        up: true,
        addresses: (addrs ?? []).map((a) => ({ ip: a.address, family: a.family === 'IPv6' ? 6 : 4, ...(a.cidr ? { prefix: Number(a.cidr.split('/')[1]) } : {}), class: classify(a.address, { iface: name, kind, tailnet: isTailscaleName(name) }) })),
      };
    });
  return {
    os: 'windows',
    async route(to) {
      const r = await run('route', ['print', '-4']);
      if (r.code !== 0) return { checked: false, reason: r.missing ? 'route is not available' : 'route print failed' };
      const best = lookupRoute(parseRoutePrint(r.stdout), to);
      if (!best) return { checked: false, reason: `no IPv4 route to ${to}` };
      const owner = adapters().find((i) => i.addresses.some((a) => a.ip === best.iface));
      return { checked: true, value: { to, interface: owner?.name ?? best.iface, source: best.iface, ...(best.gateway !== 'On-link' ? { gateway: best.gateway } : {}) } };
    },
    async interfaces() {
      const list = adapters();
      const r = await run('netsh', ['interface', 'ipv4', 'show', 'interfaces']);
      if (r.code === 0) {
        const mtus = parseNetshInterfaces(r.stdout);
        for (const i of list) {
          const m = mtus.find((x) => x.name === i.name);
          if (m) {
            i.mtu = m.mtu;
            i.up = m.connected;
          }
        }
      }
      return { checked: true, list };
    },
    async udpPorts(ports) {
      const r = await run('netstat', ['-ano', '-p', 'udp']);
      if (r.code !== 0) return { checked: false, reason: needsAdmin(r) ? NEEDS_ADMIN : 'netstat failed' };
      const t = await run('tasklist', ['/fo', 'csv', '/nh']);
      const names = t.code === 0 ? parseTasklistCsv(t.stdout) : new Map<number, string>();
      const list: PortHolder[] = parseNetstatUdp(r.stdout)
        .filter((s) => ports.includes(s.port))
        .map((s) => {
          const program = names.get(s.pid);
          return { port: s.port, local: s.local, pid: s.pid, ...(program ? { program } : { unnamed: 'needs admin to name the program' }), ours: s.pid === process.pid };
        });
      return { checked: true, list };
    },
    async firewalls(d: RadioDatagram): Promise<LocalFacts['firewalls']> {
      const r = await run('netsh', ['advfirewall', 'show', 'allprofiles']);
      if (r.code !== 0) return [{ tool: 'windows', checked: false, reason: needsAdmin(r) ? NEEDS_ADMIN : 'netsh advfirewall failed' }];
      const p = await run('powershell', ['-NoProfile', '-NonInteractive', '-Command', 'Get-NetConnectionProfile']);
      return [{ tool: 'windows', checked: true, value: windowsFirewallFact(parseAdvfirewall(r.stdout), p.code === 0 ? parseConnectionProfiles(p.stdout) : [], d.iface) }];
    },
  };
}
