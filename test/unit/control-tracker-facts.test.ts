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

test('status lines of objects the tracker does not read are counted without being decoded; read, malformed and split lines are as before', () => {
  const t = new ControlTracker();
  const radio: Endpoint = { ip: '192.168.1.50', port: 4992 };
  t.tcp({ type: 'tcp-open', ts: 1, src: PC, dst: radio });
  const text = [
    'S1A2B3C4D|slice 0 RF_frequency=14.074000 mode=USB', // not read: counted only
    'S1A2B3C4D|  display pan 0x40000000 x_pixels=1024 fps=25', // read, after spaces
    'S1A2B3C4D|displayed x=1', // 'displayed' is not 'display': not read
    'S1A2B3C4D|stream 0x04000008 type=dax_rx compression=none',
    'S0|client 0x1A2B3C4D connected program=SmartSDR-Win station=Shack',
    'SXYZ|slice 0 RF_frequency=7.1', // a handle that is not hex: a line error
    'S123456789|slice 0', // nine hex digits: a line error
    'S1|meter 7.src=SLC#7.nam=LEVEL#',
    'S1|wan server_connected=1',
    'S1|transmit freq=14.1',
  ];
  // Split across segments, one line's start held over from the segment before.
  const all = Buffer.from(`${text.join('\n')}\n`, 'latin1');
  const cut = all.indexOf('ream 0x04');
  t.tcp({ type: 'tcp-data', ts: 1.1, src: radio, dst: PC, data: all.subarray(0, cut) });
  t.tcp({ type: 'tcp-data', ts: 1.2, src: radio, dst: PC, data: all.subarray(cut) });
  const s = t.sessions[0]!;
  assert.equal(s.lines, text.length);
  assert.equal(s.lineErrors, 2);
  assert.match(s.lastLineError ?? '', /status handle/);
  assert.equal(t.pans.get('0x40000000')?.xPixels, 1024);
  assert.equal(t.streams.get('0x04000008')?.type, 'dax_rx');
  assert.equal(t.clients.get(0x1a2b3c4d)?.station, 'Shack');
  assert.equal(t.meters.get(7)?.nam, 'LEVEL');
  assert.equal(t.wan?.serverConnected, true);
});
