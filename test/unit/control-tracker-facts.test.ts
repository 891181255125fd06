/**
 * Facts the control tracker records for the rules (issue 11): which TLS session is the SmartLink
 * server, whether the client enabled the radio's keepalive, and the address the radio sees it at.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { sniOf } from '../../src/analysis/analyze-file.js';
import { ControlTracker } from '../../src/analysis/control-tracker.js';
import type { Endpoint } from '../../src/capture/types.js';
import { clientHello } from '../helpers/tls-hello.js';

const PC: Endpoint = { ip: '192.168.1.20', port: 50123 };

function tls(t: ControlTracker, client: Endpoint, server: Endpoint, sni: string): void {
  t.tcp({ type: 'tcp-open', ts: 1, src: client, dst: server });
  t.tcp({ type: 'tcp-data', ts: 1.1, src: client, dst: server, data: clientHello(sni) });
  t.tcp({ type: 'tcp-data', ts: 1.2, src: server, dst: client, data: Buffer.from([22, 3, 3, 0, 4, 2, 0, 0, 0]) });
}

test('a TLS session to 443 is the SmartLink server only by its name (reference §6.1)', () => {
  const t = new ControlTracker(sniOf);
  tls(t, PC, { ip: '203.0.113.5', port: 443 }, 'smartlink.flexradio.com');
  tls(t, { ...PC, port: 50124 }, { ip: '198.51.100.7', port: 443 }, 'www.example.org');
  tls(t, { ...PC, port: 50125 }, { ip: '198.51.100.8', port: 443 }, 'smartlink.flexradio.com.evil.example');
  assert.deepEqual(t.sessions.map((s) => [s.sni, s.kind]), [
    ['smartlink.flexradio.com', 'broker'],
    ['www.example.org', 'tls'],
    ['smartlink.flexradio.com.evil.example', 'tls'],
  ]);
});

test('keepalive enable and the client ip reply are recorded per session', () => {
  const t = new ControlTracker();
  const radio: Endpoint = { ip: '192.168.1.50', port: 4992 };
  const lines: Array<[boolean, string]> = [
    [false, 'V1.4.0.0'], [false, 'H1234ABCD'],
    [true, 'C1|client ip'], [false, 'R1|0|10.0.0.7'],
    [true, 'C2|keepalive enable'], [false, 'R2|0|'],
  ];
  t.tcp({ type: 'tcp-open', ts: 1, src: PC, dst: radio });
  lines.forEach(([up, l], i) => t.tcp({ type: 'tcp-data', ts: 2 + i, src: up ? PC : radio, dst: up ? radio : PC, data: Buffer.from(l + '\n') }));
  const s = t.sessions[0];
  assert.equal(s?.clientIpSeen, '10.0.0.7');
  // `keepalive enable` was the fifth line, at ts 2 + 4.
  assert.equal(s?.keepaliveEnabledTs, 6);
  t.tcp({ type: 'tcp-data', ts: 9, src: PC, dst: radio, data: Buffer.from('C3|keepalive disable\n') });
  assert.equal(s?.keepaliveEnabledTs, undefined);
});
