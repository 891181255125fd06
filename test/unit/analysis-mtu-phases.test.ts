/**
 * A capture of the probe's MTU steps (`client set enforce_network_mtu=1 network_mtu=N`, reference §5.6):
 * the radio re-sizes its waterfall tiles to N − 64 bytes of UDP payload at each step, so a path that
 * drops datagrams above 1400 B loses every tile at 1500 and 1450 and none at 1400. Read as one session
 * that is loss growing with the rate; judged per MTU phase it is the live verdict: an MTU limit, and
 * 1400 is the setting that passes. Sessions are assembled here from the reference's numbers.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Analyzer } from '../../src/analysis/analyzer.js';
import type { Endpoint, NetEvent } from '../../src/capture/types.js';
import { CLIENT, RADIO } from '../helpers/scenario.js';
import { fftPacket, meterPacket, waterfallPacket } from '../helpers/packets.js';

const DATA_SRC: Endpoint = { ip: RADIO.ip, port: 4993 };
const DATA_DST: Endpoint = { ip: CLIENT.ip, port: 4991 };
const T0 = 1_700_000_000;
const LINE_BINS = 3360;

/**
 * Bins per waterfall tile at network_mtu N: UDP payload N − 64 (reference §3.2: 1436 at 1500) less the
 * 28-byte VITA header, the 36-byte tile header and 4 trailing bytes, 2 bytes a bin → 684 at 1500.
 */
const binsPerTile = (mtu: number): number => (mtu - 64 - 28 - 36 - 4) / 2;

/**
 * A LAN session whose client sets each MTU of `phases` in turn, on a path that drops IP datagrams above
 * `path` bytes (a path MTU) or, given a filter, the UDP payloads it refuses.
 */
function session(phases: Array<{ mtu: number; seconds: number }>, path: number | ((payload: Buffer) => boolean)): NetEvent[] {
  const passes = typeof path === 'number' ? (payload: Buffer): boolean => payload.length + 28 <= path : path;
  const ev: NetEvent[] = [];
  let seq = 1;
  const command = (ts: number, text: string, reply = ''): void => {
    ev.push({ type: 'tcp-data', ts, src: CLIENT, dst: RADIO, data: Buffer.from(`C${seq}|${text}\n`) });
    ev.push({ type: 'tcp-data', ts: ts + 0.002, src: RADIO, dst: CLIENT, data: Buffer.from(`R${seq}|0|${reply}\n`) });
    seq++;
  };
  const status = (ts: number, body: string): void => void ev.push({ type: 'tcp-data', ts, src: RADIO, dst: CLIENT, data: Buffer.from(`S3621C7F5|${body}\n`) });
  ev.push({ type: 'tcp-open', ts: T0, src: CLIENT, dst: RADIO });
  ev.push({ type: 'tcp-data', ts: T0 + 0.01, src: RADIO, dst: CLIENT, data: Buffer.from('V1.4.0.0\nH3621C7F5\n') });
  command(T0 + 0.02, 'client program FlexPath');
  command(T0 + 0.04, `client set enforce_network_mtu=1 network_mtu=${phases[0]!.mtu}`);
  command(T0 + 0.06, 'sub meter all');
  status(T0 + 0.07, 'meter 24.src=SLC#24.num=0#24.nam=LEVEL#24.low=-150.0#24.hi=10.0#24.desc=Signal#24.unit=dBm#24.fps=10#');
  command(T0 + 0.08, 'client udpport 4991');
  status(T0 + 0.1, 'display pan 0x40000000 client_handle=0x3621C7F5 x_pixels=50 y_pixels=20 fps=25 waterfall=0x42000000');
  status(T0 + 0.1, 'display waterfall 0x42000000 client_handle=0x3621C7F5 x_pixels=50 line_duration=50 panadapter=0x40000000');
  command(T0 + 0.1, 'display panafall create x=50 y=20', '0x40000000,0x42000000');
  const counts = { meter: 0, fft: 0, wf: 0, line: 0 };
  let t = T0 + 0.5;
  for (const [i, p] of phases.entries()) {
    if (i > 0) command(t, `client set enforce_network_mtu=1 network_mtu=${p.mtu}`);
    const end = t + p.seconds;
    const per = binsPerTile(p.mtu);
    for (let ms = 0; t + ms / 1000 < end; ms++) {
      const ts = t + ms / 1000;
      const data: Buffer[] = [];
      if (ms % 36 === 0) data.push(meterPacket(counts.meter++, [[24, -12000]]));
      if (ms % 40 === 0) data.push(fftPacket(0x40000000, counts.fft++, counts.fft, 0, new Array(50).fill(15), 50));
      if (ms % 50 === 0) {
        for (let first = 0; first < LINE_BINS; first += per) data.push(waterfallPacket(0x42000000, counts.wf++, counts.line, first, Math.min(per, LINE_BINS - first), LINE_BINS));
        counts.line++;
      }
      if (ms % 1000 === 0) command(ts, `ping ms_timestamp=${ms}`);
      for (const payload of data) if (passes(payload)) ev.push({ type: 'udp', ts, src: DATA_SRC, dst: DATA_DST, payload, df: true, ipLength: payload.length + 28 });
    }
    t = end;
  }
  return ev.sort((a, b) => a.ts - b.ts);
}

function analyse(ev: NetEvent[]) {
  const a = new Analyzer();
  for (const e of ev) a.feed(e);
  a.finish();
  return a.report({ kind: 'file', name: 'probe.pcapng' } as never);
}

test('a capture of the probe’s MTU steps on a 1400-byte path: mtu at the run’s 1450, and 1400 passes — not loss growing with the rate', () => {
  // The judged run at 1450 (1414-byte tiles: 1442 B on the wire, dropped), then the steps 1500, 1450, 1400.
  const r = analyse(session([{ mtu: 1450, seconds: 4 }, { mtu: 1500, seconds: 1.8 }, { mtu: 1450, seconds: 1.8 }, { mtu: 1400, seconds: 1.8 }], 1400));
  assert.equal(r.verdict.hop, 'data:waterfall');
  assert.equal(r.verdict.cause, 'mtu');
  const wf = r.hops.find((h) => h.id === 'data:waterfall')!;
  // At 1400 the tiles are 1336-byte payloads (1364 B on the wire): 1.5 s after the drain ≈ 30 lines.
  assert.ok(wf.evidence.some((e) => /network_mtu 1500: 0 large packets arrived; network_mtu 1450: 0 large packets arrived; network_mtu 1400: passes \(\d+ large packets, largest 1364 B on the wire\)/.test(e)), wf.evidence.join('\n'));
  assert.match(r.verdict.advice[0] ?? '', /set SmartSDR’s MTU to 1400/);
  // Every stream of every phase is still listed: each phase's line ends in a remainder tile small enough to
  // pass (1500: 3360 − 4 × 684 = 624 bins, 1344 B on the wire; 1450: 65 bins), so the waterfall is in all four.
  assert.equal(r.streams.filter((s) => s.id === '0x42000000').length, 4);
});

test('a capture that begins in the last 0.15 s of the 1500 step: that remnant (3 lines) does not decide; 1450 does, and 1400 passes', () => {
  const probe = session([{ mtu: 1450, seconds: 4 }, { mtu: 1500, seconds: 1.8 }, { mtu: 1450, seconds: 1.8 }, { mtu: 1400, seconds: 1.8 }], 1400);
  // The run starts at T0 + 0.5 and lasts 4 s; the 1500 step ends 1.8 s later.
  const joined = probe.filter((e) => e.ts >= T0 + 0.5 + 4 + 1.8 - 0.15);
  const r = analyse(joined);
  assert.equal(r.verdict.hop, 'data:waterfall');
  assert.equal(r.verdict.cause, 'mtu', JSON.stringify(r.verdict));
  assert.match(r.verdict.advice[0] ?? '', /set SmartSDR’s MTU to 1400 .*large packets at 1450 did not arrive/);
});

test('MTU phases on a path that carries them all: healthy, the MTU change is no loss', () => {
  const r = analyse(session([{ mtu: 1500, seconds: 4 }, { mtu: 1450, seconds: 3 }], 1500));
  assert.equal(r.verdict.status, 'healthy', JSON.stringify(r.verdict));
});

/** The probe's judged run at SmartSDR's 1450, then its four steps down to 1300 (mtu-step.ts MTU_STEPS). */
const PROBE = [{ mtu: 1450, seconds: 4 }, { mtu: 1500, seconds: 1.8 }, { mtu: 1450, seconds: 1.8 }, { mtu: 1400, seconds: 1.8 }, { mtu: 1300, seconds: 1.8 }];
/** VITA-49 stream ID, word 1 (reference §1): its top byte 0x42 is a waterfall's (reference §2.4). */
const isWaterfall = (payload: Buffer): boolean => payload[4] === 0x42;

test('a router that drops the waterfall’s stream whatever its size: every MTU step down to 1300 carries none — a filter, not the MTU', () => {
  const r = analyse(session(PROBE, (payload) => !isWaterfall(payload)));
  assert.equal(r.verdict.hop, 'data:waterfall');
  assert.equal(r.verdict.status, 'blocked');
  assert.equal(r.verdict.rule, 'data-missing-any-size');
  assert.equal(r.verdict.cause, 'udp-blocked-inbound');
  const wf = r.hops.find((h) => h.id === 'data:waterfall')!;
  assert.match(wf.evidence[0] ?? '', /^network_mtu 1500, 1450, 1400 and 1300 later in the session \(client set network_mtu\): not one waterfall packet arrived/);
  assert.ok(!r.verdict.advice.some((a) => /set SmartSDR’s MTU to/.test(a)), r.verdict.advice.join(' | '));
  assert.equal(r.hops.find((h) => h.id === 'data:panadapter')!.status, 'ok');
});

test('the same session on a path that drops datagrams of 1400 B and more (a size filter, not an MTU): 1400 passes, mtu with that setting', () => {
  // At 1450 every full tile is a 1442-byte datagram (dropped), at 1400 1364 B (passes): what the user needs is the 1400 setting.
  const r = analyse(session(PROBE.slice(0, 4), (payload) => payload.length + 28 < 1400));
  assert.equal(r.verdict.hop, 'data:waterfall');
  assert.equal(r.verdict.cause, 'mtu');
  assert.match(r.verdict.advice[0] ?? '', /^set SmartSDR’s MTU to 1400 .*large packets at 1450 did not arrive, at 1400 they did/);
});

test('a filter on the radio’s data port takes every class at every MTU: the return path is blocked, no MTU and no waterfall-only filter', () => {
  const r = analyse(session(PROBE, () => false));
  assert.equal(r.verdict.hop, 'udp-return');
  assert.equal(r.verdict.cause, 'udp-blocked-inbound');
  assert.notEqual(r.hops.find((h) => h.id === 'data:waterfall')!.rule, 'data-missing-large');
});

test('a session already at network_mtu 1300 whose waterfall never arrives, on a path dropping its stream: a filter, with no step taken', () => {
  // 1300 → 1236-byte payloads, 1264 B on the wire: they fit a 1280-byte path, so no MTU explains the loss.
  const r = analyse(session([{ mtu: 1300, seconds: 6 }], (payload) => !isWaterfall(payload)));
  assert.equal(r.verdict.rule, 'data-missing-any-size');
  assert.equal(r.verdict.cause, 'udp-blocked-inbound');
  // The same filter at SmartSDR's 1450 and no step: the run alone is the MTU signature, and says so.
  const at1450 = analyse(session([{ mtu: 1450, seconds: 6 }], (payload) => !isWaterfall(payload)));
  assert.equal(at1450.verdict.rule, 'data-missing-large');
});

test('a judged run of 0.8 s whose network_mtu command the capture holds (a live probe decides as soon as the silence is certain): it decides, not the 1500 step after it', () => {
  // The probe's --write recording holds the run from its `client set … network_mtu=1450` on, then the steps: the
  // run is a whole phase however short, as live diagnose judged it, and every step follows it.
  const r = analyse(session([{ mtu: 1450, seconds: 0.8 }, ...PROBE.slice(1)], (payload) => !isWaterfall(payload)));
  assert.equal(r.verdict.rule, 'data-missing-any-size');
  assert.equal(r.verdict.cause, 'udp-blocked-inbound');
  assert.match(r.hops.find((h) => h.id === 'data:waterfall')!.evidence[0] ?? '', /^network_mtu 1500, 1450, 1400 and 1300 later in the session \(client set network_mtu\): not one waterfall packet arrived at any step nor in the run at 1450/);
});
