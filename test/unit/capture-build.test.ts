import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { EventCaptureWriter } from '../../src/capture/event-writer.js';
import type { Endpoint } from '../../src/capture/types.js';
import { tsharkFields, tsharkMissing } from '../helpers/tshark.js';

test('built frames carry checksums tshark accepts: IPv4 header, UDP/TCP over IPv4 and IPv6, ICMP and ICMPv6', { skip: tsharkMissing ?? false }, async () => {
  const file = join(mkdtempSync(join(tmpdir(), 'fp-build-')), 'checksums.pcapng');
  const radio: Endpoint = { ip: '192.168.10.27', port: 4993 };
  const client: Endpoint = { ip: '192.168.10.20', port: 4991 };
  const api: Endpoint = { ip: '192.168.10.27', port: 4992 };
  const v6a: Endpoint = { ip: 'fe80::1', port: 4993 };
  const v6b: Endpoint = { ip: 'fe80::2', port: 4991 };
  const w = new EventCaptureWriter(file);
  // Odd and even lengths (the last odd byte is summed as a high byte), a payload of 0xff bytes, a large one.
  for (const [i, payload] of [Buffer.from('odd'), Buffer.from('even'), Buffer.alloc(1436, 0xff), Buffer.alloc(1)].entries()) {
    w.write({ type: 'udp', ts: 1 + i, src: radio, dst: client, payload, df: true });
    w.write({ type: 'udp', ts: 1 + i, src: v6a, dst: v6b, payload });
  }
  w.write({ type: 'tcp-open', ts: 10, src: client, dst: api });
  w.write({ type: 'tcp-data', ts: 11, src: api, dst: client, data: Buffer.from('V1.4.0.0\nH3621C7F5\n') });
  w.write({ type: 'tcp-open', ts: 12, src: v6b, dst: { ip: 'fe80::1', port: 4992 } });
  w.write({ type: 'icmp', ts: 13, from: '10.8.0.1', reason: 'frag-needed', mtu: 1400, original: { protocol: 'udp', src: radio, dst: client } });
  w.write({ type: 'icmp', ts: 14, from: 'fe80::99', reason: 'port-unreachable', original: { protocol: 'udp', src: v6a, dst: v6b } });
  await w.close();

  const prefs = ['-o', 'ip.check_checksum:TRUE', '-o', 'udp.check_checksum:TRUE', '-o', 'tcp.check_checksum:TRUE'];
  const fields = ['ip.checksum.status', 'udp.checksum.status', 'tcp.checksum.status', 'icmp.checksum.status', 'icmpv6.checksum.status', 'icmp.type', 'icmpv6.type'];
  const { rows } = tsharkFields(file, fields, prefs);
  assert.equal(rows.length, w.written);
  let checked = 0;
  for (const [n, row] of rows.entries()) {
    const [ip, udp, tcp, icmp, icmp6, icmpType, icmp6Type] = row;
    const isIcmp = (icmpType ?? '') !== '' || (icmp6Type ?? '') !== '';
    // Status 1 = Good. Inside an ICMP error only the outer layers count: the quoted UDP is cut to 8 bytes.
    const statuses = [...(ip ?? '').split(','), isIcmp ? '' : udp, tcp, icmp, icmp6].filter((s) => s !== '' && s !== undefined);
    assert.ok(statuses.length > 0, `frame ${n + 1}: no checksum seen`);
    for (const s of statuses) assert.equal(s, '1', `frame ${n + 1}: ${row.join(' | ')}`);
    checked += statuses.length;
  }
  assert.ok(checked >= w.written, `only ${checked} checksums checked`);
});
