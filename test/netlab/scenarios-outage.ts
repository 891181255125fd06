/**
 * Outages on a real kernel path (issue 11 class 8): radio and client on different subnets joined by
 * forwarding routers (as routed-healthy), and mid-session the internet router drops every datagram of
 * the radio's data for a stretch, then forwards them again. The drop is an nftables table loaded and
 * deleted by the scenario itself; the kernel's own counter of what it dropped is the truth the reports'
 * loss is compared with.
 *
 * Lengths: 0.6 s and 2.0 s (shorter than STOPPED_AFTER_S, rules.ts: 3 s of silence is "stopped"), and
 * 3.0 s and 5.0 s, which pass it: a live run that sees the data stop must keep watching for it to come
 * back (walk.ts `decided`), so these say outage too, as the capture of the same session does — before
 * that fix a live run ended 3 s into the drop on udp-return-stopped (blocked). The 5-s drop ends ≈ 7 s
 * after the streams start flowing (FLOWING, then the drop), inside the run's 10-s settle time.
 */
import assert from 'node:assert/strict';
import type { AnalysisReport } from '../../src/analysis/model.js';
import type { Lab } from './lab.js';
import type { Scenario } from './runner.js';
import { ADDR, PORTS, type WanOptions, wanTopology } from './topology.js';

const ROUTED: WanOptions = { radioSide: 'none', clientSide: 'none' };

/** The radio's data datagrams the internet router forwards: the outage starts once these pass FLOWING. */
export const COUNT_RADIO_DATA = `
table inet lab {
  counter radio_data { }
  chain count {
    type filter hook forward priority filter; policy accept;
    ip saddr ${ADDR.radio} udp sport ${PORTS.data} counter name "radio_data"
  }
}`;

/** ≈ 2 s of the probe's traffic (meters, FFT, waterfall, Opus ≈ 250 datagrams/s): the session is flowing. */
export const FLOWING = 500;

const DROP = `
table inet outage {
  counter dropped { }
  chain cut {
    type filter hook forward priority filter - 10; policy accept;
    ip saddr ${ADDR.radio} udp sport ${PORTS.data} counter name "dropped" drop
  }
}`;

/**
 * What the tolerance allows: the router certainly dropped from the moment `nft -f` returned until the
 * delete began (`min`), possibly from its start until the delete returned (`max`). The silence a report
 * measures runs from each stream's last packet before to its first after, so it may exceed `max` by one
 * period of the slowest stream (FFT 40 ms) and by the receiver's scheduling (live): LATE_S.
 */
const LATE_S = 0.3;

interface Window {
  min: number;
  max: number;
  dropped: number;
}

export async function until(what: string, ok: () => boolean, timeoutMs: number): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!ok()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

function droppedCount(lab: Lab): number {
  const m = /packets (\d+)/.exec(lab.exec('inet', 'nft', ['list', 'counter', 'inet', 'outage', 'dropped']));
  if (!m?.[1]) throw new Error('no dropped counter');
  return Number(m[1]);
}

function outageScenario(name: string, lengthS: number, settleS: number): Scenario {
  let window: Window | undefined;
  const checkReport = (what: string, r: AnalysisReport): void => {
    assert.ok(window, 'the outage ran');
    const o = r.outages ?? [];
    assert.equal(o.length, 1, `${what}: one outage, got ${JSON.stringify(o)}`);
    const got = o[0]!;
    assert.ok(got.lengthS >= window.min - 0.05 && got.lengthS <= window.max + LATE_S, `${what}: outage of ${got.lengthS} s, the router dropped for ${window.min.toFixed(3)}–${window.max.toFixed(3)} s`);
    // The kernel counted what it dropped: FFT and waterfall losses are counted by frame index, meters and
    // audio estimated from time × rate, so they agree within a counter cycle or a tenth.
    assert.ok(Math.abs(got.lost - window.dropped) <= Math.max(16, 0.1 * window.dropped), `${what}: ${got.lost} packets lost in the outage, the router dropped ${window.dropped}`);
  };
  return {
    name,
    why:
      `Routed path (as routed-healthy); once the session flows, the internet router drops every datagram from the radio’s data port for ${lengthS} s, then forwards again. ` +
      'Data flowed, stopped for a stretch and came back: degraded, cause outage, named at the first data class in path order (the meters), with the outage’s length and the packets lost in it — ' +
      'live, in a tcpdump capture on the client and in the --write recording.',
    build(lab) {
      wanTopology(lab, ROUTED);
      lab.nft('inet', COUNT_RADIO_DATA);
    },
    async during(lab) {
      await until('the session’s data to flow', () => lab.counter('inet', 'radio_data') >= FLOWING, 20_000);
      const before = performance.now();
      lab.nft('inet', DROP);
      const on = performance.now();
      try {
        await new Promise((r) => setTimeout(r, lengthS * 1000));
      } finally {
        const offStart = performance.now();
        const dropped = droppedCount(lab);
        lab.exec('inet', 'nft', ['delete', 'table', 'inet', 'outage']);
        const off = performance.now();
        window = { min: (offStart - on) / 1000, max: (off - before) / 1000, dropped };
      }
    },
    diagnose: { mode: 'lan', host: ADDR.radio },
    settleS,
    expect: { hop: 'data:meter', cause: 'outage' },
    wireCapture: { hop: 'data:meter', cause: 'outage' },
    check(_lab, live) {
      checkReport('live', live);
    },
    reports(o) {
      checkReport('recording', o.recording);
      if (o.wire) checkReport('tcpdump capture', o.wire);
    },
  };
}

export const OUTAGE_SCENARIOS: Scenario[] = [
  outageScenario('routed-outage-2s', 2, 9),
  outageScenario('routed-outage-0.6s', 0.6, 7),
  outageScenario('routed-outage-3s', 3, 9),
  outageScenario('routed-outage-5s', 5, 10),
];
