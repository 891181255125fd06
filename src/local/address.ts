/**
 * Address arithmetic the local checks need: prefix membership for IPv4 and IPv6 and the class of a
 * local address. Ranges: RFC 1918 private, RFC 6598 shared (CGNAT) 100.64.0.0/10, RFC 7335 192.0.0.0/29
 * (reference §8 #1 and §12, HC-NAT); Tailscale numbers nodes from 100.64.0.0/10 and fd7a:115c:a1e0::/48
 * (reference §12, tailscale#12829), so those two are told apart by the adapter they sit on.
 */
import { isIPv4, isIPv6 } from 'node:net';
import type { AddressClass, InterfaceKind } from './types.js';

/** The address as a big integer and its width, or undefined when it is not an address. */
function toBits(ip: string): { n: bigint; width: 32 | 128 } | undefined {
  const bare = ip.replace(/%.*$/, '');
  if (isIPv4(bare)) return { n: bare.split('.').reduce((a, p) => (a << 8n) | BigInt(Number(p)), 0n), width: 32 };
  if (!isIPv6(bare)) return undefined;
  // An embedded IPv4 tail (::ffff:1.2.3.4) becomes two hex groups.
  const v4 = /(\d+\.\d+\.\d+\.\d+)$/.exec(bare);
  let text = bare;
  if (v4?.[1]) {
    const b = v4[1].split('.').map(Number);
    text = bare.slice(0, -v4[1].length) + `${(((b[0] ?? 0) << 8) | (b[1] ?? 0)).toString(16)}:${(((b[2] ?? 0) << 8) | (b[3] ?? 0)).toString(16)}`;
  }
  const [head = '', tail] = text.split('::');
  const h = head ? head.split(':') : [];
  const t = tail ? tail.split(':') : [];
  const groups = tail === undefined ? h : [...h, ...Array<string>(8 - h.length - t.length).fill('0'), ...t];
  return { n: groups.reduce((a, g) => (a << 16n) | BigInt(parseInt(g || '0', 16)), 0n), width: 128 };
}

/** Is `ip` inside `net/len`? Families must match. */
export function inPrefix(ip: string, net: string, len: number): boolean {
  const a = toBits(ip);
  const b = toBits(net);
  if (!a || !b || a.width !== b.width || len < 0 || len > a.width) return false;
  const shift = BigInt(a.width - len);
  return a.n >> shift === b.n >> shift;
}

/** `10.0.0.0/8` style text. */
export function inCidr(ip: string, cidr: string): boolean {
  const [net = '', len] = cidr.split('/');
  return inPrefix(ip, net, len === undefined ? (isIPv4(net) ? 32 : 128) : Number(len));
}

const CGNAT_V4 = '100.64.0.0/10';
export const TAILSCALE_V6 = 'fd7a:115c:a1e0::/48';

/** Tailscale's adapter: `tailscale0` on Linux, `Tailscale` on Windows; on macOS a utun carrying its range. */
export function isTailscaleName(name: string): boolean {
  return /^tailscale/i.test(name);
}

export function familyOf(ip: string): 4 | 6 | undefined {
  const bare = ip.replace(/%.*$/, '');
  return isIPv4(bare) ? 4 : isIPv6(bare) ? 6 : undefined;
}

/**
 * The class of an address on a given adapter. A 100.64/10 or Tailscale-ULA address counts as a tailnet
 * address when it sits on Tailscale's adapter, or on a VPN adapter next to a Tailscale IPv6 address
 * (macOS names the adapter utunN: `tailnet` says the adapter also carries fd7a:115c:a1e0::/48).
 */
export function classify(ip: string, o: { iface?: string; kind?: InterfaceKind; tailnet?: boolean } = {}): AddressClass {
  const onTailscale = (o.iface !== undefined && isTailscaleName(o.iface)) || (o.kind === 'vpn' && o.tailnet === true);
  if (familyOf(ip) === 4) {
    if (inCidr(ip, '127.0.0.0/8')) return 'loopback';
    if (inCidr(ip, '169.254.0.0/16')) return 'link-local';
    if (inCidr(ip, '10.0.0.0/8') || inCidr(ip, '172.16.0.0/12') || inCidr(ip, '192.168.0.0/16')) return 'private';
    if (inCidr(ip, CGNAT_V4)) return onTailscale ? 'tailscale' : 'cgnat';
    if (inCidr(ip, '192.0.0.0/29')) return 'cgnat';
    return 'public';
  }
  if (inCidr(ip, '::1/128')) return 'loopback';
  if (inCidr(ip, 'fe80::/10')) return 'link-local';
  if (inCidr(ip, TAILSCALE_V6)) return 'tailscale';
  if (inCidr(ip, 'fc00::/7')) return 'ula';
  if (inCidr(ip, '::ffff:0:0/96')) return classify(ip.replace(/^.*:/, ''), o);
  return 'public';
}

/** IPv4 dotted netmask → prefix length (`255.255.255.0` → 24); undefined for a non-contiguous mask. */
export function maskToPrefix(mask: string): number | undefined {
  const b = toBits(mask);
  if (!b || b.width !== 32) return undefined;
  const bits = b.n.toString(2).padStart(32, '0');
  return /^1*0*$/.test(bits) ? bits.indexOf('0') === -1 ? 32 : bits.indexOf('0') : undefined;
}
