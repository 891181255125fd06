/**
 * Builds the NetEvents of a FlexRadio LAN or SmartLink session from protocol facts (reference §3, §5,
 * §6): an API session that sets up UDP and streams, then VITA-49 at the reference rates, with faults
 * applied the way the network would (drop, lose, cap, reorder, redirect). Used by the rule tests and,
 * through the capture writer, by the capture-file tests — so both see the same scenario.
 */
import type { Endpoint, NetEvent } from '../../src/capture/types.js';
import { daxAudioPacket, daxIqPacket, fftPacket, meterPacket, opusPacket, waterfallPacket } from './packets.js';
import { prng } from './prng.js';
import { clientHello } from './tls-hello.js';

export interface ScenarioOptions {
  seconds?: number;
  client?: Endpoint;
  radio?: Endpoint;
  /** Radio's data source port (4993 observed). */
  dataPort?: number;
  /** Port announced with `client udpport`. */
  udpport?: number;
  /** Port the data actually goes to (wrong-port fault). */
  sendTo?: number;
  /**
   * The client's and the radio's data addresses when not the control channel's: a dual-stack client whose
   * control runs over IPv6 while the data comes over IPv4 (reference §12 #15), or a capture behind a NAT.
   */
  dataTo?: string;
  dataFrom?: string;
  /** Drop every datagram larger than this (path MTU, DF set). */
  mtu?: number;
  /** Random loss 0–1 applied to every datagram. */
  loss?: number;
  /** Loss applied only to datagrams ≥ 1000 B (a bandwidth cap hits big packets). */
  lossLarge?: number;
  /** No VITA-49 at all reaches the client. */
  blockUdp?: boolean;
  /** ICMP port unreachable sent back by the client for each data datagram (first N). */
  icmpUnreachable?: number;
  /** ICMP frag-needed from a router for datagrams above the MTU (first N). */
  icmpFragNeeded?: number;
  /** Radio stops answering pings after this many seconds. */
  pingsUnansweredAfter?: number;
  /** Swap every Nth pair of data packets. */
  reorderEvery?: number;
  /** Leave out the control plane (a capture of data only). */
  noControl?: boolean;
  withAudio?: boolean;
  seed?: number;
  /** Every datagram of every stream dropped in these stretches (seconds after the data starts): outages. */
  holes?: Array<{ atS: number; lengthS: number }>;
  /** From this many seconds after the data starts the pan sends 2 frames/s (status `fps=2`): a rate change, no loss. */
  fftSlowAfterS?: number;
  /**
   * From `atS` after the data starts, meter packets come `periodsMs` apart in turn instead of every 36 ms:
   * the client unsubscribed meters, so the radio sends fewer (a rate change, no loss; counters unbroken).
   */
  metersAfter?: { atS: number; periodsMs: number[] };
  /**
   * With audio: the client mutes the slice at `atS` (`slice set 0 audio_mute=1`, FlexLib Slice.cs) and
   * unmutes it `lengthS` later (without `lengthS`, never); the radio sends no audio in between (counters unbroken).
   */
  audioMuted?: { atS: number; lengthS?: number };
  /**
   * The radio's sender stops for `lengthS` at `atS` after the data starts and then goes on where it left
   * off: every later datagram comes `lengthS` later, nothing is lost, counters and frame indices unbroken.
   * `audioOnly`: only the audio sender pauses.
   */
  pauses?: Array<{ atS: number; lengthS: number; audioOnly?: boolean }>;
  /** The pan's FFT and waterfall start this many seconds after the other streams (the radio sets it up later). */
  panFromS?: number;
  /** No panadapter at all (none created, no FFT or waterfall): a client with meters and audio only. */
  noPan?: boolean;
  /**
   * The pan's width (x_pixels = bins per FFT frame; default 50, one 144-B packet a frame). A wider frame goes
   * out in packets of at most FFT_BINS_PER_PACKET bins, the remainder last (reference §3.1, Panadapter.cs).
   */
  panBins?: number;
  /**
   * The radio's streams stop at `atS` after the data starts and are made anew `lengthS` later, while the
   * control connection stays up (no control line about it): nothing is sent in between, and every stream's
   * 4-bit counter, the FFT frame index and the waterfall timecode start again at 0, as a FlexRadio sender's
   * sequences do when it starts (waveform-sdk vita.c: data_sequence = meter_sequence = 0).
   */
  restarts?: Array<{
    atS: number;
    lengthS: number;
    /**
     * The audio stream and the pan come back under new stream IDs (the old ID + 1: objects made anew get
     * new IDs, reference §2.4, §5.8), announced by no control line; the meters keep 0x00000700 (§3.3).
     */
    newIds?: boolean;
  }>;
  /**
   * With audio: at `atS` after the data starts the radio removes the audio stream (status `stream <id>
   * removed`, reference §5.8) and announces it again, same ID, `lengthS` later; no audio in between, its
   * counter from 0 after. The other streams go on.
   */
  audioRemade?: { atS: number; lengthS: number };
  /** With audio: from `atS` after the data starts the audio goes on under the next stream ID, its counter from 0 (the client swapped its stream); the others go on. */
  audioNewIdAtS?: number;
  /**
   * DAX streams the client creates (`stream create type=dax_rx|dax_iq`, reference §5.8): reduced-bandwidth
   * DAX audio 0x04000008 (PCC 0x0123, 128 samples at 24 kHz: 187.5/s, §3.7) and DAX IQ 0x20000000 (PCC
   * 0x02E4, 512 complex samples at 48 kHz: 4124-byte datagrams, 93.75/s, §3.8) sent with Don't-Fragment
   * clear, so a path MTU below them fragments them (RFC 791) instead of dropping them.
   */
  dax?: { rx?: boolean; iq?: boolean };
  /**
   * A SmartLink session (reference §6.5) as a capture on the client shows it: the SmartLink server's
   * session to `brokerIp`:443, the radio's control channel to `radio` (its public TLS port) opened with
   * `wan validate` and no `client udpport`, and `client udp_register` datagrams from the client's UDP port to
   * the radio's public UDP port (`dataPort`) every 50 ms until data arrives, then `client ping` every 5 s
   * (§5.7). `encrypted`: both TCP sessions as TLS records a capture cannot read (SmartSDR's own session);
   * else as FlexPath records its own (the text it sent and received, sessions marked TLS).
   */
  wan?: { brokerIp: string; clientPublicIp: string; encrypted?: boolean };
}

/** Send slots k·periodMs (k = 0, 1, …) inside [atMs, atMs + lengthMs): lanScenario sends one unit per slot (ms after the data starts). */
export function slots(periodMs: number, atMs: number, lengthMs: number): number {
  let n = 0;
  for (let ms = 0; ms < atMs + lengthMs; ms += periodMs) if (ms >= atMs) n++;
  return n;
}

/**
 * FFT bins in one packet at network_mtu 1500: a 1436-B UDP payload (reference §3.2, §11 "Client MTU") less
 * the 28-B header, the 12-B FFT sub-header and the 4 trailing zero bytes (§3.1), 2 B a bin.
 */
export const FFT_BINS_PER_PACKET = (1436 - 28 - 12 - 4) / 2;

export const CLIENT: Endpoint = { ip: '192.168.10.20', port: 53344 };
export const RADIO: Endpoint = { ip: '192.168.10.27', port: 4992 };

/** ms timestamps of meters (28/s), FFT frames (25 fps, 1 packet), waterfall lines (20/s × 5 tiles), opus (100/s). */
export function lanScenario(o: ScenarioOptions = {}): NetEvent[] {
  const seconds = o.seconds ?? 4;
  const client = o.client ?? CLIENT;
  const radio = o.radio ?? RADIO;
  const dataPort = o.dataPort ?? 4993;
  const udpport = o.udpport ?? 4991;
  const dst: Endpoint = { ip: o.dataTo ?? client.ip, port: o.sendTo ?? udpport };
  const src: Endpoint = { ip: o.dataFrom ?? radio.ip, port: dataPort };
  const rnd = prng(o.seed ?? 7);
  const panBins = o.panBins ?? 50;
  const t0 = 1_700_000_000;
  const ev: NetEvent[] = [];
  const toRadio = (ts: number, line: string): void => {
    ev.push({ type: 'tcp-data', ts, src: client, dst: radio, data: Buffer.from(line + '\n') });
  };
  const toClient = (ts: number, line: string): void => {
    ev.push({ type: 'tcp-data', ts, src: radio, dst: client, data: Buffer.from(line + '\n') });
  };
  const setupEnd = t0 + 0.5;
  if (!o.noControl) {
    ev.push({ type: 'tcp-open', ts: t0, src: client, dst: radio });
    toClient(t0 + 0.01, 'V1.4.0.0');
    toClient(t0 + 0.01, 'H3621C7F5');
    toRadio(t0 + 0.02, 'C1|client program SmartSDR-Win');
    toClient(t0 + 0.03, 'R1|0|');
    toRadio(t0 + 0.04, 'C2|client gui 74F5C15A-E4C7-4BDE-8B45-4F9E1E15DFA2');
    toClient(t0 + 0.05, 'R2|0|74F5C15A-E4C7-4BDE-8B45-4F9E1E15DFA2');
    toRadio(t0 + 0.06, 'C3|sub meter all');
    toClient(t0 + 0.07, 'S3621C7F5|meter 24.src=SLC#24.num=0#24.nam=LEVEL#24.low=-150.0#24.hi=10.0#24.desc=Signal#24.unit=dBm#24.fps=10#');
    toClient(t0 + 0.07, 'R3|0|');
    if (o.wan) {
      toRadio(t0 + 0.08, `C4|wan validate handle=${WAN_HANDLE}`);
      toClient(t0 + 0.09, 'R4|0|');
      toRadio(t0 + 0.085, 'C7|client ip');
      toClient(t0 + 0.095, `R7|0|${o.wan.clientPublicIp}`);
    } else {
      toRadio(t0 + 0.08, `C4|client udpport ${udpport}`);
      toClient(t0 + 0.09, 'R4|0|');
    }
    if (!o.noPan) {
      toRadio(t0 + 0.1, `C5|display panafall create x=${panBins} y=20`);
      toClient(t0 + 0.12, `S3621C7F5|display pan 0x40000000 client_handle=0x3621C7F5 x_pixels=${panBins} y_pixels=20 center=14.100000 bandwidth=0.200000 min_dbm=-135.00 max_dbm=-40.00 fps=25 waterfall=0x42000000`);
      toClient(t0 + 0.12, `S3621C7F5|display waterfall 0x42000000 client_handle=0x3621C7F5 x_pixels=${panBins} center=14.100000 bandwidth=0.200000 line_duration=50 panadapter=0x40000000`);
      toClient(t0 + 0.13, 'R5|0|0x40000000,0x42000000');
    }
    if (o.withAudio) {
      toRadio(t0 + 0.14, 'C6|stream create type=remote_audio_rx compression=opus');
      toClient(t0 + 0.15, `S3621C7F5|stream 0x04000009 type=remote_audio_rx compression=OPUS client_handle=0x3621C7F5 ip=${dst.ip}`);
      toClient(t0 + 0.15, 'R6|0|04000009');
    }
    if (o.dax?.rx) {
      toRadio(t0 + 0.2, 'C8|stream create type=dax_rx dax_channel=1');
      toClient(t0 + 0.21, `S3621C7F5|stream 0x04000008 type=dax_rx dax_channel=1 slice=0 client_handle=0x3621C7F5 ip=${dst.ip}`);
      toClient(t0 + 0.21, 'R8|0|04000008');
    }
    if (o.dax?.iq) {
      toRadio(t0 + 0.22, 'C9|stream create type=dax_iq daxiq_channel=1');
      toClient(t0 + 0.23, `S3621C7F5|stream 0x20000000 type=dax_iq daxiq_channel=1 pan=0x40000000 daxiq_rate=48000 client_handle=0x3621C7F5 ip=${dst.ip}`);
      toClient(t0 + 0.23, 'R9|0|20000000');
    }
    let seq = 10;
    for (let t = 1; t < seconds; t++) {
      const ts = t0 + t;
      toRadio(ts, `C${seq}|ping ms_timestamp=${t * 1000}.0`);
      if (o.pingsUnansweredAfter === undefined || t < o.pingsUnansweredAfter) toClient(ts + 0.004, `R${seq}|0|`);
      seq++;
    }
  }
  if (o.audioMuted && o.withAudio && !o.noControl) {
    toRadio(setupEnd + o.audioMuted.atS - 0.01, 'C90|slice set 0 audio_mute=1');
    toClient(setupEnd + o.audioMuted.atS - 0.005, 'R90|0|');
    if (o.audioMuted.lengthS !== undefined) {
      toRadio(setupEnd + o.audioMuted.atS + o.audioMuted.lengthS - 0.01, 'C91|slice set 0 audio_mute=0');
      toClient(setupEnd + o.audioMuted.atS + o.audioMuted.lengthS - 0.005, 'R91|0|');
    }
  }
  if (o.audioRemade && o.withAudio && !o.noControl) {
    const { atS, lengthS } = o.audioRemade;
    toClient(setupEnd + atS, 'S3621C7F5|stream 0x04000009 removed');
    toClient(setupEnd + atS + lengthS - 0.005, `S3621C7F5|stream 0x04000009 type=remote_audio_rx compression=OPUS client_handle=0x3621C7F5 ip=${dst.ip}`);
  }
  if (o.fftSlowAfterS !== undefined && !o.noControl) {
    toClient(setupEnd + o.fftSlowAfterS - 0.01, 'S3621C7F5|display pan 0x40000000 fps=2');
  }
  if (o.wan) ev.push(...wanSide(o.wan, { ip: client.ip, port: udpport }, src, t0, setupEnd, o.blockUdp ? t0 + seconds : setupEnd, seconds));
  if (!o.blockUdp) {
    const data: Array<{ ts: number; payload: Buffer; df?: boolean }> = [];
    const counts = { meter: 0, fft: 0, fftFrame: 0, wf: 0, opus: 0 };
    let nextMeterMs = 0;
    const muted = (ms: number): boolean => o.audioMuted !== undefined && ms >= o.audioMuted.atS * 1000 && ms < (o.audioMuted.atS + (o.audioMuted.lengthS ?? Infinity)) * 1000;
    const paused = (ms: number, audio: boolean): number => (o.pauses ?? []).reduce((s, p) => (ms >= p.atS * 1000 && (audio || !p.audioOnly) ? s + p.lengthS : s), 0);
    const panFromMs = o.noPan ? Infinity : (o.panFromS ?? 0) * 1000;
    const restarts = (o.restarts ?? []).map((r) => ({ fromMs: Math.round(r.atS * 1000), toMs: Math.round((r.atS + r.lengthS) * 1000), newIds: r.newIds ?? false }));
    // How many restarts so far made their objects under new IDs: added to the audio's and the pan's IDs.
    let idShift = 0;
    // Data time at which the current senders started: the schedules and the waterfall timecode count from it.
    let epochMs = 0;
    for (let ms = 0; ms < (seconds - 0.5) * 1000; ms++) {
      if (restarts.some((r) => ms >= r.fromMs && ms < r.toMs)) continue;
      if (restarts.some((r) => ms === r.toMs)) {
        if (restarts.some((r) => ms === r.toMs && r.newIds)) idShift++;
        epochMs = ms;
        nextMeterMs = ms;
        Object.assign(counts, { meter: 0, fft: 0, fftFrame: 0, wf: 0, opus: 0 });
      }
      const rel = ms - epochMs;
      const ts = setupEnd + ms / 1000 + paused(ms, false);
      const fftEvery = o.fftSlowAfterS !== undefined && ms >= o.fftSlowAfterS * 1000 ? 500 : 40;
      if (ms === nextMeterMs) {
        data.push({ ts, payload: meterPacket(counts.meter, [[24, -12000], [1, -32000]]) });
        const after = o.metersAfter && ms >= o.metersAfter.atS * 1000 ? o.metersAfter.periodsMs : undefined;
        nextMeterMs += after ? after[counts.meter % after.length]! : 36;
        counts.meter++;
      }
      if (ms >= panFromMs && rel % fftEvery === 0) {
        const frame = counts.fftFrame++;
        for (let start = 0; start < panBins; start += FFT_BINS_PER_PACKET) {
          const bins = new Array(Math.min(FFT_BINS_PER_PACKET, panBins - start)).fill(15);
          data.push({ ts: ts + (start / FFT_BINS_PER_PACKET) * 0.0001, payload: fftPacket(0x40000000 + idShift, counts.fft++, frame, start, bins, panBins) });
        }
      }
      if (ms >= panFromMs && rel % 50 === 0) {
        // Without a restart the timecode is ms / 50 (the pan may start late: panFromS); after one, lines from 0.
        const timecode = (epochMs === 0 ? ms : rel) / 50;
        for (let tile = 0; tile < 5; tile++) {
          const width = tile === 4 ? 624 : 684;
          data.push({ ts: ts + tile * 0.0001, payload: waterfallPacket(0x42000000 + idShift, counts.wf++, timecode, tile * 684, width, 3360) });
        }
      }
      const remade = o.audioRemade && { fromMs: o.audioRemade.atS * 1000, toMs: (o.audioRemade.atS + o.audioRemade.lengthS) * 1000 };
      if (remade && ms === remade.toMs) counts.opus = 0;
      const swapped = o.audioNewIdAtS !== undefined && ms >= o.audioNewIdAtS * 1000;
      if (swapped && ms === o.audioNewIdAtS! * 1000) counts.opus = 0;
      if (o.withAudio && rel % 10 === 0 && !muted(ms) && !(remade && ms >= remade.fromMs && ms < remade.toMs)) data.push({ ts: setupEnd + ms / 1000 + paused(ms, true), payload: opusPacket(0x04000009 + idShift + (swapped ? 1 : 0), counts.opus++, 60 + (ms % 30)) });
    }
    // DAX at its own rates (not whole ms): each packet at its sample time, over the data's span.
    const spanS = seconds - 0.5;
    if (o.dax?.rx) for (let n = 0; (n * 128) / 24_000 < spanS; n++) data.push({ ts: setupEnd + (n * 128) / 24_000, payload: daxAudioPacket(0x04000008, n) });
    if (o.dax?.iq) for (let n = 0; (n * 512) / 48_000 < spanS; n++) data.push({ ts: setupEnd + (n * 512) / 48_000, payload: daxIqPacket(0x20000000, n), df: false });
    if (o.reorderEvery) {
      for (let i = o.reorderEvery; i + 1 < data.length; i += o.reorderEvery) {
        const a = data[i]!;
        const b = data[i + 1]!;
        data[i] = { ts: a.ts, payload: b.payload };
        data[i + 1] = { ts: b.ts, payload: a.payload };
      }
    }
    let icmpLeft = o.icmpUnreachable ?? 0;
    let fragLeft = o.icmpFragNeeded ?? 0;
    const inHole = (ts: number): boolean => (o.holes ?? []).some((h) => ts >= setupEnd + h.atS && ts < setupEnd + h.atS + h.lengthS);
    for (const d of data) {
      if (inHole(d.ts)) continue;
      // Don't-Fragment clear (DAX IQ): a router fragments it; reassembled, it reaches the capture whole.
      if (o.mtu !== undefined && d.payload.length + 28 > o.mtu && d.df !== false) {
        if (fragLeft-- > 0) {
          ev.push({ type: 'icmp', ts: d.ts, from: '10.8.0.1', reason: 'frag-needed', mtu: o.mtu, original: { protocol: 'udp', src, dst } });
        }
        continue;
      }
      if (o.loss !== undefined && rnd() < o.loss) continue;
      if (o.lossLarge !== undefined && d.payload.length >= 1000 && rnd() < o.lossLarge) continue;
      ev.push({ type: 'udp', ts: d.ts, src, dst, payload: d.payload, df: d.df ?? true, ipLength: d.payload.length + 28 });
      if (icmpLeft-- > 0) {
        ev.push({ type: 'icmp', ts: d.ts + 0.0001, from: client.ip, reason: 'port-unreachable', original: { protocol: 'udp', src, dst } });
      }
    }
  }
  const wire = o.wan?.encrypted ? asTls(ev, [{ server: radio, sni: radio.ip }, { server: { ip: o.wan.brokerIp, port: 443 }, sni: 'smartlink.flexradio.com' }]) : ev;
  return wire.sort((a, b) => a.ts - b.ts);
}

/** The radio's `wan validate` handle of a SmartLink session (brokered: `radio connect_ready handle=…`, reference §6.5). */
const WAN_HANDLE = '5DB1AF2C';
export const SERIAL = '1234-5678-9012-3456';

/**
 * The SmartLink parts of a session besides its radio control channel: the SmartLink server's session
 * (register, the radio list naming the radio's public address and ports, connect → connect_ready, `ping
 * from client` every 10 s: reference §6.2) from 1 s before the radio's, and the client's UDP registration
 * from `udp` to the radio's public UDP port every 50 ms until `flowTs` (data arrives), then a `client ping`
 * every 5 s (§6.5 step 4).
 */
function wanSide(wan: NonNullable<ScenarioOptions['wan']>, udp: Endpoint, radioUdp: Endpoint, t0: number, setupEnd: number, flowTs: number, seconds: number): NetEvent[] {
  const client: Endpoint = { ip: udp.ip, port: 50123 };
  const broker: Endpoint = { ip: wan.brokerIp, port: 443 };
  const ev: NetEvent[] = [{ type: 'tcp-open', ts: t0 - 1, src: client, dst: broker }];
  const line = (ts: number, fromClient: boolean, text: string): void => {
    ev.push({ type: 'tcp-data', ts, src: fromClient ? client : broker, dst: fromClient ? broker : client, data: Buffer.from(`${text}\r\n`) });
  };
  line(t0 - 0.9, true, 'application register name=SmartSDR-Win platform=WIN10 token=eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJ3MWF3In0.c2lnbmF0dXJl');
  line(t0 - 0.8, false, `application info public_ip=${wan.clientPublicIp}`);
  line(t0 - 0.8, false, `radio list radio_name=Shack callsign=W1AW serial=${SERIAL} model=FLEX-6600 version=3.9.19.33 public_ip=${radioUdp.ip} public_tls_port=4994 public_udp_port=${radioUdp.port} upnp_supported=0 public_upnp_tls_port=-1 public_upnp_udp_port=-1|`);
  line(t0 - 0.3, true, `application connect serial=${SERIAL} hole_punch_port=0`);
  line(t0 - 0.2, false, `radio connect_ready handle=${WAN_HANDLE} serial=${SERIAL}`);
  for (let t = 9; t < seconds; t += 10) line(t0 + t, true, 'ping from client');
  const reg = (ts: number, text: string): void => void ev.push({ type: 'udp', ts, src: udp, dst: radioUdp, payload: Buffer.from(text, 'latin1') });
  for (let ts = t0 + 0.1; ts < flowTs && ts < t0 + seconds; ts += 0.05) reg(ts, 'client udp_register handle=0x3621C7F5');
  for (let ts = flowTs + 5; ts < t0 + seconds; ts += 5) reg(ts, 'client ping handle=0x3621C7F5');
  return ev;
}

/**
 * The session's TCP sessions to `servers` as a capture shows TLS (RFC 8446 §5.1): the client's first bytes a
 * ClientHello naming `sni` of its server, the server's a handshake record, every later chunk an application-
 * data record of the same length. What FlexPath cannot read of SmartSDR's own SmartLink session.
 */
function asTls(events: readonly NetEvent[], servers: ReadonlyArray<{ server: Endpoint; sni: string }>): NetEvent[] {
  const seen = new Set<string>();
  return events.map((e): NetEvent => {
    if (e.type !== 'tcp-data') return e;
    const s = servers.find((x) => (x.server.ip === e.dst.ip && x.server.port === e.dst.port) || (x.server.ip === e.src.ip && x.server.port === e.src.port));
    if (!s) return e;
    const dir = `${e.src.ip}:${e.src.port}>${e.dst.ip}:${e.dst.port}`;
    const first = !seen.has(dir);
    seen.add(dir);
    const toServer = e.dst.ip === s.server.ip && e.dst.port === s.server.port;
    if (first) return { ...e, data: toServer ? clientHello(s.sni) : Buffer.from([22, 3, 3, 0, 4, 2, 0, 0, 0]) };
    const head = Buffer.from([23, 3, 3, 0, 0]);
    head.writeUInt16BE(e.data.length + 16, 3);
    return { ...e, data: Buffer.concat([head, Buffer.alloc(e.data.length + 16, 0xa5)]) };
  });
}

/** Client A's stream ids → a second GUI client's (the radio numbers each client's objects apart; meters share 0x00000700). */
const B_IDS = new Map([[0x40000000, 0x40000001], [0x42000000, 0x42000001], [0x04000009, 0x0400000a]]);

/**
 * A second GUI client of the same radio (reference §5.8: each GUI client gets its own meters, pans and
 * streams at the UDP port it announced): the LAN scenario `o` at `o.client`, `shiftS` after the first,
 * its handle, stream ids and address renamed.
 */
export function secondClient(o: ScenarioOptions & { client: Endpoint }, shiftS = 0.3): NetEvent[] {
  const hex = (n: number): string => n.toString(16).padStart(8, '0');
  return lanScenario(o).map((e): NetEvent => {
    const ts = e.ts + shiftS;
    if (e.type === 'tcp-data') {
      let text = e.data.toString('latin1').replaceAll('3621C7F5', '5AB1E001').replaceAll(`ip=${CLIENT.ip}`, `ip=${o.client.ip}`);
      for (const [a, b] of B_IDS) text = text.replaceAll(`0x${hex(a)}`, `0x${hex(b)}`).replaceAll(`0x${hex(a).toUpperCase()}`, `0x${hex(b).toUpperCase()}`);
      return { ...e, ts, data: Buffer.from(text, 'latin1') };
    }
    if (e.type === 'udp') {
      const payload = Buffer.from(e.payload);
      const id = B_IDS.get(payload.readUInt32BE(4));
      if (id !== undefined) payload.writeUInt32BE(id, 4);
      return { ...e, ts, payload };
    }
    return { ...e, ts };
  });
}

/** Datagrams per VITA-49 stream id (word 1, reference §1.2) among the events: what the construction sent. */
export function sentPerStream(events: readonly NetEvent[]): Map<number, number> {
  const m = new Map<number, number>();
  for (const e of events) if (e.type === 'udp') m.set(e.payload.readUInt32BE(4), (m.get(e.payload.readUInt32BE(4)) ?? 0) + 1);
  return m;
}
