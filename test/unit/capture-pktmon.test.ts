/**
 * The Windows pktmon layout (test/fixtures/pktmon/README.md): every packet once per networking component.
 * The analysis must count each packet once — no duplicates, no retransmissions, the same loss — and say
 * why it dropped the copies. The expected figures come from the scenario written without copies.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { analyzeCaptureFile } from '../../src/analysis/analyze-file.js';
import { writeEventsCapture } from '../helpers/capture-files.js';
import { repoRoot } from '../helpers/paths.js';
import { COMPONENT_OFFSETS_NS, writePktmonStyle } from '../helpers/pktmon.js';
import { lanScenario } from '../helpers/scenario.js';

const dir = mkdtempSync(join(tmpdir(), 'flexpath-pktmon-'));
const fixture = join(repoRoot, 'test', 'fixtures', 'pktmon', 'flex-lan-pktmon.pcapng');

async function plainAndPktmon(): Promise<{ plain: string; copied: string; packets: number; frames: number }> {
  const plain = join(dir, 'plain.pcapng');
  await writeEventsCapture(plain, lanScenario({ seconds: 1, loss: 0.03 }));
  const copied = join(dir, 'pktmon.pcapng');
  return { plain, copied, ...(await writePktmonStyle(plain, copied)) };
}

test('the committed pktmon fixture is what its README says: rebuilt byte for byte from the documented layout', async () => {
  const { copied, packets, frames } = await plainAndPktmon();
  assert.equal(frames, packets * COMPONENT_OFFSETS_NS.length);
  assert.ok(readFileSync(copied).equals(readFileSync(fixture)), 'fixture differs from a fresh build: regenerate it with writePktmonStyle');
});

test('pktmon copies are counted once: same streams, no duplicates, a warning that names pktmon', async () => {
  const { plain, packets } = await plainAndPktmon();
  const a = await analyzeCaptureFile(plain);
  const b = await analyzeCaptureFile(fixture);
  assert.equal(b.source.packets, packets, 'frames analysed = packets, not copies');
  assert.deepEqual(
    b.streams.map((s) => [s.id, s.packets, s.lost, s.duplicates]),
    a.streams.map((s) => [s.id, s.packets, s.lost, s.duplicates]),
  );
  assert.ok(b.streams.every((s) => s.duplicates === 0));
  assert.deepEqual([b.verdict.status, b.verdict.hop, b.verdict.cause], [a.verdict.status, a.verdict.hop, a.verdict.cause]);
  const w = b.warnings.find((x) => x.includes('pktmon'));
  assert.ok(w, b.warnings.join('\n'));
  assert.match(w, new RegExp(`^${packets * 2} of ${packets * 3} frames were copies`));
});

test('copy filter boundaries: same bytes 1 ms apart is a copy, 1 ms + 1 ns is a new packet (a retransmission), other link type or length is never a copy', async () => {
  const { CopyFilter, COPY_WINDOW_NS, LEARN_FRAMES } = await import('../../src/capture/copies.js');
  const seen: number[] = [];
  const f = new CopyFilter({ record: (_l, sec, nsec) => void seen.push((sec - 10) * 1e9 + nsec) });
  const frame = Buffer.alloc(100, 7);
  // A pktmon-like start (every frame twice) puts the filter in copy mode; frames differ by their 60th byte.
  let t = 0;
  for (let i = 0; i < LEARN_FRAMES / 2; i++) {
    const fr = Buffer.from(frame);
    fr[60] = i;
    f.record(1, 10, t, fr, 0, 100, 100, 0);
    f.record(1, 10, t + 1000, fr, 0, 100, 100, 0);
    t += 10 * COPY_WINDOW_NS;
  }
  assert.equal(seen.length, LEARN_FRAMES / 2);
  assert.equal(f.copies, LEARN_FRAMES / 2);
  seen.length = 0;
  f.record(1, 10, t, frame, 0, 100, 100, 0);
  f.record(1, 10, t + COPY_WINDOW_NS, frame, 0, 100, 100, 0); // copy of the first
  f.record(1, 10, t + COPY_WINDOW_NS + 1, frame, 0, 100, 100, 0); // 1 ms + 1 ns after the first: new
  f.record(101, 10, t + COPY_WINDOW_NS + 2, frame, 0, 100, 100, 0); // raw IP, not Ethernet: new
  f.record(1, 10, t + COPY_WINDOW_NS + 3, frame, 0, 99, 99, 0); // shorter: new
  const other = Buffer.from(frame);
  other[63] = 8; // differs inside the fingerprint (a checksum byte)
  f.record(1, 10, t + COPY_WINDOW_NS + 4, other, 0, 100, 100, 0);
  assert.deepEqual(seen, [t, t + COPY_WINDOW_NS + 1, t + COPY_WINDOW_NS + 2, t + COPY_WINDOW_NS + 3, t + COPY_WINDOW_NS + 4]);
  assert.equal(f.copies, LEARN_FRAMES / 2 + 1);
});

test('copy filter: a capture whose first frames hold only a rare identical pair keeps every frame (real duplicates stay visible)', async () => {
  const { CopyFilter, LEARN_FRAMES } = await import('../../src/capture/copies.js');
  let n = 0;
  const f = new CopyFilter({ record: () => void n++ });
  const frame = Buffer.alloc(70, 1);
  for (let i = 0; i < LEARN_FRAMES * 3; i++) {
    const fr = Buffer.from(frame);
    fr[50] = i % 8 === 1 ? i - 1 : i; // one frame in 8 is identical to the one just before it
    f.record(1, 10, i * 1000, fr, 0, 70, 70, 0);
  }
  f.flush();
  assert.equal(n, LEARN_FRAMES * 3);
  assert.equal(f.copies, 0);
});
