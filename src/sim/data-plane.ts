/**
 * The radio's UDP output: for every client with a UDP destination, the sources its objects call for,
 * paced by one timer. Each source's schedule is "units due since it started × rate", so average rates
 * are exact however the timer wakes up; a stalled event loop catches up by at most half a second
 * rather than bursting everything it missed (a real radio would not buffer that either).
 */
import type { Endpoint } from '../capture/types.js';
import type { Client, RadioCore } from './radio-core.js';
import type { Rng } from './rng.js';
import { type Datagram, Shaper, type StreamCount } from './shaper.js';
import type { SimFaults } from './faults.js';
import { AudioSource, FftSource, IqSource, MeterSource, type Source, WaterfallSource } from './sources.js';

const TICK_MS = 5;
const MAX_CATCH_UP_S = 0.5;

interface Scheduled {
  source: Source;
  startMs: number;
  units: number;
  ups: number;
}

interface Target {
  client: Client;
  dest: Endpoint;
  sources: Map<string, Scheduled>;
  /** First datagram time, for `udp-stop`. */
  startedMs: number;
}

export interface DataPlaneOptions {
  faults: SimFaults;
  rnd: Rng;
  /** Multiplies every rate (soak tests run at 10×). */
  rateScale: number;
  /** Milliseconds, monotonic. */
  now(): number;
  /** Unix seconds, for VITA timestamps. */
  unixNow(): number;
  /** Hands a shaped datagram to the client's socket; `failed` when the socket refuses it. */
  send(d: Datagram, client: Client, failed: () => void): void;
}

export class DataPlane {
  private readonly targets = new Map<number, Target>();
  private readonly shaper: Shaper;
  private timer: ReturnType<typeof setInterval> | undefined;
  private readonly byDatagram = new WeakMap<Datagram, Client>();

  constructor(private readonly o: DataPlaneOptions) {
    this.shaper = new Shaper(o.faults, o.rnd, o.now, (d, failed) => {
      const c = this.byDatagram.get(d);
      if (c) o.send(d, c, failed);
    });
  }

  start(): void {
    this.timer ??= setInterval(() => this.tick(), TICK_MS);
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    this.shaper.close();
  }

  stats(): StreamCount[] {
    return this.shaper.stats();
  }

  /** Re-reads what `client` should receive from the radio's objects. */
  sync(client: Client, core: RadioCore): void {
    const dest = client.udpDest;
    if (!dest || !core.clients.has(client.handle)) {
      this.targets.delete(client.handle);
      return;
    }
    let t = this.targets.get(client.handle);
    if (!t || t.dest.ip !== dest.ip || t.dest.port !== dest.port) {
      t = { client, dest: { ...dest }, sources: new Map(), startedMs: this.o.now() };
      this.targets.set(client.handle, t);
    }
    const wanted: Source[] = [];
    const reuse = <S extends Source>(key: string, make: () => S): Source => t?.sources.get(key)?.source ?? make();
    if (client.subs.has('meter')) wanted.push(reuse('meter', () => new MeterSource(this.o.rnd)));
    const mtu = (): number => client.networkMtu;
    for (const p of core.pans.values()) {
      if (p.owner !== client.handle) continue;
      wanted.push(reuse(`fft:${p.id}`, () => new FftSource(p, mtu, this.o.rnd)));
      wanted.push(reuse(`wf:${p.waterfallId}`, () => new WaterfallSource(p, mtu, this.o.rnd)));
    }
    for (const s of core.streams.values()) {
      if (s.owner !== client.handle) continue;
      if (s.type === 'remote_audio_rx') wanted.push(reuse(`audio:${s.id}`, () => new AudioSource(s, () => (s.compression === 'OPUS' ? 'opus' : 'float32-stereo'), this.o.rnd)));
      else if (s.type === 'dax_rx' || s.type === 'dax_mic') wanted.push(reuse(`audio:${s.id}`, () => new AudioSource(s, () => (client.reducedBwDax ? 'int16-mono' : 'float32-stereo'), this.o.rnd)));
      else if (s.type === 'dax_iq') wanted.push(reuse(`iq:${s.id}`, () => new IqSource(s, this.o.rnd)));
    }
    const next = new Map<string, Scheduled>();
    for (const source of wanted) next.set(source.key, t.sources.get(source.key) ?? { source, startMs: this.o.now(), units: 0, ups: source.unitsPerSecond() });
    t.sources = next;
  }

  private tick(): void {
    const now = this.o.now();
    const scale = this.o.rateScale;
    for (const t of this.targets.values()) {
      const f = this.o.faults.wrongPort;
      const dst = f === undefined ? t.dest : { ip: t.dest.ip, port: f === true ? t.dest.port + 1 : f };
      for (const s of t.sources.values()) {
        const ups = s.source.unitsPerSecond();
        if (ups !== s.ups) {
          // A new fps or line duration restarts the schedule at the new rate.
          s.ups = ups;
          s.startMs = now;
          s.units = 0;
        }
        const due = Math.floor(((now - s.startMs) / 1000) * ups * scale);
        if (due - s.units > ups * scale * MAX_CATCH_UP_S) s.units = due - 1;
        while (s.units < due) {
          s.units++;
          const unix = this.o.unixNow();
          for (const payload of s.source.unit(unix)) {
            const d: Datagram = { streamId: s.source.streamId, cls: s.source.cls, payload, dst };
            this.byDatagram.set(d, t.client);
            this.shaper.push(d, t.startedMs);
          }
        }
      }
    }
  }
}
