/**
 * Lab probe: audio the client sends the radio (`stream create type=remote_audio_tx`, stream 0x84000000 —
 * reference §2.4, §5.8) on the same data socket as the radio's streams to it (reference §0). The data hops
 * are the radio's streams to this computer: a transmit stream that pauses between overs (the client sends
 * transmit audio when it has some, its counter unbroken) is not loss, and gaps in it are not the radio's
 * audio losing packets. Expected figures come from the construction.
 */
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { analyzeCaptureFile } from '../../src/analysis/analyze-file.js';
import type { Endpoint, NetEvent } from '../../src/capture/types.js';
import { writeEventsCapture } from '../helpers/capture-files.js';
import { opusPacket } from '../helpers/packets.js';
import { CLIENT, RADIO, lanScenario } from '../helpers/scenario.js';

const dir = mkdtempSync(join(tmpdir(), 'fp-lab-tx-'));
const T0 = 1_700_000_000;
const TX_ID = 0x84000000;
/** Opus: one packet per 10 ms (reference §3.5). */
const PERIOD_MS = 10;

/**
 * The LAN scenario with audio (8 s), plus the client's transmit stream from its data port 4991 to the
 * radio's 4991: sent while `keyed(ms)` holds (ms after the data starts), skipping one in `skipEvery` (the
 * middle one of each run, so that a later packet shows every gap).
 */
async function capture(name: string, keyed: (ms: number) => boolean, skipEvery?: number): Promise<{ file: string; sent: number; skipped: number; rx: Map<number, number> }> {
  const ev: NetEvent[] = lanScenario({ withAudio: true, seconds: 8 });
  const rx = new Map<number, number>();
  for (const e of ev) if (e.type === 'udp') rx.set(e.payload.readUInt32BE(4), (rx.get(e.payload.readUInt32BE(4)) ?? 0) + 1);
  const tcp = (ts: number, from: Endpoint, to: Endpoint, line: string): void => void ev.push({ type: 'tcp-data', ts, src: from, dst: to, data: Buffer.from(line + '\n') });
  tcp(T0 + 0.16, CLIENT, RADIO, 'C7|stream create type=remote_audio_tx');
  tcp(T0 + 0.17, RADIO, CLIENT, 'S3621C7F5|stream 0x84000000 type=remote_audio_tx compression=OPUS client_handle=0x3621C7F5 tx=1');
  tcp(T0 + 0.17, RADIO, CLIENT, 'R7|0|84000000');
  const src = { ip: CLIENT.ip, port: 4991 };
  const dst = { ip: RADIO.ip, port: 4991 };
  let count = 0;
  let sent = 0;
  let skipped = 0;
  for (let ms = 0; ms < 7000; ms += PERIOD_MS) {
    if (!keyed(ms)) continue;
    const n = count++;
    if (skipEvery !== undefined && count % skipEvery === skipEvery / 2) {
      skipped++;
      continue;
    }
    const payload = opusPacket(TX_ID, n, 70);
    ev.push({ type: 'udp', ts: T0 + 0.5 + ms / 1000, src, dst, payload, df: true, ipLength: payload.length + 28 });
    sent++;
  }
  const file = join(dir, name);
  await writeEventsCapture(file, ev.sort((a, b) => a.ts - b.ts));
  return { file, sent, skipped, rx };
}

test('transmit audio sent in overs (keyed 1.5 s, then 1.5 s of nothing, counter unbroken) is healthy: no loss, no outage', async () => {
  const c = await capture('overs.pcapng', (ms) => (ms >= 1000 && ms < 2500) || (ms >= 4000 && ms < 5500));
  assert.equal(c.sent, 300);
  const r = await analyzeCaptureFile(c.file);
  assert.equal(r.verdict.status, 'healthy', r.verdict.summary);
  const tx = r.streams.find((s) => Number(s.id) === TX_ID);
  assert.equal(tx?.packets, 300);
  for (const s of r.streams) if (Number(s.id) !== TX_ID) assert.equal(s.packets, c.rx.get(Number(s.id)), `${s.id}`);
  assert.equal(r.hops.find((h) => h.id === 'data:audio')?.status, 'ok');
});

test('one transmit packet in 20 missing (35 of 700): udp-return degraded, the radio’s audio to this computer ok', async () => {
  const c = await capture('gaps.pcapng', () => true, 20);
  assert.equal(c.skipped, 35);
  const r = await analyzeCaptureFile(c.file);
  assert.equal(r.verdict.status, 'degraded', r.verdict.summary);
  assert.equal(r.verdict.hop, 'udp-return');
  assert.equal(r.verdict.rule, 'udp-return-outbound-loss');
  const hop = r.hops.find((h) => h.id === 'udp-return');
  assert.match(hop?.evidence[0] ?? '', /^35 of 700 \(5\.0+ %\).*0x84000000/);
  assert.equal(r.hops.find((h) => h.id === 'data:audio')?.status, 'ok');
});
