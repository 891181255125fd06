/**
 * Lab captures: a radio that sends a requested audio stream in a class FlexPath's table does not list —
 * 0x03E4, which the reference's bit field (§2.3: is_float, is_audio, 2 frames, 32 bits, rate code 4) reads
 * as float32 stereo audio at 48 kHz, or a FlexRadio-private class (0x8006) on the stream id the session's
 * status announced as remote audio — as a FLEX-8000/Aurora or a later firmware might send (no capture of
 * one: UNCONFIRMED). Its packets all arrive; the verdict may not say the audio never does. Expected values
 * come from the bit field, the status line and the scenario's construction.
 */
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import type { NetEvent } from '../../src/capture/types.js';
import { classifyCodes, encodePacket, FLEX_OUI } from '../../src/vita/index.js';
import { analyzeEvents } from '../helpers/capture-files.js';
import { flexHeader } from '../helpers/packets.js';
import { CLIENT, RADIO, lanScenario } from '../helpers/scenario.js';

const dir = mkdtempSync(join(tmpdir(), 'fp-lab-pcc-'));
const AUDIO = 0x04000009;
/** Reference §2.3 bit field: 0b11_1110_0100 — float, audio, 2 frames per sample, 32 bits, rate code 4 (48 kHz). */
const FLOAT_STEREO_48K = 0x03e4;

/** The events' capture analysed: stream 0x04000009 is audio with all `sent` packets, none lost, and the verdict healthy. */
async function assertAudioWhole(name: string, events: NetEvent[], sent: number): Promise<void> {
  const report = await analyzeEvents(join(dir, name), events);
  const audio = report.streams.find((s) => Number(s.id) === AUDIO);
  assert.equal(audio?.kind, 'audio');
  assert.equal(audio?.packets, sent);
  assert.equal(audio?.lost, 0);
  assert.equal(report.hops.find((h) => h.id === 'data:audio')?.status, 'ok');
  assert.equal(report.verdict.status, 'healthy', `${report.verdict.rule}: ${report.verdict.summary}`);
}

test('sample classes outside the table are read by their bit field (reference §2.3); other layouts stay unknown', () => {
  assert.deepEqual(classifyCodes(FLEX_OUI, FLOAT_STEREO_48K), { kind: 'audio', audioFormat: 'float32-stereo' });
  // 0x0124: integer, audio, 1 frame, 16 bits, 48 kHz.
  assert.deepEqual(classifyCodes(FLEX_OUI, 0x0124), { kind: 'audio', audioFormat: 'int16-mono' });
  // 0x02E7: float, RF, 2 frames, 32 bits, rate code 7 (384 kHz): I/Q pairs as every DAX IQ class.
  assert.deepEqual(classifyCodes(FLEX_OUI, 0x02e7), { kind: 'dax-iq', sampleRate: 384_000 });
  // 0x0100 is the waveform SDK's 8-bit byte data; 0x03C3 float stereo of 24 bits is no layout a client reads.
  assert.deepEqual(classifyCodes(FLEX_OUI, 0x0100), { kind: 'other' });
  assert.deepEqual(classifyCodes(FLEX_OUI, 0x03c3), { kind: 'other' });
  // Another vendor's class stays another vendor's.
  assert.deepEqual(classifyCodes(0x123456, FLOAT_STEREO_48K), { kind: 'other' });
});

test('uncompressed remote audio in class 0x03E4 (48 kHz float stereo, 375 packets/s): every packet counted as audio, healthy (was blocked: "the radio’s audio never reaches this computer")', async () => {
  const base = lanScenario({ withAudio: true, seconds: 4 });
  const dataStart = base.find((e) => e.type === 'udp')!.ts;
  const dataEnd = base.filter((e) => e.type === 'udp').at(-1)!.ts;
  const events: NetEvent[] = base
    .filter((e) => !(e.type === 'udp' && e.payload.readUInt32BE(4) === AUDIO))
    .map((e) => (e.type === 'tcp-data' ? { ...e, data: Buffer.from(e.data.toString('latin1').replace('compression=opus', 'compression=none').replace('compression=OPUS', 'compression=none'), 'latin1') } : e));
  // 128 stereo frames per packet (reference §3.6) at 48 kHz: one packet every 128/48000 s.
  let sent = 0;
  for (let ts = dataStart; ts <= dataEnd; ts = dataStart + (++sent * 128) / 48_000) {
    const payload = encodePacket({ kind: 'audio', header: flexHeader(FLOAT_STEREO_48K, AUDIO, sent), payload: { format: 'float32-stereo', samples: new Float32Array(256) } });
    events.push({ type: 'udp', ts, src: { ip: RADIO.ip, port: 4993 }, dst: { ip: CLIENT.ip, port: 4991 }, payload, df: true, ipLength: payload.length + 28 });
  }
  events.sort((a, b) => a.ts - b.ts);
  await assertAudioWhole('float48k.pcapng', events, sent);
});

test('remote audio in a FlexRadio-private class the table does not list (0x8006), on the stream id its status announced: counted as that audio, healthy (was blocked: "never reaches")', async () => {
  const events: NetEvent[] = lanScenario({ withAudio: true, seconds: 4 }).map((e) => {
    if (e.type !== 'udp' || e.payload.readUInt32BE(4) !== AUDIO) return e;
    // The same count and time, a word-aligned payload (the size field then covers it exactly) in class 0x8006.
    const payload = encodePacket({ kind: 'other', header: flexHeader(0x8006, AUDIO, e.payload.readUInt8(1) & 0x0f), payload: Buffer.alloc(96, 0x5a) });
    return { ...e, payload, ipLength: payload.length + 28 };
  });
  await assertAudioWhole('private-class.pcapng', events, events.filter((e) => e.type === 'udp' && e.payload.readUInt32BE(4) === AUDIO).length);
});

const PAN = 0x40000000;
const WATERFALL = 0x42000000;
const STRAY = 0x40000001;

/**
 * The scenario's FFT and waterfall packets (and a stray pan id no status names) re-sent in FlexRadio-private
 * classes the table does not list, same stream ids, counts and times, their payload word-aligned.
 */
function privateClassPans(o: { slowWaterfall?: boolean } = {}): NetEvent[] {
  const base = lanScenario({ withAudio: true, seconds: 4 });
  const out: NetEvent[] = [];
  let wfCount = 0;
  for (const e of base) {
    if (e.type === 'tcp-data' && o.slowWaterfall) {
      out.push({ ...e, data: Buffer.from(e.data.toString('latin1').replace('line_duration=50', 'line_duration=100'), 'latin1') });
      continue;
    }
    const id = e.type === 'udp' ? e.payload.readUInt32BE(4) : 0;
    if (e.type !== 'udp' || (id !== PAN && id !== WATERFALL)) {
      out.push(e);
      continue;
    }
    // A waterfall of 100-ms lines: every other line of the 50-ms one, its counter running on unbroken.
    const timecode = id === WATERFALL ? e.payload.readUInt32BE(28 + 24) : 0;
    if (o.slowWaterfall && timecode % 2 === 1) continue;
    const count = id === WATERFALL ? wfCount++ : e.payload.readUInt8(1) & 0x0f;
    const body = e.payload.subarray(28);
    const payload = encodePacket({ kind: 'other', header: flexHeader(id === PAN ? 0x8007 : 0x8008, id, count), payload: Buffer.concat([body, Buffer.alloc((4 - (body.length % 4)) % 4)]) });
    out.push({ ...e, payload, ipLength: payload.length + 28 });
    if (id === PAN) {
      const stray = encodePacket({ kind: 'other', header: flexHeader(0x8007, STRAY, count), payload: Buffer.alloc(64) });
      out.push({ ...e, payload: stray, ipLength: stray.length + 28 });
    }
  }
  return out;
}

for (const slowWaterfall of [false, true]) {
  test(`a pan and its waterfall${slowWaterfall ? ' (100-ms lines)' : ''} in FlexRadio-private classes the table does not list, on the ids their status announced: counted as that pan and waterfall, healthy (was blocked: "never reaches")`, async () => {
    const events = privateClassPans({ slowWaterfall });
    const sent = (id: number): number => events.filter((e) => e.type === 'udp' && e.payload.readUInt32BE(4) === id).length;
    const report = await analyzeEvents(join(dir, `private-pan-${slowWaterfall ? 'slow' : 'fast'}.pcapng`), events);
    for (const [id, kind] of [[PAN, 'panadapter'], [WATERFALL, 'waterfall'], [STRAY, 'other']] as const) {
      const s = report.streams.find((x) => Number(x.id) === id);
      assert.equal(s?.kind, kind, `0x${id.toString(16)}`);
      assert.equal(s?.packets, sent(id));
      assert.equal(s?.lost, 0);
    }
    assert.equal(report.hops.find((h) => h.id === 'data:panadapter')?.status, 'ok');
    assert.equal(report.hops.find((h) => h.id === 'data:waterfall')?.status, 'ok');
    // A line's five tiles come 0.1 ms apart, lines 50 or 100 ms apart: read per packet, that spacing is no jitter.
    assert.equal(report.verdict.status, 'healthy', `${report.verdict.rule}: ${report.verdict.summary}`);
  });
}
