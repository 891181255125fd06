/**
 * The lab's networks. Two shapes:
 *
 *   LAN:  radio ──── client                                   one subnet, beacons reach the client
 *   WAN:  radio ── [rr2] ── rr ── inet ── cr ── [cr2] ── client   the radio's router(s), the internet,
 *                                                                the client's router(s)
 *
 * plus, on WAN, the SmartLink server's own leg into `inet` (the simulated broker runs in the radio's
 * process, so it gets its own address on a second interface with source routing: clients reach it
 * across `inet` and its test_connection probes enter the radio's router from the internet side, as the
 * real server's do).
 *
 * Every address is in 198.18.0.0/15. The radio keeps the real radio's ports (API 4992, data 4993, WAN
 * TLS 4994; the broker 4995), which is safe because each namespace has its own ports.
 */
import type { Lab } from './lab.js';

export const PORT_BASE = 4992;
export const PORTS = { api: 4992, data: 4993, tls: 4994, broker: 4995 } as const;
/** FlexPath binds FlexLib's first data port, free in a fresh namespace. */
export const CLIENT_DATA_PORT = 4991;

export const ADDR = {
  /** The radio's LAN, in both shapes. */
  radio: '198.18.1.10',
  radioBroadcast: '198.18.1.255',
  /** LAN shape: the client beside the radio. */
  lanClient: '198.18.1.20',
  /** WAN shape: the radio's router on its LAN. */
  radioGw: '198.18.1.1',
  /** The radio router's WAN address: the radio's public IP when it does NAT. */
  rrWan: '198.18.2.2',
  inetToRr: '198.18.2.1',
  inetToCr: '198.18.3.1',
  /** The client router's WAN address: the client's public IP when it does NAT. */
  crWan: '198.18.3.2',
  client: '198.18.4.10',
  clientGw: '198.18.4.1',
  /** Between an inner and an outer router (double NAT). */
  rr2Wan: '198.18.5.2',
  rrLanOuter: '198.18.5.1',
  cr2Wan: '198.18.6.2',
  crLanOuter: '198.18.6.1',
  /** The SmartLink server's leg. */
  broker: '198.19.0.2',
  inetToBroker: '198.19.0.1',
} as const;

export function lanTopology(lab: Lab): void {
  lab.addNamespace('radio');
  lab.addNamespace('client');
  lab.link({ role: 'radio', dev: 'lan0', addr: `${ADDR.radio}/24` }, { role: 'client', dev: 'lan0', addr: `${ADDR.lanClient}/24` });
}

/** Relay shape: the middle namespace's two legs (it does not forward; only the relay process carries traffic). */
export const RELAY = { radioSide: '198.18.1.1', clientSide: '198.18.4.1' } as const;

/**
 *   RELAY: radio ──── [mid: relay process] ──── client
 * The client talks to the relay's address as if it were the radio; the radio sees the relay as its client.
 */
export function relayTopology(lab: Lab): void {
  lab.addNamespace('radio');
  lab.addNamespace('mid');
  lab.addNamespace('client');
  lab.link({ role: 'radio', dev: 'lan0', addr: `${ADDR.radio}/24` }, { role: 'mid', dev: 'rad0', addr: `${RELAY.radioSide}/24` });
  lab.link({ role: 'mid', dev: 'cl0', addr: `${RELAY.clientSide}/24` }, { role: 'client', dev: 'lan0', addr: `${ADDR.client}/24` });
}

type NatMode = 'none' | 'nat' | 'double-nat';

export interface WanOptions {
  /** The radio's side: plain routing, one NAT router, or a NAT router behind another (ISP) NAT router. */
  radioSide: NatMode;
  /** Port forwards (DNAT) to the radio on the router(s) the user controls: TCP 4994 and/or UDP 4993. */
  forward?: { tcp: boolean; udp: boolean };
  /** Double NAT: does the outer (ISP) router forward too? Default no. */
  outerForwards?: boolean;
  clientSide: NatMode;
  /** MTU of the inet ↔ cr link (both ends), e.g. a VPN or PPPoE leg. */
  mtu?: number;
}

/** The public address of the radio as the internet sees it. */
export function radioPublicIp(o: WanOptions): string {
  return o.radioSide === 'none' ? ADDR.radio : ADDR.rrWan;
}

/** NAT on a router: masquerade out of wan0, and optional forwards of the radio's ports to `to`. */
function natRuleset(fwd: { tcp: boolean; udp: boolean } | undefined, to: string): string {
  return `
table inet lab {
  chain prerouting {
    type nat hook prerouting priority dstnat; policy accept;
    ${fwd?.tcp ? `iifname "wan0" tcp dport ${PORTS.tls} dnat ip to ${to}` : ''}
    ${fwd?.udp ? `iifname "wan0" udp dport ${PORTS.data} dnat ip to ${to}` : ''}
  }
  chain postrouting {
    type nat hook postrouting priority srcnat; policy accept;
    oifname "wan0" masquerade
  }
}`;
}

/**
 * The radio ignores ICMP "fragmentation needed": a real radio sends every data packet full-size with DF
 * (reference §1.6), while a Linux socket that heard of a smaller path MTU would start fragmenting
 * locally and hide the fault. The counter tells whether any such ICMP reached the radio.
 */
const RADIO_IGNORES_FRAG_NEEDED = `
table inet lab {
  counter frag_needed_in { }
  chain input {
    type filter hook input priority filter; policy accept;
    icmp type destination-unreachable icmp code 4 counter name "frag_needed_in" drop
  }
}`;

export function wanTopology(lab: Lab, o: WanOptions): void {
  const roles = ['radio', ...(o.radioSide === 'double-nat' ? ['rr2'] : []), 'rr', 'inet', 'cr', ...(o.clientSide === 'double-nat' ? ['cr2'] : []), 'client'];
  for (const r of roles) lab.addNamespace(r, { forward: r !== 'radio' && r !== 'client' });

  // Radio side.
  const radioRouter = o.radioSide === 'double-nat' ? 'rr2' : 'rr';
  lab.link({ role: 'radio', dev: 'lan0', addr: `${ADDR.radio}/24` }, { role: radioRouter, dev: 'lan0', addr: `${ADDR.radioGw}/24` });
  lab.ip('radio', 'route', 'add', 'default', 'via', ADDR.radioGw);
  if (o.radioSide === 'double-nat') {
    lab.link({ role: 'rr2', dev: 'wan0', addr: `${ADDR.rr2Wan}/24` }, { role: 'rr', dev: 'lan0', addr: `${ADDR.rrLanOuter}/24` });
    lab.ip('rr2', 'route', 'add', 'default', 'via', ADDR.rrLanOuter);
  }
  lab.link({ role: 'rr', dev: 'wan0', addr: `${ADDR.rrWan}/24` }, { role: 'inet', dev: 'r0', addr: `${ADDR.inetToRr}/24` });
  lab.ip('rr', 'route', 'add', 'default', 'via', ADDR.inetToRr);
  lab.nft('radio', RADIO_IGNORES_FRAG_NEEDED);
  if (o.radioSide === 'nat') lab.nft('rr', natRuleset(o.forward, ADDR.radio));
  if (o.radioSide === 'double-nat') {
    lab.nft('rr2', natRuleset(o.forward, ADDR.radio));
    lab.nft('rr', natRuleset(o.outerForwards ? o.forward : undefined, ADDR.rr2Wan));
  }
  if (o.radioSide === 'none') lab.ip('inet', 'route', 'add', '198.18.1.0/24', 'via', ADDR.rrWan);

  // Client side.
  const clientRouter = o.clientSide === 'double-nat' ? 'cr2' : 'cr';
  lab.link({ role: 'inet', dev: 'c0', addr: `${ADDR.inetToCr}/24` }, { role: 'cr', dev: 'wan0', addr: `${ADDR.crWan}/24` }, o.mtu);
  lab.ip('cr', 'route', 'add', 'default', 'via', ADDR.inetToCr);
  if (o.clientSide === 'double-nat') {
    lab.link({ role: 'cr', dev: 'lan0', addr: `${ADDR.crLanOuter}/24` }, { role: 'cr2', dev: 'wan0', addr: `${ADDR.cr2Wan}/24` });
    lab.ip('cr2', 'route', 'add', 'default', 'via', ADDR.crLanOuter);
    lab.nft('cr2', natRuleset(undefined, ADDR.client));
  }
  lab.link({ role: clientRouter, dev: 'lan0', addr: `${ADDR.clientGw}/24` }, { role: 'client', dev: 'lan0', addr: `${ADDR.client}/24` });
  lab.ip('client', 'route', 'add', 'default', 'via', ADDR.clientGw);
  if (o.clientSide !== 'none') lab.nft('cr', natRuleset(undefined, ADDR.client));
  else lab.ip('inet', 'route', 'add', '198.18.4.0/24', 'via', ADDR.crWan);

  if (o.mtu !== undefined) {
    // As PPPoE and VPN routers do, TCP's MSS is clamped to the smaller link, so the control channel
    // works and only the radio's full-size UDP meets the MTU: "meters yes, waterfall no".
    lab.nft('inet', `
table inet lab {
  chain mss {
    type filter hook forward priority mangle; policy accept;
    tcp flags syn tcp option maxseg size set rt mtu
  }
}`);
  }

  brokerLeg(lab);
}

/**
 * The SmartLink server's leg: the broker's address lives in the radio's namespace (same process as the
 * radio) but is routed through `inet`, and its probes are source-NATed to an internet address so they
 * arrive at the radio's router from outside.
 */
export function brokerLeg(lab: Lab): void {
  lab.link({ role: 'radio', dev: 'sl0', addr: `${ADDR.broker}/30` }, { role: 'inet', dev: 'sl0', addr: `${ADDR.inetToBroker}/30` });
  lab.ip('radio', 'rule', 'add', 'from', ADDR.broker, 'lookup', '100');
  lab.ip('radio', 'route', 'add', 'default', 'via', ADDR.inetToBroker, 'dev', 'sl0', 'table', '100');
  lab.nft('inet', `
table inet broker {
  chain postrouting {
    type nat hook postrouting priority srcnat; policy accept;
    ip saddr ${ADDR.broker} oifname "r0" snat ip to ${ADDR.inetToRr}
  }
}`);
}
