/**
 * Peak memory of `flexpath analyze` as shipped (bin/flexpath.js, heap settings included) on a hostile
 * capture (issue 13: ≤ 150 MB peak RSS on each hostile family). The many-sessions family is the one whose
 * garbage grew the heap most: with V8's default heap growth it passed 150 MB within the first 60 MB of
 * capture (80 MB: 173 MiB before src/common/heap.ts, 111 MiB with it).
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { PcapWriter } from '../../src/capture/writer.js';
import { generateFamily } from '../fuzz/hostile-families.js';
import { cliPath, repoRoot } from '../helpers/paths.js';
import { prng } from '../helpers/prng.js';

/** Issue 13's bound, in bytes (decimal MB). */
const PEAK_RSS_BOUND = 150e6;
const CAPTURE_BYTES = 80e6;
const HOOK = join(repoRoot, 'dist', 'test', 'helpers', 'peak-rss-hook.js');

test('analyze of 80 MB of new API sessions without end stays under 150 MB of peak RSS', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'flexpath-peak-rss-'));
  try {
    const file = join(dir, 'sessions.pcap');
    const w = new PcapWriter(file, { nanosecond: true });
    let written = 0;
    let frames = 0;
    generateFamily('sessions', prng(0x4057), (ts, frame) => {
      w.write(BigInt(Math.round(ts * 1e6)) * 1000n, frame);
      frames++;
      written += frame.length + 16;
      return written < CAPTURE_BYTES;
    });
    await w.close();
    const r = spawnSync(process.execPath, ['--import', HOOK, cliPath, 'analyze', file, '--format', 'json'], { encoding: 'utf8', maxBuffer: 64 << 20 });
    assert.equal(r.status, 0, r.stderr);
    // The analysis did the whole work: every frame read.
    assert.equal((JSON.parse(r.stdout) as { source: { packets: number } }).source.packets, frames);
    const m = /peak-rss-kib (\d+)/.exec(r.stderr);
    assert.ok(m, `no peak RSS in: ${r.stderr}`);
    const peak = Number(m[1]) * 1024;
    assert.ok(peak <= PEAK_RSS_BOUND, `peak RSS ${(peak / 1e6).toFixed(0)} MB > ${PEAK_RSS_BOUND / 1e6} MB`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
