/**
 * `open-capture` names a path; only a host that vouches for it (Electron's allow-list of dialog and
 * drop paths) may have it read. Web mode opens uploads only: a page that could name server-side files
 * would learn whether they exist, their first bytes from the error text, and get them in the bundle.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Snapshot } from '../../src/bridge/protocol.js';
import { createSession, type SessionHost } from '../../src/bridge/session.js';
import { createCaptureAllowList } from '../../electron/capture-allow-list.js';

function session(host: SessionHost): { out: Snapshot[]; opened: string[]; handle: (path: string) => Promise<void>; close(): Promise<void> } {
  const out: Snapshot[] = [];
  const opened: string[] = [];
  const s = createSession({
    emit: (x) => out.push(x),
    host,
    backends: {
      analyzeCaptureFile: async (p) => {
        opened.push(p);
        throw new Error('offset 0: magic: 0x726f6f74 is not a capture');
      },
    },
  });
  return { out, opened, handle: (path) => s.handle({ type: 'open-capture', path }), close: () => s.close() };
}

test('web mode (uploads only): open-capture with a server-side path is refused without touching the file', async () => {
  const s = session({ nativeDialogs: false, resolveUpload: () => undefined, deliverExport: async () => ({}) });
  for (const path of ['/etc/passwd', '/root/.ssh/id_ed25519', '/tmp/does-not-exist.pcapng']) {
    s.out.length = 0;
    await s.handle(path);
    const err = s.out.find((x) => x.type === 'error');
    assert.ok(err?.type === 'error', path);
    assert.match(err.message, /uploaded captures only/);
    // Same answer for a file that exists and one that does not, and no part of the path in it.
    assert.ok(!err.message.includes(path.split('/').pop()!), 'the path is not echoed');
  }
  assert.deepEqual(s.opened, [], 'the analyzer never saw a path');
  await s.close();
});

test('desktop: only paths from the dialog or a drop in this session open', async () => {
  const list = createCaptureAllowList();
  list.grant('/home/op/ticket.pcapng');
  const s = session({ nativeDialogs: true, mayOpenCapture: (p) => list.mayOpen(p), deliverExport: async () => ({}) });
  await s.handle('/home/op/.config/secret.pcapng');
  assert.deepEqual(s.opened, []);
  assert.match(s.out.find((x) => x.type === 'error')?.type === 'error' ? JSON.stringify(s.out) : '', /file dialog or drop/);
  await s.handle('/home/op/ticket.pcapng');
  assert.deepEqual(s.opened, ['/home/op/ticket.pcapng']);
  await s.close();
});
