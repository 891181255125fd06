/**
 * Writes a large pcapng capture of generated FlexRadio LAN traffic for the capture benchmark, streaming:
 * memory stays at the writer's 1 MiB staging buffer whatever the size.
 *
 * The control session is the test scenario's (lanScenario: prologue, `client udpport 4991`, one
 * panafall, Opus audio, a ping a second), plus a second panafall and the pans widened the way SmartSDR
 * does after connecting (reference §3.1). Data follows the reference's rates and sizes (§3.1–§3.5):
 * per pan an FFT frame of 3 × 684 bins at 25 fps (1412-byte payloads) and a waterfall line of
 * 4 × 684 + 624 bins at 20 lines/s (1436/1316 bytes); meters at 28/s with 5–14 pairs; Opus at 100/s.
 * All of it goes to UDP port 4991, so tshark's `-d udp.port==4991,vrt` decodes it.
 *
 * The `meters` mix is the same session carrying only meter packets, 1000 a second: the small-packet
 * worst case for per-packet cost.
 */
import { closeSync, openSync, writeSync } from 'node:fs';
import { Writable } from 'node:stream';
import { EventCaptureWriter } from '../src/capture/event-writer.js';
import type { Endpoint, NetEvent } from '../src/capture/types.js';
import { formatStreamId, streamId } from '../src/vita/stream-id.js';
import { fftPacket, meterPacket, opusPacket, waterfallPacket } from '../test/helpers/packets.js';
import { CLIENT, RADIO, lanScenario } from '../test/helpers/scenario.js';

export type Mix = 'flex' | 'meters';

export interface WrittenCapture {
  /** Frames written (TCP handshake and control lines included). */
  frames: number;
  /** VITA-49 datagrams per stream ID as `0x…` (the analyze JSON's spelling). */
  perStream: Map<string, number>;
  /** Capture seconds covered by the data. */
  seconds: number;
}

/** lanScenario's clock and addressing, so the data continues its session. */
const T0 = 1_700_000_000;
const DATA_START = T0 + 0.5;
const DATA_SRC: Endpoint = { ip: RADIO.ip, port: 4993 };
const DATA_DST: Endpoint = { ip: CLIENT.ip, port: 4991 };
/** Ethernet + IPv4 + UDP headers, and the pcapng EPB framing around a frame. */
const UDP_FRAME_OVERHEAD = 14 + 20 + 8;
const epbBytes = (payload: number): number => 32 + ((payload + UDP_FRAME_OVERHEAD + 3) & ~3);

const PANS = [
  { fft: 0x40000000, wf: 0x42000000 },
  { fft: 0x40000001, wf: 0x42000001 },
];
const OPUS = 0x04000009;
const METER = 0x700;
const FFT_BINS = 3 * 684;
const WF_BINS = 3360;
const FFT_VALUES = Array.from({ length: 684 }, (_, i) => 300 + ((i * 37) % 150));
/** Meter IDs of one session (reference §3.3); a packet carries the first 5–14 of them. */
const METER_IDS = [1, 2, 19, 20, 21, 23, 24, 3, 4, 5, 6, 7, 8, 9];

/** Control lines beyond lanScenario's: the pans widened, a second panafall created (commands 7–9). */
function extraControl(): NetEvent[] {
  const lines: Array<[number, 'c' | 's', string]> = [
    [0.2, 'c', `C7|display pan set 0x40000000 xpixels=${FFT_BINS} ypixels=497`],
    [0.21, 's', `S3621C7F5|display pan 0x40000000 x_pixels=${FFT_BINS} y_pixels=497`],
    [0.21, 's', 'R7|0|'],
    [0.22, 'c', 'C8|display panafall create x=50 y=20'],
    [0.24, 's', 'S3621C7F5|display pan 0x40000001 client_handle=0x3621C7F5 x_pixels=50 y_pixels=20 center=7.100000 bandwidth=0.200000 min_dbm=-135.00 max_dbm=-40.00 fps=25 waterfall=0x42000001'],
    [0.24, 's', 'S3621C7F5|display waterfall 0x42000001 client_handle=0x3621C7F5 x_pixels=50 center=7.100000 bandwidth=0.200000 line_duration=50 panadapter=0x40000001'],
    [0.25, 's', 'R8|0|0x40000001,0x42000001'],
    [0.26, 'c', `C9|display pan set 0x40000001 xpixels=${FFT_BINS} ypixels=497`],
    [0.27, 's', `S3621C7F5|display pan 0x40000001 x_pixels=${FFT_BINS} y_pixels=497`],
    [0.27, 's', 'R9|0|'],
  ];
  return lines.map(([dt, dir, line]) => ({
    type: 'tcp-data',
    ts: T0 + dt,
    src: dir === 'c' ? CLIENT : RADIO,
    dst: dir === 'c' ? RADIO : CLIENT,
    data: Buffer.from(line + '\n'),
  }));
}

/**
 * A Writable that writes each staged chunk synchronously: the generator can never run ahead of the disk,
 * so a gigabyte passes through without queueing in memory.
 */
export function syncFileStream(fd: number): Writable {
  return new Writable({
    write(chunk: Buffer, _enc, done) {
      let at = 0;
      while (at < chunk.length) at += writeSync(fd, chunk, at, chunk.length - at);
      done();
    },
  });
}

/** Writes about `targetBytes` of capture to `file` (whole seconds of data, stopping once the size is reached). */
export async function writeFlexCapture(file: string, targetBytes: number, mix: Mix): Promise<WrittenCapture> {
  const fd = openSync(file, 'w');
  const writer = new EventCaptureWriter(syncFileStream(fd), 'FlexPath bench');
  const perStream = new Map<string, number>();
  const count = (sid: number): number => {
    const key = formatStreamId(streamId(sid));
    const n = perStream.get(key) ?? 0;
    perStream.set(key, n + 1);
    return n;
  };
  let bytes = 0;
  const udp = (ts: number, payload: Buffer): void => {
    writer.write({ type: 'udp', ts, src: DATA_SRC, dst: DATA_DST, payload, df: true, ipLength: payload.length + 28 });
    bytes += epbBytes(payload.length);
  };

  // Generous: control events past the end of the data are left out below.
  const bytesPerSecond = mix === 'flex' ? 500_000 : 1000 * epbBytes(48);
  const maxSeconds = Math.ceil(targetBytes / bytesPerSecond) * 2 + 10;
  const control = [...lanScenario({ seconds: maxSeconds, withAudio: true, blockUdp: true }), ...extraControl()].sort((a, b) => a.ts - b.ts);
  let next = 0;
  const controlUntil = (ts: number): void => {
    for (; next < control.length && control[next]!.ts < ts; next++) writer.write(control[next]!);
  };

  let second = 0;
  try {
    while (bytes < targetBytes && second < maxSeconds - 2) {
      for (let ms = 0; ms < 1000; ms++) {
        const t = second * 1000 + ms;
        const ts = DATA_START + t / 1000;
        controlUntil(ts);
        if (mix === 'meters') {
          const pairs = 5 + (t % 10);
          udp(ts, meterPacket(count(METER), METER_IDS.slice(0, pairs).map((id, i) => [id, (t * 7 + i * 131) % 4000 - 2000])));
          continue;
        }
        if (t % 36 === 0) {
          const pairs = 5 + ((t / 36) % 10);
          udp(ts, meterPacket(count(METER), METER_IDS.slice(0, pairs).map((id, i) => [id, (t + i * 131) % 4000 - 2000])));
        }
        if (t % 10 === 0) udp(ts, opusPacket(OPUS, count(OPUS), 60 + ((t / 10) % 31)));
        PANS.forEach((pan, p) => {
          const at = ts + p * 0.002;
          if (t % 40 === 0) {
            const frame = t / 40;
            for (let k = 0; k < 3; k++) udp(at + k * 0.0001, fftPacket(pan.fft, count(pan.fft), frame, k * 684, FFT_VALUES, FFT_BINS));
          }
          if (t % 50 === 0) {
            const line = t / 50;
            for (let tile = 0; tile < 5; tile++) {
              const width = tile === 4 ? WF_BINS - 4 * 684 : 684;
              udp(at + 0.001 + tile * 0.0001, waterfallPacket(pan.wf, count(pan.wf), line, tile * 684, width, WF_BINS));
            }
          }
        });
      }
      second++;
    }
    // The session's lines up to the end of the data: every ping in that time has its reply.
    controlUntil(DATA_START + second);
    await writer.close();
  } finally {
    closeSync(fd);
  }
  return { frames: writer.written, perStream, seconds: second };
}
