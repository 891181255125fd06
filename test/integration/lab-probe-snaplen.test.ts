/**
 * Lab probe: a capture taken with a snapshot length (tcpdump -s 96 / -s 128, Wireshark's "limit each
 * packet") holds every frame, but only its first bytes. A healthy session captured that way must not
 * read as loss, broken frames, MTU or an unanswered control channel: the capture is truncated, and the
 * report says so and what cannot be judged. Expected values come from the construction: the frames
 * longer than the snapshot length are the ones cut.
 */
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { analyzeCaptureFile } from '../../src/analysis/analyze-file.js';
import { snapCapture, writeEventsCapture } from '../helpers/capture-files.js';
import { lanScenario } from '../helpers/scenario.js';

const dir = mkdtempSync(join(tmpdir(), 'fp-lab-snaplen-'));

/** The healthy session rewritten as tcpdump -s `snaplen` writes it; returns the file and how many frames were cut. */
async function cutCapture(whole: string, snaplen: number): Promise<{ file: string; cut: number; frames: number }> {
  const file = join(dir, `snap${snaplen}.pcap`);
  return { file, ...(await snapCapture(whole, file, snaplen)) };
}

let whole: Promise<string> | undefined;
function healthySession(): Promise<string> {
  whole ??= (async () => {
    const file = join(dir, 'healthy.pcapng');
    await writeEventsCapture(file, lanScenario({ withAudio: true, seconds: 4 }));
    return file;
  })();
  return whole;
}

test('the whole capture is healthy (the baseline the cuts are compared with)', async () => {
  const r = await analyzeCaptureFile(await healthySession());
  assert.equal(r.verdict.status, 'healthy', r.verdict.summary);
});

for (const snaplen of [96, 128]) {
  test(`tcpdump -s ${snaplen} of a healthy session: inconclusive, truncated, no hop blocked or degraded`, async () => {
    const { file, cut, frames } = await cutCapture(await healthySession(), snaplen);
    assert.ok(cut > frames / 2, 'most frames of the session are longer than the snapshot length');
    const r = await analyzeCaptureFile(file);
    assert.equal(r.verdict.status, 'inconclusive', r.verdict.summary);
    assert.equal(r.verdict.rule, 'verdict-capture-truncated');
    assert.match(r.verdict.summary, new RegExp(`cut ${cut} UDP/TCP packet\\(s\\) at ${snaplen} bytes`));
    assert.ok(r.verdict.advice.some((a) => a.includes('-s 0')), 'advice says how to capture whole packets');
    const failing = r.hops.filter((h) => h.status === 'blocked' || h.status === 'degraded');
    assert.deepEqual(failing.map((h) => `${h.id}:${h.rule}`), []);
    assert.equal(r.hops.find((h) => h.id === 'data:meter')?.rule, 'hop-capture-truncated');
  });
}

test('a snapshot length no frame reaches cuts nothing: the verdict is the whole capture’s', async () => {
  // Every datagram of the scenario fits a 1500-byte LAN MTU, so no Ethernet frame of it reaches 1500 + 14.
  const { file, cut } = await cutCapture(await healthySession(), 1514);
  assert.equal(cut, 0);
  const r = await analyzeCaptureFile(file);
  assert.equal(r.verdict.status, 'healthy', r.verdict.summary);
});
