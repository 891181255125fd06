import assert from 'node:assert/strict';
import { test } from 'node:test';
import { StreamTracker } from '../../src/analysis/stream-tracker.js';
import type { UdpEvent } from '../../src/capture/types.js';
import { fftPacket, opusPacket } from '../helpers/packets.js';

const src = { ip: '10.0.0.2', port: 4993 };
const dst = { ip: '10.0.0.9', port: 4991 };
const udp = (ts: number, payload: Buffer): UdpEvent => ({ type: 'udp', ts, src, dst, payload });

test('jitter of a 2-packet-per-frame FFT stream is measured between frames, not between fragments', () => {
  const t = new StreamTracker();
  // 25 fps, each frame's two fragments 0.1 ms apart: perfectly regular frames.
  for (let f = 0; f < 100; f++) {
    t.push(udp(f * 0.04, fftPacket(0x40000000, 2 * f, f, 0, new Array(696).fill(10), 1024)));
    t.push(udp(f * 0.04 + 0.0001, fftPacket(0x40000000, 2 * f + 1, f, 696, new Array(328).fill(10), 1024)));
  }
  const st = t.streams[0]!;
  assert.equal(st.units, 100);
  assert.ok(st.jitterS < 0.001, `jitter ${st.jitterS}`);
});

test('jitter of single-packet audio follows the packet spacing: alternating 5/15 ms gaps give ≈10 ms', () => {
  const t = new StreamTracker();
  let ts = 0;
  for (let i = 0; i < 400; i++) {
    t.push(udp(ts, opusPacket(0x04000008, i, 80)));
    ts += i % 2 === 0 ? 0.005 : 0.015;
  }
  // |Δ inter-arrival| is 10 ms every time; the RFC 3550 smoother converges to it.
  assert.ok(Math.abs(t.streams[0]!.jitterS - 0.01) < 0.001, `jitter ${t.streams[0]!.jitterS}`);
});
