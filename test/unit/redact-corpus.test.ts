/**
 * Redaction corpus (issue 13): one case per item, each an input line and the redacted line written by
 * hand. The lines sit in a report's evidence, where redaction meets them in practice.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { AnalysisReport } from '../../src/analysis/model.js';
import { formatReport } from '../../src/report/format.js';
import { REDACTED_NOTE, redactReport } from '../../src/report/redact.js';

function report(evidence: string[], over: Partial<AnalysisReport> = {}): AnalysisReport {
  return {
    source: { file: 'capture.pcapng', packets: 10, bytes: 1000, durationS: 1 },
    radios: [{ serial: '1234-5678-9012-3456', model: 'FLEX-6600', version: '3.0.0.1', ip: '192.168.1.20', nickname: 'Shack Radio', callsign: 'W4BR' }],
    streams: [],
    hops: [{ id: 'control', plane: 'control', status: 'ok', rule: 'control-ok', evidence }],
    verdict: { status: 'healthy', rule: 'healthy', summary: 'every requested stream arrives complete', advice: [] },
    warnings: [],
    ...over,
  };
}

/** [item, input, expected] — expected written by hand. */
const CORPUS: Array<[string, string, string]> = [
  ['public IPv6', 'client [2001:db8:85a3::8a2e:370:7334]:4991 → radio [2001:db8:85a3::1]:4993', 'client [<public-ip6-1>]:4991 → radio [<public-ip6-2>]:4993'],
  ['link-local, loopback and unique-local IPv6 stay', 'fe80::1c2d:5ff:fe05:372a, ::1 and fd12:3456:789a::1', 'fe80::1c2d:5ff:fe05:372a, ::1 and fd12:3456:789a::1'],
  ['times are not IPv6', 'at 10:08:35 the radio answered', 'at 10:08:35 the radio answered'],
  ['public IPv4, the same address the same alias', 'broker sees 203.0.113.7, then 203.0.113.7 again; LAN 192.168.1.20', 'broker sees <public-ip-1>, then <public-ip-1> again; LAN 192.168.1.20'],
  ['radio nickname', 'radio "Shack Radio" answered', 'radio "<name>" answered'],
  ['nickname in the broker spelling', 'radio_name=Shack_Radio public_ip=198.51.100.4', 'radio_name=<name> public_ip=<public-ip-1>'],
  ['station and host names', 'client 0x3621C7F5 station=Bobs_Laptop host=bobs-laptop.local connected', 'client 0x3621C7F5 station=<name> host=<name> connected'],
  ['a station name learned once is hidden elsewhere too', 'station=Bobs_Laptop; later Bobs_Laptop disconnected', 'station=<name>; later <name> disconnected'],
  ['MAC addresses', 'fpc_mac=00:1C:2D:05:37:2A and 00-1c-2d-05-37-2b', 'fpc_mac=<mac> and <mac>'],
  ['callsign, lower case', 'operator w4br on the air', 'operator <callsign> on the air'],
  ['callsign with a suffix and a prefix', 'W4BR/P, then DL/W4BR', '<callsign>, then <callsign>'],
  ['a longer call is another call', 'W4BRX is not the operator', 'W4BRX is not the operator'],
  ['callsign as a key', 'callsign=K1ABC', 'callsign=<callsign>'],
  ['serial next to _', 'log_1234-5678-9012-3456_x.txt', 'log_<serial>_x.txt'],
  ['serial as a key', 'serial=0123-4567-8901-2345', 'serial=<serial>'],
  ['Bearer token', 'Authorization: Bearer abc.DEF-ghi_123~+/=', 'Authorization: Bearer <redacted>'],
  ['JSON-style token', '{"access_token": "abc123", "expires_in": 86400}', '{"access_token":"<redacted>", "expires_in": 86400}'],
  ['key=value token', 'application register name=x platform=y token=s3cr3t', 'application register name=<name> platform=y token=<redacted>'],
  ['one-time handle', 'C12|wan validate handle=AB12CD34EF', 'C12|wan validate handle=<redacted>'],
  ['a client handle is a session id, not a secret', 'client_handle=0x3621C7F5', 'client_handle=0x3621C7F5'],
  ['file paths', 'written to /home/bob/captures/w4br-shack.pcapng', 'written to <path>'],
  ['version strings stay', 'firmware v3.0.0.1, version=3.0.0.1, min_software_version=3.0.0.0', 'firmware v3.0.0.1, version=3.0.0.1, min_software_version=3.0.0.0'],
  ['a dotted quad ending a sentence is still an address', 'the radio is at 203.0.113.9.', 'the radio is at <public-ip-1>.'],
];

for (const [item, input, expected] of CORPUS) {
  test(`redact: ${item}`, () => {
    const r = redactReport(report([input]));
    assert.equal(r.hops[0]?.evidence[0], expected);
  });
}

test('redact: unique-local IPv6 only when asked', () => {
  const r = redactReport(report(['fd12:3456:789a::1 and fd12:3456:789a::2']), { ula: true });
  assert.equal(r.hops[0]?.evidence[0], '<ula-ip6-1> and <ula-ip6-2>');
});

test('redact: the radio table — serial, nickname, callsign hidden; the version stays', () => {
  const r = redactReport(report([]));
  assert.deepEqual(r.radios[0], { serial: '<serial>', model: 'FLEX-6600', version: '3.0.0.1', ip: '192.168.1.20', nickname: '<name>', callsign: '<callsign>' });
});

test('redact: the capture file name keeps only its kind', () => {
  const r = redactReport(report([], { source: { file: 'W4BR-shack-2024.pcapng', packets: 1, bytes: 1, durationS: 0 } }));
  assert.equal(r.source.file, '<file>.pcapng');
});

test('redact: a redacted report says so near its top, in every human format; JSON carries the note', () => {
  const red = redactReport(report(['x']));
  const text = formatReport(red, 'text').split('\n');
  assert.ok(text.slice(0, 8).includes(`REDACTED: ${REDACTED_NOTE}`), text.join('\n'));
  assert.ok(formatReport(red, 'md').includes(REDACTED_NOTE));
  assert.ok(formatReport(red, 'html').includes('Redacted: addresses, radio and station identities, file names and secrets are replaced by &#60;placeholders&#62;'));
  assert.equal((JSON.parse(formatReport(red, 'json')) as AnalysisReport).redacted, REDACTED_NOTE);
  const plain = report(['x']);
  for (const f of ['text', 'md', 'html'] as const) assert.ok(!formatReport(plain, f).includes(REDACTED_NOTE), f);
});
