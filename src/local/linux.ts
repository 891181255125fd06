/**
 * The Linux side of the local checks, all read-only: `ip -j route get` and `ip -j -d addr` (iproute2
 * JSON), /sys/class/net for Wi-Fi, /proc/net/udp{,6} and /proc/PID/fd for who holds a UDP port,
 * `nft -j list ruleset`, `iptables-save` where nftables is absent, and `ufw status verbose`.
 */
import { readFile, readdir, readlink, stat } from 'node:fs/promises';
import { classify, familyOf, isTailscaleName } from './address.js';
import { iptablesDrops } from './iptables.js';
import { nftDrops } from './nft.js';
import { type LocalProbe, NEEDS_ADMIN, type RunResult, type Runner, needsAdmin, runTool } from './probe.js';
import type { FirewallFact, InterfaceKind, LocalFacts, LocalInterface, PortHolder, RadioDatagram } from './types.js';
import { parseUfwStatus, ufwDrops } from './ufw.js';

/** What the Linux probe reads the system through; tests give it recorded answers. */
export interface LinuxSys {
  run: Runner;
  readFile(path: string): Promise<string>;
  readdir(path: string): Promise<string[]>;
  readlink(path: string): Promise<string>;
  exists(path: string): Promise<boolean>;
  /** This process, whose own sockets are FlexPath's. */
  pid: number;
}

export const realLinuxSys: LinuxSys = {
  run: runTool,
  readFile: (p) => readFile(p, 'utf8'),
  readdir: (p) => readdir(p),
  readlink: (p) => readlink(p),
  exists: (p) =>
    stat(p).then(
      () => true,
      () => false,
    ),
  pid: process.pid,
};

/** iproute2's `linkinfo.info_kind` values by what they are to a user. */
const VPN_KINDS = new Set(['wireguard', 'tun']);
const TUNNEL_KINDS = new Set(['ipip', 'gre', 'gretap', 'ip6gre', 'ip6gretap', 'sit', 'ip6tnl', 'vti', 'vti6', 'erspan', 'ip6erspan', 'vxlan', 'geneve']);
const VIRTUAL_KINDS = new Set(['veth', 'bridge', 'macvlan', 'macvtap', 'ipvlan', 'dummy', 'ifb', 'vrf', 'nlmon', 'netkit']);

function linuxInterfaceKind(o: { name: string; linkType?: string; infoKind?: string; wireless: boolean }): InterfaceKind {
  if (o.linkType === 'loopback') return 'loopback';
  if (o.wireless) return 'wifi';
  if ((o.infoKind && VPN_KINDS.has(o.infoKind)) || /^(tailscale|wg|tun|tap|zt|nordlynx|proton)/.test(o.name)) return 'vpn';
  if ((o.infoKind && TUNNEL_KINDS.has(o.infoKind)) || o.linkType === 'ppp' || /^ppp/.test(o.name)) return 'tunnel';
  if ((o.infoKind && VIRTUAL_KINDS.has(o.infoKind)) || /^(docker|virbr|br-|veth|vmnet|vboxnet|cni|flannel|lxc)/.test(o.name)) return 'virtual';
  if (o.linkType === 'ether') return 'ethernet';
  if (o.linkType === 'none') return 'vpn';
  return 'other';
}

type Obj = Record<string, unknown>;
const isObj = (x: unknown): x is Obj => typeof x === 'object' && x !== null && !Array.isArray(x);

/** `ip -j -d addr show` → interfaces with kind, MTU and classed addresses. */
function parseIpAddr(json: unknown, wireless: Set<string>): LocalInterface[] {
  if (!Array.isArray(json)) return [];
  const out: LocalInterface[] = [];
  for (const l of json) {
    if (!isObj(l) || typeof l.ifname !== 'string') continue;
    const name = l.ifname;
    const info = isObj(l.linkinfo) && typeof l.linkinfo.info_kind === 'string' ? l.linkinfo.info_kind : undefined;
    const kind = linuxInterfaceKind({ name, ...(typeof l.link_type === 'string' ? { linkType: l.link_type } : {}), ...(info ? { infoKind: info } : {}), wireless: wireless.has(name) });
    const raw = Array.isArray(l.addr_info) ? l.addr_info.filter(isObj) : [];
    const ips = raw.map((a) => (typeof a.local === 'string' ? a.local : '')).filter((ip) => familyOf(ip) !== undefined);
    const tailnet = isTailscaleName(name) || ips.some((ip) => classify(ip) === 'tailscale');
    const flags = Array.isArray(l.flags) ? l.flags : [];
    out.push({
      name,
      kind,
      ...(typeof l.mtu === 'number' ? { mtu: l.mtu } : {}),
      up: flags.includes('UP'),
      addresses: raw
        .filter((a) => typeof a.local === 'string' && familyOf(a.local) !== undefined)
        .map((a) => {
          const ip = a.local as string;
          return { ip, family: familyOf(ip) ?? 4, ...(typeof a.prefixlen === 'number' ? { prefix: a.prefixlen } : {}), class: classify(ip, { iface: name, kind, tailnet }) };
        }),
    });
  }
  return out;
}

/** `ip -j route get X` → the first route. */
function parseIpRouteGet(json: unknown, to: string): LocalFacts['route'] {
  const r = Array.isArray(json) ? json[0] : undefined;
  if (!isObj(r) || typeof r.dev !== 'string') return { checked: false, reason: 'ip route get gave no route' };
  return {
    checked: true,
    value: { to, interface: r.dev, ...(typeof r.prefsrc === 'string' ? { source: r.prefsrc } : {}), ...(typeof r.gateway === 'string' ? { gateway: r.gateway } : {}) },
  };
}

/** One socket line of /proc/net/udp or udp6: local address and port, inode. */
export interface ProcUdpSocket {
  local: string;
  port: number;
  inode: number;
}

/**
 * /proc/net/udp{,6} (`man 5 proc`): `sl local_address rem_address st … inode …`; the address is the
 * kernel's in-memory u32 words in hex, so each 32-bit word reads little-endian on x86/ARM.
 */
export function parseProcNetUdp(text: string, v6: boolean): ProcUdpSocket[] {
  const out: ProcUdpSocket[] = [];
  for (const line of text.split('\n').slice(1)) {
    const cols = line.trim().split(/\s+/);
    const [addr, portHex] = (cols[1] ?? '').split(':');
    const inode = Number(cols[9]);
    if (!addr || !portHex || !Number.isInteger(inode)) continue;
    const words = addr.match(/.{8}/g) ?? [];
    const bytes = words.flatMap((w) => (w.match(/../g) ?? []).reverse().map((b) => parseInt(b, 16)));
    let local: string;
    if (!v6 && bytes.length === 4) local = bytes.join('.');
    else if (v6 && bytes.length === 16) {
      const groups: string[] = [];
      for (let i = 0; i < 16; i += 2) groups.push((((bytes[i] ?? 0) << 8) | (bytes[i + 1] ?? 0)).toString(16));
      // The URL parser writes IPv6 in its canonical compressed form (RFC 5952).
      local = new URL(`http://[${groups.join(':')}]`).hostname.slice(1, -1);
    } else continue;
    out.push({ local, port: parseInt(portHex, 16), inode });
  }
  return out;
}

function why(r: RunResult, tool: string): string {
  if (r.missing) return `${tool} is not installed`;
  if (needsAdmin(r)) return NEEDS_ADMIN;
  return `${tool} failed: ${(r.stderr || r.stdout).trim().split('\n')[0] ?? `exit ${r.code}`}`;
}

export function linuxProbe(sys: LinuxSys = realLinuxSys): LocalProbe {
  return {
    os: 'linux',
    async route(to) {
      const r = await sys.run('ip', ['-j', 'route', 'get', to]);
      if (r.code !== 0) return { checked: false, reason: r.missing ? 'ip (iproute2) is not installed' : (r.stderr.trim() || `ip route get ${to} failed`) };
      try {
        return parseIpRouteGet(JSON.parse(r.stdout), to);
      } catch {
        return { checked: false, reason: 'ip route get: unreadable JSON' };
      }
    },
    async interfaces() {
      const r = await sys.run('ip', ['-j', '-d', 'addr', 'show']);
      if (r.code !== 0) return { checked: false, reason: why(r, 'ip (iproute2)') };
      let json: unknown;
      try {
        json = JSON.parse(r.stdout);
      } catch {
        return { checked: false, reason: 'ip addr: unreadable JSON' };
      }
      const names = Array.isArray(json) ? json.filter(isObj).map((l) => String(l.ifname)) : [];
      const wireless = new Set<string>();
      for (const n of names) if (/^[\w.@-]+$/.test(n) && (await sys.exists(`/sys/class/net/${n}/wireless`))) wireless.add(n);
      return { checked: true, list: parseIpAddr(json, wireless) };
    },
    async udpPorts(ports) {
      const sockets: ProcUdpSocket[] = [];
      for (const v6 of [false, true]) {
        try {
          sockets.push(...parseProcNetUdp(await sys.readFile(v6 ? '/proc/net/udp6' : '/proc/net/udp'), v6));
        } catch {
          if (!v6) return { checked: false, reason: '/proc/net/udp is not readable' };
        }
      }
      const wanted = sockets.filter((s) => ports.includes(s.port));
      const owners = await socketOwners(sys, new Set(wanted.map((s) => s.inode)));
      const list: PortHolder[] = wanted.map((s) => {
        const o = owners.found.get(s.inode);
        if (o) return { port: s.port, local: s.local, pid: o.pid, program: o.program, ours: o.pid === sys.pid };
        return { port: s.port, local: s.local, unnamed: owners.denied ? 'needs root to name the program' : 'the owning process was not found', ours: false };
      });
      return { checked: true, list };
    },
    async firewalls(d) {
      return [await nftables(sys, d), ...(await legacyIptables(sys, d)), ...(await ufw(sys, d))];
    },
  };
}

/** inode → pid/program by reading every /proc/PID/fd link; `denied` when some processes were unreadable. */
async function socketOwners(sys: LinuxSys, inodes: Set<number>): Promise<{ found: Map<number, { pid: number; program: string }>; denied: boolean }> {
  const found = new Map<number, { pid: number; program: string }>();
  let denied = false;
  if (inodes.size === 0) return { found, denied };
  let pids: string[];
  try {
    pids = (await sys.readdir('/proc')).filter((p) => /^\d+$/.test(p));
  } catch {
    return { found, denied: true };
  }
  for (const pid of pids) {
    if (found.size === inodes.size) break;
    let fds: string[];
    try {
      fds = await sys.readdir(`/proc/${pid}/fd`);
    } catch {
      denied = true;
      continue;
    }
    for (const fd of fds) {
      let link: string;
      try {
        link = await sys.readlink(`/proc/${pid}/fd/${fd}`);
      } catch {
        continue;
      }
      const m = /^socket:\[(\d+)\]$/.exec(link);
      if (!m || !inodes.has(Number(m[1]))) continue;
      const program = (await sys.readFile(`/proc/${pid}/comm`).catch(() => '?')).trim();
      found.set(Number(m[1]), { pid: Number(pid), program });
    }
  }
  return { found, denied };
}

type FirewallEntry = LocalFacts['firewalls'][number];

async function nftables(sys: LinuxSys, d: RadioDatagram): Promise<FirewallEntry> {
  const r = await sys.run('nft', ['-j', 'list', 'ruleset']);
  if (r.code !== 0) return { tool: 'nftables', checked: false, reason: why(r, 'nft (nftables)') };
  let json: unknown;
  try {
    json = JSON.parse(r.stdout);
  } catch {
    return { tool: 'nftables', checked: false, reason: 'nft -j: unreadable JSON' };
  }
  const text = await sys.run('nft', ['-a', 'list', 'ruleset']);
  const a = nftDrops(json, d, text.code === 0 ? text.stdout : undefined);
  const fact: FirewallFact = { tool: 'nftables', drops: a.drops, notes: a.filterChains === 0 ? ['no nftables filter chain on the input path'] : [] };
  return { tool: 'nftables', checked: true, value: fact };
}

/** iptables-legacy only: with nftables present, iptables-nft rules already appear in its ruleset. */
async function legacyIptables(sys: LinuxSys, d: RadioDatagram): Promise<FirewallEntry[]> {
  const nft = await sys.run('nft', ['--version']);
  if (!nft.missing) return [];
  const r = await sys.run('iptables-save', []);
  if (r.missing) return [];
  if (r.code !== 0) return [{ tool: 'iptables', checked: false, reason: why(r, 'iptables-save') }];
  const a = iptablesDrops(r.stdout, d);
  return [{ tool: 'iptables', checked: true, value: { tool: 'iptables', drops: a.drops, notes: [] } }];
}

async function ufw(sys: LinuxSys, d: RadioDatagram): Promise<FirewallEntry[]> {
  const r = await sys.run('ufw', ['status', 'verbose']);
  if (r.missing) return [];
  if (r.code !== 0) return [{ tool: 'ufw', checked: false, reason: why(r, 'ufw') }];
  const st = parseUfwStatus(r.stdout);
  if (!st) return [{ tool: 'ufw', checked: false, reason: 'ufw status: unreadable output' }];
  return [{ tool: 'ufw', checked: true, value: { tool: 'ufw', enabled: st.active, drops: ufwDrops(st, d), notes: st.incoming ? [`default ${st.incoming} (incoming)`] : [] } }];
}
