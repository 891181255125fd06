/**
 * What every packet source yields (DESIGN.md §3): pcap/pcapng files, the live UDP socket, a tcpdump
 * pipe, the simulator. The analysis consumes only these events, so there is one pipeline for all.
 */

export interface Endpoint {
  /** Dotted IPv4 or RFC 5952 IPv6 text. */
  ip: string;
  port: number;
}

export interface UdpEvent {
  type: 'udp';
  /** Seconds since the Unix epoch, fractional. */
  ts: number;
  src: Endpoint;
  dst: Endpoint;
  payload: Buffer;
  /** IPv4 Don't-Fragment bit; undefined when the source cannot see IP headers (live socket). */
  df?: boolean;
  /** Length of the IP packet that carried it (after reassembly), when known. */
  ipLength?: number;
}

/** In-order bytes of one direction of a TCP connection, after reassembly. */
export interface TcpDataEvent {
  type: 'tcp-data';
  ts: number;
  src: Endpoint;
  dst: Endpoint;
  data: Buffer;
  /**
   * When the capture saw these bytes, if not `ts`: bytes held behind a hole the capture never filled (it
   * missed or cut the bytes before them) are handed on late, but reached the receiver when they arrived.
   */
  arrivedTs?: number;
}

export interface TcpControlEvent {
  type: 'tcp-open' | 'tcp-close' | 'tcp-reset';
  ts: number;
  src: Endpoint;
  dst: Endpoint;
  /**
   * tcp-open only: a SYN that no SYN-ACK answered (a live connect that failed — refused, unreachable, timed
   * out), so a recording draws the SYN alone rather than a handshake that never happened.
   */
  synOnly?: boolean;
}

/** Bytes that never arrived in a TCP direction (capture loss): the text stream resumes after a hole. */
export interface TcpGapEvent {
  type: 'tcp-gap';
  ts: number;
  src: Endpoint;
  dst: Endpoint;
  missingBytes: number;
  /** The missing bytes passed the capture point before this time (when what follows them arrived), if known. */
  beforeTs?: number;
}

export type IcmpReason = 'port-unreachable' | 'frag-needed' | 'host-unreachable' | 'net-unreachable' | 'admin-prohibited' | 'other';

/** ICMP/ICMPv6 destination unreachable / packet too big, with the packet it refers to. */
export interface IcmpEvent {
  type: 'icmp';
  ts: number;
  /** Who sent the ICMP message. */
  from: string;
  reason: IcmpReason;
  /** Next-hop MTU for frag-needed / packet-too-big. */
  mtu?: number;
  /** The offending packet's addressing, from the quoted header. */
  original: { protocol: 'udp' | 'tcp' | 'other'; src: Endpoint; dst: Endpoint };
}

/**
 * A fragmented UDP datagram that never completed (IPv4 RFC 791 §3.2, IPv6 RFC 8200 §4.5): dropped by the
 * reassembly at its timeout, its limits or the end of the capture. Emitted once per datagram when it is
 * dropped, so `ts` (its first fragment's arrival) may be earlier than events already emitted.
 */
export interface UdpIncompleteEvent {
  type: 'udp-incomplete';
  ts: number;
  /** Ports 0 when the first fragment, which holds the UDP header, never arrived. */
  src: Endpoint;
  dst: Endpoint;
  /** The first bytes of the UDP payload when the first fragment arrived (at most INCOMPLETE_HEAD_BYTES), else empty. */
  head: Buffer;
  /** Fragments that arrived. */
  fragments: number;
  /** IP length of the largest fragment that arrived: what the link that fragmented it carried. */
  largestFragment: number;
  /** IP length of the whole datagram, when its last fragment arrived. */
  ipLength?: number;
}

/** Bytes of an incomplete datagram's UDP payload its event keeps: a VITA-49 header with class ID and timestamps (reference §1.2). */
export const INCOMPLETE_HEAD_BYTES = 28;

export type NetEvent = UdpEvent | TcpDataEvent | TcpControlEvent | TcpGapEvent | IcmpEvent | UdpIncompleteEvent;

export function formatEndpoint(e: Endpoint): string {
  return e.ip.includes(':') ? `[${e.ip}]:${e.port}` : `${e.ip}:${e.port}`;
}
