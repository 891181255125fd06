/**
 * Issue 11 class 7, live side: on a control channel with a long round trip, a reply counts as missing
 * only after max(base, 3 × the measured round trip) (src/api/reply-wait.ts). The simulator's `latency`
 * fault holds every line the radio sends (prologue included) for a fixed time, so each reply takes at
 * least that long by construction; the client is given a base shorter than that.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ApiClient } from '../../src/api/client.js';
import { REPLY_RTT_FACTOR } from '../../src/api/reply-wait.js';
import { withSim } from '../helpers/sim.js';

const LATENCY_MS = 300;
const BASE_MS = 200;

test('class 7: replies slower than the base are awaited for 3 × the measured round trip, not called missing', async () => {
  await withSim({ faults: { controlLatencyMs: LATENCY_MS } }, async (sim) => {
    const c = await ApiClient.connect({ host: sim.host, port: sim.ports.api, replyBaseMs: BASE_MS });
    try {
      // The prologue cannot arrive before the fault's delay: the round trip measured from it is at least that.
      assert.ok(c.replyWaitMs() >= REPLY_RTT_FACTOR * LATENCY_MS, `reply wait ${c.replyWaitMs()} ms`);
      for (const command of ['client program FlexPathTest', 'info', 'version', 'sub meter all']) {
        const r = await c.command(command);
        assert.equal(r.code, 0, command);
      }
      // The fixed base alone (the behaviour before) calls the same reply missing: it cannot come in 200 ms.
      await assert.rejects(c.command('version', BASE_MS), /no reply to "version" within 200 ms/);
    } finally {
      await c.close();
    }
  });
});
