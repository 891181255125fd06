/**
 * Never harm the operator's session, when things go wrong half-way: a stop (Ctrl+C, SIGTERM, the UI)
 * during the MTU steps, a create whose reply never comes, the radio dropping the control connection
 * mid-step. Each test reads what FlexPath asked of the radio from the simulator's command log; the
 * expected commands follow from the scenario (what the simulator created, what was asked before the
 * stop), not from FlexPath's code.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { AnalysisReport, HopId } from '../../src/analysis/model.js';
import { type LanOptions, startLanDiagnosis } from '../../src/diagnose/lan.js';
import type { Diagnosis } from '../../src/diagnose/walk.js';
import { type SimOptions, type Simulator, startSimulator } from '../../src/sim/radio-sim.js';
import { guiSession } from '../helpers/sim.js';
import { udpSink } from '../helpers/udp-sink.js';

type Logged = Simulator['core']['commandLog'][number];

async function withRun(sim: SimOptions, o: Partial<LanOptions>, during?: (d: Diagnosis, s: Simulator) => Promise<void>): Promise<{ r: AnalysisReport; s: Simulator; log: Logged[] }> {
  const s = await startSimulator({ portBase: 0, discovery: false, ...sim });
  try {
    const d = startLanDiagnosis({ host: s.host, port: s.ports.api, flexlibRange: false, settleSeconds: 3, maxSeconds: 15, dataHost: '127.0.0.1', discoveryPort: false, mode: 'probe', ...o });
    await during?.(d, s);
    const r = await d.done;
    return { r, s, log: [...s.core.commandLog] };
  } finally {
    await s.stop();
  }
}

const evidence = (r: AnalysisReport, id: HopId): string => r.hops.find((h) => h.id === id)!.evidence.join('\n');
const mtuCommand = /\snetwork_mtu=(\d+)/;

/** Polls the command log until a command matches (bounded: the run itself ends within its maxSeconds). */
async function waitForCommand(s: Simulator, re: RegExp): Promise<number> {
  for (let i = 0; i < 1000; i++) {
    const at = s.core.commandLog.findIndex((c) => re.test(c.command));
    if (at >= 0) return at;
    await new Promise((r) => setTimeout(r, 10));
  }
  throw new Error(`no command ${re} within 10 s`);
}

test('a stop during the MTU steps ends them at once: no further network_mtu, then every object FlexPath made is removed', async () => {
  // The waterfall is filtered whatever its size, so no step passes and all four (1500 … 1300) would run.
  let stopAt = -1;
  const { r, log } = await withRun({ faults: { drop: ['waterfall'] } }, {}, async (d, s) => {
    stopAt = await waitForCommand(s, /network_mtu=1500/);
    await d.stop();
  });
  const after = log.slice(stopAt + 1).map((c) => c.command);
  assert.deepEqual(after.filter((c) => mtuCommand.test(c)), [], `MTU steps after the stop: ${after.join(' | ')}`);
  // What the simulator created for FlexPath: its first pan, the slice on it, its first audio stream.
  for (const undo of ['stream remove 0x04000008', 'slice remove 0', 'display pan remove 0x40000000']) assert.ok(after.includes(undo), `${undo} missing: ${after.join(' | ')}`);
  // The step the stop cut counts nothing (its window saw a fraction of the tiles) and is said to be cut.
  const wf = evidence(r, 'data:waterfall');
  assert.match(wf, /MTU steps cut short: stopped (during|before) network_mtu 1500/);
  assert.doesNotMatch(wf, /network_mtu 1500: 0 large packets/);
});

test('a create whose reply never comes: what the radio announced as FlexPath’s is still removed before it hangs up', async () => {
  for (const silent of ['display panafall create', 'stream create']) {
    const { r, s, log } = await withRun({ unanswered: [silent] }, {});
    const ours = log.filter((c) => c.program === 'FlexPath').map((c) => c.command);
    // The simulator carried the create out (its status lines name FlexPath's handle): pan 0x40000000 with
    // slice 0, and — when the pan's reply came and the stream create went out — stream 0x04000008.
    const expected = silent === 'stream create' ? ['stream remove 0x04000008', 'slice remove 0', 'display pan remove 0x40000000'] : ['slice remove 0', 'display pan remove 0x40000000'];
    assert.deepEqual(ours.filter((c) => /remove/.test(c)), expected, `${silent}: ${ours.join(' | ')}`);
    assert.match(evidence(r, 'stream-setup'), /yet no create reply named it/, silent);
    assert.equal(s.core.pans.size + s.core.streams.size + s.core.slices.size, 0, silent);
    // The radio answered the pings sent after the create (one a second, reference §5.5): one command went
    // unanswered on a working channel — not "the control channel does not answer" (before).
    const command = ours.find((c) => c.startsWith(silent)) ?? '';
    assert.equal(r.verdict.rule, 'control-command-ignored', `${silent}: ${r.verdict.summary}`);
    assert.ok(r.verdict.summary.startsWith(`The radio never answered “${command}” (no reply in `), r.verdict.summary);
    assert.match(r.verdict.summary, /yet answered the commands sent after it on the same connection/);
  }
});

test('the radio drops the control connection mid-step: the finished steps stay in the report, and what could not be removed is said', async () => {
  // 1500 and 1450 run whole; at 1400 the radio resets the connection.
  const { r, log } = await withRun({ faults: { drop: ['waterfall'] }, resetOn: ['client set enforce_network_mtu=1 network_mtu=1400'] }, {});
  assert.deepEqual(log.map((c) => mtuCommand.exec(c.command)?.[1]).filter(Boolean), ['1450', '1500', '1450', '1400']);
  const wf = evidence(r, 'data:waterfall');
  assert.match(wf, /MTU steps after the run: network_mtu 1500: 0 large packets arrived; network_mtu 1450: 0 large packets arrived\n/);
  assert.match(wf, /MTU steps cut short: network_mtu 1400 could not be set/);
  assert.ok(!r.warnings.some((w) => /diagnosis stopped by an error/.test(w)), r.warnings.join('\n'));
  assert.ok(r.warnings.some((w) => /could not remove audio stream 0x04000008, slice 0, panadapter 0x40000000/.test(w)), r.warnings.join('\n'));
});

test('an operator’s own network_mtu and pan are untouched by FlexPath’s MTU steps (network_mtu is per client)', async () => {
  const sink = await udpSink();
  const s = await startSimulator({ portBase: 0, discovery: false, faults: { drop: ['waterfall'] } });
  try {
    // The operator holds a GUI slot and its pan, at a setting of its own that is not the default.
    const op = await guiSession(s, sink.port);
    assert.equal((await op.command('display panafall create x=100 y=100')).code, 0);
    assert.equal((await op.command('client set enforce_network_mtu=1 network_mtu=1400')).code, 0);
    const opPans = [...s.core.pans.keys()];
    const r = await startLanDiagnosis({ host: s.host, port: s.ports.api, flexlibRange: false, settleSeconds: 3, maxSeconds: 15, dataHost: '127.0.0.1', discoveryPort: false, mode: 'probe' }).done;
    assert.match(evidence(r, 'data:waterfall'), /network_mtu 1300/, 'the steps ran down to 1300');
    assert.equal(s.core.clients.get(op.handle!)!.networkMtu, 1400);
    assert.deepEqual([...s.core.pans.keys()], opPans, 'the operator’s pans, and only those');
    const steps = s.core.commandLog.filter((c) => c.handle !== op.handle && mtuCommand.test(c.command));
    assert.ok(steps.length >= 5 && steps.every((c) => c.program === 'FlexPath'), 'every other network_mtu came from FlexPath');
    await op.close();
  } finally {
    await s.stop();
    await sink.close();
  }
});

test('nothing of the radio’s data arrives at all: no MTU steps (no step could pass), the client’s setting asked once', async () => {
  const { r, log } = await withRun({ faults: { drop: ['meter', 'panadapter', 'waterfall', 'audio', 'dax'] } }, {});
  assert.equal(r.verdict.hop, 'udp-return');
  // The run's own setting (SmartSDR v4's 1450, the default --mtu), and no step after it.
  assert.deepEqual(log.map((c) => mtuCommand.exec(c.command)?.[1]).filter(Boolean), ['1450']);
  assert.doesNotMatch(evidence(r, 'data:waterfall'), /MTU steps/);
});

test('stopped while it connects: no GUI slot taken and no pan made only to be removed again', async () => {
  const { r, log } = await withRun({}, {}, async (d) => {
    await d.stop();
  });
  const ours = log.filter((c) => c.program === 'FlexPath' || c.program === '').map((c) => c.command);
  assert.ok(!ours.includes('client gui'), ours.join(' | '));
  assert.ok(!ours.some((c) => /create/.test(c)), ours.join(' | '));
  assert.notEqual(r.verdict.status, 'healthy');
});
