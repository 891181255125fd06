/**
 * `listen --capture IFACE --write F` records what it read from tcpdump: the recording of a capture must
 * analyse to the capture's own verdict (issue 11 class 6). The reader reports a TCP open for the SYN
 * and again for the SYN-ACK; a writer that drew a handshake for each wrote a second, reversed one.
 */
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { analyzeCaptureFile } from '../../src/analysis/analyze-file.js';
import { EventCaptureWriter } from '../../src/capture/event-writer.js';
import { readCaptureFile } from '../../src/capture/reader.js';
import type { NetEvent } from '../../src/capture/types.js';
import { writeEventsCapture } from '../helpers/capture-files.js';
import { CLIENT, RADIO, lanScenario } from '../helpers/scenario.js';
import { tsharkFields, tsharkMissing } from '../helpers/tshark.js';

const dir = mkdtempSync(join(tmpdir(), 'flexpath-rerecord-'));

/** A healthy LAN session that ends the way a client ends it: its FIN, then the radio's. */
function endedSession(): NetEvent[] {
  const ev = lanScenario({ seconds: 5 });
  const end = Math.max(...ev.map((e) => e.ts));
  ev.push({ type: 'tcp-close', ts: end + 0.01, src: CLIENT, dst: RADIO }, { type: 'tcp-close', ts: end + 0.02, src: RADIO, dst: CLIENT });
  return ev;
}

async function rerecord(from: string, to: string): Promise<void> {
  const w = new EventCaptureWriter(to, 'test');
  await readCaptureFile(from, (e) => w.write(e));
  await w.close();
}

test('a capture recorded again (listen --capture --write) analyses to the capture’s own verdict', async () => {
  const first = join(dir, 'session.pcapng');
  await writeEventsCapture(first, endedSession());
  const again = join(dir, 'session-again.pcapng');
  await rerecord(first, again);
  const twice = join(dir, 'session-twice.pcapng');
  await rerecord(again, twice);
  const a = await analyzeCaptureFile(first);
  // Built as a healthy LAN session: every requested class flows, every ping is answered.
  assert.equal(a.verdict.status, 'healthy', a.verdict.summary);
  for (const f of [again, twice]) {
    const b = await analyzeCaptureFile(f);
    assert.deepEqual([b.verdict.status, b.verdict.hop, b.verdict.cause], ['healthy', undefined, 'healthy'], `${f}: ${b.verdict.summary}`);
    assert.equal(b.hops.find((h) => h.id === 'control')?.status, 'ok');
  }
});

test('the recording holds one handshake per connection, opened by the client (tshark)', { skip: tsharkMissing }, async () => {
  const first = join(dir, 'hs.pcapng');
  await writeEventsCapture(first, endedSession());
  const again = join(dir, 'hs-again.pcapng');
  await rerecord(first, again);
  const syns = tsharkFields(again, ['ip.src', 'tcp.srcport', 'tcp.flags.ack'], ['-Y', 'tcp.flags.syn == 1']).rows;
  // SYN from the client, SYN-ACK from the radio: nothing else.
  assert.deepEqual(syns, [
    [CLIENT.ip, String(CLIENT.port), '0'],
    [RADIO.ip, String(RADIO.port), '1'],
  ]);
});
