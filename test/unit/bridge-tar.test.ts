import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { packTar } from '../../src/bridge/tar.js';

test('support bundle tar is read back by the system tar byte for byte', (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'flexpath-tar-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const report = Buffer.from('# FlexPath report\n\nVerdict: blocked\n');
  const pcap = Buffer.alloc(1500, 0xa5); // crosses a 512-byte block boundary
  const empty = Buffer.alloc(0);
  writeFileSync(join(dir, 'b.tar'), packTar([{ name: 'report.md', data: report }, { name: 'session.pcapng', data: pcap }, { name: 'empty.txt', data: empty }], 1700000000));
  const list = spawnSync('tar', ['-tvf', 'b.tar'], { cwd: dir, encoding: 'utf8' });
  assert.equal(list.status, 0, list.stderr);
  assert.match(list.stdout, /report\.md/);
  assert.match(list.stdout, /\b1500\b.*session\.pcapng/);
  const x = spawnSync('tar', ['-xf', 'b.tar'], { cwd: dir, encoding: 'utf8' });
  assert.equal(x.status, 0, x.stderr);
  assert.deepEqual(readFileSync(join(dir, 'report.md')), report);
  assert.deepEqual(readFileSync(join(dir, 'session.pcapng')), pcap);
  assert.equal(readFileSync(join(dir, 'empty.txt')).length, 0);
});
