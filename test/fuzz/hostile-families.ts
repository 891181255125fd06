/**
 * Hostile capture families (issue 13), written frame by frame so the same generator feeds the fuzzer
 * (small random captures) and the bench (a gigabyte each):
 * - `fragments`: IP datagrams cut into fragments of random sizes (some 8-byte), shuffled, a third of
 *   them missing a piece, some pieces repeated — reassembly state for thousands of datagrams;
 * - `tcp-holes`: 4096 API directions whose segments arrive with holes that never fill — every
 *   direction holds bytes behind a hole;
 * - `sessions`: new TCP connections to the API port without end, each sending commands nobody answers;
 * - `stream-ids`: VITA-49 packets (meters, FFT) each under a stream ID never seen before.
 * Every frame is well-formed (checksums right), so the analysis does the full work on each.
 */
import { buildTcp, buildUdp } from '../../src/capture/build.js';
import type { Endpoint } from '../../src/capture/types.js';
import { ipv4Fragment } from '../helpers/fragments.js';
import { fftPacket, meterPacket } from '../helpers/packets.js';
import { type Rnd, int } from './mutate.js';

export const FAMILIES = ['fragments', 'tcp-holes', 'sessions', 'stream-ids'] as const;
export type Family = (typeof FAMILIES)[number];

/** Receives frames in capture order; returns false to stop the generator. */
export type FrameSink = (ts: number, frame: Buffer) => boolean;


const T0 = 1_700_000_000;
const RADIO_IP = '192.168.1.20';
const CLIENT: Endpoint = { ip: '192.168.1.10', port: 4991 };

function fragments(rnd: Rnd, emit: FrameSink): void {
  let ts = T0;
  for (let id = 0; ; id++) {
    const src = { ip: `10.${int(rnd, 256)}.${int(rnd, 256)}.${1 + int(rnd, 254)}`, port: 4993 };
    const size = 800 + int(rnd, 15_000);
    const whole = buildUdp({ src, dst: CLIENT, payload: Buffer.alloc(size, id & 0xff), ipId: id & 0xffff });
    const ipPayload = whole.length - 34;
    // One datagram in ten is cut into tiny (8–64 byte) pieces, the rest at a 1480-byte MTU or below.
    const piece = rnd() < 0.1 ? 8 * (1 + int(rnd, 8)) : 8 * (60 + int(rnd, 126));
    const frames: Buffer[] = [];
    for (let off = 0; off < ipPayload; off += piece) frames.push(ipv4Fragment(whole, off, Math.min(piece, ipPayload - off), off + piece < ipPayload));
    if (rnd() < 0.33) frames.splice(int(rnd, frames.length), 1);
    for (let i = frames.length - 1; i > 0; i--) {
      const j = int(rnd, i + 1);
      [frames[i], frames[j]] = [frames[j]!, frames[i]!];
    }
    if (rnd() < 0.1 && frames.length > 0) frames.push(frames[int(rnd, frames.length)]!);
    for (const f of frames) if (!emit((ts += 1e-5), f)) return;
  }
}

function tcpHoles(rnd: Rnd, emit: FrameSink): void {
  const dirs = 4096;
  const seq = new Uint32Array(dirs).map(() => int(rnd, 2 ** 32));
  const text = Buffer.from('S12345678|slice 0 RF_frequency=14.074000 mode=USB rxant=ANT1 filter_lo=100 filter_hi=2900 step=10\n'.repeat(15));
  let ts = T0;
  for (;;) {
    const d = int(rnd, dirs);
    const src = { ip: RADIO_IP, port: 4992 };
    const dst = { ip: `10.${(d >> 8) & 255}.${d & 255}.9`, port: 50_000 + (d & 1023) };
    const len = 200 + int(rnd, 1200);
    const seg = buildTcp({ src, dst, seq: seq[d]!, flags: { ack: true, psh: true }, payload: text.subarray(0, len) });
    seq[d] = (seq[d]! + len) >>> 0;
    // One segment in eight is lost for good: everything after it waits behind the hole.
    if (rnd() < 0.125) continue;
    if (!emit((ts += 1e-5), seg)) return;
  }
}

function sessions(rnd: Rnd, emit: FrameSink): void {
  const radio = { ip: RADIO_IP, port: 4992 };
  let ts = T0;
  for (let n = 0; ; n++) {
    const client = { ip: `10.${(n >> 16) & 255}.${(n >> 8) & 255}.${n & 255}`, port: 1024 + int(rnd, 60_000) };
    const isn = int(rnd, 2 ** 32);
    if (!emit((ts += 1e-5), buildTcp({ src: client, dst: radio, seq: isn, flags: { syn: true } }))) return;
    let lines = '';
    for (let i = 1, k = 2 + int(rnd, 30); i <= k; i++) lines += `C${i}|${rnd() < 0.5 ? 'ping' : `sub slice all ${'x'.repeat(int(rnd, 40))}`}\n`;
    if (!emit((ts += 1e-5), buildTcp({ src: client, dst: radio, seq: isn + 1, flags: { ack: true, psh: true }, payload: Buffer.from(lines) }))) return;
  }
}

function streamIds(rnd: Rnd, emit: FrameSink): void {
  const src = { ip: RADIO_IP, port: 4993 };
  const bins = Array.from({ length: 684 }, (_, i) => i);
  const templates = [meterPacket(0, [[1, 2], [3, 4], [5, 6]]), fftPacket(0x40000000, 0, 1, 0, bins, 684)];
  let ts = T0;
  for (let n = 0; ; n++) {
    const p = Buffer.from(templates[int(rnd, templates.length)]!);
    p.writeUInt32BE(int(rnd, 2 ** 32), 4);
    p[1] = (p[1]! & 0xf0) | (n & 15);
    if (!emit((ts += 1e-5), buildUdp({ src, dst: CLIENT, payload: p }))) return;
  }
}

const GENERATORS: Record<Family, (rnd: Rnd, emit: FrameSink) => void> = {
  fragments,
  'tcp-holes': tcpHoles,
  sessions,
  'stream-ids': streamIds,
};

/** Emits frames of `family` until `emit` returns false. */
export function generateFamily(family: Family, rnd: Rnd, emit: FrameSink): void {
  GENERATORS[family](rnd, emit);
}
