/**
 * Codec throughput on a realistic mix (meter, FFT, waterfall, opus), as a ratio against a bare Buffer
 * walk that only reads the 28-byte header fields — the floor any decoder pays, measured in this run.
 */
import { decodePacket } from '../src/vita/index.js';
import { fftPacket, meterPacket, opusPacket, waterfallPacket } from '../test/helpers/packets.js';

function mix(): Buffer[] {
  const out: Buffer[] = [];
  for (let i = 0; i < 1000; i++) {
    out.push(waterfallPacket(0x42000000, i, i >> 2, (i % 4) * 684, 684, 3360));
    if (i % 2 === 0) out.push(fftPacket(0x40000000, i, i, 0, new Array(600).fill(100), 600));
    if (i % 3 === 0) out.push(meterPacket(i, [[1, -100], [2, 200], [24, -9000], [21, 140], [19, 10]]));
    if (i % 2 === 1) out.push(opusPacket(0x04000009, i, 90));
  }
  return out;
}

function time(fn: () => number, minMs = 700): { perSec: number; sink: number } {
  let n = 0;
  let sink = 0;
  const start = process.hrtime.bigint();
  let elapsed = 0;
  while (elapsed < minMs) {
    sink += fn();
    n++;
    elapsed = Number(process.hrtime.bigint() - start) / 1e6;
  }
  return { perSec: (n * 1000) / elapsed, sink };
}

export function benchDecode(): void {
  const packets = mix();
  const headerWalk = (): number => {
    let acc = 0;
    for (const b of packets) acc += b.readUInt32BE(0) + b.readUInt32BE(4) + b.readUInt32BE(8) + b.readUInt32BE(12) + b.readUInt32BE(16);
    return acc & 1;
  };
  const decode = (): number => {
    let acc = 0;
    for (const b of packets) acc += decodePacket(b).packet.header.packetCount;
    return acc & 1;
  };
  time(headerWalk, 200);
  time(decode, 200);
  const ref = time(headerWalk);
  const ours = time(decode);
  const refPps = ref.perSec * packets.length;
  const oursPps = ours.perSec * packets.length;
  console.log(`decode: ${packets.length}-packet mix (waterfall/FFT/meter/opus)`);
  console.log(`  full decode      ${(oursPps / 1e6).toFixed(2)} M packets/s`);
  console.log(`  header-only walk ${(refPps / 1e6).toFixed(2)} M packets/s (reference)`);
  console.log(`  ratio decode/header-walk = ${(oursPps / refPps).toFixed(3)}`);
}
