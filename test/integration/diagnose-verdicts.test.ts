/**
 * Live verdicts the independent lab found wrong (issue 11 §2), each against the simulator over loopback
 * with the fault built the way the lab built it.
 */
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { analyzeCaptureFile } from '../../src/analysis/analyze-file.js';
import { startLanDiagnosis } from '../../src/diagnose/lan.js';
import { startSimulator } from '../../src/sim/radio-sim.js';
import { freeUdpPort } from '../helpers/udp-sink.js';

const dir = mkdtempSync(join(tmpdir(), 'flexpath-verdicts-'));

test('class 4: wrong-port with discovery on — data sent to the port the discovery listener holds is named wrong-port', async () => {
  // The radio sends its data to the port where FlexPath listens for beacons (on a real PC: announced 4991,
  // data to 4992), and beacons arrive there too, as on a LAN.
  const beaconPort = await freeUdpPort();
  const sim = await startSimulator({ host: '127.0.0.1', portBase: 0, discovery: { address: '127.255.255.255', port: beaconPort, intervalMs: 500 }, faults: { wrongPort: beaconPort } });
  try {
    const write = join(dir, 'wrong-port-discovery.pcapng');
    const r = await startLanDiagnosis({ host: sim.host, port: sim.ports.api, mode: 'probe', discoveryPort: beaconPort, flexlibRange: false, dataHost: '127.0.0.1', settleSeconds: 4, maxSeconds: 15, write }).done;
    assert.deepEqual([r.verdict.status, r.verdict.hop, r.verdict.cause], ['blocked', 'udp-return', 'wrong-port'], r.verdict.summary);
    const udp = r.hops.find((h) => h.id === 'udp-return');
    assert.ok(udp?.evidence.some((e) => e.includes(`port(s) ${beaconPort}`)), `the port the data goes to is named: ${udp?.evidence.join(' | ')}`);
    const fromFile = await analyzeCaptureFile(write);
    assert.deepEqual([fromFile.verdict.status, fromFile.verdict.hop, fromFile.verdict.cause], ['blocked', 'udp-return', 'wrong-port'], fromFile.verdict.summary);
  } finally {
    await sim.stop();
  }
});

test('a wrong --host while a radio beacons elsewhere: the report names the radio that is there', async () => {
  const beaconPort = await freeUdpPort();
  const sim = await startSimulator({ host: '127.0.0.1', portBase: 0, discovery: { address: '127.255.255.255', port: beaconPort, intervalMs: 1000 } });
  try {
    // 127.0.0.9 is loopback too, with nothing listening: the connection is refused at once.
    const r = await startLanDiagnosis({ host: '127.0.0.9', port: sim.ports.api, mode: 'probe', discoveryPort: beaconPort, flexlibRange: false, dataHost: '127.0.0.1', maxSeconds: 10 }).done;
    assert.equal(r.verdict.hop, 'control', r.verdict.summary);
    const radio = `127.0.0.1:${sim.ports.api}`;
    assert.ok(r.warnings.some((w) => w.includes(`announces itself at ${radio}`) && w.includes('--host 127.0.0.1')), r.warnings.join(' | '));
    assert.ok(r.hops.find((h) => h.id === 'control')?.evidence.some((e) => e.includes(radio)), 'the control hop names where the radio is');
  } finally {
    await sim.stop();
  }
});

test('a radio that refuses the probe’s pan and stream (licence/resources) is radio-refused with the code, not a network fault', async () => {
  const sim = await startSimulator({ host: '127.0.0.1', portBase: 0, discovery: false, faults: { refuseCreate: 0x5000008e } });
  try {
    const write = join(dir, 'radio-refused.pcapng');
    const r = await startLanDiagnosis({ host: sim.host, port: sim.ports.api, mode: 'probe', discoveryPort: false, flexlibRange: false, dataHost: '127.0.0.1', settleSeconds: 3, maxSeconds: 12, write }).done;
    assert.deepEqual([r.verdict.hop, r.verdict.cause], ['stream-setup', 'radio-refused'], r.verdict.summary);
    assert.match(r.verdict.summary, /0x5000008E/);
    assert.match(r.verdict.summary, /not a network fault/i);
    const fromFile = await analyzeCaptureFile(write);
    assert.deepEqual([fromFile.verdict.hop, fromFile.verdict.cause], ['stream-setup', 'radio-refused'], fromFile.verdict.summary);
  } finally {
    await sim.stop();
  }
});
