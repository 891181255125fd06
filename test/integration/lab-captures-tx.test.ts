/**
 * Lab captures: transmit streams in a capture of the data plane only (a filter like `udp portrange
 * 4991-4993`, or a capture started after the session was set up). The client sends transmit audio / DAX TX
 * to the radio from the socket the radio's streams come to (reference §0), when it has some: in overs, its
 * counter unbroken. Nothing in the capture names the stream, so its direction must tell it apart from the
 * radio's audio: it is not loss on the way to this computer, and its silences are no loss at all.
 * Expected figures come from the scenario's construction.
 */
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import type { AnalysisReport } from '../../src/analysis/model.js';
import type { Endpoint, NetEvent } from '../../src/capture/types.js';
import { writeEventsCapture } from '../helpers/capture-files.js';
import { runCli } from '../helpers/cli.js';
import { opusPacket } from '../helpers/packets.js';
import { CLIENT, RADIO, lanScenario, sentPerStream } from '../helpers/scenario.js';

const dir = mkdtempSync(join(tmpdir(), 'fp-lab-cap-tx-'));
/** lanScenario's data starts 0.5 s after its t0. */
const DATA_T0 = 1_700_000_000.5;
/** Opus: one packet per 10 ms (reference §3.5). */
const PERIOD_MS = 10;

/**
 * The data-only LAN scenario with audio (8 s) plus a stream `id` sent `from` → radio:4991 while `keyed(ms)`,
 * every packet but those `skip(n)` names; returns the file and what each stream sent.
 */
async function capture(name: string, id: number, keyed: (ms: number) => boolean, skip: (n: number) => boolean = () => false, from: Endpoint = { ip: CLIENT.ip, port: 4991 }) {
  const ev: NetEvent[] = lanScenario({ withAudio: true, seconds: 8, noControl: true });
  const rx = sentPerStream(ev);
  let n = 0;
  let sent = 0;
  for (let ms = 0; ms < 7000; ms += PERIOD_MS) {
    if (!keyed(ms)) continue;
    if (skip(n++)) continue;
    const payload = opusPacket(id, n - 1, 70);
    ev.push({ type: 'udp', ts: DATA_T0 + ms / 1000, src: from, dst: { ip: RADIO.ip, port: 4991 }, payload, df: true, ipLength: payload.length + 28 });
    sent++;
  }
  const file = join(dir, name);
  await writeEventsCapture(file, ev.sort((a, b) => a.ts - b.ts));
  const r = await runCli(['analyze', file, '--format', 'json', '--no-redact']);
  assert.equal(r.code, 0, r.stderr);
  return { report: JSON.parse(r.stdout) as AnalysisReport, sent, rx };
}

/** Two overs of 1.5 s with 1.5 s of nothing between them. */
const overs = (ms: number): boolean => (ms >= 1000 && ms < 2500) || (ms >= 4000 && ms < 5500);

function assertReceiveSideIntact(r: AnalysisReport, rx: Map<number, number>, txId: number): void {
  for (const s of r.streams) {
    if (Number(s.id) === txId) continue;
    assert.equal(s.packets, rx.get(Number(s.id)), s.id);
    assert.equal(s.lost, 0, s.id);
  }
  for (const id of ['data:meter', 'data:panadapter', 'data:waterfall', 'data:audio']) assert.equal(r.hops.find((h) => h.id === id)?.status, 'ok', id);
}

test('data-only capture, transmit audio 0x84000000 in two overs (counter unbroken): the radio’s audio ok, the transmit stream 0 lost (was degraded data:audio, 144 lost)', async () => {
  const { report: r, sent, rx } = await capture('overs.pcapng', 0x84000000, overs);
  assert.equal(sent, 300);
  assertReceiveSideIntact(r, rx, 0x84000000);
  const tx = r.streams.find((s) => Number(s.id) === 0x84000000);
  assert.equal(tx?.packets, 300);
  assert.equal(tx?.lost, 0);
  assert.equal(r.hops.find((h) => h.id === 'udp-return')?.status, 'ok');
  // Without the control channel the honest answer is: the data looks healthy, the rest is not in evidence.
  assert.equal(r.verdict.status, 'inconclusive', `${r.verdict.rule}: ${r.verdict.summary}`);
  assert.equal(r.verdict.rule, 'verdict-no-control');
});

test('data-only capture, a transmit stream whose id has no 0x84 prefix (0x0400000a) is told by its direction, not its id', async () => {
  const { report: r, rx } = await capture('dax-tx.pcapng', 0x0400000a, overs);
  assertReceiveSideIntact(r, rx, 0x0400000a);
  assert.equal(r.streams.find((s) => Number(s.id) === 0x0400000a)?.lost, 0);
  assert.equal(r.verdict.rule, 'verdict-no-control', r.verdict.summary);
});

test('data-only capture, transmit audio with the 10th of every 20 packets missing (35 of 700): loss on the way out, the receive side ok', async () => {
  const { report: r, rx } = await capture('tx-gaps.pcapng', 0x84000000, () => true, (n) => n % 20 === 10);
  assertReceiveSideIntact(r, rx, 0x84000000);
  assert.equal(r.streams.find((s) => Number(s.id) === 0x84000000)?.lost, 35);
  assert.equal(r.verdict.hop, 'udp-return', `${r.verdict.rule}: ${r.verdict.summary}`);
  assert.equal(r.verdict.rule, 'udp-return-outbound-loss');
  assert.match(r.hops.find((h) => h.id === 'udp-return')?.evidence[0] ?? '', /^35 of 700 /);
});

test('data-only capture, transmit audio from another socket of the client (nDAX-style, port 50123): still the client’s', async () => {
  const { report: r, rx } = await capture('other-socket.pcapng', 0x84000000, overs, () => false, { ip: CLIENT.ip, port: 50123 });
  assertReceiveSideIntact(r, rx, 0x84000000);
  assert.equal(r.streams.find((s) => Number(s.id) === 0x84000000)?.lost, 0);
});
