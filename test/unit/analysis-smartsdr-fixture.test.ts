/**
 * The real SmartSDR-Win session (test/fixtures/shared/smartsdr-win-session.txt, provenance in its README)
 * fed into the analyzer as the TCP 4992 text it was. Every expected figure was counted in the fixture's
 * text by hand (grep), not by the code under test:
 *   - `client udpport 4991` is C34, answered `R34|0|`; `keepalive enable` is C35; `client ip` → 192.168.10.25;
 *   - pan 0x40000000 (client_handle 0x10C05077): x_pixels 50 → 1030, y_pixels 20 → 497, fps 25 throughout,
 *     waterfall 0x42000000;
 *   - 26 distinct meter ids are defined (`meter N.src=…`), none removed;
 *   - 78 `ping` commands, each answered `R<seq>|0|`;
 *   - streams 0x04000008 (dax_rx) and 0x84000000 (dax_tx) carry client_handle=0x007F6B5B — another client
 *     (a DAX program at the same address) — and are removed at the end.
 * Lines carry no times, so they are spaced 10 ms apart in file order.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { Analyzer } from '../../src/analysis/analyzer.js';
import type { Endpoint } from '../../src/capture/types.js';
import { fixture } from '../helpers/paths.js';

const CLIENT: Endpoint = { ip: '192.168.10.25', port: 50500 };
const RADIO: Endpoint = { ip: '192.168.10.27', port: 4992 };

function fed(): Analyzer {
  const a = new Analyzer();
  const lines = readFileSync(fixture('smartsdr-win-session.txt'), 'latin1').split('\n').filter((l) => l.length > 0);
  let ts = 1_600_000_000;
  a.feed({ type: 'tcp-open', ts, src: CLIENT, dst: RADIO });
  for (const l of lines) {
    ts += 0.01;
    const up = /^CD?\d+\|/.test(l);
    a.feed({ type: 'tcp-data', ts, src: up ? CLIENT : RADIO, dst: up ? RADIO : CLIENT, data: Buffer.from(l + '\n', 'latin1') });
  }
  a.finish();
  return a;
}

test('SmartSDR-Win fixture: one API session, its handle, udpport accepted, keepalive enabled, the address the radio sees', () => {
  const c = fed().control;
  const api = c.apiSessions();
  assert.equal(api.length, 1);
  const s = api[0]!;
  assert.equal(s.version, '1.4.0.0');
  assert.equal(s.handle, 0x10c05077);
  assert.equal(s.program, 'SmartSDR-Win');
  assert.equal(s.udpport?.command, 'client udpport 4991');
  assert.equal(s.udpport?.code, 0);
  assert.ok(s.keepaliveEnabledTs !== undefined);
  assert.equal(s.clientIpSeen, '192.168.10.25');
  assert.equal(s.lineErrors, 0, s.lastLineError);
});

test('SmartSDR-Win fixture: the pan, its final size and fps, its waterfall; 26 meters', () => {
  const c = fed().control;
  assert.deepEqual([...c.pans.keys()], ['0x40000000']);
  const pan = c.pans.get('0x40000000')!;
  assert.deepEqual([pan.clientHandle, pan.xPixels, pan.yPixels, pan.fps, pan.waterfall, pan.removed], [0x10c05077, 1030, 497, 25, '0x42000000', false]);
  assert.deepEqual([...c.waterfalls.keys()], ['0x42000000']);
  assert.equal(c.meters.size, 26);
});

test('SmartSDR-Win fixture: 78 pings, 78 answered', () => {
  const p = fed().control.apiSessions()[0]!.pings;
  assert.equal(p.sent, 78);
  assert.equal(p.answered, 78);
});

test('SmartSDR-Win fixture: the DAX streams belong to another client (0x007F6B5B), and end removed', () => {
  const c = fed().control;
  const mine = c.apiSessions()[0]!.handle;
  for (const [id, type] of [['0x04000008', 'dax_rx'], ['0x84000000', 'dax_tx']] as const) {
    const st = c.streams.get(id);
    assert.ok(st, id);
    assert.deepEqual([st.type, st.clientHandle, st.removed], [type, 0x7f6b5b, true]);
    assert.notEqual(st.clientHandle, mine);
  }
});
