/**
 * Link layers: where the IP packet starts inside a captured frame. Layouts from the tcpdump.org
 * LINKTYPE registry (https://www.tcpdump.org/linktypes.html) and its per-type pages (LINKTYPE_LINUX_SLL,
 * LINKTYPE_LINUX_SLL2, LINKTYPE_NULL/LOOP); VLAN tags per IEEE 802.1Q / 802.1ad.
 */
import { u16be, u32be, u32le } from '../common/bytes.js';

export const LINKTYPE = {
  NULL: 0,
  ETHERNET: 1,
  RAW: 101,
  LOOP: 108,
  LINUX_SLL: 113,
  IPV4: 228,
  IPV6: 229,
  LINUX_SLL2: 276,
} as const;

const ETHERTYPE_IPV4 = 0x0800;
const ETHERTYPE_IPV6 = 0x86dd;
const ETHERTYPE_VLAN = 0x8100;
const ETHERTYPE_QINQ = 0x88a8;
/** Pre-standard QinQ tag some switches still emit. */
const ETHERTYPE_QINQ_OLD = 0x9100;
/** More stacked tags than this is not a real frame. */
const MAX_VLAN_TAGS = 4;

/** BSD address-family values for IPv4/IPv6 in NULL/LOOP headers (IPv6 differs per OS: 10 Linux, 24 NetBSD/OpenBSD, 28 FreeBSD, 30 macOS). */
function isInetFamily(af: number): boolean {
  return af === 2 || af === 10 || af === 24 || af === 28 || af === 30;
}

function ipByEthertype(type: number, off: number): number {
  return type === ETHERTYPE_IPV4 || type === ETHERTYPE_IPV6 ? off : -1;
}

/**
 * Offset of the IP header inside the frame buf[start, end), or -1 when the frame does not carry IPv4/IPv6
 * (ARP, LLC, unknown link type, too short). The IP version is then read from the IP header itself.
 */
export function ipOffset(linkType: number, buf: Buffer, start: number, end: number): number {
  switch (linkType) {
    case LINKTYPE.ETHERNET: {
      if (end - start < 14) return -1;
      let off = start + 12;
      let type = u16be(buf, off);
      for (let tags = 0; (type === ETHERTYPE_VLAN || type === ETHERTYPE_QINQ || type === ETHERTYPE_QINQ_OLD) && tags < MAX_VLAN_TAGS; tags++) {
        off += 4;
        if (off + 2 > end) return -1;
        type = u16be(buf, off);
      }
      return ipByEthertype(type, off + 2);
    }
    case LINKTYPE.RAW:
    case LINKTYPE.IPV4:
    case LINKTYPE.IPV6:
      return end > start ? start : -1;
    case LINKTYPE.NULL: {
      // Host byte order of the capturing machine: accept either.
      if (end - start < 4) return -1;
      const af = u32le(buf, start);
      return isInetFamily(af) || isInetFamily(u32be(buf, start)) ? start + 4 : -1;
    }
    case LINKTYPE.LOOP:
      if (end - start < 4) return -1;
      return isInetFamily(u32be(buf, start)) ? start + 4 : -1;
    case LINKTYPE.LINUX_SLL:
      // packet type(2) ARPHRD(2) address length(2) address(8) protocol(2)
      if (end - start < 16) return -1;
      return ipByEthertype(u16be(buf, start + 14), start + 16);
    case LINKTYPE.LINUX_SLL2:
      // protocol(2) reserved(2) interface index(4) ARPHRD(2) packet type(1) address length(1) address(8)
      if (end - start < 20) return -1;
      return ipByEthertype(u16be(buf, start), start + 20);
    default:
      return -1;
  }
}

export function isSupportedLinkType(linkType: number): boolean {
  return (Object.values(LINKTYPE) as number[]).includes(linkType);
}
