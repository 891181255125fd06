/**
 * The macOS side of the local checks. It cannot run here: the parsers are tested on recorded output
 * (test/fixtures/local/macos, with where each sample comes from); the probe only runs, read-only,
 * `route -n get`, `ifconfig`, `networksetup -listallhardwareports`, `lsof -nP -iUDP` and
 * `socketfilterfw --getglobalstate --getblockall`. The Local Network permission (reference §12 #12) has
 * no command-line reader: it is named in the notes, never claimed checked.
 */
import { classify, familyOf, inCidr, TAILSCALE_V6 } from './address.js';
import { type LocalProbe, type Runner, runTool } from './probe.js';
import type { FirewallFact, InterfaceKind, LocalFacts, LocalInterface, PortHolder } from './types.js';

/** `route -n get X`: `interface: en1`, `gateway: …`, and the metrics table whose `mtu` column is the route's. */
export function parseRouteGet(text: string): { interface?: string; gateway?: string; mtu?: number } {
  const out: { interface?: string; gateway?: string; mtu?: number } = {};
  const lines = text.split(/\r?\n/);
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i] ?? '';
    const kv = /^\s*(interface|gateway):\s*(\S+)/.exec(line);
    if (kv?.[1] === 'interface') out.interface = kv[2];
    if (kv?.[1] === 'gateway') out.gateway = kv[2];
    if (/\bmtu\b/.test(line) && /recvpipe/.test(line)) {
      const head = line.trim().split(/\s+/);
      const vals = (lines[i + 1] ?? '').trim().split(/\s+/);
      const mtu = Number(vals[head.indexOf('mtu')]);
      if (Number.isFinite(mtu) && mtu > 0) out.mtu = mtu;
    }
  }
  return out;
}

export interface MacIf {
  name: string;
  flags: string[];
  mtu?: number;
  inet: Array<{ ip: string; prefix?: number }>;
}

/** `ifconfig`: a header line `en0: flags=8863<UP,…> mtu 1500` per interface, then indented details. */
export function parseIfconfig(text: string): MacIf[] {
  const out: MacIf[] = [];
  let cur: MacIf | undefined;
  for (const line of text.split(/\r?\n/)) {
    const head = /^([\w.]+):\s+flags=\w+<([^>]*)>(?:.*?\bmtu\s+(\d+))?/.exec(line);
    if (head?.[1]) {
      cur = { name: head[1], flags: (head[2] ?? '').split(',').filter(Boolean), ...(head[3] ? { mtu: Number(head[3]) } : {}), inet: [] };
      out.push(cur);
      continue;
    }
    if (!cur) continue;
    const v4 = /^\s+inet\s+(\d+\.\d+\.\d+\.\d+)\s+(?:-->\s+\S+\s+)?netmask\s+0x([0-9a-f]{8})/i.exec(line);
    if (v4?.[1]) {
      const bits = parseInt(v4[2] ?? '0', 16).toString(2).replace(/0+$/, '').length;
      cur.inet.push({ ip: v4[1], prefix: bits });
      continue;
    }
    const v6 = /^\s+inet6\s+([0-9a-f:]+)(?:%\S+)?\s+(?:-->\s+\S+\s+)?prefixlen\s+(\d+)/i.exec(line);
    if (v6?.[1]) cur.inet.push({ ip: v6[1], prefix: Number(v6[2]) });
  }
  return out;
}

/** `networksetup -listallhardwareports`: `Hardware Port: Wi-Fi` / `Device: en0`. */
export function parseHardwarePorts(text: string): Map<string, string> {
  const out = new Map<string, string>();
  let port: string | undefined;
  for (const line of text.split(/\r?\n/)) {
    const p = /^Hardware Port:\s*(.+?)\s*$/.exec(line);
    if (p) port = p[1];
    const d = /^Device:\s*(\S+)/.exec(line);
    if (d?.[1] && port) out.set(d[1], port);
  }
  return out;
}

function macInterfaceKind(name: string, hardwarePort: string | undefined): InterfaceKind {
  if (/^lo\d/.test(name)) return 'loopback';
  if (hardwarePort && /wi-?fi|airport/i.test(hardwarePort)) return 'wifi';
  if (/^(utun|ipsec|tun|tap|zt)/.test(name)) return 'vpn';
  if (/^(gif|stf|ppp)/.test(name)) return 'tunnel';
  if (/^(bridge|vmnet|vboxnet|llw|awdl|anpi|ap)\d/.test(name)) return 'virtual';
  if (hardwarePort || /^en\d/.test(name)) return 'ethernet';
  return 'other';
}

export function macInterfaces(ifs: MacIf[], ports: Map<string, string>): LocalInterface[] {
  return ifs.map((i) => {
    const kind = macInterfaceKind(i.name, ports.get(i.name));
    const tailnet = i.inet.some((a) => inCidr(a.ip, TAILSCALE_V6));
    return {
      name: i.name,
      kind,
      ...(i.mtu !== undefined ? { mtu: i.mtu } : {}),
      up: i.flags.includes('UP'),
      addresses: i.inet.map((a) => ({ ip: a.ip, family: familyOf(a.ip) ?? 4, ...(a.prefix !== undefined ? { prefix: a.prefix } : {}), class: classify(a.ip, { iface: i.name, kind, tailnet }) })),
    };
  });
}

/** `lsof -nP -iUDP`: COMMAND PID USER FD TYPE DEVICE SIZE/OFF NODE NAME, NAME = `*:5353` or `10.0.0.2:68->…`. */
export function parseLsofUdp(text: string): Array<{ program: string; pid: number; local: string; port: number }> {
  const out: Array<{ program: string; pid: number; local: string; port: number }> = [];
  for (const line of text.split(/\r?\n/)) {
    const c = line.trim().split(/\s+/);
    const i = c.indexOf('UDP');
    if (i < 0 || c[0] === 'COMMAND') continue;
    const name = (c[i + 1] ?? '').split('->')[0] ?? '';
    const m = /^\[?(.*?)\]?:(\d+|\*)$/.exec(name);
    if (!m || m[2] === '*') continue;
    const pid = Number(c[1]);
    if (!Number.isInteger(pid)) continue;
    out.push({ program: c[0] ?? '', pid, local: m[1] === '*' ? '0.0.0.0' : (m[1] ?? ''), port: Number(m[2]) });
  }
  return out;
}

/** `socketfilterfw --getglobalstate --getblockall`: "Firewall is enabled. (State = 1)", "Block all ENABLED!". */
export function parseSocketFilterFw(text: string): { enabled?: boolean; blockAll?: boolean; stealth?: boolean } {
  const g = /Firewall is (enabled|disabled)/i.exec(text);
  const b = /Block all (ENABLED|DISABLED)/i.exec(text);
  const s = /Stealth mode (enabled|disabled)/i.exec(text);
  return {
    ...(g?.[1] ? { enabled: g[1].toLowerCase() === 'enabled' } : {}),
    ...(b?.[1] ? { blockAll: b[1].toUpperCase() === 'ENABLED' } : {}),
    ...(s?.[1] ? { stealth: s[1].toLowerCase() === 'enabled' } : {}),
  };
}

const LOCAL_NETWORK_NOTE = 'macOS Local Network permission cannot be read from the command line: check System Settings → Privacy & Security → Local Network for your Flex client';

export function macFirewallFact(st: { enabled?: boolean; blockAll?: boolean; stealth?: boolean }): FirewallFact {
  const notes = [LOCAL_NETWORK_NOTE];
  if (st.enabled) notes.push('the application firewall filters per program: a client not allowed in System Settings → Network → Firewall → Options gets no incoming UDP');
  if (st.stealth) notes.push('stealth mode is on');
  return {
    tool: 'macos-alf',
    ...(st.enabled !== undefined ? { enabled: st.enabled } : {}),
    drops: st.enabled && st.blockAll ? [{ where: 'macOS application firewall', rule: 'Block all incoming connections', verdict: 'drop', certain: true }] : [],
    notes,
  };
}

export function macosProbe(run: Runner = runTool): LocalProbe {
  const interfaces = async (): Promise<LocalFacts['interfaces']> => {
    const r = await run('ifconfig', []);
    if (r.code !== 0) return { checked: false, reason: 'ifconfig failed' };
    const hp = await run('networksetup', ['-listallhardwareports']);
    return { checked: true, list: macInterfaces(parseIfconfig(r.stdout), hp.code === 0 ? parseHardwarePorts(hp.stdout) : new Map()) };
  };
  return {
    os: 'macos',
    async route(to) {
      const r = await run('route', ['-n', 'get', to]);
      const g = parseRouteGet(r.stdout);
      if (r.code !== 0 || !g.interface) return { checked: false, reason: (r.stderr.trim() || `no route to ${to}`) };
      const ifs = await interfaces();
      const src = ifs.checked ? ifs.list.find((i) => i.name === g.interface)?.addresses.find((a) => a.family === 4)?.ip : undefined;
      return { checked: true, value: { to, interface: g.interface, ...(src ? { source: src } : {}), ...(g.gateway ? { gateway: g.gateway } : {}), ...(g.mtu ? { mtu: g.mtu } : {}) } };
    },
    interfaces,
    async udpPorts(ports) {
      const r = await run('lsof', ['-nP', '-iUDP']);
      // lsof exits 1 when it lists nothing; without root it sees only this user's processes.
      if (r.missing) return { checked: false, reason: 'lsof is not available' };
      const list: PortHolder[] = parseLsofUdp(r.stdout)
        .filter((s) => ports.includes(s.port))
        .map((s) => ({ port: s.port, local: s.local, pid: s.pid, program: s.program, ours: s.pid === process.pid }));
      return { checked: true, list };
    },
    async firewalls() {
      const r = await run('/usr/libexec/ApplicationFirewall/socketfilterfw', ['--getglobalstate', '--getblockall', '--getstealthmode']);
      if (r.code !== 0 && !r.stdout) return [{ tool: 'macos-alf', checked: false, reason: r.missing ? 'socketfilterfw not found' : 'socketfilterfw failed' }];
      return [{ tool: 'macos-alf', checked: true, value: macFirewallFact(parseSocketFilterFw(r.stdout)) }];
    },
  };
}
