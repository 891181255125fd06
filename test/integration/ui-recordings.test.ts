/**
 * Live recordings in web mode: in the server's own folder, one at a time — a new run replaces the last
 * recording, a stopped run's stays for the support bundle — and none left once the server closes.
 */
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { productBackends } from '../../src/bridge/backends.js';
import type { Snapshot } from '../../src/bridge/protocol.js';
import { startUiServer } from '../../src/bridge/ui-server.js';
import { http, openBridge, signIn } from '../helpers/ui-client.js';

test('demo runs record into the server folder; only the latest recording is kept, and it goes into the bundle after stop', async (t) => {
  const staticDir = mkdtempSync(join(tmpdir(), 'flexpath-rec-static-'));
  t.after(() => rmSync(staticDir, { recursive: true, force: true }));
  writeFileSync(join(staticDir, 'index.html'), '<!doctype html>');
  const server = await startUiServer({ staticDir, backends: (workDir) => productBackends({ recordingDir: workDir }) });
  const recordings = (): string[] => readdirSync(server.workDir).filter((n) => n.endsWith('.pcapng') && !n.startsWith('upload-'));
  try {
    const me = await signIn(server);
    const { ws } = await openBridge(server, me);
    const seen: Snapshot[] = [];
    ws.on('message', (d) => seen.push(JSON.parse(d.toString()) as Snapshot));
    const until = async (what: string, cond: () => boolean): Promise<void> => {
      for (let i = 0; i < 300 && !cond(); i++) await new Promise((r) => setTimeout(r, 50));
      assert.ok(cond(), what);
    };
    const streaming = (): boolean => seen.some((s) => s.type === 'model' && s.streams.some((x) => x.packets > 0));
    ws.send(JSON.stringify({ type: 'start-demo', faults: [] }));
    await until('the first demo streams', streaming);
    assert.equal(recordings().length, 1, 'the first run records in the server folder');
    const first = recordings()[0];
    seen.length = 0;
    ws.send(JSON.stringify({ type: 'start-demo', faults: ['loss'] }));
    await until('the second demo streams', streaming);
    await until('the first recording is gone', () => !recordings().includes(first!));
    assert.equal(recordings().length, 1, 'one recording at a time');
    ws.send(JSON.stringify({ type: 'stop' }));
    await until('stopped', () => seen.some((s) => s.type === 'state' && s.state.phase === 'done'));
    assert.equal(recordings().length, 1, 'the stopped run’s recording is kept for the bundle');
    seen.length = 0;
    ws.send(JSON.stringify({ type: 'export', format: 'bundle', redact: true }));
    await until('bundle ready', () => seen.some((s) => s.type === 'export-ready'));
    const ready = seen.find((s) => s.type === 'export-ready');
    assert.ok(ready?.type === 'export-ready' && ready.url);
    const tar = (await http(server.port, ready.url, { headers: { cookie: me.cookie } })).body;
    // ustar: entry names at each 512-byte header; the stopped run's capture is in it.
    assert.ok(tar.includes(Buffer.from('session.pcapng\0')), 'the bundle carries the stopped run’s capture');
    ws.close();
  } finally {
    await server.close();
  }
  assert.equal(existsSync(server.workDir), false);
});
