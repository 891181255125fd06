import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { runCli } from '../helpers/cli.js';
import { meterPacket } from '../helpers/packets.js';
import { fixture } from '../helpers/paths.js';

test('decode the real FLEX-6700 beacon: model, serial, version, callsign from its text', async () => {
  const r = await runCli(['decode', fixture('flex6700-discovery-datagram.bin')]);
  assert.equal(r.code, 0, r.stderr);
  const d = JSON.parse(r.stdout);
  assert.equal(d.kind, 'discovery');
  assert.equal(d.header.streamId, '0x00000800');
  assert.equal(d.header.packetClassCode, '0xFFFF');
  assert.equal(d.payload.model, 'FLEX-6700');
  assert.equal(d.payload.serial, '1121-1104-6700-2912');
  assert.equal(d.payload.version, '3.2.39.3374');
  assert.equal(d.payload.callsign, 'W4BR');
});

test('decode --hex of a meter packet, text format', async () => {
  const hex = meterPacket(4, [[24, -12000]]).toString('hex');
  const r = await runCli(['decode', '--hex', hex, '--format', 'text']);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /kind: meter/);
  assert.match(r.stdout, /streamId: 0x00000700/);
  assert.match(r.stdout, /"id":24,"raw":-12000/);
});

test('bad bytes: exit 1, one line naming offset and field, no stack trace', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'fp-decode-'));
  const f = join(dir, 'cut.bin');
  writeFileSync(f, meterPacket(1, [[1, 1], [2, 2]]).subarray(0, 30));
  const r = await runCli(['decode', f]);
  assert.equal(r.code, 1);
  assert.equal(r.stderr.trim().split('\n').length, 1);
  assert.match(r.stderr, /cut\.bin: offset 2: packet size: says 36 bytes but the datagram has 30/);
  assert.doesNotMatch(r.stderr, /\bat \S+\.js/);
});

test('usage errors exit 2; a missing file exits 1 naming it', async () => {
  assert.equal((await runCli(['decode'])).code, 2);
  assert.equal((await runCli(['decode', '--bogus'])).code, 2);
  assert.equal((await runCli(['decode', 'a', '--format', 'xml'])).code, 2);
  assert.equal((await runCli(['nosuch'])).code, 2);
  const missing = await runCli(['decode', '/nonexistent/x.bin']);
  assert.equal(missing.code, 1);
  assert.match(missing.stderr, /\/nonexistent\/x\.bin: no such file \(ENOENT\)/);
});
