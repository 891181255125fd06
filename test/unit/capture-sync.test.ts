/**
 * A recording read while it is still being written (the support bundle of a running session) holds every
 * event written before `sync()`: the writer stages up to 1 MiB in memory, which must not stay behind.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { EventCaptureWriter } from '../../src/capture/event-writer.js';
import type { NetEvent } from '../../src/capture/types.js';
import { readCaptureFile } from '../../src/capture/reader.js';
import { meterPacket } from '../helpers/packets.js';

test('sync(): the file on disk has every event written so far, and writing goes on after it', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'flexpath-sync-'));
  const path = join(dir, 'live.pcapng');
  const w = new EventCaptureWriter(path);
  const udp = (i: number): NetEvent => ({ type: 'udp', ts: 1_700_000_000 + i / 10, src: { ip: '192.168.1.20', port: 4993 }, dst: { ip: '192.168.1.10', port: 4991 }, payload: meterPacket(i & 15, [[1, i]]) });
  const count = async (): Promise<number> => {
    let n = 0;
    await readCaptureFile(path, (e) => void (e.type === 'udp' && n++));
    return n;
  };
  try {
    for (let i = 0; i < 3; i++) w.write(udp(i));
    await w.sync();
    assert.equal(await count(), 3);
    for (let i = 3; i < 5; i++) w.write(udp(i));
    await w.sync();
    assert.equal(await count(), 5);
    await w.close();
    assert.equal(await count(), 5);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
