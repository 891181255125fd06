/**
 * What the radio streams to one client, as VITA-49 built with our encoder at the rates of reference
 * §3.9: meters ≈28 packets/s, FFT frames at the pan's fps split to fit the packet size, waterfall lines
 * of 3360 bins in 684-bin tiles every line duration, Opus 100/s, float32 or int16 audio 187.5/s, DAX IQ
 * rate/512 per second. Each source counts its own 4-bit packet counter, as the radio does per stream.
 *
 * Packet size follows the client's network MTU the way the observed numbers imply: at network_mtu 1500
 * the largest UDP payload is 1436 bytes (1500 − 64), which holds exactly the 684 waterfall bins seen on
 * the wire (28 header + 36 tile header + 684 × 2 + 4 trailing zero bytes).
 */
import { FFT_SUBHEADER } from '../vita/payload/fft.js';
import { hzToVitaFrequency, WATERFALL_SUBHEADER } from '../vita/payload/waterfall.js';
import { PCC } from '../vita/classes.js';
import { FLEX_HEADER_LENGTH, flexHeader } from '../vita/flex-header.js';
import { encodePacket, type VitaPacket } from '../vita/packet.js';
import type { DataClass } from './faults.js';
import { METERS, type Pan, type RadioStream } from './objects.js';
import type { Rng } from './rng.js';
import { powerDbm, toFftBins, toWaterfallBins } from './spectrum.js';

/** The unexplained zero word after FFT and waterfall bins on real packets (reference §3.1, §3.2). */
const TRAILING_ZEROS = Buffer.alloc(4);
/** Observed TotalBinsInFrame of a waterfall line (reference §3.2), unrelated to the pan's x_pixels. */
const WATERFALL_LINE_BINS = 3360;
const METER_STREAM_ID = 0x00000700;
const METER_PPS = 28;
const OPUS_PPS = 100;
const PCM_PPS = 187.5;
const PCM_FRAMES = 128;
const IQ_SAMPLES = 512;

function maxPayload(networkMtu: number): number {
  return networkMtu - 64;
}

function fftBinsPerPacket(networkMtu: number): number {
  return Math.floor((maxPayload(networkMtu) - FLEX_HEADER_LENGTH - FFT_SUBHEADER - TRAILING_ZEROS.length) / 2);
}

function waterfallBinsPerPacket(networkMtu: number): number {
  return Math.floor((maxPayload(networkMtu) - FLEX_HEADER_LENGTH - WATERFALL_SUBHEADER - TRAILING_ZEROS.length) / 2);
}

/** A frame or line split into packets of at most `per` bins, in order; the last one carries the rest. */
function fragments(bins: Uint16Array, per: number, packet: (start: number, slice: Uint16Array) => Buffer): Buffer[] {
  const out: Buffer[] = [];
  for (let start = 0; start < bins.length; start += per) out.push(packet(start, bins.subarray(start, Math.min(bins.length, start + per))));
  return out;
}

export interface Source {
  readonly key: string;
  readonly streamId: number;
  readonly cls: DataClass;
  /** Units (frames, lines, packets) per second at scale 1. */
  unitsPerSecond(): number;
  /** Builds one unit's datagrams at Unix time `t`. */
  unit(t: number): Buffer[];
}

/** Per-stream 4-bit counter and header, shared by every source. */
abstract class Counted implements Source {
  private count = 0;
  abstract readonly key: string;
  abstract readonly streamId: number;
  abstract readonly cls: DataClass;
  abstract unitsPerSecond(): number;
  abstract unit(t: number): Buffer[];

  protected encode(p: Omit<VitaPacket, 'header'> & { kind: VitaPacket['kind'] }, pcc: number, t: number, o: { type?: 1 | 3; samples?: bigint } = {}): Buffer {
    const header = flexHeader(pcc, this.streamId, this.count++, {
      packetType: o.type ?? 3,
      unixSeconds: Math.floor(t),
      ...(o.samples !== undefined ? { sampleCount: o.samples } : {}),
    });
    return encodePacket({ ...p, header } as VitaPacket);
  }
}

/** All meters in one stream, a rotating subset per packet weighted by each meter's fps. */
export class MeterSource extends Counted {
  readonly key = 'meter';
  readonly streamId = METER_STREAM_ID;
  readonly cls = 'meter';
  private n = 0;
  private readonly values = new Map<number, number>();

  constructor(private readonly rnd: Rng) {
    super();
  }

  unitsPerSecond(): number {
    return METER_PPS;
  }

  unit(t: number): Buffer[] {
    const n = this.n++;
    const readings: Array<{ id: number; raw: number }> = [];
    for (const m of METERS) {
      const every = Math.max(1, Math.round(METER_PPS / Math.max(m.fps ?? 0, 1)));
      if (n % every === 0 || (m.fps === 0 && n % METER_PPS === 0)) readings.push({ id: m.id, raw: this.value(m.id, m.nam ?? '') });
    }
    // Real packets carry 5–14 pairs (reference §3.3); pad a sparse one with the S-meter.
    while (readings.length < 5) readings.push({ id: 24, raw: this.value(24, 'LEVEL') });
    return [this.encode({ kind: 'meter', payload: { readings } }, PCC.meter, t)];
  }

  /** Plausible values in raw units (dB × 128, volts × 256, °C × 64): receive-only, S-meter wandering. */
  private value(id: number, name: string): number {
    const prev = this.values.get(id);
    let v: number;
    switch (name) {
      case 'LEVEL':
      case '24kHz':
      case 'AGC+':
        v = Math.max(-140 * 128, Math.min(-40 * 128, (prev ?? -95 * 128) + Math.round((this.rnd() - 0.5) * 400)));
        break;
      case '+13.8A':
        v = Math.round((13.8 + (this.rnd() - 0.5) * 0.1) * 256);
        break;
      case 'PATEMP':
        v = Math.round((34 + this.rnd()) * 64);
        break;
      case 'MAINFAN':
        v = 1200 + Math.round(this.rnd() * 20);
        break;
      default:
        // Transmit-side meters read −250 dB while receiving (reference §3.3).
        v = -32000;
    }
    this.values.set(id, v);
    return v;
  }
}

export class FftSource extends Counted {
  readonly key: string;
  readonly streamId: number;
  readonly cls = 'panadapter';
  private frame = 0;
  private dbm = new Float32Array(0);
  private bins = new Uint16Array(0);

  constructor(private readonly pan: Pan, private readonly mtu: () => number, private readonly rnd: Rng) {
    super();
    this.streamId = pan.id;
    this.key = `fft:${pan.id}`;
  }

  unitsPerSecond(): number {
    return this.pan.fps;
  }

  unit(t: number): Buffer[] {
    const p = this.pan;
    if (this.dbm.length !== p.xPixels) {
      this.dbm = new Float32Array(p.xPixels);
      this.bins = new Uint16Array(p.xPixels);
    }
    powerDbm({ centerHz: p.centerMhz * 1e6, bandwidthHz: p.bandwidthMhz * 1e6, bins: p.xPixels }, t, this.rnd, this.dbm);
    toFftBins(this.dbm, p.yPixels, p.minDbm, p.maxDbm, this.bins);
    const per = fftBinsPerPacket(this.mtu());
    const frameIndex = this.frame++;
    return fragments(this.bins, per, (start, bins) =>
      this.encode(
        { kind: 'panadapter', payload: { startBin: start, numBins: bins.length, binSize: 2, totalBins: p.xPixels, frameIndex, bins }, padding: TRAILING_ZEROS },
        PCC.fft,
        t,
      ),
    );
  }
}

export class WaterfallSource extends Counted {
  readonly key: string;
  readonly streamId: number;
  readonly cls = 'waterfall';
  private timecode = 0;
  private readonly dbm = new Float32Array(WATERFALL_LINE_BINS);
  private readonly bins = new Uint16Array(WATERFALL_LINE_BINS);

  constructor(private readonly pan: Pan, private readonly mtu: () => number, private readonly rnd: Rng) {
    super();
    this.streamId = pan.waterfallId;
    this.key = `wf:${pan.waterfallId}`;
  }

  unitsPerSecond(): number {
    return 1000 / this.pan.lineDurationMs;
  }

  unit(t: number): Buffer[] {
    const p = this.pan;
    const bandwidthHz = p.bandwidthMhz * 1e6;
    powerDbm({ centerHz: p.centerMhz * 1e6, bandwidthHz, bins: WATERFALL_LINE_BINS }, t, this.rnd, this.dbm);
    toWaterfallBins(this.dbm, this.bins);
    const per = waterfallBinsPerPacket(this.mtu());
    const timecode = this.timecode++;
    const frameLowFreq = hzToVitaFrequency(p.centerMhz * 1e6 - bandwidthHz / 2);
    const binBandwidth = hzToVitaFrequency(bandwidthHz / WATERFALL_LINE_BINS);
    return fragments(this.bins, per, (first, bins) =>
      this.encode(
        {
          kind: 'waterfall',
          payload: {
            frameLowFreq, binBandwidth, lineDurationMs: p.lineDurationMs, width: bins.length, height: 1, timecode,
            autoBlackLevel: 0, totalBins: WATERFALL_LINE_BINS, firstBin: first, bins,
          },
          padding: TRAILING_ZEROS,
        },
        PCC.waterfall,
        t,
      ),
    );
  }
}

/**
 * Remote audio and DAX audio. Opus payloads are opaque bytes of a plausible size (≈ 70 kbit/s is the
 * only figure known, reference §3.5) — not decodable Opus; no client here plays them. PCM is a tone.
 */
export class AudioSource extends Counted {
  readonly key: string;
  readonly streamId: number;
  readonly cls: DataClass;
  private samples = 0n;
  private phase = 0;

  constructor(private readonly stream: RadioStream, private readonly format: () => 'opus' | 'float32-stereo' | 'int16-mono', private readonly rnd: Rng) {
    super();
    this.streamId = stream.id;
    this.key = `audio:${stream.id}`;
    this.cls = stream.type === 'remote_audio_rx' ? 'audio' : 'dax';
  }

  unitsPerSecond(): number {
    return this.format() === 'opus' ? OPUS_PPS : PCM_PPS;
  }

  unit(t: number): Buffer[] {
    const fmt = this.format();
    const at = this.samples;
    if (fmt === 'opus') {
      this.samples += 240n;
      const data = Buffer.alloc(60 + Math.floor(this.rnd() * 60));
      for (let i = 0; i < data.length; i++) data[i] = Math.floor(this.rnd() * 256);
      return [this.encode({ kind: 'audio', payload: { format: 'opus', data } }, PCC.opus, t, { samples: at })];
    }
    this.samples += BigInt(PCM_FRAMES);
    if (fmt === 'float32-stereo') {
      const s = new Float32Array(PCM_FRAMES * 2);
      for (let i = 0; i < PCM_FRAMES; i++) s[2 * i] = s[2 * i + 1] = 0.1 * Math.sin(this.tone());
      return [this.encode({ kind: 'audio', payload: { format: 'float32-stereo', samples: s } }, PCC.ifNarrow, t, { samples: at })];
    }
    const s = new Int16Array(PCM_FRAMES);
    for (let i = 0; i < PCM_FRAMES; i++) s[i] = Math.round(3000 * Math.sin(this.tone()));
    return [this.encode({ kind: 'audio', payload: { format: 'int16-mono', samples: s } }, PCC.ifNarrowReducedBw, t, { samples: at })];
  }

  /** A 700 Hz tone at 24 kHz. */
  private tone(): number {
    this.phase += (2 * Math.PI * 700) / 24_000;
    return this.phase;
  }
}

const IQ_PCC: Record<number, number> = { 24_000: PCC.daxIq24k, 48_000: PCC.daxIq48k, 96_000: PCC.daxIq96k, 192_000: PCC.daxIq192k };

/** DAX IQ: packet type 1, 512 complex samples per packet (reference §3.8, UNCONFIRMED size). */
export class IqSource extends Counted {
  readonly key: string;
  readonly streamId: number;
  readonly cls = 'dax';
  private samples = 0n;

  constructor(private readonly stream: RadioStream, private readonly rnd: Rng) {
    super();
    this.streamId = stream.id;
    this.key = `iq:${stream.id}`;
  }

  unitsPerSecond(): number {
    return (this.stream.daxiqRate ?? 24_000) / IQ_SAMPLES;
  }

  unit(t: number): Buffer[] {
    const rate = this.stream.daxiqRate ?? 24_000;
    const s = new Float32Array(IQ_SAMPLES * 2);
    // Noise around −50 dBFS of FlexLib's ±32768 full scale, little-endian as FlexLib reads it.
    for (let i = 0; i < s.length; i++) s[i] = (this.rnd() - 0.5) * 200;
    const at = this.samples;
    this.samples += BigInt(IQ_SAMPLES);
    return [this.encode({ kind: 'dax-iq', payload: { byteOrder: 'le', samples: s } }, IQ_PCC[rate] ?? PCC.daxIq24k, t, { type: 1, samples: at })];
  }
}
