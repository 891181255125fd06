/**
 * A live diagnosis times datagrams by when its socket read them; while its process is held up they wait
 * in the socket buffer and are read in a burst. LiveEvidence's monitor (a tick every 10 ms) tells the
 * analysis the longest hold-up, which rules.ts data-jitter-own-stall weighs against the measured jitter.
 * The hold-up is made here by blocking this thread for 300 ms.
 */
import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { test } from 'node:test';
import { LiveEvidence } from '../../src/diagnose/live.js';

const block = (ms: number): void => {
  const end = performance.now() + ms;
  while (performance.now() < end);
};

test('a 300-ms hold-up of this thread is the longest stall the facts carry; none while the analysis is paused', async () => {
  const ev = new LiveEvidence('test');
  try {
    await sleep(40);
    block(300);
    await sleep(40);
    const held = ev.analyzer.facts().ownStallMaxS ?? 0;
    // The tick due during the block ran after it: at least the block less one tick interval late.
    assert.ok(held >= 0.29, `longest hold-up ${held} s`);
    ev.pause(true);
    block(600);
    await sleep(40);
    assert.equal(ev.analyzer.facts().ownStallMaxS, held, 'a hold-up while paused is not the judged run’s');
  } finally {
    await ev.close();
  }
});
