/**
 * Facts about this computer's side of the path (issue 16; reference §12 #2, #3, #10, #11, #15): the
 * route to the radio and the adapter it leaves by, the address FlexPath's sockets are bound to, every
 * local address and its class, which programs hold the radio's UDP ports, and the host firewall's rules
 * that would drop the radio's data. Plain serialisable data: it goes into the report JSON and the UI
 * snapshot as it is, and the rule table reads it. Gathered read-only; what needs privileges says so.
 */

/** A check that ran, or why it did not ("needs admin", "tool not installed", "not on this OS"). */
type Check<T> = ({ checked: true } & T) | { checked: false; reason: string };

export type LocalOs = 'linux' | 'windows' | 'macos' | 'other';

/**
 * What an adapter is, as far as the OS tells: `vpn` for WireGuard, Tailscale, OpenVPN tun/tap and
 * other user-space tunnels; `tunnel` for kernel IP-in-IP/GRE/6in4 and PPP (PPPoE); `virtual` for
 * bridges, veth, docker, Hyper-V and VM adapters.
 */
export type InterfaceKind = 'ethernet' | 'wifi' | 'vpn' | 'tunnel' | 'virtual' | 'loopback' | 'other';

/**
 * private: RFC 1918; cgnat: 100.64.0.0/10 or 192.0.0.0/29 on an ordinary adapter (reference §12, HC-NAT);
 * tailscale: 100.64.0.0/10 or fd7a:115c:a1e0::/48 on a Tailscale adapter (a tailnet node, not CGNAT);
 * ula: IPv6 fc00::/7 other than Tailscale's; public: globally routed.
 */
export type AddressClass = 'loopback' | 'link-local' | 'private' | 'cgnat' | 'tailscale' | 'ula' | 'public';

interface LocalAddress {
  ip: string;
  family: 4 | 6;
  /** Prefix length, when the OS gave one. */
  prefix?: number;
  class: AddressClass;
}

export interface LocalInterface {
  name: string;
  kind: InterfaceKind;
  /** Link MTU in bytes, when the OS gave it. */
  mtu?: number;
  up: boolean;
  addresses: LocalAddress[];
}

/** The OS's choice for a packet to the radio (Linux `ip route get`, macOS `route -n get`, Windows route table). */
interface RouteFact {
  to: string;
  interface: string;
  /** The source address the OS would put on it. */
  source?: string;
  gateway?: string;
  /** Route or link MTU the lookup reported. */
  mtu?: number;
}

/** One socket on a UDP port the radio's data uses. */
export interface PortHolder {
  port: number;
  /** Bound address, `0.0.0.0` / `::` for every address. */
  local: string;
  pid?: number;
  /** Program name (Linux /proc/PID/comm, Windows image name, macOS lsof COMMAND). */
  program?: string;
  /** Why the program could not be named (another user's process without root). */
  unnamed?: string;
  /** This FlexPath process's own socket. */
  ours: boolean;
}

/** The UDP datagram the checks are about: from the radio's data port to FlexPath's. */
export interface RadioDatagram {
  src: string;
  sport: number;
  dst: string;
  dport: number;
  /** Adapter it arrives on (for rules matching `iifname`). */
  iface?: string;
  /**
   * How conntrack sees it: `new` on a LAN (the radio sends from 4993, which no packet of the client
   * opened: reference §8 #7), `established` on SmartLink (the client's udp_register went from this very
   * socket to the radio's UDP port first). Default `new`.
   */
  flow?: 'new' | 'established';
}

/** A firewall rule that would drop (or may drop) the radio's datagram. */
export interface FirewallHit {
  /** Where it lives: `nftables table inet filter chain input`, `iptables filter INPUT`, `ufw`, a Windows profile. */
  where: string;
  /** The rule as the tool prints it, or the chain policy (`policy drop`). */
  rule: string;
  verdict: 'drop' | 'reject';
  /** false: the rule contains matches the evaluator does not understand; it may or may not apply. */
  certain: boolean;
  /** nftables rule handle, for a fix inserted right in front of it. */
  handle?: number;
  /** nftables: `inet filter input` (family table chain) for `nft insert rule …`. */
  chain?: { family: string; table: string; name: string };
}

export interface FirewallFact {
  /** nftables, iptables, ufw, Windows Defender Firewall, macOS application firewall. */
  tool: 'nftables' | 'iptables' | 'ufw' | 'windows' | 'macos-alf';
  /** On / off as the tool reports it; undefined when it has no single switch (nftables: rules or not). */
  enabled?: boolean;
  /** Rules that would drop the datagram, in the order the kernel meets them. */
  drops: FirewallHit[];
  /** Facts that matter but are not a rule: a Windows profile set to Public, block-all mode, stealth. */
  notes: string[];
  /** Windows: the network category per adapter (Public / Private / DomainAuthenticated). */
  profiles?: Array<{ name: string; enabled: boolean; inboundDefault?: 'block' | 'allow' }>;
}

export interface LocalFacts {
  os: LocalOs;
  /** When gathered, Unix seconds. */
  ts: number;
  /** The radio address the checks are about. */
  radio: string;
  route: Check<{ value: RouteFact }>;
  /** FlexPath's data socket as bound (`0.0.0.0` = every address) and the adapter that owns its address. */
  bound?: { ip: string; port: number; interface?: string };
  /** The control connection's local address: where the radio sends UDP on a LAN (reference §5.7). */
  controlSource?: string;
  interfaces: Check<{ list: LocalInterface[] }>;
  ports: Check<{ list: PortHolder[] }>;
  /** The UDP datagram the firewall checks were evaluated for. */
  datagram?: RadioDatagram;
  firewalls: Array<Check<{ value: FirewallFact }> & { tool: FirewallFact['tool'] }>;
  /** A failed bind of a port the user asked for (`--data-port`): the error code, e.g. EADDRINUSE. */
  bindError?: { port: number; code: string };
}
