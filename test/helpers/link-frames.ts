/** Link-layer frames other capture tools write, built around a frame for tests. */

/** Apple's struct pktap_header is 108 bytes (pth_length says so in every record). */
const PKTAP_HEADER = 108;
/** Offsets in struct pktap_header (xnu bsd/net/pktap.h): pth_ifname[24] at 12, pth_ifunit at 81. */
const IFNAME = 12;
const IFUNIT = 81;

/**
 * A frame as macOS PKTAP (LINKTYPE_PKTAP, 258) records it (tcpdump print-pktap.c): little-endian header
 * length, record type 1 (packet), the inner frame's DLT, the interface name and unit, then the frame.
 */
export function pktap(innerDlt: number, ifname: string, frame: Buffer, unit = 0): Buffer {
  const h = Buffer.alloc(PKTAP_HEADER);
  h.writeUInt32LE(PKTAP_HEADER, 0);
  h.writeUInt32LE(1, 4);
  h.writeUInt32LE(innerDlt, 8);
  h.write(ifname, IFNAME, 'latin1');
  h.writeUInt32LE(unit, IFUNIT);
  return Buffer.concat([h, frame]);
}
