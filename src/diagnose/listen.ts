/**
 * `flexpath listen`: passive. Either binds the data port and counts what arrives — for a user who points
 * SmartSDR at another port, or a second PC on a mirror port — or reads `tcpdump -w -` from an interface
 * through the same pcap reader, to see both planes of the operator's real session. Nothing is sent.
 */
import { spawn } from 'node:child_process';
import { open } from 'node:fs/promises';
import { PassThrough, type Readable } from 'node:stream';
import { sniOf } from '../analysis/analyze-file.js';
import { LINKTYPE } from '../capture/link.js';
import { readCaptureRecords, readCaptureStream } from '../capture/reader.js';
import type { Endpoint } from '../capture/types.js';
import { PcapngWriter } from '../capture/writer.js';
import { LiveEvidence, RECORD_MAX_BYTES, recordingStopped } from './live.js';
import { type DataSocket, openDataSocket } from './data-socket.js';

export interface ListenOptions {
  /** UDP port to bind (default 4991); ignored with `captureInterface`. */
  port?: number;
  host?: string;
  /** Read this interface through tcpdump instead of binding a port. */
  captureInterface?: string;
  /** The radio's API port when it is not 4992 (a port-forwarded radio, a simulator). */
  apiPort?: number;
  /** A tcpdump filter expression that narrows the capture further (e.g. `host 192.168.1.50`). */
  filter?: string;
  write?: string;
  /** Running as root: tcpdump drops to this user once the interface is open (`-Z`). */
  captureAs?: string;
}

export interface Listening {
  evidence: LiveEvidence;
  /** What is being listened to, for the user. */
  describe: string;
  /** The bound data socket (not with `captureInterface`). */
  local?: Endpoint;
  /** Resolves when the source ends by itself (tcpdump exits); rejects when it fails. */
  ended: Promise<void>;
  stop(): Promise<void>;
}

/** What tcpdump sees of a FlexRadio session: the API, the broker, VITA-49 and registration, ICMP errors. */
function captureFilter(apiPort = 4992): string {
  return `udp or tcp port ${apiPort === 4992 ? '4992' : `4992 or tcp port ${apiPort}`} or tcp port 443 or icmp or icmp6`;
}

export async function startListening(o: ListenOptions): Promise<Listening> {
  if (o.captureInterface !== undefined) return captureInterface(o.captureInterface, o);
  const ev = new LiveEvidence(`live: listening on UDP ${o.port ?? 4991}`, o.write);
  let socket: DataSocket | undefined;
  socket = await openDataSocket({
    host: o.host ?? '0.0.0.0',
    port: o.port ?? 4991,
    onMessage: (payload, from) => ev.udp({ ip: from.address.replace(/^::ffff:/, ''), port: from.port }, socket?.local ?? { ip: '0.0.0.0', port: 0 }, payload),
  });
  const s = socket;
  let stopped: () => void = () => undefined;
  const ended = new Promise<void>((resolve) => (stopped = resolve));
  return {
    evidence: ev,
    local: s.local,
    describe: `UDP ${s.local.ip}:${s.local.port} (receive buffer ${Math.round(s.receiveBuffer / 1024)} KiB)`,
    ended,
    async stop() {
      const drops = await s.kernelDrops();
      if (drops) ev.analyzer.warn(`the kernel dropped ${drops} datagram(s) at this socket (receive buffer full)`);
      await s.close();
      await ev.close();
      stopped();
    },
  };
}

/** tcpdump's packet buffer timeout without --immediate-mode: 1000 ms (tcpdump.c); netlab lan-listen-radio-reset's final RST arrives within it. */
const TCPDUMP_BUFFER_TIMEOUT_MS = 1000;
/** Empirical: for the block's hand-over and tcpdump's write to reach us on a loaded machine. */
const BLOCK_MARGIN_MS = 300;

/**
 * `--write` of a tcpdump listen: the frames as tcpdump captured them, each stamped when it reached the
 * capture point. Redrawn from the dissected events (what a diagnosis records of its own sockets, live.ts),
 * the file would hold each datagram once reassembled and none of the fragments of one that never completed
 * (RFC 791 §3.2: the defragmenter drops them) — the evidence that fragments are lost on the way. Opened
 * now, while the process may still be root (the CLI then runs on as the user).
 */
async function recordFrames(path: string, frames: Readable, ev: LiveEvidence): Promise<{ done: Promise<void> }> {
  const file = await open(path, 'w');
  const done = (async () => {
    let w: PcapngWriter | undefined;
    let bytes = 0;
    const writer = (linkType: number): PcapngWriter => (w ??= new PcapngWriter(file.createWriteStream(), { linkType, application: 'FlexPath listen', endStream: true }));
    try {
      const read = await readCaptureRecords(frames, {
        record(linkType, sec, nsec, buf, start, caplen, origLen) {
          if (bytes > RECORD_MAX_BYTES) return;
          // A record's own overhead in pcapng: an enhanced packet block's 32 bytes.
          bytes += caplen + 32;
          if (bytes > RECORD_MAX_BYTES) return ev.analyzer.warn(recordingStopped(RECORD_MAX_BYTES, true));
          writer(linkType).write(BigInt(sec) * 1_000_000_000n + BigInt(nsec), buf.subarray(start, start + caplen), { originalLength: origLen });
        },
      });
      // Nothing captured: still a readable capture, of the interface's link type.
      writer(read.linkTypes[0] ?? LINKTYPE.ETHERNET);
    } catch (e) {
      ev.analyzer.warn(`the recording is incomplete: ${e instanceof Error ? e.message : String(e)}`);
    } finally {
      if (w) await w.close();
      else await file.close();
    }
  })();
  return { done };
}

async function captureInterface(iface: string, o: ListenOptions): Promise<Listening> {
  // The recording is tcpdump's frames (recordFrames), not the evidence's events.
  // sniOf: a TLS session's server name, as `analyze` reads it — what tells SmartLink's server from other HTTPS.
  const ev = new LiveEvidence(`live: tcpdump on ${iface}`, undefined, { sniOf, ...(o.apiPort ? { apiPorts: [o.apiPort] } : {}) });
  ev.analyzer.ownSocket = false; // tcpdump's capture, not FlexPath's socket
  const filter = o.filter ? `(${captureFilter(o.apiPort)}) and (${o.filter})` : captureFilter(o.apiPort);
  // -U: write each packet as it comes, so the analysis is live; -w -: pcap on stdout. Its own process
  // group: a terminal's Ctrl+C must not end it before `stop` has let its last block through.
  const child = spawn('tcpdump', ['-i', iface, '-U', '-w', '-', '-s', '0', ...(o.captureAs ? ['-Z', o.captureAs] : []), filter], { stdio: ['ignore', 'pipe', 'pipe'], detached: true });
  const reap = (): void => void child.kill('SIGTERM');
  process.once('exit', reap);
  let stderr = '';
  child.stderr.on('data', (d: Buffer) => {
    if (stderr.length < 4000) stderr += d.toString('utf8');
  });
  const spawned = new Promise<void>((resolve, reject) => {
    child.once('spawn', () => resolve());
    child.once('error', (e: NodeJS.ErrnoException) => reject(new Error(e.code === 'ENOENT' ? 'tcpdump is not installed (apt-get install tcpdump)' : `tcpdump: ${e.message}`)));
  });
  await spawned;
  let frames: Readable = child.stdout;
  let recording: Promise<void> | undefined;
  if (o.write) {
    // The same bytes to both: the analysis, and the recording of the frames as captured.
    frames = child.stdout.pipe(new PassThrough());
    recording = (await recordFrames(o.write, child.stdout.pipe(new PassThrough()), ev)).done;
  }
  const reading = readCaptureStream(frames, (e) => ev.feed(e), { budget: ev.analyzer.budget });
  const exited = new Promise<number | null>((resolve) => child.once('close', (code) => resolve(code)));
  let stopping = false;
  const ended = (async () => {
    const code = await exited;
    // What the reader found of the capture itself (datagrams whose fragments never completed, cut frames):
    // warnings `analyze` of the same capture gives too.
    const stats = await reading.catch(() => undefined);
    for (const w of stats?.warnings ?? []) ev.analyzer.warn(w);
    if (!stopping && code !== 0) {
      const why = stderr.split('\n').find((l) => /permission|denied|no such device|doesn't exist|not permitted/i.test(l)) ?? stderr.trim().split('\n').pop() ?? '';
      throw new Error(`tcpdump on ${iface} ended (exit ${code}): ${why}${/permission|not permitted/i.test(why) ? ' — capturing needs root or CAP_NET_RAW' : ''}`);
    }
  })();
  ended.catch(() => undefined);
  return {
    evidence: ev,
    describe: `tcpdump on ${iface} (${filter})`,
    ended,
    async stop() {
      stopping = true;
      // libpcap hands packets over in blocks, each at the latest after tcpdump's buffer timeout, and the
      // block still held when SIGTERM ends it is dropped: the session's last second, where a reset or a
      // close lies (netlab lan-listen-radio-reset: listen never saw the radio's RST and said healthy).
      // --immediate-mode would hand each packet over at once, but under load it lost 1-2 % of a loopback
      // session (integration cli-listen, 3 runs of 3), so the block is waited for instead.
      await Promise.race([new Promise((r) => setTimeout(r, TCPDUMP_BUFFER_TIMEOUT_MS + BLOCK_MARGIN_MS)), exited]);
      child.kill('SIGTERM');
      await ended.catch(() => undefined);
      await recording;
      process.off('exit', reap);
      await ev.close();
    },
  };
}
