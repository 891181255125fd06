/**
 * The live bench's sender, run as a child process so it never shares the receiver's event loop (and the
 * receiver's CPU time can be read apart from it):
 * blasts pre-built 1436-byte waterfall tiles at a paced rate over loopback and reports what it sent.
 */
import { createSocket } from 'node:dgram';
import { waterfallPacket } from '../test/helpers/packets.js';

export interface BlastRequest {
  port: number;
  pps: number;
  seconds: number;
  streamId: number;
}

export interface BlastResult {
  sent: number;
  elapsedS: number;
}

/** Five 684-bin tiles per 3420-bin line (1436 B each, reference §3.2); 80 = lcm(16 counts, 5 tiles). */
const TILES_PER_LINE = 5;
const WIDTH = 684;
const POOL = 80 * 20;

function pool(streamId: number): Buffer[] {
  const out: Buffer[] = [];
  for (let i = 0; i < POOL; i++) out.push(waterfallPacket(streamId, i & 15, Math.floor(i / TILES_PER_LINE), (i % TILES_PER_LINE) * WIDTH, WIDTH, WIDTH * TILES_PER_LINE));
  return out;
}

async function blast(r: BlastRequest): Promise<BlastResult> {
  const packets = pool(r.streamId);
  const socket = createSocket({ type: 'udp4', sendBufferSize: 4 * 1024 * 1024 });
  await new Promise<void>((resolve) => socket.connect(r.port, '127.0.0.1', () => resolve()));
  const total = Math.round(r.pps * r.seconds);
  const start = performance.now();
  let sent = 0;
  let yieldAt = start + 5;
  while (sent < total) {
    const now = performance.now();
    const due = Math.min(total, Math.floor(((now - start) / 1000) * r.pps));
    while (sent < due) socket.send(packets[sent++ % POOL]!);
    // Let libuv finish any send it could not complete at once.
    if (now >= yieldAt) {
      await new Promise((resolve) => setImmediate(resolve));
      yieldAt = performance.now() + 5;
    }
  }
  const elapsedS = (performance.now() - start) / 1000;
  await new Promise<void>((resolve) => socket.close(() => resolve()));
  return { sent, elapsedS };
}

process.on('message', (r: BlastRequest) => {
  void blast(r).then((res) => process.send?.(res));
});
process.on('disconnect', () => process.exit(0));
