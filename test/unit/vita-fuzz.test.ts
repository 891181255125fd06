import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { DecodeError, FftFrameAssembler, WaterfallLineAssembler, decodePacket } from '../../src/vita/index.js';
import { fftPacket, meterPacket, opusPacket, waterfallPacket } from '../helpers/packets.js';
import { fixture } from '../helpers/paths.js';
import { prng } from '../helpers/prng.js';

const SEED = Number(process.env.FLEXPATH_FUZZ_SEED ?? 0x5eed1);
const COUNT = Number(process.env.FLEXPATH_FUZZ_COUNT ?? 100_000);

test(`codec fuzz: ${COUNT} mutated/truncated datagrams → only DecodeError (seed ${SEED})`, () => {
  console.log(`codec fuzz seed=${SEED} count=${COUNT} (replay: FLEXPATH_FUZZ_SEED=${SEED})`);
  const rnd = prng(SEED);
  const seeds = [
    readFileSync(fixture('flex6700-discovery-datagram.bin')),
    meterPacket(3, [[1, -32000], [24, -12000], [21, 128]]),
    fftPacket(0x40000000, 5, 9, 0, Array.from({ length: 50 }, () => 15), 50),
    waterfallPacket(0x42000000, 1, 4, 684, 684, 3360),
    opusPacket(0x04000009, 2, 61),
  ];
  const fft = new FftFrameAssembler();
  const wf = new WaterfallLineAssembler();
  let ok = 0;
  let errors = 0;
  for (let i = 0; i < COUNT; i++) {
    const base = seeds[i % seeds.length]!;
    let buf: Buffer;
    const mode = rnd();
    if (mode < 0.1) {
      buf = Buffer.alloc(Math.floor(rnd() * 64));
      for (let j = 0; j < buf.length; j++) buf[j] = Math.floor(rnd() * 256);
    } else if (mode < 0.3) {
      buf = base.subarray(0, Math.floor(rnd() * base.length));
    } else {
      buf = Buffer.from(base);
      const flips = 1 + Math.floor(rnd() * 4);
      for (let f = 0; f < flips; f++) {
        // Bias mutations toward the header and sub-headers, where the interesting fields are.
        const at = rnd() < 0.7 ? Math.floor(rnd() * Math.min(buf.length, 80)) : Math.floor(rnd() * buf.length);
        buf[at] = Math.floor(rnd() * 256);
      }
    }
    try {
      const { packet } = decodePacket(buf);
      ok++;
      if (packet.kind === 'panadapter') fft.push(packet.payload);
      if (packet.kind === 'waterfall') wf.push(packet.payload);
      // Nothing may allocate past the datagram: every decoded array fits in the input.
      if (packet.kind === 'panadapter' || packet.kind === 'waterfall') assert.ok(packet.payload.bins.byteLength <= buf.length);
    } catch (e) {
      if (!(e instanceof DecodeError)) {
        throw new Error(`iteration ${i} (seed ${SEED}): ${String(e)} for ${buf.toString('hex').slice(0, 120)}`);
      }
      assert.ok(e.offset >= 0 && e.offset <= buf.length + 16, `offset ${e.offset} within input of ${buf.length}`);
      errors++;
    }
  }
  console.log(`decoded ${ok}, rejected ${errors}`);
  assert.equal(ok + errors, COUNT);
  assert.ok(errors > COUNT / 10, 'mutations did reach the error paths');
  assert.ok(ok > COUNT / 10, 'mutations did reach the decode paths');
});
