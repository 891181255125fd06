/**
 * NetEvents → a pcapng file of synthetic Ethernet/IP frames (real checksums, DF where the event says so),
 * so anything that produces events — a test scenario, the simulator, a live diagnosis — can hand a
 * support agent the capture that `flexpath analyze` reads back to the same verdict.
 *
 * TCP needs state the events do not carry (sequence numbers, the handshake): kept here per connection.
 * Large tcp-data events are cut into 1400-byte segments so tshark sees ordinary traffic.
 */
import type { Writable } from 'node:stream';
import { buildIcmpError, buildTcp, buildUdp } from './build.js';
import type { Endpoint, NetEvent } from './types.js';
import { PcapngWriter } from './writer.js';

const MSS = 1400;

interface Direction {
  seq: number;
}

interface Conn {
  a: Direction;
  b: Direction;
  /** Endpoint that opened the connection (the "a" side). */
  opener: Endpoint;
  /** Sides whose FIN was written; at two the connection is over and a new open starts afresh. */
  fins: number;
}

const key = (x: Endpoint, y: Endpoint): string => `${x.ip}:${x.port}>${y.ip}:${y.port}`;
const same = (x: Endpoint, y: Endpoint): boolean => x.ip === y.ip && x.port === y.port;

/**
 * The application name (pcapng shb_userappl) of FlexPath's recordings of what its own sockets received (a
 * live diagnosis): a socket shows no IP header, so their datagrams' Don't-Fragment bit is unknown and is
 * written clear; analyze-file.ts reads it as unknown in a file so named.
 */
export const SOCKET_RECORDING = 'FlexPath diagnose';

export class EventCaptureWriter {
  private readonly writer: PcapngWriter;
  private readonly conns = new Map<string, Conn>();
  private ipId = 1;
  /** Connections drawn so far: each gets its own initial sequence numbers. */
  private opened = 0;
  written = 0;

  constructor(target: string | Writable, application = 'FlexPath') {
    this.writer = new PcapngWriter(target, { application });
  }

  write(e: NetEvent): void {
    switch (e.type) {
      case 'udp':
        this.frame(e.ts, buildUdp({ src: e.src, dst: e.dst, payload: e.payload, df: e.df ?? false, ipId: this.nextId() }));
        return;
      case 'icmp': {
        // Quote a minimal UDP/TCP packet with the original addressing, as a router or host would.
        const original = buildUdp({ src: e.original.src, dst: e.original.dst, payload: Buffer.alloc(8), df: true });
        const reason = e.reason === 'other' ? 'host-unreachable' : e.reason;
        const icmp = buildIcmpError({ from: e.from, original, reason, ...(e.mtu !== undefined ? { mtu: e.mtu } : {}) });
        this.frame(e.ts, icmp);
        return;
      }
      case 'tcp-open': {
        // A capture's reader reports the SYN and again the SYN-ACK: the handshake drawn for the first
        // already holds the second, and drawing it again reversed would make the radio the opener.
        if (this.open(e.src, e.dst)) return;
        const c = this.conn(e.src, e.dst);
        this.frame(e.ts, buildTcp({ src: e.src, dst: e.dst, seq: c.a.seq - 1, flags: { syn: true }, df: true, ipId: this.nextId() }));
        // Unanswered: what follows, if anything, is the far end's reset (ECONNREFUSED), acknowledging the SYN.
        if (e.synOnly) return;
        this.frame(e.ts, buildTcp({ src: e.dst, dst: e.src, seq: c.b.seq - 1, ack: c.a.seq, flags: { syn: true, ack: true }, df: true, ipId: this.nextId() }));
        this.frame(e.ts, buildTcp({ src: e.src, dst: e.dst, seq: c.a.seq, ack: c.b.seq, flags: { ack: true }, df: true, ipId: this.nextId() }));
        return;
      }
      case 'tcp-data': {
        const { me, peer } = this.sides(e.src, e.dst);
        for (let o = 0; o < e.data.length; o += MSS) {
          const chunk = e.data.subarray(o, Math.min(e.data.length, o + MSS));
          this.frame(e.ts, buildTcp({ src: e.src, dst: e.dst, seq: me.seq, ack: peer.seq, flags: { ack: true, psh: true }, payload: chunk, df: true, ipId: this.nextId() }));
          me.seq = (me.seq + chunk.length) >>> 0;
        }
        return;
      }
      case 'tcp-close':
      case 'tcp-reset': {
        const { me, peer } = this.sides(e.src, e.dst);
        const flags = e.type === 'tcp-close' ? { fin: true, ack: true } : { rst: true, ack: true };
        this.frame(e.ts, buildTcp({ src: e.src, dst: e.dst, seq: me.seq, ack: peer.seq, flags, df: true, ipId: this.nextId() }));
        if (e.type === 'tcp-close') me.seq = (me.seq + 1) >>> 0;
        const c = this.conn(e.src, e.dst);
        if (e.type === 'tcp-reset' || ++c.fins >= 2) this.forget(e.src, e.dst);
        return;
      }
      case 'udp-incomplete':
        // A datagram the reader could not reassemble: its fragments are not kept, so a recording has none of it.
        return;
      case 'tcp-gap': {
        // A hole in the stream: advance the sequence without writing the bytes, as a lossy capture shows.
        const { me } = this.sides(e.src, e.dst);
        me.seq = (me.seq + e.missingBytes) >>> 0;
        return;
      }
    }
  }

  /** Everything written so far is in the file when this resolves; writing may go on. */
  sync(): Promise<void> {
    return this.writer.sync();
  }

  close(): Promise<void> {
    return this.writer.close();
  }

  private frame(ts: number, frame: Buffer): void {
    this.writer.write(ts, frame);
    this.written++;
  }

  private nextId(): number {
    this.ipId = (this.ipId + 1) & 0xffff;
    return this.ipId;
  }

  private open(src: Endpoint, dst: Endpoint): boolean {
    return this.conns.has(key(src, dst)) || this.conns.has(key(dst, src));
  }

  private forget(src: Endpoint, dst: Endpoint): void {
    this.conns.delete(key(src, dst));
    this.conns.delete(key(dst, src));
  }

  private conn(src: Endpoint, dst: Endpoint): Conn {
    const k = key(src, dst);
    let c = this.conns.get(k) ?? this.conns.get(key(dst, src));
    if (!c) {
      // Deterministic initial sequence numbers keep generated captures byte-identical run to run.
      const isn = (this.opened++ * 7919 + 1000) >>> 0;
      c = { a: { seq: isn + 1 }, b: { seq: isn + 500_001 }, opener: { ...src }, fins: 0 };
      this.conns.set(k, c);
    }
    return c;
  }

  private sides(src: Endpoint, dst: Endpoint): { me: Direction; peer: Direction } {
    const c = this.conn(src, dst);
    return same(src, c.opener) ? { me: c.a, peer: c.b } : { me: c.b, peer: c.a };
  }
}
