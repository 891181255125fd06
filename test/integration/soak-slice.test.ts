/**
 * A 20-second slice of `npm run soak`: the UI's demo session at 10× packet rates. Whatever the session
 * keeps per packet would, by now, hold tens of thousands of entries; every array, Map and Set reachable
 * from the analysis and the simulated radio must instead stay small — their size must not follow the
 * packet count. (The soak itself, an hour of packets, is too long for CI.)
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { productBackends } from '../../src/bridge/backends.js';
import { createSession } from '../../src/bridge/session.js';
import type { Diagnosis } from '../../src/diagnose/walk.js';
import type { Simulator } from '../../src/sim/radio-sim.js';
import { census } from '../helpers/census.js';
import { sleep } from '../helpers/udp-sink.js';

const SLICE_S = 20;
const MIN_PACKETS = 20_000;
/** 1 element per 20 packets would exceed this: per-packet growth cannot hide under it. */
const MAX_ELEMENTS = MIN_PACKETS / 20;

test('demo session at 10× rates for 20 s: no structure grows with the packet count', async () => {
  let demo: { sim: Simulator; d: Diagnosis } | undefined;
  let snapshots = 0;
  const session = createSession({
    backends: productBackends({ demoRateScale: 10, onDemo: (sim, d) => (demo = { sim, d }) }),
    emit: (s) => {
      snapshots++;
      JSON.stringify(s);
    },
    host: { nativeDialogs: false, deliverExport: async () => ({}) },
  });
  try {
    await session.handle({ type: 'start-demo', faults: [] });
    assert.ok(demo, 'the demo started');
    const { sim, d } = demo;
    for (let i = 0; i < SLICE_S * 4; i++) await sleep(250);
    const report = d.evidence.report();
    assert.ok(report.source.packets >= MIN_PACKETS, `only ${report.source.packets} packets analysed`);
    assert.ok(snapshots > 0);
    const collections = [...census(d.evidence.analyzer, 'analyzer'), ...census(sim.core, 'radio')];
    assert.ok(collections.length > 10, 'the census reached the structures');
    const big = collections.filter((c) => c.size > MAX_ELEMENTS);
    assert.deepEqual(big, [], `structures larger than ${MAX_ELEMENTS} after ${report.source.packets} packets`);
  } finally {
    await session.close();
  }
});
