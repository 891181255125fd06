/**
 * Every data- and control-plane fault of the simulator, seen on the wire by a client on loopback.
 * Each run is a GUI session with a 50-pixel pan (144-byte FFT packets, reference §3.1), 1316/1436-byte
 * waterfall tiles (§3.2), meters and Opus audio.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { SimFaults } from '../../src/sim/faults.js';
import { guiSession, lanClient, withSim } from '../helpers/sim.js';
import { counterGaps } from '../helpers/counter-gaps.js';
import { type Received, sleep, udpSink, type UdpSink } from '../helpers/udp-sink.js';

const PCC = { meter: 0x8002, fft: 0x8003, waterfall: 0x8004, opus: 0x8005 };

async function runWith(faults: SimFaults, ms = 2000, extra?: (sink: UdpSink) => Promise<void>): Promise<{ got: Received[]; sink: UdpSink }> {
  const sink = await udpSink();
  try {
    await withSim({ faults }, async (sim) => {
      const c = await guiSession(sim, sink.port, { audio: true });
      await sleep(ms);
      await extra?.(sink);
      await c.close();
    });
  } finally {
    await sink.close();
  }
  return { got: sink.got, sink };
}

test('drop=panadapter: no FFT packet arrives, every other class does', async () => {
  const { got } = await runWith({ drop: ['panadapter'] });
  assert.equal(got.filter((g) => g.pcc === PCC.fft).length, 0);
  for (const pcc of [PCC.meter, PCC.waterfall, PCC.opus]) assert.ok(got.some((g) => g.pcc === pcc), `class 0x${pcc.toString(16)} present`);
});

test('mtu=1400: nothing above 1372 B of UDP payload (1400 − 28): the 1436-B tiles vanish, 1316-B ones, FFT and meters pass', async () => {
  const { got } = await runWith({ mtu: 1400 });
  assert.ok(got.every((g) => g.payload.length + 28 <= 1400));
  const tiles = got.filter((g) => g.pcc === PCC.waterfall);
  assert.ok(tiles.length > 0 && tiles.every((g) => g.payload.length === 1316), 'only the last 624-bin tile of each line fits');
  assert.ok(got.some((g) => g.pcc === PCC.fft) && got.some((g) => g.pcc === PCC.meter));
});

test('loss=20: about a fifth of the datagrams go missing by the counters', async () => {
  const { got } = await runWith({ lossPct: 20 }, 3000);
  const g = counterGaps(got);
  const frac = g.lost / (g.lost + g.received);
  assert.ok(frac > 0.12 && frac < 0.28, `lost fraction ${frac.toFixed(3)}`);
});

test('rate=400 kbit/s: the received IP rate stays under the cap, and large packets lose more than small', async () => {
  const t0 = performance.now();
  const { got } = await runWith({ rateKbps: 400 }, 3000);
  const secs = (performance.now() - t0) / 1000;
  const kbps = (got.reduce((a, g) => a + g.payload.length + 28, 0) * 8) / 1000 / secs;
  // Unshaped the session needs ≈ 1.4 Mbit/s (100 tiles/s × 1.4 kB alone); allow the policer's 50 ms burst.
  assert.ok(kbps < 400 * 1.15, `${kbps.toFixed(0)} kbit/s`);
  const lossOf = (pcc: number): number => {
    const c = counterGaps(got.filter((x) => x.pcc === pcc));
    return c.lost / (c.lost + c.received);
  };
  assert.ok(lossOf(PCC.waterfall) > 0.3, `waterfall loss ${lossOf(PCC.waterfall)}`);
  assert.ok(lossOf(PCC.waterfall) > 2 * lossOf(PCC.meter), 'loss grows with packet size/rate');
});

test('jitter=60 ms: 10 ms-spaced audio arrives out of order', async () => {
  const { got } = await runWith({ jitterMs: 60 });
  assert.ok(counterGaps(got.filter((g) => g.pcc === PCC.opus)).backwards > 5);
});

test('reorder=20: counters step backwards; duplicate=20: counters repeat', async () => {
  const r = counterGaps((await runWith({ reorderPct: 20 })).got);
  assert.ok(r.backwards > 10, `backwards ${r.backwards}`);
  assert.equal(r.repeats, 0);
  const d = counterGaps((await runWith({ duplicatePct: 20 })).got);
  assert.ok(d.repeats > 10, `repeats ${d.repeats}`);
});

test('wrong-port: data goes to another port; the announced one stays silent', async () => {
  const other = await udpSink();
  try {
    const { got } = await runWith({ wrongPort: other.port });
    assert.equal(got.length, 0);
    assert.ok(other.got.length > 50);
  } finally {
    await other.close();
  }
});

test('udp-stop=1: data flows, then stops (NAT mapping expiry)', async () => {
  const { got } = await runWith({ udpStopAfterS: 1 }, 2500);
  assert.ok(got.length > 50);
  const last = Math.max(...got.map((g) => g.at));
  const first = Math.min(...got.map((g) => g.at));
  assert.ok(last - first < 1300, `data for ${(last - first).toFixed(0)} ms`);
});

test('no-ping-reply: pings go unanswered while other commands are answered', async () => {
  await withSim({ faults: { noPingReplyAfterS: 0 } }, async (sim) => {
    const c = await lanClient(sim);
    await assert.rejects(c.command('ping ms_timestamp=1.0', 500), /no reply/);
    assert.equal((await c.command('info')).code, 0);
    await c.close();
  });
});

test('tcp-reset=1: the radio resets the control connection after a second', async () => {
  await withSim({ faults: { tcpResetAfterS: 1 } }, async (sim) => {
    const c = await lanClient(sim);
    const t0 = performance.now();
    await new Promise<void>((resolve) => c.onClose(() => resolve()));
    assert.ok(performance.now() - t0 > 700);
    assert.match(c.closedBecause ?? '', /ECONNRESET/);
  });
});
