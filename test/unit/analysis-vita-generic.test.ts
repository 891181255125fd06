/**
 * VITA-49 from senders other than FlexRadio (DIFI and other VITA-49.2 equipment): streams keyed by packet
 * category, class ID absent shown as absent, a class code that changes on every packet kept as one
 * stream. Packets are assembled word by word from VITA 49.2 §5.1 (test/helpers/vita-generic.ts), so
 * expected figures come from the construction.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Analyzer } from '../../src/analysis/analyzer.js';
import type { UdpEvent } from '../../src/capture/types.js';
import { DIFI_OUI, genericVitaPacket as packet } from '../helpers/vita-generic.js';

const src = { ip: '10.0.0.5', port: 50000 };
const dst = { ip: '10.0.0.9', port: 4991 };
const udp = (ts: number, payload: Buffer): UdpEvent => ({ type: 'udp', ts, src, dst, payload });

test('a context packet on a data stream’s ID is its own stream: neither counter books loss', () => {
  const a = new Analyzer();
  let dataCount = 0;
  let ctxCount = 0;
  for (let i = 0; i < 200; i++) {
    a.feed(udp(1000 + i * 0.01, packet({ type: 1, count: dataCount++, streamId: 1, classId: { oui: DIFI_OUI, icc: 0, pcc: 0 }, payloadWords: 64 })));
    // Every 10th data packet is followed by a context packet (type 4) of the same stream ID and class ID,
    // with its own count: keyed by ID and class only, it would read as a jump of the data counter.
    if (i % 10 === 9) a.feed(udp(1000 + i * 0.01 + 0.001, packet({ type: 4, count: ctxCount++, streamId: 1, classId: { oui: DIFI_OUI, icc: 0, pcc: 0 }, payloadWords: 10 })));
  }
  a.finish();
  const r = a.report({ file: 'difi', packets: 220, bytes: 0, durationS: 2 });
  const rows = r.streams.map((s) => [s.id, s.packetType, s.pcc, s.oui, s.packets, s.lost, s.duplicates]);
  assert.deepEqual(rows, [
    ['0x00000001', 'data', '0x0000', '0x6a621e', 200, 0, 0],
    ['0x00000001', 'context', '0x0000', '0x6a621e', 20, 0, 0],
  ]);
  // Said for what it is, not "no FlexRadio session", and no SmartLink hop claims a LAN session.
  assert.equal(r.verdict.status, 'inconclusive');
  assert.match(r.verdict.summary, /^VITA-49 streams from a non-FlexRadio source \(2 stream\(s\), class ID 0x6a621e\)/);
  for (const id of ['smartlink-server', 'radio-registration', 'radio-forwarding'] as const) {
    assert.deepEqual(r.hops.find((h) => h.id === id)?.evidence, ['no FlexRadio session in the evidence'], id);
  }
});

test('packets without a class ID: the class shows as absent, not 0x0000', () => {
  const a = new Analyzer();
  for (let i = 0; i < 40; i++) a.feed(udp(1000 + i * 0.01, packet({ type: 1, count: i, streamId: 0x20, payloadWords: 16 })));
  a.finish();
  const [s] = a.report({ file: 'x', packets: 40, bytes: 0, durationS: 0.4 }).streams;
  assert.equal(s?.pcc, 'absent');
  assert.equal(s?.oui, undefined);
  assert.equal(s?.packets, 40);
  assert.equal(s?.lost, 0);
});

test('a class code that changes on every packet: one stream of 30 packets and a warning, not 30 rows', () => {
  const a = new Analyzer();
  for (let i = 0; i < 30; i++) a.feed(udp(1000 + i * 0.01, packet({ type: 1, count: i, streamId: 0x30, classId: { oui: DIFI_OUI, icc: 0, pcc: 0x100 + i }, payloadWords: 16 })));
  a.finish();
  const r = a.report({ file: 'x', packets: 30, bytes: 0, durationS: 0.3 });
  assert.equal(r.streams.length, 1);
  assert.equal(r.streams[0]?.packets, 30);
  assert.equal(r.streams[0]?.lost, 0);
  assert.ok(r.warnings.some((w) => /^0x00000030: its class code changed 29 time\(s\) \(first 0x0100, last 0x011d\)/.test(w)), r.warnings.join('\n'));
});
