/**
 * Copy-paste fixes for this computer's side, filled with what the run observed: the radio's address,
 * its source port (4993 on fw 4.2.18+, or what was seen: reference §8 #7, §9) and FlexPath's local
 * port. An allow rule by source address and port is what fixed the routed-VPN case (reference §12 #5,
 * AE#4929); the radio's MTU setting is `client set enforce_network_mtu=1 network_mtu=<n>` (reference
 * §8 #8), in SmartSDR "Radio Setup → Network → Advanced → MTU" (AetherSDR issue #202 describes the field).
 * Nothing here is run by FlexPath: the user reads and applies it.
 */
import type { FirewallFact, FirewallHit, LocalOs } from './types.js';

export interface AllowInput {
  os: LocalOs;
  radio: string;
  radioPort: number;
  localPort: number;
  /** The rule that drops the datagram, when one was found: the fix goes where it will be met first. */
  hit?: FirewallHit;
  /** The firewall tool in charge, when no rule was named (Linux: nftables, ufw or iptables). */
  tool?: FirewallFact['tool'];
  /** Windows: the adapter whose network is set to Public. */
  publicAdapter?: string;
}

const RULE_NAME = 'FlexRadio VITA-49 from radio';

/** Lines that let the radio's datagrams in, one command (or settings path) per line. */
export function allowFixes(o: AllowInput): string[] {
  const { radio, radioPort: s, localPort: p } = o;
  const v6 = radio.includes(':');
  switch (o.os) {
    case 'linux': {
      const tool = o.hit?.where.startsWith('ufw') ? 'ufw' : o.hit?.where.startsWith('iptables') ? 'iptables' : o.hit?.chain ? 'nftables' : (o.tool ?? 'nftables');
      if (tool === 'ufw') return [`sudo ufw allow proto udp from ${radio} port ${s} to any port ${p}`];
      if (tool === 'iptables') return [`sudo ${v6 ? 'ip6tables' : 'iptables'} -I INPUT -p udp -s ${radio} --sport ${s} --dport ${p} -j ACCEPT`];
      const c = o.hit?.chain ?? { family: 'inet', table: 'filter', name: 'input' };
      return [`sudo nft insert rule ${c.family} ${c.table} ${c.name} ${v6 ? 'ip6' : 'ip'} saddr ${radio} udp sport ${s} udp dport ${p} accept`];
    }
    case 'windows':
      return [
        ...(o.publicAdapter ? [`Set-NetConnectionProfile -InterfaceAlias "${o.publicAdapter}" -NetworkCategory Private   (PowerShell as administrator, only on a network you trust)`] : []),
        `netsh advfirewall firewall add rule name="${RULE_NAME}" dir=in action=allow protocol=UDP remoteip=${radio} remoteport=${s} localport=${p}`,
        `New-NetFirewallRule -DisplayName "${RULE_NAME}" -Direction Inbound -Action Allow -Protocol UDP -RemoteAddress ${radio} -RemotePort ${s} -LocalPort ${p}`,
      ];
    case 'macos':
      return [
        'System Settings → Network → Firewall → Options…: add your Flex client (SmartSDR, AetherSDR, FlexPath) and set it to "Allow incoming connections"; switch "Block all incoming connections" off',
        'System Settings → Privacy & Security → Local Network: switch your Flex client on',
      ];
    default:
      return [`allow inbound UDP from ${radio} port ${s} to this computer's port ${p}`];
  }
}

/** The radio-side MTU change for a path whose narrowest link carries `mtu` bytes per IP packet. */
export function mtuFixes(mtu: number): string[] {
  return [
    `on the radio: client set enforce_network_mtu=1 network_mtu=${mtu}`,
    `in SmartSDR: Settings → Radio Setup → Network → Advanced → MTU ${mtu}`,
  ];
}
