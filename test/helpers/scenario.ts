/**
 * Builds the NetEvents of a FlexRadio LAN or SmartLink session from protocol facts (reference §3, §5,
 * §6): an API session that sets up UDP and streams, then VITA-49 at the reference rates, with faults
 * applied the way the network would (drop, lose, cap, reorder, redirect). Used by the rule tests and,
 * through the capture writer, by the capture-file tests — so both see the same scenario.
 */
import type { Endpoint, NetEvent } from '../../src/capture/types.js';
import { fftPacket, meterPacket, opusPacket, waterfallPacket } from './packets.js';
import { prng } from './prng.js';

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
}

/** Send slots k·periodMs (k = 0, 1, …) inside [atMs, atMs + lengthMs): lanScenario sends one unit per slot (ms after the data starts). */
export function slots(periodMs: number, atMs: number, lengthMs: number): number {
  let n = 0;
  for (let ms = 0; ms < atMs + lengthMs; ms += periodMs) if (ms >= atMs) n++;
  return n;
}

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
    toRadio(t0 + 0.08, `C4|client udpport ${udpport}`);
    toClient(t0 + 0.09, 'R4|0|');
    if (!o.noPan) {
      toRadio(t0 + 0.1, 'C5|display panafall create x=50 y=20');
      toClient(t0 + 0.12, 'S3621C7F5|display pan 0x40000000 client_handle=0x3621C7F5 x_pixels=50 y_pixels=20 center=14.100000 bandwidth=0.200000 min_dbm=-135.00 max_dbm=-40.00 fps=25 waterfall=0x42000000');
      toClient(t0 + 0.12, 'S3621C7F5|display waterfall 0x42000000 client_handle=0x3621C7F5 x_pixels=50 center=14.100000 bandwidth=0.200000 line_duration=50 panadapter=0x40000000');
      toClient(t0 + 0.13, 'R5|0|0x40000000,0x42000000');
    }
    if (o.withAudio) {
      toRadio(t0 + 0.14, 'C6|stream create type=remote_audio_rx compression=opus');
      toClient(t0 + 0.15, `S3621C7F5|stream 0x04000009 type=remote_audio_rx compression=OPUS client_handle=0x3621C7F5 ip=${dst.ip}`);
      toClient(t0 + 0.15, 'R6|0|04000009');
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
  if (!o.blockUdp) {
    const data: Array<{ ts: number; payload: Buffer }> = [];
    const counts = { meter: 0, fft: 0, wf: 0, opus: 0 };
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
        Object.assign(counts, { meter: 0, fft: 0, wf: 0, opus: 0 });
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
      // One packet per frame: the frame index counts frames as the packet counter does (mod 16).
      if (ms >= panFromMs && rel % fftEvery === 0) data.push({ ts, payload: fftPacket(0x40000000 + idShift, counts.fft, counts.fft++, 0, new Array(50).fill(15), 50) });
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
      if (o.mtu !== undefined && d.payload.length + 28 > o.mtu) {
        if (fragLeft-- > 0) {
          ev.push({ type: 'icmp', ts: d.ts, from: '10.8.0.1', reason: 'frag-needed', mtu: o.mtu, original: { protocol: 'udp', src, dst } });
        }
        continue;
      }
      if (o.loss !== undefined && rnd() < o.loss) continue;
      if (o.lossLarge !== undefined && d.payload.length >= 1000 && rnd() < o.lossLarge) continue;
      ev.push({ type: 'udp', ts: d.ts, src, dst, payload: d.payload, df: true, ipLength: d.payload.length + 28 });
      if (icmpLeft-- > 0) {
        ev.push({ type: 'icmp', ts: d.ts + 0.0001, from: client.ip, reason: 'port-unreachable', original: { protocol: 'udp', src, dst } });
      }
    }
  }
  return ev.sort((a, b) => a.ts - b.ts);
}

/** Datagrams per VITA-49 stream id (word 1, reference §1.2) among the events: what the construction sent. */
export function sentPerStream(events: readonly NetEvent[]): Map<number, number> {
  const m = new Map<number, number>();
  for (const e of events) if (e.type === 'udp') m.set(e.payload.readUInt32BE(4), (m.get(e.payload.readUInt32BE(4)) ?? 0) + 1);
  return m;
}
