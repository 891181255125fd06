/**
 * Turns captured frames into NetEvents: link layer → IP (with fragment reassembly) → UDP / TCP stream /
 * ICMP error. One instance per capture; it keeps the TCP and fragment state.
 *
 * Hot path (a UDP datagram in an unfragmented IPv4 packet): no copies, no strings built, one event
 * object; `payload` is a view into the reader's buffer, valid only while the sink runs.
 */
import { endpointAt, ipv4Text, ipv6Text } from './addr.js';
import { u16be, u32be } from '../common/bytes.js';
import { DEFAULT_REASSEMBLY_BUDGET, ReassemblyBudget } from './budget.js';
import type { RecordSink } from './format.js';
import { decodeIcmp } from './icmp.js';
import { DEFAULT_DEFRAG_LIMITS, type DefragLimits, Defragmenter, IPPROTO, type IncompleteDatagram, type IpProblem, decodeIp, newIpView } from './ip.js';
import { TCP, UDP, tcpHeaderBytes } from './l4.js';
import { ipOffset, isSupportedLinkType } from './link.js';
import { DEFAULT_TCP_LIMITS, TCP_FLAG, type TcpLimits, TcpReassembler } from './tcp.js';
import { type Endpoint, INCOMPLETE_HEAD_BYTES, type NetEvent } from './types.js';
import { bufferView } from '../common/bytes.js';

export interface DissectOptions {
  tcp?: TcpLimits;
  defrag?: DefragLimits;
  /** Bytes held at once by IP and TCP reassembly together (default DEFAULT_REASSEMBLY_BUDGET). */
  reassemblyBytes?: number;
  /** A budget shared with the consumer of the events (the analysis's held API lines); overrides reassemblyBytes. */
  budget?: ReassemblyBudget;
}

/**
 * A frame this much older than the latest one is a clock set back, not frames reordered between capture
 * buffers: ntpd steps the clock only when its offset exceeds 128 ms, and slews it below that (ntpd's
 * default step threshold, `tinker step 0.128`, ntp.org ntpd documentation).
 */
const CLOCK_STEP_BACK_S = 0.128;

const NO_BYTES = Buffer.alloc(0);

/** IP header bytes in front of a fragment's payload: IPv4 without options (RFC 791), IPv6 with its fragment header (RFC 8200 §4.5). */
const FRAGMENT_HEADER = { 4: 20, 6: 48 } as const;

/**
 * The UDP datagram a fragment key (built in Dissector.frame: source > destination # id / protocol, IPv4
 * addresses as 32-bit numbers) stood for, when it never completed: undefined for other protocols.
 */
function incompleteUdp(d: IncompleteDatagram): NetEvent | undefined {
  const hash = d.key.lastIndexOf('#');
  if (Number(d.key.slice(d.key.lastIndexOf('/') + 1)) !== IPPROTO.UDP) return undefined;
  const [a = '', b = ''] = d.key.slice(0, hash).split('>');
  const v4 = !a.includes(':');
  const text = (x: string): string => {
    if (!v4) return x;
    const n = Number(x);
    return `${n >>> 24}.${(n >>> 16) & 255}.${(n >>> 8) & 255}.${n & 255}`;
  };
  const udp = d.head(UDP.bytes + INCOMPLETE_HEAD_BYTES);
  const whole = udp.length >= UDP.bytes;
  const src: Endpoint = { ip: text(a), port: whole ? u16be(udp, UDP.srcPort) : 0 };
  const dst: Endpoint = { ip: text(b), port: whole ? u16be(udp, UDP.dstPort) : 0 };
  const header = FRAGMENT_HEADER[v4 ? 4 : 6];
  return {
    type: 'udp-incomplete',
    ts: d.firstTs,
    src,
    dst,
    head: whole ? udp.subarray(UDP.bytes) : NO_BYTES,
    fragments: d.fragments,
    largestFragment: header + d.largest,
    ...(d.total >= 0 ? { ipLength: (v4 ? 20 : 40) + d.total } : {}),
  };
}

type Problem = IpProblem | 'udp-header' | 'tcp-header';

const PROBLEM_TEXT: Record<Problem, string> = {
  'ip-version': 'not IPv4/IPv6',
  'ipv4-header': 'bad IPv4 header',
  'ipv6-header': 'bad IPv6 header',
  'ipv6-ext-header': 'bad IPv6 extension header',
  'udp-header': 'truncated UDP header',
  'tcp-header': 'bad TCP header',
};

export class Dissector implements RecordSink {
  packets = 0;
  /** Frames on a link layer or ethertype that carries no IP (ARP, LLDP, …); not an error. */
  nonIp = 0;
  firstTs = NaN;
  lastTs = NaN;
  /**
   * UDP/TCP packets whose IP length exceeds the bytes captured (a snapshot length: tcpdump -s, Wireshark's
   * "limit each packet"), how many of them UDP, and the longest such frame as captured (≈ the snapshot length).
   */
  readonly truncated = { packets: 0, udp: 0, snaplen: 0 };
  /** IP fragments the snapshot length cut short: not reassembled (their bytes are partial), counted apart from invalid ones. */
  private fragmentsCut = 0;
  /** Frames on link types this reader does not decode, per link type, with the first one's packet number. */
  readonly unreadLinks = new Map<number, { frames: number; firstPacket: number }>();
  /** Backward clock steps seen (see CLOCK_STEP_BACK_S), and the first one. */
  readonly clockSteps: { count: number; first?: { packet: number; backS: number } } = { count: 0 };
  /** Seconds added to every timestamp since the clock steps seen so far. */
  private clockShift = 0;
  private readonly ip = newIpView();
  private readonly tcp: TcpReassembler;
  private readonly defrag: Defragmenter;
  private readonly defragLimits: DefragLimits;
  /** One budget for IP fragments and TCP segments waiting behind holes. */
  readonly budget: ReassemblyBudget;
  private readonly problems = new Map<Problem, { count: number; firstPacket: number }>();

  constructor(
    private readonly sink: (e: NetEvent) => void,
    opts: DissectOptions = {},
  ) {
    this.budget = opts.budget ?? new ReassemblyBudget(opts.reassemblyBytes ?? DEFAULT_REASSEMBLY_BUDGET);
    this.tcp = new TcpReassembler(sink, opts.tcp ?? DEFAULT_TCP_LIMITS, this.budget);
    this.defragLimits = opts.defrag ?? DEFAULT_DEFRAG_LIMITS;
    // A datagram dropped incomplete is told once, off the hot path (its fragments' keys were made anyway).
    this.defrag = new Defragmenter(this.defragLimits, this.budget, (d) => {
      const e = incompleteUdp(d);
      if (e !== undefined) sink(e);
    });
  }

  record(linkType: number, sec: number, nsec: number, buf: Buffer, start: number, caplen: number): void {
    let ts = sec + nsec / 1e9 + this.clockShift;
    if (this.packets++ === 0) this.firstTs = this.lastTs = ts;
    else if (ts < this.lastTs - CLOCK_STEP_BACK_S) ts = this.clockStepped(ts);
    if (ts > this.lastTs) this.lastTs = ts;
    this.frame(linkType, ts, buf, start, start + caplen);
  }

  /**
   * The capturing machine's clock was set back (an NTP step, or captures merged out of order): the frames
   * after it are moved forward so that time goes on from the latest frame, and intervals stay right.
   * Otherwise every stream shows a negative gap there, read as a silence, loss or a counter wrap.
   */
  private clockStepped(ts: number): number {
    const back = this.lastTs - ts;
    this.clockShift += back;
    if (this.clockSteps.count++ === 0) this.clockSteps.first = { packet: this.packets, backS: back };
    return this.lastTs;
  }

  private unreadLink(linkType: number): void {
    const seen = this.unreadLinks.get(linkType);
    if (seen) seen.frames++;
    else this.unreadLinks.set(linkType, { frames: 1, firstPacket: this.packets });
  }

  /** One link-layer frame in buf[start, end). */
  frame(linkType: number, ts: number, buf: Buffer, start: number, end: number): void {
    const off = ipOffset(linkType, buf, start, end);
    if (off < 0) {
      this.nonIp++;
      if (!isSupportedLinkType(linkType)) this.unreadLink(linkType);
      return;
    }
    const ip = this.ip;
    const problem = decodeIp(buf, off, end, ip);
    if (problem !== null) {
      this.problem(problem);
      return;
    }
    const cut = off + ip.totalLength - end;
    if (cut > 0 && (ip.protocol === IPPROTO.UDP || ip.protocol === IPPROTO.TCP)) {
      this.truncated.packets++;
      if (ip.protocol === IPPROTO.UDP) this.truncated.udp++;
      this.truncated.snaplen = Math.max(this.truncated.snaplen, end - start);
    }
    if (!ip.isFragment) {
      this.transport(ts, buf, buf, ip.payloadStart, ip.payloadEnd, ip.totalLength, cut > 0 ? cut : 0);
      return;
    }
    if (cut > 0) {
      // Part of its bytes were never captured: reassembled, it would leave a hole or a wrong end.
      this.fragmentsCut++;
      return;
    }
    const key =
      ip.version === 4
        ? `${buf.readUInt32BE(ip.srcOff)}>${buf.readUInt32BE(ip.dstOff)}#${ip.fragId}/${ip.protocol}`
        : `${ipv6Text(buf, ip.srcOff)}>${ipv6Text(buf, ip.dstOff)}#${ip.fragId}/${ip.protocol}`;
    const whole = this.defrag.add(key, ts, ip.fragOffset, ip.moreFragments, buf.subarray(ip.payloadStart, ip.payloadEnd));
    if (whole !== undefined) this.transport(ts, buf, whole, 0, whole.length, ip.headerLength + whole.length, 0);
  }

  /**
   * The upper layer of the packet described by this.ip: addresses are read from `addrBuf`, the payload
   * is l4[start, end) (the frame itself, or a reassembled copy), and `cut` more bytes the capture did not keep.
   */
  private transport(ts: number, addrBuf: Buffer, l4: Buffer, start: number, end: number, ipLength: number, cut: number): void {
    const ip = this.ip;
    switch (ip.protocol) {
      case IPPROTO.UDP: {
        if (end - start < UDP.bytes) {
          this.problem('udp-header');
          return;
        }
        const udpLength = u16be(l4, start + UDP.length);
        const payloadEnd = udpLength >= UDP.bytes && start + udpLength < end ? start + udpLength : end;
        this.sink({
          type: 'udp',
          ts,
          src: endpointAt(ip.version, addrBuf, ip.srcOff, u16be(l4, start + UDP.srcPort)),
          dst: endpointAt(ip.version, addrBuf, ip.dstOff, u16be(l4, start + UDP.dstPort)),
          payload: bufferView(l4, start + UDP.bytes, payloadEnd),
          df: ip.df,
          ipLength,
        });
        return;
      }
      case IPPROTO.TCP: {
        // A snapshot length may cut the header's options too: the fields up to the flags still place the
        // segment, and the IP length says how much data it carried.
        const captured = end - start;
        const dataOff = captured > TCP.flags ? tcpHeaderBytes(l4, start) : 0;
        if (dataOff < TCP.bytes || dataOff > captured + cut) {
          this.problem('tcp-header');
          return;
        }
        const flags = l4[start + TCP.flags]!;
        this.tcp.segment(
          ts,
          endpointAt(ip.version, addrBuf, ip.srcOff, u16be(l4, start + TCP.srcPort)),
          endpointAt(ip.version, addrBuf, ip.dstOff, u16be(l4, start + TCP.dstPort)),
          u32be(l4, start + TCP.seq),
          flags,
          // Most segments of a connection flood carry nothing (SYN, ACK): no view made for them. A
          // FastBuffer (subarray), not a bufferView, as the reassembler's own are: seeing both kinds, the
          // line splitter's emit took 4x its self time (tcp-holes 300 MB, --cpu-prof: 124 -> 523 ms).
          dataOff >= captured ? NO_BYTES : l4.subarray(start + dataOff, end),
          flags & TCP_FLAG.ACK ? u32be(l4, start + TCP.ack) : -1,
          dataOff > captured ? captured + cut - dataOff : cut,
        );
        return;
      }
      case IPPROTO.ICMP:
      case IPPROTO.ICMPV6: {
        if ((ip.protocol === IPPROTO.ICMP) !== (ip.version === 4)) return;
        const from = ip.version === 4 ? ipv4Text(addrBuf, ip.srcOff) : ipv6Text(addrBuf, ip.srcOff);
        const e = decodeIcmp(ip.version, l4, start, end, from, ts);
        if (e !== undefined) this.sink(e);
        return;
      }
      default:
        return;
    }
  }

  private problem(p: Problem): void {
    const seen = this.problems.get(p);
    if (seen === undefined) this.problems.set(p, { count: 1, firstPacket: this.packets });
    else seen.count++;
  }

  /** End of the capture: open TCP holes and unfinished fragments are settled; returns summary warnings. */
  finish(): string[] {
    this.tcp.finish(Number.isNaN(this.lastTs) ? 0 : this.lastTs);
    this.defrag.finish();
    const out: string[] = [];
    for (const [p, { count, firstPacket }] of this.problems) {
      out.push(`${count} packet(s) skipped: ${PROBLEM_TEXT[p]} (first: packet #${firstPacket})`);
    }
    const step = this.clockSteps.first;
    if (step) {
      out.push(
        `the capture's clock went back ${step.backS.toFixed(3)} s at packet #${step.packet}${this.clockSteps.count > 1 ? ` (and ${this.clockSteps.count - 1} more time(s))` : ''} — an NTP step or captures merged out of order: the frames after it are moved forward so time goes on from there`,
      );
    }
    const c = this.defrag.counters;
    if (c.incomplete > 0) out.push(`${c.incomplete} fragmented IP datagram(s) never completed (fragments lost or outside reassembly limits)`);
    if (c.overlapping > 0) out.push(`${c.overlapping} IP fragment(s) overlapped earlier ones (earlier bytes kept)`);
    if (this.fragmentsCut > 0) out.push(`${this.fragmentsCut} IP fragment(s) cut short by the capture's snapshot length (${this.truncated.snaplen} B): their datagrams cannot be reassembled`);
    if (c.invalid > 0) out.push(`${c.invalid} IP fragment(s) invalid (beyond 65535 bytes or inconsistent end)`);
    if (c.tooManyFragments > 0) out.push(`${c.tooManyFragments} IP datagram(s) dropped: more than ${this.defragLimits.maxFragments} fragments each`);
    out.push(...this.budget.warnings());
    return out;
  }
}
