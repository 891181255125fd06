/**
 * Mutated and random UDP payloads through the VITA-49 codec (decodePacket, scanPacket, reassembly,
 * beacon reading) and through the analysis stream tracker (Analyzer.feed with UdpEvents).
 *
 * Invariants: only DecodeError leaves the codec, and it names an offset inside the datagram; decoded
 * arrays never outgrow the datagram; whatever the full decoder takes whole, the fast scan takes with the
 * same fields; decode → encode gives the datagram back; the tracker never throws, counts every datagram
 * the scan accepts exactly once (in a stream, or as untracked past the stream bound), keeps its state
 * within its bounds, and its report renders.
 */
import { isDeepStrictEqual } from 'node:util';
import { readFileSync } from 'node:fs';
import { Analyzer } from '../../src/analysis/analyzer.js';
import type { AnalysisReport } from '../../src/analysis/model.js';
import type { Endpoint, UdpEvent } from '../../src/capture/types.js';
import {
  FftFrameAssembler, PCC, type VitaPacket, WaterfallLineAssembler, decodePacket, encodePacket, header, readBeacon,
} from '../../src/vita/index.js';
import { coalescedSize, newScan, scanPacket } from '../../src/vita/scan.js';
import { DecodeError } from '../../src/common/decode-error.js';
import { fftPacket, flexHeader, meterPacket, opusPacket, waterfallPacket } from '../helpers/packets.js';
import { fixture } from '../helpers/paths.js';
import { type FuzzOptions, type FuzzResult, Recorder, describeError, hexHead, inputRandom } from './harness.js';
import { type Rnd, flipBytes, int, pick, randomBytes } from './mutate.js';
import { checkAnalyzer } from './report-check.js';

let seedCache: Buffer[] | undefined;

/** One datagram of every payload layout the codec knows, plus the client's UDP registration text. */
function seeds(): Buffer[] {
  seedCache ??= [
    readFileSync(fixture('flex6700-discovery-datagram.bin')),
    meterPacket(3, [[1, -32000], [24, -12000], [21, 128]]),
    fftPacket(0x40000000, 5, 9, 0, Array.from({ length: 50 }, (_, i) => i * 7), 50),
    fftPacket(0x40000000, 6, 10, 25, [1, 2, 3, 4], 50),
    waterfallPacket(0x42000000, 1, 4, 684, 684, 3360),
    waterfallPacket(0x42000000, 2, 4, 0, 8, 8),
    opusPacket(0x04000009, 2, 61),
    encodePacket({ kind: 'audio', header: flexHeader(PCC.ifNarrow, 0x04000008, 1), payload: { format: 'float32-stereo', samples: Float32Array.from([0.5, -0.25, 0.125, 1]) } }),
    encodePacket({ kind: 'audio', header: flexHeader(PCC.ifNarrowReducedBw, 0x04000008, 2), payload: { format: 'int16-mono', samples: Int16Array.from([1, -2, 32767, -32768]) } }),
    encodePacket({ kind: 'dax-iq', header: flexHeader(PCC.daxIq48k, 0x20000000, 0, 1), payload: { byteOrder: 'le', samples: Float32Array.from([100, -200, 3000, -4000]) } }),
    encodePacket({
      kind: 'other',
      header: { ...flexHeader(0x1234, 0x1, 0), trailerFlag: true },
      payload: Buffer.from('not a flex class'),
      trailer: { enables: 0x800, indicators: 0x800, contextCountEnabled: true, contextCount: 3 },
    }),
    // Waveform meter packets carry no timestamps (reference §1.2).
    encodePacket({ kind: 'meter', header: { ...flexHeader(PCC.meter, 0x700, 4), tsi: 0, tsf: 0 }, payload: { readings: [{ id: 7, raw: 1 }] } }),
    Buffer.from('client udp_register handle=0x3621C7F5'),
    Buffer.from('client ping handle=0x3621C7F5'),
  ];
  return seedCache;
}

/** One fuzz datagram: random bytes, or a seed cut, extended and/or with bytes changed near its headers. */
function datagram(rnd: Rnd): Buffer {
  const r = rnd();
  let buf: Buffer;
  if (r < 0.08) {
    buf = randomBytes(rnd, int(rnd, 72));
  } else {
    buf = Buffer.from(pick(rnd, seeds()));
    if (rnd() < 0.25) buf = buf.subarray(0, int(rnd, buf.length + 1));
    else if (rnd() < 0.05) buf = Buffer.concat([buf, randomBytes(rnd, 1 + int(rnd, 8))]);
    const b = buf;
    // Most interesting fields (header, class ID, payload sub-headers) sit in the first 80 bytes.
    flipBytes(b, rnd, 1 + int(rnd, 4), () => (rnd() < 0.7 ? int(rnd, Math.min(b.length, 80)) : int(rnd, b.length)));
  }
  // Half the time make the size field agree with the datagram, so the change reaches payload decoders
  // and the tracker (which ignores datagrams whose size field disagrees).
  if (buf.length >= 4 && rnd() < 0.5) {
    if (rnd() < 0.8) buf = buf.subarray(0, buf.length - (buf.length % 4));
    if (buf.length >= 4) buf.writeUInt16BE(Math.min(0xffff, Math.ceil(buf.length / 4)), 2);
  }
  return buf;
}

interface CodecState {
  scan: ReturnType<typeof newScan>;
  fft: FftFrameAssembler;
  wf: WaterfallLineAssembler;
}

/** Checks one datagram against the codec; returns the outcome name, or throws a string naming the broken invariant. */
function codecInput(buf: Buffer, st: CodecState): string {
  let packet: VitaPacket;
  let excess: number;
  try {
    ({ packet, excess } = decodePacket(buf));
  } catch (e) {
    if (!(e instanceof DecodeError)) throw `decodePacket threw ${describeError(e)}`;
    if (!(e.offset >= 0 && e.offset <= buf.length)) throw `DecodeError offset ${e.offset} is outside the ${buf.length}-byte datagram (${e.message})`;
    scanPacket(buf, st.scan);
    return `DecodeError: ${e.field}`;
  }
  if ((packet.kind === 'panadapter' || packet.kind === 'waterfall') && packet.payload.bins.byteLength > buf.length) {
    throw `${packet.kind} bins take ${packet.payload.bins.byteLength} bytes from a ${buf.length}-byte datagram`;
  }
  if (packet.kind === 'panadapter') st.fft.push(packet.payload);
  if (packet.kind === 'waterfall') st.wf.push(packet.payload);
  if (packet.kind === 'discovery') {
    try {
      readBeacon(packet.payload);
    } catch (e) {
      if (!(e instanceof DecodeError)) throw `readBeacon threw ${describeError(e)}`;
    }
  }
  const scanned = scanPacket(buf, st.scan);
  if (excess !== 0) return `decoded: ${packet.kind}, bytes after the declared size`;
  const h = header.decode(buf);
  const s = st.scan;
  if (!scanned) throw 'the full decoder took the datagram whole but scanPacket rejected it';
  if (s.packetType !== h.packetType || s.packetCount !== h.packetCount || s.streamId !== (h.streamId ?? 0)
    || s.packetClassCode !== (h.classId?.packetClassCode ?? 0) || s.oui !== (h.classId?.oui ?? 0)) {
    throw `scanPacket and header.decode disagree: ${JSON.stringify({ scan: s, header: { ...h, fractionalTimestamp: String(h.fractionalTimestamp) } })}`;
  }
  const again = encodePacket(packet);
  // Float payloads may hold NaNs whose bits JS canonicalises; then the decoded values must still agree.
  const floats = packet.kind === 'dax-iq' || (packet.kind === 'audio' && packet.payload.format === 'float32-stereo');
  if (!again.equals(buf) && !(floats && isDeepStrictEqual(decodePacket(again).packet, packet))) {
    throw `decode → encode changed the bytes: got ${hexHead(again)}`;
  }
  return `decoded: ${packet.kind}`;
}

export function fuzzCodec(opts: FuzzOptions): FuzzResult {
  const rec = new Recorder('codec', opts);
  const st: CodecState = { scan: newScan(), fft: new FftFrameAssembler(), wf: new WaterfallLineAssembler() };
  for (const i of rec.indices()) {
    const buf = datagram(inputRandom(opts.seed, 'codec', i));
    rec.begin(i);
    try {
      rec.outcome(codecInput(buf, st));
    } catch (e) {
      rec.fail(i, `${typeof e === 'string' ? e : describeError(e)}\n    datagram ${hexHead(buf, 96)}`);
    }
    rec.end(i, () => `${buf.length}-byte datagram ${hexHead(buf, 16)}`);
  }
  return rec.result;
}

/** Inputs between two checked reports of the run's one Analyzer. */
const SNAPSHOT_EVERY = 5000;
const RADIOS: Endpoint[] = [{ ip: '192.168.10.27', port: 4993 }, { ip: '192.168.10.28', port: 4993 }, { ip: 'fe80::1', port: 4992 }];
const CLIENTS: Endpoint[] = [{ ip: '192.168.10.20', port: 4991 }, { ip: '255.255.255.255', port: 4992 }];

/**
 * One Analyzer for the whole run, as for one long capture, so state that grows with the input shows:
 * every SNAPSHOT_EVERY inputs its report is checked (accounting, bounds, rendering), and at the end
 * after finish().
 */
export function fuzzTracker(opts: FuzzOptions): FuzzResult {
  const rec = new Recorder('tracker', opts);
  const scan = newScan();
  const a = new Analyzer();
  let accepted = 0;
  // Every datagram the scan accepts is counted once: in a stream, or as untracked past the bound; a
  // datagram of whole packets back to back (receive offload) once per packet.
  const accounting = (r: AnalysisReport): string | undefined => {
    const counted = r.streams.reduce((n, st) => n + st.packets, 0) + a.streams.untracked.packets;
    return counted === accepted ? undefined : `streams count ${counted} packets (untracked included), the scan accepted ${accepted}`;
  };
  let last = -1;
  for (const i of rec.indices()) {
    // Half the time the UI's panadapter taps full frames: that path decodes payloads.
    const tap = Math.floor(i / SNAPSHOT_EVERY) % 2 === 0 ? (): void => undefined : undefined;
    a.onFftFrame(tap);
    a.onWaterfallLine(tap);
    const rnd = inputRandom(opts.seed, 'tracker', i);
    const payload = datagram(rnd);
    // Time mostly moves forward by 1 ms; now and then it jumps, backwards too (several interfaces).
    const ts = 1_700_000_000 + i / 1000 + (rnd() < 0.01 ? (rnd() - 0.5) * 2000 : 0);
    const e: UdpEvent = { type: 'udp', ts, src: pick(rnd, RADIOS), dst: pick(rnd, CLIENTS), payload, df: rnd() < 0.5, ipLength: payload.length + 28 };
    const vita = scanPacket(payload, scan);
    const segment = vita ? 0 : coalescedSize(payload, scan);
    if (vita) accepted++;
    else if (segment > 0) accepted += Math.ceil(payload.length / segment);
    rec.begin(i);
    try {
      a.feed(e);
      rec.outcome(vita ? 'fed: VITA-49' : segment > 0 ? 'fed: VITA-49 packets back to back' : 'fed: not VITA-49');
    } catch (err) {
      // An analyzer that threw halfway cannot be judged any further.
      rec.fail(i, `Analyzer.feed threw ${describeError(err)}\n    datagram ${hexHead(payload, 96)}`, true);
      return rec.result;
    }
    rec.end(i, () => `${payload.length}-byte datagram ${hexHead(payload, 16)}`);
    last = i;
    if ((i + 1) % SNAPSHOT_EVERY === 0) checkAnalyzer(rec, i, a, false, accounting);
  }
  checkAnalyzer(rec, last, a, true, accounting);
  rec.outcome('malformed payloads the tracker noted', a.streams.streams.reduce((n, st) => n + st.payloadErrors, 0));
  rec.outcome('VITA-49 packets of streams past the bound', a.streams.untracked.packets);
  return rec.result;
}
