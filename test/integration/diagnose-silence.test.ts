/**
 * Issue 11 §3, live: a path that delivers nothing (or none of the large packets) is called from the
 * evidence — how many units were due and how unlikely their absence is on an open path — and the run's
 * own recording reads back to the same verdict. No clock is asserted: the figures come from the report.
 */
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { analyzeCaptureFile } from '../../src/analysis/analyze-file.js';
import type { AnalysisReport, HopId } from '../../src/analysis/model.js';
import { startLanDiagnosis } from '../../src/diagnose/lan.js';
import type { SimFaults } from '../../src/sim/faults.js';
import { withSim } from '../helpers/sim.js';

const dir = mkdtempSync(join(tmpdir(), 'flexpath-silence-'));

async function diagnose(faults: SimFaults, name: string): Promise<{ live: AnalysisReport; recording: AnalysisReport }> {
  const write = join(dir, `${name}.pcapng`);
  return withSim({ faults }, async (sim) => {
    const live = await startLanDiagnosis({ host: sim.host, port: sim.ports.api, mode: 'probe', discoveryPort: false, flexlibRange: false, dataHost: '127.0.0.1', noMtuStep: true, maxSeconds: 20, write }).done;
    return { live, recording: await analyzeCaptureFile(write) };
  });
}

const evidence = (r: AnalysisReport, id: HopId): string[] => r.hops.find((h) => h.id === id)?.evidence ?? [];
const key = (r: AnalysisReport): string[] => [r.verdict.status, r.verdict.hop ?? '', r.verdict.cause ?? ''];

test('no data at all: udp-return blocked with the confidence stated, the run ends on that decision, the recording agrees', async () => {
  const { live, recording } = await diagnose({ drop: ['meter', 'panadapter', 'waterfall', 'audio', 'dax'] }, 'all-dropped');
  assert.deepEqual(key(live), ['blocked', 'udp-return', 'udp-blocked-inbound'], live.verdict.summary);
  assert.equal(live.verdict.rule, 'udp-return-no-data');
  const line = evidence(live, 'udp-return').find((e) => e.startsWith('0 of ≈ '));
  const m = /^0 of ≈ (\d+(?:\.\d)?) expected datagrams of the requested classes in ([\d.]+) s; P < 1e-(\d+) if the path were open$/.exec(line ?? '');
  assert.ok(m, evidence(live, 'udp-return').join(' | '));
  // e^−λ below 1e-6 needs λ ≥ 13.8: the stated bound is at least that strong.
  assert.ok(Number(m[1]) >= 13.8 && Number(m[3]) >= 6, line);
  assert.ok(!live.warnings.some((w) => /before every hop was decided/.test(w)), live.warnings.join(' | '));
  assert.deepEqual(key(recording), key(live), recording.verdict.summary);
});

test('the waterfall never arrives while small packets do: data:waterfall mtu on silence, the missing lines counted', async () => {
  // Every waterfall datagram dropped (the probe's tiles are ≥ 1 kB): meters, FFT and Opus arrive.
  const { live, recording } = await diagnose({ drop: ['waterfall'] }, 'waterfall-dropped');
  assert.deepEqual(key(live), ['blocked', 'data:waterfall', 'mtu'], live.verdict.summary);
  assert.equal(live.verdict.rule, 'data-missing-large');
  assert.ok(evidence(live, 'data:waterfall').some((e) => /^0 of ≈ \d+ expected waterfall lines in [\d.]+ s; P < 1e-\d+ if the path were open$/.test(e)), evidence(live, 'data:waterfall').join(' | '));
  assert.deepEqual(key(recording), key(live), recording.verdict.summary);
});

test('an MTU black hole that lets each line’s small last fragment through: MTU on the first fragments missing, the recording agrees', async () => {
  // diagnose asks for network_mtu 1450: full tiles are 1442-byte datagrams, above the 1400 path; the last, short tile of a line passes.
  const { live, recording } = await diagnose({ mtu: 1400 }, 'mtu-1400');
  assert.deepEqual(key(live), ['blocked', 'data:waterfall', 'mtu'], live.verdict.summary);
  assert.equal(live.verdict.rule, 'data-first-fragments-missing');
  assert.deepEqual(key(recording), key(live), recording.verdict.summary);
});
