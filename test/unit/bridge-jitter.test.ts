import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Analyzer } from '../../src/analysis/analyzer.js';
import type { UdpEvent } from '../../src/capture/types.js';
import { jitterMsByStream } from '../../src/bridge/backends.js';
import { streamRowKey, toStreamRows } from '../../src/bridge/stream-rows.js';
import { meterPacket } from '../helpers/packets.js';

const radio = { ip: '10.0.0.2', port: 4993 };
const udp = (ts: number, dst: { ip: string; port: number }, payload: Buffer): UdpEvent => ({ type: 'udp', ts, src: radio, dst, payload });

test('streams table jitter: per stream and destination, from the analyzer, in ms', () => {
  const a = new Analyzer();
  const steady = { ip: '10.0.0.9', port: 4991 };
  const shaky = { ip: '10.0.0.10', port: 4991 };
  let ts = 1000;
  for (let i = 0; i < 300; i++) {
    // The same meter stream to two clients: one every 36 ms, the other alternating 26/46 ms gaps.
    a.feed(udp(1000 + i * 0.036, steady, meterPacket(i, [[1, 0]])));
    a.feed(udp(ts, shaky, meterPacket(i, [[1, 0]])));
    ts += i % 2 === 0 ? 0.026 : 0.046;
  }
  a.feed(udp(2000, { ip: '10.0.0.11', port: 4991 }, meterPacket(0, [[1, 0]])));
  const report = a.report({ file: 'x', packets: a.events, bytes: 0, durationS: 0 });
  const jitter = jitterMsByStream(a);
  const rows = toStreamRows(report.streams, jitter);
  const byDst = new Map(rows.map((r) => [r.dst, r]));
  assert.ok(Math.abs(byDst.get('10.0.0.9:4991')!.jitterMs! - 0) < 0.01);
  // |Δ inter-arrival| is 20 ms every time: the RFC 3550 smoother converges to 20 ms.
  assert.ok(Math.abs(byDst.get('10.0.0.10:4991')!.jitterMs! - 20) < 0.1, String(byDst.get('10.0.0.10:4991')!.jitterMs));
  // One packet has no inter-arrival time: no figure rather than a made-up 0.
  assert.equal(byDst.get('10.0.0.11:4991')!.jitterMs, undefined);
  assert.equal(jitter.size, 2);
  assert.ok(jitter.has(streamRowKey({ id: '0x00000700', src: '10.0.0.2:4993', dst: '10.0.0.9:4991' })));
});
