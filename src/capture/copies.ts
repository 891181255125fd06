/**
 * Frames recorded more than once by the capturing machine, counted once. Windows `pktmon` logs a packet
 * at every networking component it passes (adapter, filter drivers, protocol), and `pktmon etl2pcap`
 * writes every one of those copies into a single Ethernet interface of the pcapng: "Pcapng format
 * doesn't distinguish between different networking components where a packet was captured" (Microsoft,
 * "pktmon etl2pcap", Windows Server docs). A port mirror of both directions does the same. Left in,
 * each copy reads as a duplicate datagram and as a TCP retransmission.
 *
 * A copy is the same IP packet (other frames: the same link type and bytes) as one of the last few frames,
 * within COPY_WINDOW_NS. Identity is checked on the length and the first FINGERPRINT bytes: for IP these
 * hold the IPv4 id and header checksum or the IPv6 flow, the ports and the UDP/TCP checksum, which differ
 * between two packets a sender really sent (a retransmission is a later frame, outside the window).
 */
import type { RecordSink } from './format.js';
import { ipOffset } from './link.js';

/** empirical: pktmon's copies of one packet are logged within microseconds of each other; 1 ms leaves room under load. */
export const COPY_WINDOW_NS = 1_000_000;
/** IPv4 (20) or IPv6 (40) + UDP/TCP ports and checksum: 64 bytes from the IP header cover the identity fields. */
const FINGERPRINT = 64;
/**
 * Copies of other packets may interleave with a packet's own copies: on a busy machine, and at a port mirror
 * whose second copy comes a few hundred µs later, after the rest of the radio's burst — at a waterfall line a
 * meter, an FFT frame, the line's 5 tiles and an audio packet leave within half a millisecond (reference §3.2:
 * 5 tiles per line at MTU 1500). Four slots missed copies 0.2 ms behind (lab: mirror copies of lanScenario,
 * 10 of 913 missed, the waterfall read 'reordered'); 16 holds two such bursts. Compared only while the
 * filter learns or drops copies: a capture without copies never reaches it.
 */
const RECENT = 16;

interface Recent {
  linkType: number;
  length: number;
  sec: number;
  nsec: number;
  bytes: Buffer;
  used: number;
}

/**
 * An IP packet's copies are compared from its IP header on: what is before it names where it was seen and
 * differs between copies. Linux cooked headers carry the interface and packet type (LINKTYPE_LINUX_SLL2,
 * LINKTYPE_LINUX_SLL — tcpdump.org linktypes): `tcpdump -i any` with the adapter a bridge port records each
 * packet once per interface. macOS PKTAP does the same with en0 in a bridge (Internet Sharing, a VM's bridged
 * adapter): its header names the interface and process (tcpdump print-pktap.c). A switch's port mirror of an
 * access port and of a trunk records each packet once untagged and once with its 802.1Q tag. A router's copy
 * differs in the IP header itself (TTL, checksum): it is no copy. Other frames are compared whole.
 */
const NOT_IP = -1;
/** `linkType` kept for an IP packet: copies seen on different link types are still copies. */
const IP_PACKET = -2;
/** Frames looked at before deciding whether this capture records copies at all. */
export const LEARN_FRAMES = 32;
/**
 * empirical: pktmon with its default three components makes 2 of 3 frames copies, two components 1 of 2;
 * a normal capture has none, or a rare pair (two identical ICMP errors from a router, a mirror's echo).
 * A quarter of the first frames sets the mode apart from the rare pair.
 */
const COPY_MODE_FRACTION = 0.25;

/**
 * The numbers of a held frame, HELD_FIELDS per frame in one Float64Array, its bytes in a slot of an
 * array made with objects in it. Per-frame object literals pushed on a fresh `[]` (an array of small
 * integers until its first push) threw away the optimised reader, where this is inlined, at the first
 * frame of every capture after the first ('not a Smi' in pcapng parse, `node --trace-deopt-verbose`):
 * a batch thread analyses many captures, and re-optimised for each.
 */
const HELD = { linkType: 0, sec: 1, nsec: 2, origLen: 3, interfaceId: 4, copy: 5 } as const;
const HELD_FIELDS = 6;
const NOTHING_HELD = Buffer.alloc(0);

/**
 * Decides on the first LEARN_FRAMES frames (held, copied) whether the capture records copies; only
 * then are copies dropped, all through the file. A capture without the pattern passes untouched, so
 * real duplicates on the wire stay visible to the analysis.
 */
export class CopyFilter implements RecordSink {
  /** Frames dropped as copies. */
  copies = 0;
  private readonly recent: Recent[] = Array.from({ length: RECENT }, () => ({ linkType: -1, length: -1, sec: 0, nsec: 0, bytes: Buffer.alloc(FINGERPRINT), used: 0 }));
  private next = 0;
  private mode: 'learning' | 'on' | 'off' = 'learning';
  /** Copies of the held frames' bytes, the first `heldCount`; their numbers are in heldNumbers. */
  private readonly held: Buffer[] = Array.from({ length: LEARN_FRAMES }, () => NOTHING_HELD);
  private heldCount = 0;
  private readonly heldNumbers = new Float64Array(LEARN_FRAMES * HELD_FIELDS);

  constructor(private readonly sink: RecordSink) {}

  record(linkType: number, sec: number, nsec: number, buf: Buffer, start: number, caplen: number, origLen: number, interfaceId: number): void {
    if (this.mode === 'off') return this.sink.record(linkType, sec, nsec, buf, start, caplen, origLen, interfaceId);
    const copy = this.isCopy(linkType, sec, nsec, buf, start, caplen, origLen);
    if (this.mode === 'on') {
      if (copy) this.copies++;
      else this.sink.record(linkType, sec, nsec, buf, start, caplen, origLen, interfaceId);
      return;
    }
    const at = this.heldCount * HELD_FIELDS;
    const n = this.heldNumbers;
    n[at + HELD.linkType] = linkType;
    n[at + HELD.sec] = sec;
    n[at + HELD.nsec] = nsec;
    n[at + HELD.origLen] = origLen;
    n[at + HELD.interfaceId] = interfaceId;
    n[at + HELD.copy] = copy ? 1 : 0;
    this.held[this.heldCount++] = Buffer.from(buf.subarray(start, start + caplen));
    if (this.heldCount >= LEARN_FRAMES) this.flush();
  }

  /** Decides on what is held and passes it on; call at the end of input too. */
  flush(): void {
    if (this.mode !== 'learning') return;
    const held = this.held.slice(0, this.heldCount);
    this.held.fill(NOTHING_HELD);
    this.heldCount = 0;
    const n = this.heldNumbers;
    const isCopy = (i: number): boolean => n[i * HELD_FIELDS + HELD.copy] === 1;
    const copies = held.filter((_, i) => isCopy(i)).length;
    this.mode = held.length > 1 && copies >= held.length * COPY_MODE_FRACTION ? 'on' : 'off';
    for (const [i, bytes] of held.entries()) {
      const at = i * HELD_FIELDS;
      if (this.mode === 'on' && isCopy(i)) this.copies++;
      else this.sink.record(n[at + HELD.linkType]!, n[at + HELD.sec]!, n[at + HELD.nsec]!, bytes, 0, bytes.length, n[at + HELD.origLen]!, n[at + HELD.interfaceId]!);
    }
  }

  private isCopy(linkType: number, sec: number, nsec: number, buf: Buffer, frameStart: number, caplen: number, origLen: number): boolean {
    const ipAt = ipOffset(linkType, buf, frameStart, frameStart + caplen);
    const skip = ipAt === NOT_IP ? 0 : ipAt - frameStart;
    const kind = ipAt === NOT_IP ? linkType : IP_PACKET;
    const length = origLen - skip;
    const start = frameStart + skip;
    const used = Math.min(caplen - skip, FINGERPRINT);
    for (const r of this.recent) {
      if (r.length !== length || r.linkType !== kind || r.used !== used) continue;
      const dt = (sec - r.sec) * 1e9 + (nsec - r.nsec);
      if (dt < 0 || dt > COPY_WINDOW_NS) continue;
      if (buf.compare(r.bytes, 0, used, start, start + used) === 0) return true;
    }
    const slot = this.recent[this.next] as Recent;
    this.next = (this.next + 1) % RECENT;
    slot.linkType = kind;
    slot.length = length;
    slot.sec = sec;
    slot.nsec = nsec;
    slot.used = used;
    buf.copy(slot.bytes, 0, start, start + used);
    return false;
  }

  /** The warning for the report, when copies were dropped. */
  warning(frames: number): string | undefined {
    if (this.copies === 0) return undefined;
    return `${this.copies} of ${frames} frames were copies of a frame recorded just before (within 1 ms, same bytes) and were counted once: Windows pktmon records a packet once per networking component, a port mirror can do the same, and so do tcpdump -i any (Linux) and PKTAP (macOS) where the adapter is a bridge port, and a mirror of an access port and a trunk`;
  }
}
