/**
 * A probe on a real radio must never disturb the operator (reference §11): the simulator plays older
 * firmware, an operator, an M model's front panel, pan-create reply variants and Opus size variants,
 * and each test checks what FlexPath asked of the radio (the simulator logs every command), not only
 * the verdict. Expected modes and streams follow from the reference's rules, not from the code.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { AnalysisReport, HopId } from '../../src/analysis/model.js';
import { type LanOptions, startLanDiagnosis } from '../../src/diagnose/lan.js';
import { type SimOptions, type Simulator, startSimulator } from '../../src/sim/radio-sim.js';
import { TRANSMIT_COMMAND } from '../../src/sim/radio-core.js';
import { startSmartLinkDiagnosis } from '../../src/diagnose/smartlink.js';
import { SIM_CA_CERT, SIM_TLS_SERVERNAME } from '../../src/sim/test-cert.js';

async function run(sim: SimOptions, o: Partial<LanOptions> = {}): Promise<{ r: AnalysisReport; sim: Simulator; ours: string[] }> {
  const s = await startSimulator({ portBase: 0, discovery: false, ...sim });
  try {
    const r = await startLanDiagnosis({ host: s.host, port: s.ports.api, flexlibRange: false, settleSeconds: 3, maxSeconds: 15, dataHost: '127.0.0.1', discoveryPort: false, ...o }).done;
    const ours = s.core.commandLog.filter((c) => c.program === 'FlexPath' || c.program === '').map((c) => c.command);
    // Whatever the mode: never a transmit command, and nothing of FlexPath's left behind.
    assert.deepEqual(ours.filter((c) => TRANSMIT_COMMAND.test(c)), [], 'transmit commands sent');
    assert.equal([...s.core.clients.values()].filter((c) => c.peer).length, 0, 'FlexPath still connected');
    assert.equal([...s.core.streams.values()].length, 0, 'streams left');
    return { r, sim: s, ours };
  } finally {
    await s.stop();
  }
}

const hop = (r: AnalysisReport, id: HopId) => r.hops.find((h) => h.id === id)!;
const evidence = (r: AnalysisReport): string => r.hops.flatMap((h) => h.evidence).join('\n');
/** Data arrived and was judged (ok, or degraded by jitter when the test machine is loaded). */
const flowed = (r: AnalysisReport, id: HopId): boolean => ['ok', 'degraded'].includes(hop(r, id).status);

test('firmware 2.x with an operator: observer even with --probe; the operator keeps the GUI', async () => {
  const { r, sim, ours } = await run({ firmware: '2.10.1.37', operator: true }, { mode: 'probe' });
  assert.ok(!ours.includes('client gui'), 'client gui was sent');
  assert.deepEqual(sim.core.displaced, []);
  assert.match(hop(r, 'stream-setup').evidence.join('\n'), /only GUI client/);
  assert.match(evidence(r), /firmware 2\.10\.1\.37/);
  assert.ok(flowed(r, 'data:meter'), 'the observer still proves the small-packet path');
});

test('firmware 2.x alone: the probe runs (and takes the one slot)', async () => {
  const { r, ours } = await run({ firmware: '2.10.1.37' }, { mode: 'auto' });
  assert.ok(ours.includes('client gui'));
  assert.ok(flowed(r, 'data:waterfall'));
});

test('an M model’s front panel connected: --probe creates no audio stream (it would mute the radio’s speaker); --audio does', async () => {
  const panel = { program: 'SmartSDR-M', station: 'FRONT PANEL' };
  const quiet = await run({ operator: panel }, { mode: 'probe' });
  assert.ok(quiet.ours.includes('client gui'), 'a slot was free: probe mode');
  assert.ok(!quiet.ours.some((c) => c.startsWith('stream create type=remote_audio_rx')), 'audio stream created');
  const audio = hop(quiet.r, 'data:audio');
  assert.equal(audio.status, 'unknown');
  assert.match(audio.evidence.join('\n'), /not tested.*mute_local_audio_when_remote=1.*SmartSDR-M/);
  assert.ok(flowed(quiet.r, 'data:waterfall'));
  const loud = await run({ operator: panel }, { mode: 'probe', audio: true });
  assert.ok(loud.ours.some((c) => c.startsWith('stream create type=remote_audio_rx')));
  assert.ok(flowed(loud.r, 'data:audio'));
});

test('mute_local_audio_when_remote=0 on the radio: nobody local is silenced, so the probe opens audio beside the operator', async () => {
  // The radio's own status line says so; with the firmware default (1) the same operator gets no audio stream.
  const { r, ours } = await run({ operator: true, muteLocalAudioWhenRemote: false }, { mode: 'probe' });
  assert.match(evidence(r), /mute_local_audio_when_remote=0/);
  assert.ok(ours.some((c) => c.startsWith('stream create type=remote_audio_rx')), ours.join(' | '));
  assert.ok(flowed(r, 'data:audio'));
  const muted = await run({ operator: true }, { mode: 'probe' });
  assert.match(evidence(muted.r), /mute_local_audio_when_remote=1/);
  assert.ok(!muted.ours.some((c) => c.startsWith('stream create type=remote_audio_rx')));
});

test('the firmware’s slice on the probe’s pan is checked (it is the TX slice here) and removed; no transmit command', async () => {
  const { r, ours } = await run({}, { mode: 'probe' });
  assert.match(hop(r, 'stream-setup').evidence.join('\n'), /put slice 0 .*transmit slice/);
  assert.ok(ours.includes('slice remove 0'));
});

test('pan-create replies with 0x, without, keyed, or empty: the pan is found and removed', async () => {
  for (const panReply of ['hex', 'bare', 'keyed', 'empty'] as const) {
    const { r, sim, ours } = await run({ panReply }, { mode: 'probe' });
    assert.ok(flowed(r, 'data:waterfall'), panReply);
    assert.ok(ours.includes('display pan remove 0x40000000'), `${panReply}: ${ours.join(' | ')}`);
    assert.equal(sim.core.pans.size, 0, `${panReply}: pan left`);
    if (panReply === 'empty') assert.match(evidence(r), /found 0x40000000 from its status line/);
  }
});

test('M lines are read before client gui and shown; “max clients” keeps FlexPath an observer', async () => {
  const { r, ours } = await run({ connectMessages: [{ code: 0xf3000001, text: 'Max number of clients reached' }] }, { mode: 'probe' });
  assert.ok(!ours.includes('client gui'));
  const control = hop(r, 'control').evidence.join('\n');
  assert.match(control, /radio message 0x10000001 Client connected from IP/);
  assert.match(control, /radio message 0xF3000001 Max number of clients reached/);
  assert.match(hop(r, 'stream-setup').evidence.join('\n'), /no client slot is free/);
});

test('Opus size fields short of or past the datagram by a word or two: audio still decodes', async () => {
  for (const skew of [-1, 1, 2]) {
    const { r } = await run({ opusSizeSkewWords: skew }, { mode: 'probe' });
    const audio = r.streams.find((s) => s.kind === 'audio');
    assert.ok(audio && audio.packets > 100, `skew ${skew}: ${JSON.stringify(audio)}`);
    assert.ok(flowed(r, 'data:audio'), `skew ${skew}`);
  }
});

test('SmartLink: `sub client all` is sent; no reply to `wan validate` and V/H after it do not abort the run', async () => {
  for (const variant of [{ wanValidateSilent: true }, { wanPrologueAfterValidate: true }, { wanValidateSilent: true, wanPrologueAfterValidate: true }]) {
    const s = await startSimulator({ portBase: 0, discovery: false, broker: true, ...variant });
    try {
      const r = await startSmartLinkDiagnosis({
        token: 'safety-token', brokerHost: s.host, brokerPort: s.ports.broker!, brokerTls: { ca: SIM_CA_CERT, servername: SIM_TLS_SERVERNAME },
        flexlibRange: false, settleSeconds: 3, maxSeconds: 20, dataHost: '127.0.0.1',
      }).done;
      const ours = s.core.commandLog.map((c) => c.command);
      assert.ok(ours.includes('sub client all'), JSON.stringify(variant));
      // The session went on to data (jitter on a loaded test machine may degrade it; the control hop must not fail).
      assert.ok(flowed(r, 'data:meter') && flowed(r, 'data:waterfall'), `${JSON.stringify(variant)}: ${r.verdict.summary}`);
      assert.notEqual(hop(r, 'control').status, 'blocked');
      assert.doesNotMatch(hop(r, 'control').evidence.join('\n'), /never answered/);
      if (variant.wanValidateSilent) assert.match(hop(r, 'control').evidence.join('\n'), /no reply to `wan validate`/);
    } finally {
      await s.stop();
    }
  }
});
