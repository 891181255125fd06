/**
 * The SmartLink flow against the simulated broker and radio over TLS, end to end (reference §6):
 * register → radio list → test_connection → connect → connect_ready → TLS to the radio → wan validate →
 * UDP registration → data to the registering socket. Then each SmartLink fault.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ApiClient } from '../../src/api/client.js';
import { BrokerClient } from '../../src/smartlink/broker-client.js';
import { choosePorts } from '../../src/smartlink/protocol.js';
import type { SimFaults } from '../../src/sim/faults.js';
import type { Simulator } from '../../src/sim/radio-sim.js';
import { SIM_CA_CERT, SIM_TLS_SERVERNAME } from '../../src/sim/test-cert.js';
import { withSim } from '../helpers/sim.js';
import { sleep, udpSink } from '../helpers/udp-sink.js';

const TEST_TLS = { ca: SIM_CA_CERT, servername: SIM_TLS_SERVERNAME };

async function broker(sim: Simulator): Promise<BrokerClient> {
  assert.ok(sim.ports.broker, 'broker running');
  return BrokerClient.connect({ host: sim.host, port: sim.ports.broker, tls: TEST_TLS });
}

function smartlink<T>(faults: SimFaults, fn: (sim: Simulator) => Promise<T>): Promise<T> {
  return withSim({ broker: true, faults }, fn);
}

test('SmartLink end to end: register, radio list with forwarding fields, test, connect, wan validate, UDP registration, data', async () => {
  const sink = await udpSink();
  try {
    await smartlink({}, async (sim) => {
      const b = await broker(sim);
      const reg = await b.register('eyJ.test.token');
      assert.equal(reg.publicIp, '127.0.0.1');
      assert.equal(reg.radios.length, 1);
      const r = reg.radios[0]!;
      for (const k of ['radio_name', 'callsign', 'serial', 'model', 'version', 'status', 'public_ip', 'public_tls_port', 'public_udp_port', 'upnp_supported', 'public_upnp_tls_port', 'public_upnp_udp_port', 'max_licensed_version', 'licensed_clients']) {
        assert.ok(r.fields.has(k), `radio list field ${k} (reference §6.3)`);
      }
      const ports = choosePorts(r);
      assert.deepEqual(ports, { mode: 'forward', tlsPort: sim.ports.tls, udpPort: sim.ports.data });
      const t = await b.testConnection(r.serial);
      assert.deepEqual(t, { serial: r.serial, upnpTcp: false, upnpUdp: false, forwardTcp: true, forwardUdp: true, holePunch: false });
      const handle = await b.connectRadio(r.serial, 0);
      const radio = await ApiClient.connect({ host: sim.host, port: sim.ports.tls, tls: { rejectUnauthorized: false } });
      assert.equal((await radio.command('client gui')).code, 0x50001000, 'nothing before wan validate');
      assert.equal((await radio.command(`wan validate handle=${handle}`)).code, 0);
      assert.equal((await radio.command('client gui')).code, 0);
      assert.equal((await radio.command('sub meter all')).code, 0);
      // FlexLib registers every 50 ms until data arrives (reference §5.7).
      for (let i = 0; i < 20 && sink.got.length === 0; i++) {
        sink.socket.send(`client udp_register handle=0x${radio.handle!.toString(16).toUpperCase()}`, sim.ports.data, sim.host);
        await sleep(50);
      }
      await sleep(500);
      assert.ok(sink.got.some((g) => g.pcc === 0x8002), 'meters arrive at the registering socket');
      assert.ok(sink.got.every((g) => g.from.port === sim.ports.data));
      await radio.close();
      b.close();
    });
  } finally {
    await sink.close();
  }
});

test('a refused token: application registration_invalid', async () => {
  await withSim({ broker: true, tokens: ['good'] }, async (sim) => {
    const b = await broker(sim);
    await assert.rejects(b.register('bad'), /registration_invalid/);
    b.close();
  });
});

test('not-registered: the radio is missing from the list and reports wan server_connected=0', async () => {
  await smartlink({ notRegistered: true }, async (sim) => {
    const b = await broker(sim);
    assert.deepEqual((await b.register('t')).radios, []);
    b.close();
    const statuses: string[] = [];
    const c2 = await ApiClient.connect({ host: sim.host, port: sim.ports.api, waitForPrologue: false });
    c2.onLine((l) => l.type === 'status' && statuses.push(l.body));
    await c2.waitForPrologue();
    await sleep(50);
    assert.ok(statuses.some((s) => /^wan server_connected=0 radio_authenticated=0/.test(s)), statuses.join('\n'));
    await c2.close();
  });
});

test('no-forward: UPnP ports instead; no-forward + no-upnp: hole punching, with NAT preserving ports', async () => {
  await smartlink({ noForward: true }, async (sim) => {
    const b = await broker(sim);
    const r = (await b.register('t')).radios[0]!;
    assert.equal(r.fields.get('public_udp_port'), '-1');
    assert.equal(r.fields.get('upnp_supported'), '1');
    assert.deepEqual(choosePorts(r), { mode: 'upnp', tlsPort: sim.ports.tls, udpPort: sim.ports.data });
    assert.equal((await b.testConnection(r.serial)).upnpUdp, true);
    b.close();
  });
  await smartlink({ noForward: true, noUpnp: true }, async (sim) => {
    const b = await broker(sim);
    const r = (await b.register('t')).radios[0]!;
    assert.deepEqual(choosePorts(r), { mode: 'hole-punch' });
    assert.equal((await b.testConnection(r.serial)).holePunch, true);
    b.close();
  });
});

test('test-fail: every test_connection check is false', async () => {
  await smartlink({ testConnectionFail: true }, async (sim) => {
    const b = await broker(sim);
    const r = (await b.register('t')).radios[0]!;
    assert.deepEqual(await b.testConnection(r.serial), { serial: r.serial, upnpTcp: false, upnpUdp: false, forwardTcp: false, forwardUdp: false, holePunch: false });
    b.close();
  });
});

test('refuse-wan-validate: refused, `wan_validation_failed=1`, connection closed', async () => {
  await smartlink({ refuseWanValidate: true }, async (sim) => {
    const b = await broker(sim);
    const r = (await b.register('t')).radios[0]!;
    const handle = await b.connectRadio(r.serial, 0);
    const radio = await ApiClient.connect({ host: sim.host, port: sim.ports.tls, tls: { rejectUnauthorized: false } });
    const statuses: string[] = [];
    radio.onLine((l) => l.type === 'status' && statuses.push(l.body));
    assert.notEqual((await radio.command(`wan validate handle=${handle}`)).code, 0);
    await new Promise<void>((resolve) => radio.onClose(() => resolve()));
    assert.ok(statuses.some((s) => s.includes('wan_validation_failed=1')));
    b.close();
  });
});

test('ignore-udp-register: registrations go unanswered, no data; broker-down: nothing listens', async () => {
  const sink = await udpSink();
  try {
    await smartlink({ ignoreUdpRegister: true }, async (sim) => {
      const b = await broker(sim);
      const r = (await b.register('t')).radios[0]!;
      const handle = await b.connectRadio(r.serial, 0);
      const radio = await ApiClient.connect({ host: sim.host, port: sim.ports.tls, tls: { rejectUnauthorized: false } });
      await radio.command(`wan validate handle=${handle}`);
      await radio.command('sub meter all');
      for (let i = 0; i < 20; i++) {
        sink.socket.send(`client udp_register handle=0x${radio.handle!.toString(16)}`, sim.ports.data, sim.host);
        await sleep(50);
      }
      await sleep(300);
      assert.equal(sink.got.length, 0);
      await radio.close();
      b.close();
    });
  } finally {
    await sink.close();
  }
  await smartlink({ brokerDown: true }, async (sim) => {
    assert.equal(sim.ports.broker, undefined);
  });
});

test('a broker on its own address measures test_connection: advertised ports that answer pass, ports at an address nobody serves fail', async () => {
  // The broker at 127.0.0.2 probes the radio's ports at publicIp, the way the SmartLink server probes
  // from the internet. At 127.0.0.1 the radio listens (TLS 4994-equivalent, data port); 127.0.0.3 has nothing.
  for (const [publicIp, reachable] of [['127.0.0.1', true], ['127.0.0.3', false]] as const) {
    await withSim({ broker: true, brokerHost: '127.0.0.2', publicIp }, async (sim) => {
      assert.ok(sim.ports.broker);
      assert.equal(sim.brokerHost, '127.0.0.2');
      const b = await BrokerClient.connect({ host: '127.0.0.2', port: sim.ports.broker, tls: TEST_TLS });
      const r = (await b.register('t')).radios[0]!;
      assert.deepEqual(await b.testConnection(r.serial), { serial: r.serial, upnpTcp: false, upnpUdp: false, forwardTcp: reachable, forwardUdp: reachable, holePunch: false });
      b.close();
    });
  }
  // UPnP mode tests the UPnP pair instead.
  await withSim({ broker: true, brokerHost: '127.0.0.2', publicIp: '127.0.0.1', faults: { noForward: true } }, async (sim) => {
    const b = await BrokerClient.connect({ host: '127.0.0.2', port: sim.ports.broker!, tls: TEST_TLS });
    const r = (await b.register('t')).radios[0]!;
    assert.deepEqual(await b.testConnection(r.serial), { serial: r.serial, upnpTcp: true, upnpUdp: true, forwardTcp: false, forwardUdp: false, holePunch: false });
    b.close();
  });
});
