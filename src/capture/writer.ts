/**
 * Streaming capture writers (pcapng: SHB + IDB(s) + EPBs; classic pcap) to a file path or a Writable.
 * Blocks are encoded straight into a 1 MiB staging buffer that is handed to the stream when full, so
 * writing allocates per chunk, not per packet.
 *
 * Timestamps: a number is seconds since the epoch; a bigint is nanoseconds since the epoch (exact).
 */
import { createWriteStream } from 'node:fs';
import { endianness } from 'node:os';
import type { Writable } from 'node:stream';
import { LINKTYPE } from './link.js';
import { pcapHeader, pcapRecord } from './pcap.js';
import { OPT, epb, idb, opt, shb, ticksPerSecond } from './pcapng.js';
import { secNsec, toTicks } from './timestamp.js';

const STAGE = 1024 * 1024;
const HOST_LE = endianness() === 'LE';

/** Where bytes go: a path (created/truncated, closed by close()) or a stream (left open unless endStream). */
export type CaptureTarget = string | Writable;

class Output {
  private readonly stream: Writable;
  private readonly owned: boolean;
  private stage = Buffer.allocUnsafe(STAGE);
  private used = 0;
  private error: Error | undefined;
  private needsDrain = false;

  constructor(target: CaptureTarget, endStream: boolean) {
    this.owned = typeof target === 'string' || endStream;
    this.stream = typeof target === 'string' ? createWriteStream(target) : target;
    this.stream.on('error', (err: Error) => {
      this.error ??= err;
    });
  }

  /** Room for `n` bytes at the returned offset of this.buffer; call commit(n) after filling it. */
  reserve(n: number): number {
    if (this.error !== undefined) throw this.error;
    if (this.used + n > this.stage.length) {
      this.flush();
      if (n > this.stage.length) this.stage = Buffer.allocUnsafe(n);
    }
    return this.used;
  }

  get buffer(): Buffer {
    return this.stage;
  }

  commit(n: number): boolean {
    this.used += n;
    if (this.used >= STAGE) this.flush();
    return !this.needsDrain;
  }

  private flush(): void {
    if (this.used === 0) return;
    const chunk = this.stage.subarray(0, this.used);
    // The stream keeps `chunk` until written, so staging continues in a fresh buffer.
    this.stage = Buffer.allocUnsafe(STAGE);
    this.used = 0;
    if (!this.stream.write(chunk)) this.needsDrain = true;
  }

  async drain(): Promise<void> {
    this.flush();
    if (!this.needsDrain) return;
    await new Promise<void>((resolve, reject) => {
      this.stream.once('drain', resolve);
      this.stream.once('error', reject);
    });
    this.needsDrain = false;
  }

  /** Resolves once everything written so far has reached the target (the file can be read while writing goes on). */
  async sync(): Promise<void> {
    this.flush();
    if (this.error !== undefined) throw this.error;
    if (this.stream.writableEnded) return;
    // Writes complete in order: an empty one completes after every byte before it.
    await new Promise<void>((resolve, reject) => this.stream.write(Buffer.alloc(0), (err) => (err ? reject(err) : resolve())));
  }

  async close(): Promise<void> {
    this.flush();
    if (this.owned) {
      await new Promise<void>((resolve, reject) => {
        this.stream.once('error', reject);
        this.stream.end(() => resolve());
      });
    } else if (this.needsDrain) {
      await this.drain();
    }
    if (this.error !== undefined) throw this.error;
  }
}

interface InterfaceSpec {
  linkType: number;
  name?: string;
  /** 0 = no limit (default). */
  snaplen?: number;
  /** if_tsresol byte: 9 = nanoseconds (default), 6 = microseconds, 0x80|n = 2^-n s. */
  tsresol?: number;
}

export interface PcapngWriterOptions {
  /** One interface of this link type (default Ethernet) unless `interfaces` is given. */
  linkType?: number;
  interfaces?: InterfaceSpec[];
  /** Default: this machine's byte order. */
  littleEndian?: boolean;
  /** shb_userappl. */
  application?: string;
  /** End a Writable target on close (files are always closed). */
  endStream?: boolean;
}

export interface PacketOptions {
  interfaceId?: number;
  /** Length on the wire when the frame was cut (default: the frame's length). */
  originalLength?: number;
}

export class PcapngWriter {
  private readonly out: Output;
  private readonly le: boolean;
  private readonly ticks: number[];

  constructor(target: CaptureTarget, opts: PcapngWriterOptions = {}) {
    this.out = new Output(target, opts.endStream === true);
    this.le = opts.littleEndian ?? HOST_LE;
    const ifaces = opts.interfaces ?? [{ linkType: opts.linkType ?? LINKTYPE.ETHERNET }];
    this.ticks = ifaces.map((i) => {
      const t = ticksPerSecond(i.tsresol ?? 9);
      if (t === undefined) throw new Error(`if_tsresol 0x${(i.tsresol ?? 9).toString(16)} is not supported`);
      return t;
    });
    const section = {
      littleEndian: this.le,
      versionMajor: 1,
      versionMinor: 0,
      sectionLength: -1n,
      options: [opt.string(OPT.SHB_USERAPPL, opts.application ?? 'FlexPath')],
    };
    this.block(shb.encodingLength(section), (b, at) => shb.encode(section, b, at));
    for (const i of ifaces) {
      const options = [opt.u8(OPT.IF_TSRESOL, i.tsresol ?? 9)];
      if (i.name !== undefined) options.unshift(opt.string(OPT.IF_NAME, i.name));
      const d = { linkType: i.linkType, snaplen: i.snaplen ?? 0, options };
      this.block(idb.encodingLength(d), (b, at) => idb.encode(d, this.le, b, at));
    }
  }

  /** Appends one packet. Returns false when the target is backed up: await drain() before writing more. */
  write(ts: number | bigint, frame: Buffer, opts: PacketOptions = {}): boolean {
    const interfaceId = opts.interfaceId ?? 0;
    const tps = this.ticks[interfaceId];
    if (tps === undefined) throw new Error(`interface ${interfaceId} was not declared`);
    const [sec, nsec] = secNsec(ts);
    const [tsHigh, tsLow] = toTicks(sec, nsec, tps);
    const p = { interfaceId, tsHigh, tsLow, originalLength: opts.originalLength ?? frame.length, data: frame, options: [] };
    return this.block(epb.encodingLength(p), (b, at) => epb.encode(p, this.le, b, at));
  }

  /** Appends an already encoded block (name resolution, statistics, custom) in this writer's byte order. */
  writeBlock(encode: (littleEndian: boolean) => Buffer): boolean {
    const bytes = encode(this.le);
    return this.block(bytes.length, (b, at) => bytes.copy(b, at));
  }

  get littleEndian(): boolean {
    return this.le;
  }

  drain(): Promise<void> {
    return this.out.drain();
  }

  /** Everything written so far is in the target when this resolves; writing may go on. */
  sync(): Promise<void> {
    return this.out.sync();
  }

  close(): Promise<void> {
    return this.out.close();
  }

  private block(length: number, encode: (b: Buffer, at: number) => void): boolean {
    const at = this.out.reserve(length);
    encode(this.out.buffer, at);
    return this.out.commit(length);
  }
}

export interface PcapWriterOptions {
  linkType?: number;
  /** Nanosecond timestamps (magic 0xA1B23C4D). Default false (microseconds). */
  nanosecond?: boolean;
  littleEndian?: boolean;
  /** Default 262144, what tcpdump writes. */
  snaplen?: number;
  endStream?: boolean;
}

export class PcapWriter {
  private readonly out: Output;
  private readonly le: boolean;
  private readonly ns: boolean;

  constructor(target: CaptureTarget, opts: PcapWriterOptions = {}) {
    this.out = new Output(target, opts.endStream === true);
    this.le = opts.littleEndian ?? HOST_LE;
    this.ns = opts.nanosecond === true;
    const h = {
      littleEndian: this.le,
      nanosecond: this.ns,
      versionMajor: 2,
      versionMinor: 4,
      thiszone: 0,
      sigfigs: 0,
      snaplen: opts.snaplen ?? 262_144,
      linkType: opts.linkType ?? LINKTYPE.ETHERNET,
      linkTypeFlags: 0,
    };
    const at = this.out.reserve(pcapHeader.encodingLength);
    pcapHeader.encode(h, this.out.buffer, at);
    this.out.commit(pcapHeader.encodingLength);
  }

  write(ts: number | bigint, frame: Buffer, opts: Omit<PacketOptions, 'interfaceId'> = {}): boolean {
    const [sec, nsec] = secNsec(ts);
    const frac = this.ns ? nsec : Math.floor(nsec / 1000);
    const record = { sec, frac, origLen: opts.originalLength ?? frame.length, data: frame };
    const length = pcapRecord.encodingLength(record);
    const at = this.out.reserve(length);
    pcapRecord.encode(record, this.le, this.out.buffer, at);
    return this.out.commit(length);
  }

  drain(): Promise<void> {
    return this.out.drain();
  }

  close(): Promise<void> {
    return this.out.close();
  }
}
