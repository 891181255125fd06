/**
 * A radio that does not announce its GUI slots (older firmware: beacons without
 * `licensed_clients`/`available_clients`, reference §4.2; a SmartLink radio list without
 * `licensed_clients`). FlexLib's default then decides (reference §11, FlexLib WanServer.cs): one slot
 * for a v1/v2 licence, two for v3 and later. So with an operator connected, a 2.x radio keeps FlexPath
 * an observer, a 4.x radio has a slot to spare — on the LAN (the beacon) and over SmartLink (the list).
 * And the CLI hands the beacon it found while looking for radios to the diagnosis: a beacon heard only
 * then still decides.
 */
import assert from 'node:assert/strict';
import { createSocket } from 'node:dgram';
import { test } from 'node:test';
import type { AnalysisReport, HopId } from '../../src/analysis/model.js';
import { startLanDiagnosis } from '../../src/diagnose/lan.js';
import { startSmartLinkDiagnosis } from '../../src/diagnose/smartlink.js';
import { beaconPacket } from '../../src/sim/discovery.js';
import { startSimulator } from '../../src/sim/radio-sim.js';
import { TRANSMIT_COMMAND } from '../../src/sim/radio-core.js';
import { SIM_CA_CERT, SIM_TLS_SERVERNAME } from '../../src/sim/test-cert.js';
import { startCli } from '../helpers/cli.js';
import { freeUdpPort, sleep } from '../helpers/udp-sink.js';

const V2 = '2.10.1.37';
const V4 = '4.1.5.39794';
const hop = (r: AnalysisReport, id: HopId) => r.hops.find((h) => h.id === id)!;
const evidence = (r: AnalysisReport): string => r.hops.flatMap((h) => h.evidence).join('\n');

async function lan(firmware: string): Promise<{ r: AnalysisReport; ours: string[] }> {
  const port = await freeUdpPort();
  const sim = await startSimulator({ portBase: 0, firmware, operator: true, beaconWithoutClientCounts: true, discovery: { address: '127.0.0.1', port, intervalMs: 200 } });
  try {
    const r = await startLanDiagnosis({ host: sim.host, port: sim.ports.api, mode: 'probe', discoveryPort: port, flexlibRange: false, settleSeconds: 2, maxSeconds: 8, dataHost: '127.0.0.1' }).done;
    const ours = sim.core.commandLog.filter((c) => c.program === 'FlexPath' || c.program === '').map((c) => c.command);
    assert.deepEqual(ours.filter((c) => TRANSMIT_COMMAND.test(c)), []);
    return { r, ours };
  } finally {
    await sim.stop();
  }
}

async function smartLink(firmware: string): Promise<{ r: AnalysisReport; ours: string[] }> {
  const sim = await startSimulator({ portBase: 0, discovery: false, broker: true, firmware, operator: true, beaconWithoutClientCounts: true });
  try {
    const r = await startSmartLinkDiagnosis({
      token: 'counts-token', brokerHost: sim.host, brokerPort: sim.ports.broker!, brokerTls: { ca: SIM_CA_CERT, servername: SIM_TLS_SERVERNAME },
      flexlibRange: false, settleSeconds: 2, maxSeconds: 10, dataHost: '127.0.0.1',
    }).done;
    return { r, ours: sim.core.commandLog.filter((c) => c.program === 'FlexPath' || c.program === '').map((c) => c.command) };
  } finally {
    await sim.stop();
  }
}

test('LAN, beacon without client counts: a 2.x radio with an operator keeps FlexPath an observer although --probe was asked', async () => {
  const { r, ours } = await lan(V2);
  const ev = evidence(r);
  assert.match(ev, /before client gui \(beacon and status lines\):.*licence v2, licensed_clients not announced, available_clients not announced/);
  assert.ok(!ours.includes('client gui'), 'client gui was sent');
  assert.match(hop(r, 'stream-setup').evidence.join('\n'), /one GUI slot.*although --probe was asked/);
});

test('LAN, beacon without client counts: a 4.x radio (licence v3) has two slots, so --probe runs beside the operator — without audio', async () => {
  const { r, ours } = await lan(V4);
  assert.match(evidence(r), /licence v3, licensed_clients not announced/);
  assert.ok(ours.includes('client gui'));
  assert.match(evidence(r), /a GUI slot is free \(1 of 2\)/);
  // The operator may be listening: an audio stream would mute the radio (mute_local_audio_when_remote=1).
  assert.ok(!ours.some((c) => c.startsWith('stream create type=remote_audio_rx')));
});

test('SmartLink, radio list without licensed_clients: v2 means one slot (FlexLib), so an operator keeps FlexPath an observer', async () => {
  const { r, ours } = await smartLink(V2);
  assert.match(hop(r, 'control').evidence.join('\n'), /SmartLink radio list.*licence v2, licensed_clients not announced/);
  assert.deepEqual(ours, [], 'nothing was sent to the radio');
  assert.match(evidence(r), /one GUI slot/);
});

test('SmartLink, radio list without licensed_clients: v3 means two slots, so the probe goes on beside the operator', async () => {
  const { r, ours } = await smartLink(V4);
  assert.match(hop(r, 'control').evidence.join('\n'), /licence v3, licensed_clients not announced/);
  assert.ok(ours.includes('client gui'), ours.join(' | '));
  assert.ok(!ours.some((c) => c.startsWith('stream create type=remote_audio_rx')), 'audio beside an operator');
});

test('CLI without --host: the beacon found while looking for radios decides, even when no other beacon comes', async () => {
  const port = await freeUdpPort();
  const sim = await startSimulator({ portBase: 0, discovery: false, firmware: V2, operator: true });
  const sender = createSocket('udp4');
  try {
    const run = startCli(['diagnose', '--discovery-port', String(port), '--probe', '--seconds', '6', '--settle', '2', '--format', 'json', '--no-redact'], { timeoutMs: 60_000 });
    let stderr = '';
    await new Promise<void>((resolve, reject) => {
      const t = setTimeout(() => reject(new Error(`the CLI never started listening: ${stderr}`)), 30_000);
      run.child.stderr?.on('data', (d: Buffer) => {
        stderr += d.toString();
        if (/listening 3 s for radios/.test(stderr)) (clearTimeout(t), resolve());
      });
    });
    // Three beacons in the first second of the CLI's 3-s listen, then none: the diagnosis's own
    // listener (opened after those 3 s) hears nothing, so only the CLI's find can have told it.
    const beacon = beaconPacket({ identity: sim.core.identity, ip: '127.0.0.1', port: sim.ports.api, wanConnected: false, guiClients: sim.core.guiClients(), pansInUse: 0, slicesInUse: 0 }, 0, Math.floor(Date.now() / 1000));
    for (let i = 0; i < 3; i++) {
      await sleep(300);
      await new Promise<void>((r) => sender.send(beacon, port, '127.0.0.1', () => r()));
    }
    const res = await run.done;
    assert.equal(res.code, 0, stderr + res.stderr);
    assert.match(stderr + res.stderr, /found FLEX-6600M/);
    const r = JSON.parse(res.stdout) as AnalysisReport;
    // max_licensed_version comes only in the beacon; the status lines do not carry it.
    assert.match(evidence(r), /before client gui \(beacon and status lines\):.*licence v2/);
    const ours = sim.core.commandLog.filter((c) => c.program === 'FlexPath' || c.program === '').map((c) => c.command);
    assert.ok(ours.length > 0 && !ours.includes('client gui'), 'observer on a 2.x radio with an operator');
  } finally {
    sender.close();
    await sim.stop();
  }
});
