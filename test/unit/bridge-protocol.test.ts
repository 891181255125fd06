import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseCommand } from '../../src/bridge/protocol.js';
import { expectedPps, seriesPoint, totalsByKind } from '../../src/bridge/stream-rows.js';
import type { StreamSummary } from '../../src/analysis/model.js';

test('parseCommand accepts each well-formed command and normalises fault lists', () => {
  assert.deepEqual(parseCommand({ type: 'stop' }), { type: 'stop' });
  assert.deepEqual(parseCommand({ type: 'open-capture', path: '/tmp/a.pcapng' }), { type: 'open-capture', path: '/tmp/a.pcapng' });
  assert.deepEqual(parseCommand({ type: 'start-demo', faults: ['mtu', 'loss', 'mtu'] }), { type: 'start-demo', faults: ['mtu', 'loss'] });
  assert.deepEqual(parseCommand({ type: 'diagnose-lan', mode: 'observer' }), { type: 'diagnose-lan', mode: 'observer' });
  assert.deepEqual(parseCommand({ type: 'export', format: 'markdown', redact: true }), { type: 'export', format: 'markdown', redact: true });
  // SmartLink: the kept sign-in (no token), a pasted token, signing in and out.
  assert.deepEqual(parseCommand({ type: 'diagnose-smartlink' }), { type: 'diagnose-smartlink' });
  assert.deepEqual(parseCommand({ type: 'diagnose-smartlink', token: 'eyJ.x.y' }), { type: 'diagnose-smartlink', token: 'eyJ.x.y' });
  assert.deepEqual(parseCommand({ type: 'smartlink-sign-in', email: 'op@example.invalid', password: 'pw', extra: 1 }), { type: 'smartlink-sign-in', email: 'op@example.invalid', password: 'pw' });
  assert.deepEqual(parseCommand({ type: 'smartlink-sign-out' }), { type: 'smartlink-sign-out' });
});

test('parseCommand rejects unknown types, wrong field types and unknown faults', () => {
  for (const bad of [
    null,
    'stop',
    { type: 'rm -rf' },
    { type: 'open-capture' },
    { type: 'open-capture', path: 7 },
    { type: 'start-demo', faults: ['format-disk'] },
    { type: 'start-demo', faults: 'mtu' },
    { type: 'diagnose-lan', mode: 'admin' },
    { type: 'diagnose-smartlink', token: '' },
    { type: 'diagnose-smartlink', token: 42 },
    { type: 'smartlink-sign-in', email: 'op@example.invalid' },
    { type: 'smartlink-sign-in', email: 'op@example.invalid', password: '' },
    { type: 'smartlink-sign-in', email: 'op@example.invalid', password: 'x'.repeat(1025) },
    { type: 'smartlink-sign-in', email: `${'a'.repeat(250)}@b.cd`, password: 'pw' },
    { type: 'export', format: 'pdf', redact: false },
    { type: 'export', format: 'html' },
    { type: 'open-upload', uploadId: 'x'.repeat(65), name: 'a' },
  ]) {
    assert.equal(parseCommand(bad), undefined, JSON.stringify(bad));
  }
});

test('expected rates come from reference §3.9 by packet class code', () => {
  assert.equal(expectedPps('0x8002'), 28);
  assert.equal(expectedPps('0x8005'), 100);
  assert.equal(expectedPps('0x03e3'), 187.5);
  // FFT depends on fps × packets per frame: no fixed number.
  assert.equal(expectedPps('0x8003'), undefined);
});

function stream(kind: StreamSummary['kind'], packets: number, lost: number): StreamSummary {
  return { id: '0x1', kind, pcc: '0x8002', src: 'a:1', dst: 'b:2', packets, bytes: 0, lost, outOfOrder: 0, duplicates: 0, ratePps: 0, minSize: 0, maxSize: 0 };
}

test('series point: rate and loss over the interval, summed per class', () => {
  const prev = totalsByKind([stream('meter', 100, 0), stream('panadapter', 50, 0)]);
  // two panadapters: 50+40 more received, 10 lost in the 2 s interval
  const cur = totalsByKind([stream('meter', 156, 0), stream('panadapter', 100, 4), stream('panadapter', 40, 6)]);
  const p = seriesPoint(prev, cur, 10, 2);
  assert.equal(p.t, 10);
  assert.equal(p.rate.meter, 28);
  assert.equal(p.rate.panadapter, 45);
  assert.equal(p.lossPct.meter, 0);
  assert.equal(p.lossPct.panadapter, 10); // 10 / (90 + 10)
});
