/**
 * ICMP errors that explain missing data: destination unreachable (ICMPv4 type 3, RFC 792; next-hop MTU in
 * code 4 per RFC 1191 §4) and ICMPv6 destination unreachable (type 1) / packet too big (type 2, RFC 4443
 * §3.1–3.2). Each quotes the start of the packet that failed; its addresses and ports say which flow.
 */
import { endpointAt } from './addr.js';
import { IPPROTO, type IpView, decodeIp, newIpView } from './ip.js';
import { ICMP, UDP } from './l4.js';
import type { IcmpEvent, IcmpReason } from './types.js';

function reasonV4(code: number): IcmpReason {
  switch (code) {
    case 0:
      return 'net-unreachable';
    case 1:
      return 'host-unreachable';
    case 3:
      return 'port-unreachable';
    case 4:
      return 'frag-needed';
    case 9: // network administratively prohibited (RFC 1122)
    case 10: // host administratively prohibited
    case 13: // communication administratively prohibited (RFC 1812)
      return 'admin-prohibited';
    default:
      return 'other';
  }
}

function reasonV6Unreachable(code: number): IcmpReason {
  switch (code) {
    case 0: // no route to destination
      return 'net-unreachable';
    case 1: // administratively prohibited
    case 5: // source address failed ingress/egress policy
    case 6: // reject route to destination
      return 'admin-prohibited';
    case 3:
      return 'host-unreachable';
    case 4:
      return 'port-unreachable';
    default:
      return 'other';
  }
}

const quoted: IpView = newIpView();

/**
 * Decodes an ICMP/ICMPv6 message in buf[start, end) sent by `from`. Returns undefined for message types
 * that are not errors about a flow (echo, neighbour discovery, …) or when the quote is unreadable.
 */
export function decodeIcmp(version: 4 | 6, buf: Buffer, start: number, end: number, from: string, ts: number): IcmpEvent | undefined {
  if (end - start < ICMP.bytes) return undefined;
  const type = buf[start + ICMP.type]!;
  const code = buf[start + ICMP.code]!;
  let reason: IcmpReason;
  let mtu: number | undefined;
  if (version === 4) {
    if (type !== 3) return undefined;
    reason = reasonV4(code);
    if (reason === 'frag-needed') mtu = buf.readUInt16BE(start + ICMP.mtu4);
  } else if (type === 1) {
    reason = reasonV6Unreachable(code);
  } else if (type === 2) {
    reason = 'frag-needed';
    mtu = buf.readUInt32BE(start + ICMP.mtu6);
  } else {
    return undefined;
  }
  if (decodeIp(buf, start + ICMP.bytes, end, quoted) !== null) return undefined;
  const p = quoted.protocol;
  // UDP and TCP both start with the two ports (the quote holds at least those 8 bytes, RFC 792).
  const portsKnown = (p === IPPROTO.UDP || p === IPPROTO.TCP) && quoted.fragOffset === 0 && quoted.payloadStart + 4 <= end;
  const srcPort = portsKnown ? buf.readUInt16BE(quoted.payloadStart + UDP.srcPort) : 0;
  const dstPort = portsKnown ? buf.readUInt16BE(quoted.payloadStart + UDP.dstPort) : 0;
  const event: IcmpEvent = {
    type: 'icmp',
    ts,
    from,
    reason,
    original: {
      protocol: p === IPPROTO.UDP ? 'udp' : p === IPPROTO.TCP ? 'tcp' : 'other',
      src: endpointAt(quoted.version, buf, quoted.srcOff, srcPort),
      dst: endpointAt(quoted.version, buf, quoted.dstOff, dstPort),
    },
  };
  if (mtu !== undefined) event.mtu = mtu;
  return event;
}
