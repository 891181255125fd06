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

export type NetEvent = UdpEvent | TcpDataEvent | TcpControlEvent | TcpGapEvent | IcmpEvent;

export function formatEndpoint(e: Endpoint): string {
  return e.ip.includes(':') ? `[${e.ip}]:${e.port}` : `${e.ip}:${e.port}`;
}
