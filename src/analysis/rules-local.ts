/**
 * Rules that read this computer's side of the path (src/local facts, live diagnosis only; reference §12
 * "What users actually hit"). They sit at the head of the rule table: each one refines what the
 * network-level rule of its hop would say — "no data arrives", "large classes vanish", "the radio
 * refused the port" — with the local fact that explains it, naming the program, adapter or firewall
 * rule, and the copy-paste fix ("fix: " evidence lines, src/local/fixes.ts).
 *
 * "Refines" is literal: `when` asks the network-level rule of the same hop (by id) whether it holds, so a
 * local fact never turns a healthy hop into a failing one and the network rule's thresholds (the first-
 * packet grace, large-packet size) apply unchanged.
 */
import { allowFixes, mtuFixes } from '../local/fixes.js';
import type { FirewallHit, LocalFacts, LocalInterface, PortHolder } from '../local/types.js';
import type { PathFacts } from './facts.js';
import type { HopId } from './model.js';
import type { Rule } from './rules.js';

/**
 * The largest IP datagram the radio sends at `network_mtu=1500` (FlexPath's probe asks for it): a
 * 1436-byte UDP payload with DF, 1464 bytes on the wire (reference §8 #8, §11 "Client MTU", Houser pcap).
 */
const RADIO_DATAGRAM_BYTES = 1464;

/** Finds a network-level rule of the table by id, when judging (the table is built after this module). */
type Lookup = (id: string) => Rule | undefined;

/** Evidence lines that are a fix the user can copy; the verdict's advice leads with them (judge.ts). */
export const FIX_PREFIX = 'fix: ';
const fix = (line: string): string => FIX_PREFIX + line;

const none = (): string[] => [];

function ifaces(l: LocalFacts): LocalInterface[] {
  return l.interfaces.checked ? l.interfaces.list : [];
}

function routeIface(l: LocalFacts): LocalInterface | undefined {
  return l.route.checked ? ifaces(l).find((i) => i.name === (l.route.checked ? l.route.value.interface : '')) : undefined;
}

/** "python3 (pid 812)", or why the program is not named. */
function holderName(h: PortHolder): string {
  if (h.program) return `${h.program}${h.pid !== undefined ? ` (pid ${h.pid})` : ''}`;
  return `a program${h.pid !== undefined ? ` with pid ${h.pid}` : ''} (${h.unnamed ?? 'not named'})`;
}

function othersOn(l: LocalFacts, port: number): PortHolder[] {
  return l.ports.checked ? l.ports.list.filter((p) => p.port === port && !p.ours) : [];
}

/** The adapter, its kind and MTU, and what its address is (CGNAT vs tailnet), for the evidence. */
function routeLine(l: LocalFacts): string[] {
  if (!l.route.checked) return [];
  const r = l.route.value;
  const i = routeIface(l);
  const src = r.source ? i?.addresses.find((a) => a.ip === r.source) : undefined;
  const what =
    src?.class === 'cgnat'
      ? ' (carrier-grade NAT address 100.64.0.0/10 on an adapter that is not Tailscale’s)'
      : src?.class === 'tailscale'
        ? ' (a Tailscale tailnet address, not carrier-grade NAT)'
        : '';
  return [`route to ${r.to}: ${r.interface}${i ? ` (${i.kind}${i.mtu ? `, MTU ${i.mtu}` : ''})` : ''}${r.source ? ` from ${r.source}${what}` : ''}${r.gateway ? ` via ${r.gateway}` : ''}`];
}

function drops(l: LocalFacts, certain: boolean): FirewallHit[] {
  return l.firewalls.flatMap((fw) => (fw.checked ? fw.value.drops.filter((d) => d.certain === certain) : []));
}

/** The ufw/iptables/nftables tool in charge when a Windows or macOS profile is the hit. */
function firewallFixes(l: LocalFacts, hit: FirewallHit): string[] {
  const d = l.datagram;
  if (!d) return [];
  const win = l.firewalls.find((fw) => fw.checked && fw.value.tool === 'windows');
  const pub = win?.checked ? /adapter (.+) is on network .* with the Public profile/.exec(win.value.notes.join('\n'))?.[1] : undefined;
  return allowFixes({ os: l.os, radio: d.src, radioPort: d.sport, localPort: d.dport, hit, ...(pub ? { publicAdapter: pub } : {}) }).map(fix);
}

function usableV4(l: LocalFacts): boolean {
  return ifaces(l).some((i) => i.up && i.addresses.some((a) => a.family === 4 && a.class !== 'loopback' && a.class !== 'link-local'));
}

const local = (f: PathFacts): LocalFacts | undefined => f.local;

/** When the data flowed before it stopped, the summary says so: the rule came after the session started. */
function flowedFirst(f: PathFacts): string {
  const s = f.udpReturn.stopped;
  return s ? ` (the data flowed for ${s.flowedS.toFixed(1)} s, then stopped: the rule came into force while the session ran)` : '';
}

/** The local rules; `lookup` finds the network-level rule each refines. */
export function localRules(lookup: Lookup): Rule[] {
  /** Does the network-level rule `id` hold for this hop? */
  const holds = (id: string, f: PathFacts, hop: HopId): boolean => lookup(id)?.when(f, hop) === true;
  /**
   * No data arrives: none ever, or what flowed stopped while the session went on — a firewall that
   * changed mid-session (Windows moving the network to the Public profile, a VPN client or security suite
   * loading its rules: reference §12 #2). Live, the firewall is read again once the data stopped (walk.ts
   * watchAndReport), so a rule found then is one in force after the data flowed.
   */
  const noDataNow = (f: PathFacts, hop: HopId): boolean => holds('udp-return-no-data', f, hop) || holds('udp-return-stopped', f, hop);
  return [
  // control
  {
    id: 'local-no-inet',
    hop: 'control',
    status: 'blocked',
    // No IPv4 route at all: connect() fails at once (ENETUNREACH), nothing times out.
    cause: 'unreachable',
    thresholds: {},
    source: 'reference §12 #15 (IPv6-only client networks; the radio is IPv4-only, §12 "Starlink")',
    when: (f) => {
      const l = local(f);
      return l !== undefined && l.interfaces.checked && !l.radio.includes(':') && !usableV4(l) && (f.control.session?.replies ?? 0) === 0;
    },
    summary: (f) => `this computer has no IPv4 address (an IPv6-only network): the radio at ${f.local?.radio ?? '?'} speaks IPv4 only`,
    evidence: () => ['connect through a network that gives this computer IPv4 (another Wi-Fi, a VPN into the radio’s network), or use SmartLink from an IPv4 network'],
    title: () => 'This computer has no IPv4 address (an IPv6-only network), and the radio speaks IPv4 only: it cannot be reached from here',
    advice: [
      'Join a network that gives this computer an IPv4 address (another Wi-Fi, a wired port), or connect a VPN into the radio’s network.',
      'Away from home: SmartLink works from any network with IPv4 internet access; on IPv6-only mobile data, a phone hotspot with IPv4 (or 464XLAT/CLAT turned on) gives it.',
      'Discovery cannot find the radio here either: its beacons are IPv4 broadcasts (reference §4).',
    ],
  },

  // stream-setup
  {
    id: 'local-port-held',
    hop: 'stream-setup',
    status: 'blocked',
    cause: 'port-in-use',
    thresholds: {},
    source: 'reference §12 #10 (two Flex clients on one PC: the second binds 4991 in vain and gets no streams, AE PR#1208), §8 #10',
    when: (f) => f.local?.bindError !== undefined,
    summary: (f) => {
      const l = f.local!;
      const b = l.bindError!;
      const who = othersOn(l, b.port);
      return `UDP ${b.port} cannot be bound (${b.code}): ${who.length > 0 ? `held by ${who.map(holderName).join(', ')}` : 'held by a program this account cannot see (needs root to name the program)'}`;
    },
    evidence: (f) => [`a client that binds UDP ${f.local?.bindError?.port ?? '?'} as SmartSDR does gets control but no streams while that program runs`, fix('close that program, or let the client take any free port (FlexLib moves to the next one from 4991)')],
  },
  {
    id: 'local-port-refused-named',
    hop: 'stream-setup',
    status: 'blocked',
    cause: 'port-in-use',
    thresholds: {},
    source: 'reference §8 #10 (`client udpport` → 0x500000A9 "Port/IP pair already in use"), §12 #10',
    when: (f, hop) => {
      const l = local(f);
      const port = Number(f.setup.udpport?.port);
      return l !== undefined && holds('setup-port-in-use', f, hop) && othersOn(l, port).length > 0;
    },
    summary: (f) => `the radio already has UDP ${f.setup.udpport?.port ?? '?'} of this computer registered for another client: ${othersOn(f.local!, Number(f.setup.udpport?.port)).map(holderName).join(', ')} holds it here`,
    evidence: none,
  },

  // udp-return: no data arrives, and this computer says why
  {
    id: 'local-port-shared',
    hop: 'udp-return',
    status: 'blocked',
    cause: 'port-in-use',
    thresholds: {},
    source: 'reference §12 #10: two sockets on one UDP port (address reuse) — the datagrams go to one of them',
    when: (f, hop) => {
      const l = local(f);
      return l?.bound !== undefined && holds('udp-return-no-data', f, hop) && othersOn(l, l.bound.port).length > 0;
    },
    summary: (f) => `UDP ${f.local!.bound!.port} is also held by ${othersOn(f.local!, f.local!.bound!.port).map(holderName).join(', ')}: the radio’s data goes to that program`,
    evidence: (f) => [fix('close that program, then run again'), ...routeLine(f.local!)],
  },
  {
    id: 'local-wrong-interface',
    hop: 'udp-return',
    status: 'blocked',
    cause: 'wrong-interface',
    thresholds: {},
    source: 'reference §12 #11 (several adapters: traffic leaves by the wrong one, AE PR#1214/#1218), §8 #14; §5.7 (on a LAN the radio sends to the control connection’s address)',
    when: (f, hop) => {
      const l = local(f);
      const bound = l?.bound?.interface;
      return l !== undefined && l.route.checked && bound !== undefined && bound !== l.route.value.interface && holds('udp-return-no-data', f, hop);
    },
    summary: (f) => {
      const l = f.local!;
      const r = l.route.checked ? l.route.value : undefined;
      return `the route to the radio leaves by ${r?.interface ?? '?'}${r?.source ? ` (${r.source})` : ''}, but the data socket is bound to ${l.bound!.ip} on ${l.bound!.interface ?? '?'}: the radio sends to ${l.controlSource ?? r?.source ?? 'the other address'}, where nothing listens`;
    },
    evidence: (f) => [fix(`bind the client to ${f.local!.route.checked ? f.local!.route.value.interface : 'the adapter the route uses'} (or to every address), or move the radio’s route to ${f.local!.bound!.interface ?? 'the bound adapter'}`), ...routeLine(f.local!)],
  },
  {
    id: 'local-host-firewall',
    hop: 'udp-return',
    status: 'blocked',
    cause: 'host-firewall',
    thresholds: {},
    source: 'reference §12 #2 (the PC’s own firewall: leftover nftables rules, ufw, a Public profile; AE#1778, #1541, #3156) and #5 (an explicit allow by source address and port fixes it, AE#4929)',
    when: (f, hop) => {
      const l = local(f);
      return l !== undefined && drops(l, true).length > 0 && noDataNow(f, hop);
    },
    summary: (f) => {
      const h = drops(f.local!, true)[0]!;
      const d = f.local!.datagram;
      return `${h.where} ${h.verdict === 'reject' ? 'rejects' : 'drops'} the radio’s UDP${d ? ` ${d.src}:${d.sport} → ${d.dst}:${d.dport}` : ''}: ${h.rule}${flowedFirst(f)}`;
    },
    // The cause's own title speaks of an ICMP answer, which a drop rule never sends.
    title: (f) => `This computer’s firewall ${drops(f.local!, true)[0]!.verdict === 'reject' ? 'rejects' : 'drops'} the radio’s data${f.udpReturn.stopped ? ', after it had flowed' : ''}`,
    evidence: (f) => {
      const l = f.local!;
      const h = drops(l, true)[0]!;
      return [...firewallFixes(l, h), ...(l.datagram?.flow === 'established' ? [] : [`evaluated as a NEW flow: the radio sends from ${l.datagram?.sport ?? 4993}, which no earlier packet of this client opened (reference §8 #7)`])];
    },
  },
  {
    id: 'local-host-firewall-possible',
    hop: 'udp-return',
    status: 'blocked',
    cause: 'host-firewall',
    thresholds: {},
    source: 'reference §12 #2 (Windows network profile "Public" blocks unsolicited inbound UDP; AE#1778)',
    when: (f, hop) => {
      const l = local(f);
      return l !== undefined && drops(l, false).length > 0 && noDataNow(f, hop);
    },
    summary: (f) => {
      const h = drops(f.local!, false)[0]!;
      return `${h.where} may drop the radio’s UDP: ${h.rule}${flowedFirst(f)}`;
    },
    evidence: (f) => {
      const l = f.local!;
      const notes = l.firewalls.flatMap((fw) => (fw.checked ? fw.value.notes : []));
      return [...notes, ...firewallFixes(l, drops(l, false)[0]!)];
    },
  },
  {
    id: 'local-client-cgnat',
    hop: 'udp-return',
    status: 'blocked',
    cause: 'udp-blocked-inbound',
    thresholds: {},
    source: 'reference §8 #4 (UDP streaming over carrier NAT does not work over mobile hotspots), §12 #6; 100.64.0.0/10 told apart from a Tailscale address by its adapter (§12)',
    when: (f, hop) => {
      const l = local(f);
      if (!l?.route.checked || f.mode !== 'wan' || !holds('udp-return-no-data', f, hop)) return false;
      const src = l.route.value.source;
      return routeIface(l)?.addresses.some((a) => a.ip === src && a.class === 'cgnat') === true;
    },
    summary: (f) => `this computer sits behind carrier-grade NAT (${f.local!.route.checked ? f.local!.route.value.source : '?'} is in 100.64.0.0/10 and not on a Tailscale adapter): the radio’s UDP cannot find its way back through it`,
    evidence: (f) => [fix('use another uplink than the mobile/carrier one, or a VPN into the radio’s network'), ...routeLine(f.local!)],
  },

  // data classes: the large ones vanish, and the adapter on the route is the narrow link
  {
    id: 'local-tunnel-mtu',
    hop: 'data:*',
    status: 'blocked',
    cause: 'mtu',
    thresholds: { RADIO_DATAGRAM_BYTES },
    source: 'reference §8 #8 and §12 #3 (tunnel MTUs: WireGuard 1420, Tailscale 1280, below the radio’s datagrams), §11 "Client MTU" (1464-byte datagrams at network_mtu=1500)',
    when: (f, hop) => {
      const l = local(f);
      const i = l ? routeIface(l) : undefined;
      return i?.mtu !== undefined && i.mtu < RADIO_DATAGRAM_BYTES && (holds('data-missing-large', f, hop) || holds('data-first-fragments-missing', f, hop));
    },
    summary: (f) => {
      const i = routeIface(f.local!)!;
      return `the route to the radio runs through ${i.name} (${i.kind}, MTU ${i.mtu}): the radio’s ${RADIO_DATAGRAM_BYTES}-byte datagrams with Don’t-Fragment set cannot cross it`;
    },
    evidence: (f) => [...mtuFixes(routeIface(f.local!)!.mtu!).map(fix), ...routeLine(f.local!)],
    // The network-level MTU rules' headline: it names the classes that lost their large packets, no others.
    title: (f, hop, hops) => lookup('data-missing-large')!.title!(f, hop, hops),
  },
];
}
