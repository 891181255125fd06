/**
 * Link layers: where the IP packet starts inside a captured frame. Layouts from the tcpdump.org
 * LINKTYPE registry (https://www.tcpdump.org/linktypes.html) and its per-type pages (LINKTYPE_LINUX_SLL,
 * LINKTYPE_LINUX_SLL2, LINKTYPE_NULL/LOOP, LINKTYPE_PKTAP); VLAN tags per IEEE 802.1Q / 802.1ad.
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
  /** Apple PKTAP: macOS `tcpdump -i pktap` (and its default interface) writes it. */
  PKTAP: 258,
  /**
   * DLT_RAW's own value, 12 (14 on OpenBSD): files should carry LINKTYPE_RAW (101), but writers that copy
   * the DLT into the file header put 12 or 14 there, and Wireshark reads both as raw IP (Guy Harris,
   * wireshark-dev 2021-09 "DLT_RAW is defined as 14 on OpenBSD and 12 on all other platforms").
   */
  DLT_RAW: 12,
  DLT_RAW_OPENBSD: 14,
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
    case LINKTYPE.DLT_RAW:
    case LINKTYPE.DLT_RAW_OPENBSD:
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
    case LINKTYPE.PKTAP:
      return pktapIpOffset(buf, start, end);
    default:
      return -1;
  }
}

/** PKTAP record type of a packet (the other, 0, carries none): tcpdump print-pktap.c PKT_REC_PACKET. */
const PKTAP_RECORD_PACKET = 1;
/** The fixed part of the PKTAP header up to the fields read here (length, record type, inner DLT). */
const PKTAP_MIN_HEADER = 12;

/**
 * PKTAP (tcpdump.org LINKTYPE_PKTAP; tcpdump print-pktap.c): a header in little-endian order — its own
 * length (4), record type (4), the DLT of the frame that follows (4), interface name, process … — then the
 * interface's own frame (Ethernet on en0, NULL on lo0, raw IP on utun). A PKTAP inside PKTAP is not a frame.
 */
function pktapIpOffset(buf: Buffer, start: number, end: number): number {
  if (end - start < PKTAP_MIN_HEADER) return -1;
  const length = u32le(buf, start);
  if (length < PKTAP_MIN_HEADER || length > end - start || u32le(buf, start + 4) !== PKTAP_RECORD_PACKET) return -1;
  const inner = u32le(buf, start + 8);
  return inner === LINKTYPE.PKTAP ? -1 : ipOffset(inner, buf, start + length, end);
}

const SUPPORTED = new Set<number>(Object.values(LINKTYPE));

export function isSupportedLinkType(linkType: number): boolean {
  return SUPPORTED.has(linkType);
}

/**
 * What the link types a capture of a radio session is likely to be in, but FlexPath does not read, are
 * (tcpdump.org LINKTYPE registry): mostly Wi-Fi captured in monitor mode (macOS Wireless Diagnostics'
 * sniffer, Wireshark's monitor-mode checkbox), whose data frames are 802.11 and usually encrypted.
 */
const UNREAD_NAMES: Readonly<Record<number, string>> = {
  9: 'PPP',
  105: 'IEEE 802.11 radio frames: a Wi-Fi capture in monitor mode',
  119: 'Prism 802.11 radio frames: a Wi-Fi capture in monitor mode',
  127: 'IEEE 802.11 radio frames with radiotap: a Wi-Fi capture in monitor mode',
  163: 'AVS 802.11 radio frames: a Wi-Fi capture in monitor mode',
  192: 'PPI 802.11 radio frames: a Wi-Fi capture in monitor mode',
  239: 'Linux NFLOG',
  252: 'Wireshark upper-layer PDUs (an export, not packets)',
};

/** 'link type 127 (IEEE 802.11 radio frames with radiotap: …)', or the number alone for the others. */
export function linkTypeText(linkType: number): string {
  const name = UNREAD_NAMES[linkType];
  return name === undefined ? `link type ${linkType}` : `link type ${linkType} (${name})`;
}
