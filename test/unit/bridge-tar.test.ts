import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { appendFileSync, createWriteStream, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { test } from 'node:test';
import { packTarStream } from '../../src/bridge/tar.js';

test('support bundle tar is read back by the system tar byte for byte, file entries streamed from disk', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'flexpath-tar-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const report = Buffer.from('# FlexPath report\n\nVerdict: blocked\n');
  const pcap = Buffer.alloc(1500, 0xa5); // crosses a 512-byte block boundary
  const big = Buffer.alloc(3 * 1024 * 1024 + 7); // more than one read chunk, not a multiple of 512
  for (let i = 0; i < big.length; i++) big[i] = (i * 31) & 0xff;
  writeFileSync(join(dir, 'big.src'), big);
  const empty = Buffer.alloc(0);
  const entries = [
    { name: 'report.md', data: report },
    { name: 'session.pcapng', data: pcap },
    { name: 'empty.txt', data: empty },
    { name: 'recording.pcapng', path: join(dir, 'big.src') },
  ];
  await pipeline(packTarStream(entries, 1700000000), createWriteStream(join(dir, 'b.tar')));
  const list = spawnSync('tar', ['-tvf', 'b.tar'], { cwd: dir, encoding: 'utf8' });
  assert.equal(list.status, 0, list.stderr);
  assert.match(list.stdout, /report\.md/);
  assert.match(list.stdout, /\b1500\b.*session\.pcapng/);
  const x = spawnSync('tar', ['-xf', 'b.tar'], { cwd: dir, encoding: 'utf8' });
  assert.equal(x.status, 0, x.stderr);
  assert.deepEqual(readFileSync(join(dir, 'report.md')), report);
  assert.deepEqual(readFileSync(join(dir, 'session.pcapng')), pcap);
  assert.equal(readFileSync(join(dir, 'empty.txt')).length, 0);
  assert.ok(readFileSync(join(dir, 'recording.pcapng')).equals(big));
  // 512-byte header + data padded to 512 per entry, two zero blocks at the end (POSIX ustar).
  const padded = (n: number): number => 512 + Math.ceil(n / 512) * 512;
  assert.equal(readFileSync(join(dir, 'b.tar')).length, padded(report.length) + padded(1500) + padded(0) + padded(big.length) + 1024);
});

test('a file that grows while it is packed goes in at the size it had when its turn came', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'flexpath-tar-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const src = join(dir, 'live.pcapng');
  const first = Buffer.alloc(2 * 1024 * 1024 + 100, 0x11);
  writeFileSync(src, first);
  const chunks: Buffer[] = [];
  let grown = false;
  await pipeline(
    packTarStream([{ name: 'live.pcapng', path: src }]),
    new Writable({
      write(chunk: Buffer, _enc, cb) {
        chunks.push(chunk);
        // The recorder appends while the bundle is halfway out.
        if (!grown) (appendFileSync(src, Buffer.alloc(5000, 0x22)), (grown = true));
        cb();
      },
    }),
  );
  writeFileSync(join(dir, 'b.tar'), Buffer.concat(chunks));
  const x = spawnSync('tar', ['-xf', 'b.tar', '-O'], { cwd: dir, maxBuffer: 1 << 26 });
  assert.equal(x.status, 0, String(x.stderr));
  assert.ok(Buffer.from(x.stdout).equals(first));
});
