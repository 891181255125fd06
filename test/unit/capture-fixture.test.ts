import assert from 'node:assert/strict';
import { test } from 'node:test';
import { readCaptureFile, readCaptureRecords } from '../../src/capture/reader.js';
import type { UdpEvent } from '../../src/capture/types.js';
import { decodePacket, readBeacon } from '../../src/vita/index.js';
import { fixture } from '../helpers/paths.js';
import { tsharkFields, tsharkMissing } from '../helpers/tshark.js';

const FILE = fixture('flex6600m-discovery.pcapng');

async function udpEvents(): Promise<UdpEvent[]> {
  const out: UdpEvent[] = [];
  await readCaptureFile(FILE, (e) => {
    if (e.type === 'udp') out.push({ ...e, payload: Buffer.from(e.payload) });
  });
  return out;
}

test('real FLEX-6600M capture: 83 discovery beacons 4992 → 255.255.255.255:4992 over ~98 s (fixtures README)', async () => {
  const events: UdpEvent[] = [];
  const stats = await readCaptureFile(FILE, (e) => {
    assert.equal(e.type, 'udp');
    if (e.type === 'udp') events.push({ ...e, payload: Buffer.from(e.payload) });
  });
  assert.equal(stats.format, 'pcapng');
  assert.equal(stats.packets, 83);
  assert.deepEqual(stats.linkTypes, [1]);
  assert.deepEqual(stats.warnings, []);
  assert.equal(stats.bytes, 53_824);
  const duration = (stats.lastTs ?? 0) - (stats.firstTs ?? 0);
  assert.ok(duration > 97 && duration < 99, `duration ${duration}`);
  assert.equal(events.length, 83);
  for (const e of events) {
    assert.equal(e.src.port, 4992);
    assert.deepEqual(e.dst, { ip: '255.255.255.255', port: 4992 });
    // Reference §1.6: the radio sets DF.
    assert.equal(e.df, true);
    assert.equal(e.payload[0], 0x38);
    assert.equal(e.payload[1]! >> 4, 5);
    // IP length = 20-byte IPv4 header + 8-byte UDP header + payload.
    assert.equal(e.ipLength, 28 + e.payload.length);
    const { packet } = decodePacket(e.payload);
    assert.equal(packet.kind, 'discovery');
    if (packet.kind === 'discovery') assert.equal(readBeacon(packet.payload).model, 'FLEX-6600M');
  }
});

test('real capture agrees with tshark packet by packet (time, addresses, ports, lengths)', async (t) => {
  if (tsharkMissing) return t.skip(tsharkMissing);
  const events = await udpEvents();
  const { rows, stderr } = tsharkFields(FILE, ['frame.time_epoch', 'ip.src', 'udp.srcport', 'ip.dst', 'udp.dstport', 'ip.len', 'udp.length', 'ip.flags.df']);
  assert.equal(stderr, '');
  assert.equal(rows.length, events.length);
  rows.forEach(([time, src, sport, dst, dport, ipLen, udpLen, df], i) => {
    const e = events[i]!;
    // A double holds epoch seconds to ~0.24 µs.
    assert.ok(Math.abs(e.ts - Number(time)) < 1e-6, `packet ${i + 1}: ${e.ts} vs ${time}`);
    assert.equal(e.src.ip, src);
    assert.equal(e.src.port, Number(sport));
    assert.equal(e.dst.ip, dst);
    assert.equal(e.dst.port, Number(dport));
    assert.equal(e.ipLength, Number(ipLen));
    assert.equal(e.payload.length + 8, Number(udpLen));
    assert.equal(e.df, df === '1' || df === 'True');
  });
});

test('record-level timestamps of the real capture are exact to the nanosecond (capinfos: first 22:41:38.272521760 UTC)', async () => {
  const times: Array<[number, number]> = [];
  await readCaptureRecords(FILE, {
    record(_link, sec, nsec) {
      times.push([sec, nsec]);
    },
  });
  assert.equal(times.length, 83);
  // 2021-09-06 22:41:38 UTC = 1630968098; the 98.123825665 s duration is from capinfos.
  assert.deepEqual(times[0], [1630968098, 272_521_760]);
  const [s1, n1] = times[82]!;
  assert.equal((s1 - 1630968098) * 1e9 + (n1 - 272_521_760), 98_123_825_665);
});
