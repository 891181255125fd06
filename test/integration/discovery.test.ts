/**
 * Discovery: the simulator's beacons (reference §4) heard by FlexPath's listener with address reuse, and
 * the beacon's GUI client lists kept true as clients come and go.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { listenForRadios, type SeenRadio } from '../../src/diagnose/discovery.js';
import { decodePacket } from '../../src/vita/packet.js';
import { lanClient, withSim } from '../helpers/sim.js';
import { freeUdpPort, sleep } from '../helpers/udp-sink.js';

test('beacons from the simulator: header as a real radio sends it, key set, GUI clients kept true', async () => {
  const port = await freeUdpPort();
  const changes: SeenRadio[][] = [];
  const raw: Buffer[] = [];
  const listener = await listenForRadios({ port, onChange: (r) => changes.push(r), onDatagram: (p) => raw.push(p) });
  // A second listener on the same port: address reuse lets FlexPath run beside SmartSDR.
  const second = await listenForRadios({ port });
  try {
    await withSim({ discovery: { address: '127.255.255.255', port, intervalMs: 200 } }, async (sim) => {
      await sleep(500);
      const first = listener.radios()[0];
      assert.ok(first, 'the radio is listed');
      assert.equal(second.radios().length, 1, 'both listeners hear it');
      assert.equal(first.beacon.model, 'FLEX-6600M');
      assert.equal(first.beacon.status, 'Available');
      assert.equal(first.beacon.guiClients.length, 0);
      // Reference §4.1: type 3, class present, TSI UTC, stream 0x800, OUI 0x1C2D, PCC 0xFFFF.
      const { packet } = decodePacket(raw[0]!);
      assert.equal(packet.header.packetType, 3);
      assert.equal(packet.header.streamId, 0x800);
      assert.equal(packet.header.tsi, 1);
      assert.equal(packet.header.classId?.packetClassCode, 0xffff);
      assert.equal(raw[0]!.length % 4, 0, 'NUL-padded to a word');
      const keys = packet.kind === 'discovery' ? packet.payload.tokens.map(([k]) => k) : [];
      for (const k of ['discovery_protocol_version', 'model', 'serial', 'version', 'nickname', 'callsign', 'ip', 'port', 'status', 'inuse_ip', 'inuse_host', 'licensed_clients', 'available_clients', 'wan_connected', 'gui_client_handles']) {
        assert.ok(keys.includes(k), `beacon key ${k}`);
      }

      const c = await lanClient(sim);
      await c.command('client program SmartSDR-Win');
      await c.command('client gui');
      await c.command('client station SHACK PC');
      await sleep(500);
      const inUse = listener.radios()[0]!.beacon;
      assert.equal(inUse.status, 'In_Use');
      assert.equal(inUse.availableClients, 1);
      assert.deepEqual(inUse.guiClients.map((g) => [g.program, g.station, parseInt(g.handle ?? '0', 16)]), [['SmartSDR-Win', 'SHACK PC', c.handle]]);
      await c.close();
      await sleep(500);
      assert.equal(listener.radios()[0]!.beacon.guiClients.length, 0, 'the client left the lists');
      assert.ok(changes.length >= 3, 'listed, in use, available again');
    });
  } finally {
    await listener.stop();
    await second.stop();
  }
});
