/**
 * Lab captures: DAX beside the pan — a DAX RX stream (reduced bandwidth, PCC 0x0123, 128 samples per
 * packet at 24 kHz: 187.5/s, reference §3.7) and a DAX IQ stream (PCC 0x02E4, 48 kHz, 512 complex samples
 * per packet: a 4124-byte datagram, 93.75/s, reference §3.8), both announced by their `stream` status. The
 * IQ datagrams exceed a 1500-byte link, so they travel as three IPv4 fragments (RFC 791). A firewall or
 * NAT that drops non-initial fragments leaves not one IQ datagram whole, while DAX audio flows: the DAX
 * hop may not be healthy. Expected values come from the construction.
 */
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import type { AnalysisReport } from '../../src/analysis/model.js';
import type { NetEvent } from '../../src/capture/types.js';
import { encodePacket } from '../../src/vita/index.js';
import { analyzeFile, rewriteFrames, writeEventsCapture } from '../helpers/capture-files.js';
import { ipv4Fragments } from '../helpers/fragments.js';
import { flexHeader } from '../helpers/packets.js';
import { CLIENT, RADIO, lanScenario, sentPerStream } from '../helpers/scenario.js';

const dir = mkdtempSync(join(tmpdir(), 'fp-lab-daxiq-'));
const T0 = 1_700_000_000;
const DAX_RX = 0x04000008;
const DAX_IQ = 0x20000000;
/** An Ethernet frame larger than a 1500-byte link carries. */
const ETHERNET_MAX = 1514;

function daxSession(): NetEvent[] {
  const ev = lanScenario({ seconds: 5 });
  const line = (ts: number, fromRadio: boolean, text: string): void => {
    ev.push({ type: 'tcp-data', ts, src: fromRadio ? RADIO : CLIENT, dst: fromRadio ? CLIENT : RADIO, data: Buffer.from(`${text}\n`) });
  };
  line(T0 + 0.2, false, 'C7|stream create type=dax_rx dax_channel=1');
  line(T0 + 0.21, true, `S3621C7F5|stream 0x0${DAX_RX.toString(16)} type=dax_rx dax_channel=1 slice=0 client_handle=0x3621C7F5 ip=${CLIENT.ip}`);
  line(T0 + 0.21, true, 'R7|0|04000008');
  line(T0 + 0.22, false, 'C8|stream create type=dax_iq daxiq_channel=1');
  line(T0 + 0.23, true, `S3621C7F5|stream 0x${DAX_IQ.toString(16)} type=dax_iq daxiq_channel=1 pan=0x40000000 daxiq_rate=48000 client_handle=0x3621C7F5 ip=${CLIENT.ip}`);
  line(T0 + 0.23, true, 'R8|0|20000000');
  const src = { ip: RADIO.ip, port: 4993 };
  const dst = { ip: CLIENT.ip, port: 4991 };
  for (let n = 0, ts = T0 + 0.5; ts < T0 + 4.5; ts = T0 + 0.5 + (++n * 128) / 24_000) {
    const payload = encodePacket({ kind: 'audio', header: flexHeader(0x0123, DAX_RX, n), payload: { format: 'int16-mono', samples: new Int16Array(128) } });
    ev.push({ type: 'udp', ts, src, dst, payload, df: true });
  }
  for (let n = 0, ts = T0 + 0.5; ts < T0 + 4.5; ts = T0 + 0.5 + (++n * 512) / 48_000) {
    const payload = encodePacket({ kind: 'dax-iq', header: flexHeader(0x02e4, DAX_IQ, n, 1), payload: { byteOrder: 'le', samples: new Float32Array(1024) } });
    ev.push({ type: 'udp', ts, src, dst, payload, df: false });
  }
  return ev.sort((a, b) => a.ts - b.ts);
}

/** The session's capture with each frame too large for the link sent as 1480-byte fragments; `keep` picks which arrive. */
async function analyze(name: string, events: NetEvent[], keep: (fragments: Buffer[]) => Buffer[]): Promise<AnalysisReport> {
  const plain = join(dir, `${name}.plain.pcapng`);
  await writeEventsCapture(plain, events);
  const file = join(dir, name);
  await rewriteFrames(plain, file, (frame) => (frame.length > ETHERNET_MAX ? keep(ipv4Fragments(frame, 1480)) : [frame]), 1000n);
  return analyzeFile(file);
}

test('DAX IQ in 4124-byte datagrams, each in three IP fragments: reassembled, every IQ and DAX audio packet counted, healthy', async () => {
  const events = daxSession();
  const r = await analyze('fragmented.pcapng', events, (f) => f);
  const want = sentPerStream(events);
  const iq = r.streams.find((s) => Number(s.id) === DAX_IQ);
  assert.equal(iq?.kind, 'dax-iq');
  assert.equal(iq?.packets, want.get(DAX_IQ));
  assert.equal(iq?.maxSize, 4124);
  assert.equal(r.streams.find((s) => Number(s.id) === DAX_RX)?.packets, want.get(DAX_RX));
  assert.equal(r.verdict.status, 'healthy', `${r.verdict.rule}: ${r.verdict.summary}`);
});

test('every non-initial fragment dropped (a firewall that passes only first fragments): blocked at data:dax naming the IQ stream, while DAX audio flows (was healthy)', async () => {
  const events = daxSession();
  const r = await analyze('first-only.pcapng', events, (f) => f.slice(0, 1));
  assert.equal(r.streams.find((s) => Number(s.id) === DAX_IQ), undefined, 'not one IQ datagram completes');
  assert.equal(r.streams.find((s) => Number(s.id) === DAX_RX)?.packets, sentPerStream(events).get(DAX_RX));
  assert.equal(r.verdict.status, 'blocked', `${r.verdict.rule}: ${r.verdict.summary}`);
  assert.equal(r.verdict.hop, 'data:dax');
  assert.equal(r.verdict.rule, 'data-stream-missing');
  assert.match(r.verdict.summary, /0x20000000/);
  assert.ok(r.warnings.some((w) => /fragmented IP datagram\(s\) never completed/.test(w)), r.warnings.join('\n'));
  // Its first fragments are in the capture: the stream is cut on the way, not blocked whole.
  const sent = sentPerStream(events).get(DAX_IQ);
  assert.match(r.verdict.summary, new RegExp(`^The radio’s DAX 0x20000000 never arrives whole, while the class’s other streams do: ${sent} of its datagrams arrived as IP fragments and never completed \\(their first fragments arrive, later ones do not\\) — a hop drops or loses IP fragments`));
});
