import assert from 'node:assert/strict';
import { test } from 'node:test';
import { split, splitTicks } from '../../src/capture/timestamp.js';
import { prng } from '../helpers/prng.js';

/** The same split done with BigInt: the independent reference. */
function reference(hi: number, lo: number, tps: number): [number, number] {
  const ticks = (BigInt(hi) << 32n) + BigInt(lo);
  const t = BigInt(tps);
  return [Number(ticks / t), Number(((ticks % t) * 1_000_000_000n) / t)];
}

test('splitTicks is exact for every supported resolution, in runs sharing the high word and across it', () => {
  const rnd = prng(3);
  const u32 = (): number => Math.floor(rnd() * 2 ** 32);
  // µs, ns, 2^-32 s, ms, 10^-10 s, 2^-37 s (the largest resolution documented exact).
  for (const tps of [1e6, 1e9, 2 ** 32, 1e3, 1e10, 2 ** 37]) {
    // Realistic high words (timestamps of 2023 in this resolution, where 64 bits can hold them), then random ones.
    const now = Number((BigInt(1_700_000_000) * BigInt(tps)) >> 32n);
    const his = [...(now < 0xffffffff ? [now, now + 1] : []), 0, 0xffffffff, u32(), u32()];
    for (const hi of his) {
      // Consecutive packets share hi; alternate with another hi so any cached division must be redone.
      for (let i = 0; i < 200; i++) {
        const h = i % 50 === 49 ? u32() : hi;
        const lo = i === 0 ? 0 : i === 1 ? 0xffffffff : u32();
        splitTicks(h, lo, tps);
        const [sec, nsec] = reference(h, lo, tps);
        if (sec > Number.MAX_SAFE_INTEGER) continue;
        assert.equal(split.sec, sec, `tps ${tps} hi ${h} lo ${lo}`);
        assert.equal(split.nsec, nsec, `tps ${tps} hi ${h} lo ${lo} nsec`);
      }
    }
  }
});
