/**
 * The MTU rule does not rest on the order in which the radio sends an FFT frame's fragments (reference
 * §3.1: the order is not documented; FlexLib reassembles by start_bin whatever the order). Sessions are
 * assembled from the reference's numbers: a 2000-pixel pan, frames cut into 700-bin fragments (1444-byte
 * UDP payloads: 28 VITA header + 12 FFT sub-header + 1400 bins + 4 trailing bytes, 1472 B on the wire)
 * and a 600-bin remainder (1272 B on the wire). A path that drops IP datagrams above 1400 B loses the two
 * full fragments of every frame and carries the remainder: mtu, in any order. The same frames losing
 * fragments at random are no MTU limit.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Analyzer } from '../../src/analysis/analyzer.js';
import type { Endpoint, NetEvent } from '../../src/capture/types.js';
import { CLIENT, RADIO } from '../helpers/scenario.js';
import { fftPacket, meterPacket } from '../helpers/packets.js';
import { prng } from '../helpers/prng.js';

const DATA_SRC: Endpoint = { ip: RADIO.ip, port: 4993 };
const DATA_DST: Endpoint = { ip: CLIENT.ip, port: 4991 };
const T0 = 1_700_000_000;
const PIXELS = 2000;
/** [start_bin, num_bins] of one frame's fragments, by bin position. */
const FRAGMENTS: Array<[number, number]> = [[0, 700], [700, 700], [1400, 600]];
const SECONDS = 4;

type Order = (frame: number) => Array<[number, number]>;

/** A LAN session with one pan (no waterfall) of PIXELS bins at 25 fps; `deliver` says which datagrams the path carries. */
function session(order: Order, deliver: (payload: Buffer) => boolean): NetEvent[] {
  const ev: NetEvent[] = [];
  const line = (ts: number, from: Endpoint, to: Endpoint, text: string): void => void ev.push({ type: 'tcp-data', ts, src: from, dst: to, data: Buffer.from(text + '\n') });
  ev.push({ type: 'tcp-open', ts: T0, src: CLIENT, dst: RADIO });
  line(T0 + 0.01, RADIO, CLIENT, 'V1.4.0.0\nH3621C7F5');
  line(T0 + 0.02, CLIENT, RADIO, 'C1|sub meter all');
  line(T0 + 0.03, RADIO, CLIENT, 'S3621C7F5|meter 24.src=SLC#24.num=0#24.nam=LEVEL#24.low=-150.0#24.hi=10.0#24.desc=Signal#24.unit=dBm#24.fps=10#\nR1|0|');
  line(T0 + 0.04, CLIENT, RADIO, 'C2|client udpport 4991');
  line(T0 + 0.05, RADIO, CLIENT, 'R2|0|');
  line(T0 + 0.06, CLIENT, RADIO, `C3|display pan create x=${PIXELS} y=100`);
  line(T0 + 0.07, RADIO, CLIENT, `S3621C7F5|display pan 0x40000000 client_handle=0x3621C7F5 x_pixels=${PIXELS} y_pixels=100 fps=25\nR3|0|0x40000000`);
  for (let s = 1; s < SECONDS; s++) {
    line(T0 + s, CLIENT, RADIO, `C${10 + s}|ping ms_timestamp=${s * 1000}`);
    line(T0 + s + 0.002, RADIO, CLIENT, `R${10 + s}|0|`);
  }
  let meter = 0;
  let fft = 0;
  for (let ms = 0; ms < (SECONDS - 0.5) * 1000; ms++) {
    const ts = T0 + 0.5 + ms / 1000;
    const out: Buffer[] = [];
    if (ms % 36 === 0) out.push(meterPacket(meter++, [[24, -12000]]));
    if (ms % 40 === 0) {
      const frame = ms / 40;
      for (const [start, n] of order(frame)) out.push(fftPacket(0x40000000, fft++, frame, start, new Array<number>(n).fill(50), PIXELS));
    }
    for (const payload of out) if (deliver(payload)) ev.push({ type: 'udp', ts, src: DATA_SRC, dst: DATA_DST, payload, df: true, ipLength: payload.length + 28 });
  }
  return ev;
}

function verdictOf(ev: NetEvent[]): string {
  const a = new Analyzer();
  for (const e of ev) a.feed(e);
  a.finish();
  const v = a.judge().verdict;
  return v.hop && v.cause ? `${v.hop}/${v.cause}` : v.status;
}

/** The path MTU: IP datagrams above 1400 B are dropped (DF set), as a 1400-byte tunnel does. */
const mtu1400 = (payload: Buffer): boolean => payload.length + 28 <= 1400;

test('fragment sizes are the reference’s arithmetic: the two full fragments exceed 1400 B on the wire, the remainder does not', () => {
  const sizes = FRAGMENTS.map(([s, n]) => fftPacket(0x40000000, 0, 0, s, new Array<number>(n).fill(0), PIXELS).length + 28);
  assert.deepEqual(sizes, [28 + 28 + 12 + 1400 + 4, 28 + 28 + 12 + 1400 + 4, 28 + 28 + 12 + 1200 + 4]);
});

test('large FFT fragments lost, sent in ascending order: mtu', () => {
  assert.equal(verdictOf(session(() => FRAGMENTS, mtu1400)), 'data:panadapter/mtu');
});

test('large FFT fragments lost, sent in descending order (the remainder first): mtu', () => {
  assert.equal(verdictOf(session(() => [...FRAGMENTS].reverse(), mtu1400)), 'data:panadapter/mtu');
});

test('large FFT fragments lost, sent in a different shuffled order every frame: mtu, for every one of 20 seeds', () => {
  for (let seed = 1; seed <= 20; seed++) {
    const rnd = prng(seed);
    const shuffled: Order = () => {
      const f = [...FRAGMENTS];
      for (let i = f.length - 1; i > 0; i--) {
        const j = Math.floor(rnd() * (i + 1));
        [f[i], f[j]] = [f[j]!, f[i]!];
      }
      return f;
    };
    assert.equal(verdictOf(session(shuffled, mtu1400)), 'data:panadapter/mtu', `seed ${seed}`);
  }
});

test('fragments lost at random whatever their size (10 % of datagrams, path MTU 1500): never mtu, over 20 seeds', () => {
  for (let seed = 1; seed <= 20; seed++) {
    const rnd = prng(seed);
    const got = verdictOf(session(() => FRAGMENTS, () => rnd() >= 0.1));
    assert.notEqual(got.split('/')[1], 'mtu', `seed ${seed}: ${got}`);
  }
});

test('only the small remainder goes missing, at random (30 % of them): never mtu, over 20 seeds', () => {
  for (let seed = 1; seed <= 20; seed++) {
    const rnd = prng(seed);
    const got = verdictOf(session(() => FRAGMENTS, (p) => p.length + 28 > 1400 || rnd() >= 0.3));
    assert.notEqual(got.split('/')[1], 'mtu', `seed ${seed}: ${got}`);
  }
});
