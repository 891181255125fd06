import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createCaptureAllowList } from '../../electron/capture-allow-list.js';

test('allow-list: only a path granted in this session opens; nothing is granted at start', () => {
  const list = createCaptureAllowList();
  assert.equal(list.mayOpen('/home/op/ticket.pcapng'), false);
  list.grant('/home/op/ticket.pcapng');
  assert.equal(list.mayOpen('/home/op/ticket.pcapng'), true);
  // Another file in the same folder, the folder itself, and a prefix of the granted path stay closed.
  for (const p of ['/home/op/other.pcapng', '/home/op', '/home/op/ticket.pcap', '/etc/shadow']) assert.equal(list.mayOpen(p), false, p);
});

test('allow-list: a granted path written another way is the same file; a traversal out of it is not', () => {
  const list = createCaptureAllowList();
  list.grant('/home/op/caps/../ticket.pcapng');
  assert.equal(list.mayOpen('/home/op/ticket.pcapng'), true);
  assert.equal(list.mayOpen('/home/op/./ticket.pcapng'), true);
  assert.equal(list.mayOpen('/home/op/ticket.pcapng/../../../etc/passwd'), false);
});

test('allow-list: relative paths, empty strings, NUL bytes and non-strings are neither granted nor opened', () => {
  const list = createCaptureAllowList();
  for (const p of ['ticket.pcapng', '', '/tmp/a\0b']) list.grant(p);
  list.grant(42 as unknown as string);
  // A relative path resolves against the main process's cwd: granting it would open a file nobody chose.
  assert.equal(list.mayOpen('ticket.pcapng'), false);
  assert.equal(list.mayOpen(`${process.cwd()}/ticket.pcapng`), false);
  assert.equal(list.mayOpen('/tmp/a\0b'), false);
  assert.equal(list.mayOpen('/tmp/a'), false);
  assert.equal(list.mayOpen(undefined as unknown as string), false);
});

test('allow-list: bounded; past the cap the oldest grant goes, a re-granted path counts as new', () => {
  const list = createCaptureAllowList(3);
  for (const n of ['a', 'b', 'c']) list.grant(`/c/${n}.pcap`);
  list.grant('/c/a.pcap'); // a is now the newest
  list.grant('/c/d.pcap'); // evicts b, the oldest
  assert.deepEqual(['a', 'b', 'c', 'd'].map((n) => list.mayOpen(`/c/${n}.pcap`)), [true, false, true, true]);
});
