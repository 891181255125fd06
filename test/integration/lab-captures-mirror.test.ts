/**
 * Lab captures: a switch's port mirror of both directions (or of two ports) records each frame twice, the
 * second copy a little later, after the rest of the radio's burst (a line's tiles, an FFT frame, a meter and
 * an audio packet leave within half a millisecond). Counted once, the session is as healthy as the capture
 * without copies; left in, the copies read as duplicates and as counter gaps ("reordered"). Expected values
 * come from the construction: the scenario's own packets and the number of copies written.
 */
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { readCaptureRecords } from '../../src/capture/reader.js';
import { PcapngWriter } from '../../src/capture/writer.js';
import { analyzeFile, writeEventsCapture } from '../helpers/capture-files.js';
import { lanScenario, sentPerStream } from '../helpers/scenario.js';

const dir = mkdtempSync(join(tmpdir(), 'fp-lab-mirror-'));

/** Every frame of `from` twice, the copy `lagNs` later, written in time order to `to`; returns the frames read. */
async function mirrored(from: string, to: string, lagNs: bigint): Promise<number> {
  const frames: Array<[bigint, Buffer]> = [];
  await readCaptureRecords(from, {
    record: (_link, sec, nsec, buf, start, caplen) => {
      const ts = BigInt(sec) * 1_000_000_000n + BigInt(nsec);
      const f = Buffer.from(buf.subarray(start, start + caplen));
      frames.push([ts, f], [ts + lagNs, f]);
    },
  });
  // Stable: a frame and another's copy at the same instant keep the order they were read in.
  frames.sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
  const w = new PcapngWriter(to);
  for (const [ts, f] of frames) w.write(ts, f);
  await w.close();
  return frames.length / 2;
}

for (const lagUs of [5n, 200n, 900n]) {
  test(`a port mirror's second copy ${lagUs} µs behind, after the radio's next packets: every stream counted as sent, healthy${lagUs === 200n ? ' (was degraded: the waterfall "reordered")' : ''}`, async () => {
    const events = lanScenario({ withAudio: true, seconds: 4 });
    const plain = join(dir, `plain-${lagUs}.pcapng`);
    await writeEventsCapture(plain, events);
    const file = join(dir, `mirror-${lagUs}.pcapng`);
    const frames = await mirrored(plain, file, lagUs * 1000n);
    const r = await analyzeFile(file);
    assert.deepEqual(new Map(r.streams.map((s) => [Number(s.id), s.packets])), sentPerStream(events));
    assert.ok(r.streams.every((s) => s.lost === 0 && s.duplicates === 0 && s.outOfOrder === 0), JSON.stringify(r.streams));
    assert.equal(r.verdict.status, 'healthy', `${r.verdict.rule}: ${r.verdict.summary}`);
    assert.ok(r.warnings.some((w) => w.startsWith(`${frames} of ${frames * 2} frames were copies`)), r.warnings.join('\n'));
  });
}
