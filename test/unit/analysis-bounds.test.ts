/**
 * The analysis keeps bounded state whatever the capture holds: every byte is untrusted (DESIGN.md §7),
 * and `analyze` promises flat memory whatever the file size.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Analyzer } from '../../src/analysis/analyzer.js';
import { MAX_METERS, MAX_OBJECTS, MAX_SESSIONS } from '../../src/analysis/control-tracker.js';
import { MAX_RADIOS, MAX_STREAMS } from '../../src/analysis/stream-tracker.js';
import { encodePacket } from '../../src/vita/index.js';
import { flexHeader, meterPacket } from '../helpers/packets.js';

const radio = { ip: '192.168.10.27', port: 4993 };
const client = { ip: '192.168.10.20', port: 4991 };

// Found while fuzzing the tracker with one long-lived Analyzer: every datagram with a new stream ID became
// a tracked stream, ~0.9 kB each — 1 M such 60-byte datagrams took 1.4 GB to analyze.
test('streams past the bound are counted, not tracked, and the report says so', () => {
  const a = new Analyzer();
  const extra = 300;
  const base = meterPacket(1, [[1, 2]]);
  for (let i = 0; i < MAX_STREAMS + extra; i++) {
    const p = Buffer.from(base);
    p.writeUInt32BE(0x1000 + i, 4); // stream ID
    a.feed({ type: 'udp', ts: 1_700_000_000 + i / 1000, src: radio, dst: client, payload: p });
  }
  // Packets of streams already tracked still count once the bound is reached.
  const first = Buffer.from(base);
  first.writeUInt32BE(0x1000, 4);
  a.feed({ type: 'udp', ts: 1_700_000_002, src: radio, dst: client, payload: first });
  assert.equal(a.streams.streams.length, MAX_STREAMS);
  assert.equal(a.streams.streams[0]?.packets, 2);
  assert.equal(a.otherUdp, 0, 'untracked VITA-49 is still VITA-49');
  const r = a.report({ file: 'x', packets: MAX_STREAMS + extra + 1, bytes: 0, durationS: 0 });
  assert.equal(r.streams.length, MAX_STREAMS);
  assert.ok(r.warnings.includes(`${extra} VITA-49 packet(s) of streams beyond the first ${MAX_STREAMS} were not tracked (this many streams is not the traffic of a few radios)`), r.warnings.join('\n'));
});

test('beacons of radios past the bound are counted, not kept', () => {
  const a = new Analyzer();
  for (let i = 0; i < MAX_RADIOS + 5; i++) {
    const beacon = encodePacket({
      kind: 'discovery',
      header: flexHeader(0xffff, 0x800, i),
      payload: { tokens: [['model', 'FLEX-6600'], ['serial', `0000-0000-0000-${String(i).padStart(4, '0')}`], ['ip', '192.168.10.27']] },
    });
    a.feed({ type: 'udp', ts: 1_700_000_000 + i, src: { ip: '192.168.10.27', port: 4992 }, dst: { ip: '255.255.255.255', port: 4992 }, payload: beacon });
  }
  assert.equal(a.streams.beacons.size, MAX_RADIOS);
  const r = a.report({ file: 'x', packets: MAX_RADIOS + 5, bytes: 0, durationS: 0 });
  assert.equal(r.radios.length, MAX_RADIOS);
  assert.ok(r.warnings.includes(`5 discovery beacon(s) of radios beyond the first ${MAX_RADIOS} were not tracked`), r.warnings.join('\n'));
});

// Found the same way as the stream bound: every new TCP connection became a session (~1.6 kB each, 1 M
// SYNs → 1.8 GB), and every new ID in a status line a map entry.
test('TCP connections and status objects past their bounds are counted, not tracked, and the report says so', () => {
  const a = new Analyzer();
  const radioApi = { ip: '192.168.10.27', port: 4992 };
  const extra = 10;
  for (let i = 0; i < MAX_SESSIONS + extra; i++) {
    a.feed({ type: 'tcp-open', ts: 1_700_000_000 + i / 1000, src: { ip: '192.168.10.20', port: 1024 + i }, dst: radioApi });
  }
  assert.equal(a.control.sessions.length, MAX_SESSIONS);
  // The first session still takes data once the bound is reached.
  const first = { ip: '192.168.10.20', port: 1024 };
  const lines: string[] = [];
  for (let i = 0; i < MAX_OBJECTS + 3; i++) lines.push(`S1|stream 0x${(0x04000000 + i).toString(16)} type=dax_rx client_handle=0x1`);
  for (let i = 0; i < MAX_METERS + 4; i++) lines.push(`S1|meter ${i}.src=SLC#${i}.nam=LEVEL#`);
  a.feed({ type: 'tcp-data', ts: 1_700_000_010, src: radioApi, dst: first, data: Buffer.from(lines.join('\n') + '\n') });
  assert.equal(a.control.sessions[0]?.lines, lines.length);
  assert.equal(a.control.streams.size, MAX_OBJECTS);
  assert.equal(a.control.meters.size, MAX_METERS);
  const w = a.report({ file: 'x', packets: 0, bytes: 0, durationS: 0 }).warnings;
  assert.ok(w.includes(`${extra} TCP event(s) of connections beyond the first ${MAX_SESSIONS} were not tracked`), w.join('\n'));
  assert.ok(w.includes(`7 status update(s) of objects beyond the first ${MAX_OBJECTS} (${MAX_METERS} meters) were not tracked`), w.join('\n'));
});
