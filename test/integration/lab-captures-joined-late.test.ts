/**
 * Lab captures that do not hold the session's requests: a capture started after SmartSDR connected (the
 * usual ticket: the user notices "no audio", then starts Wireshark), and a SmartLink session seen from the
 * client, whose control channel is TLS. Each says what arrives, but what the client asked for is not in the
 * evidence, and a class never requested looks the same as one that never arrives: the verdict may not be
 * healthy (README: "When the evidence cannot decide, the verdict says inconclusive … never healthy").
 * Expected values come from the scenarios' construction.
 */
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import type { AnalysisReport } from '../../src/analysis/model.js';
import type { Endpoint, NetEvent } from '../../src/capture/types.js';
import { analyzeEvents } from '../helpers/capture-files.js';
import { lanScenario, sentPerStream } from '../helpers/scenario.js';
import { clientHello } from '../helpers/tls-hello.js';

const dir = mkdtempSync(join(tmpdir(), 'fp-lab-late-'));
/** lanScenario's first event (the client's SYN); its setup, audio's request included, ends 0.5 s later. */
const T0 = 1_700_000_000;
const AUDIO = 0x04000009;

const analyze = (name: string, events: NetEvent[]): Promise<AnalysisReport> => analyzeEvents(join(dir, name), events);

const isAudio = (e: NetEvent): boolean => e.type === 'udp' && e.payload.readUInt32BE(4) === AUDIO;
/** The capture starts 1.5 s in: no handshake, no prologue, no `client udpport`, no creates — pings and data only. */
const joinedAt = (events: NetEvent[], s: number): NetEvent[] => events.filter((e) => e.ts >= T0 + s);

test('capture started mid-session, the audio the client opened before it dropped on the path: not healthy — inconclusive, naming audio as absent (was healthy: "every requested stream arrives")', async () => {
  const events = lanScenario({ withAudio: true, seconds: 6 }).filter((e) => !isAudio(e));
  // The whole session first: the request is in it, so the missing audio is a blocked hop.
  const whole = await analyze('whole.pcapng', events);
  assert.equal(whole.verdict.status, 'blocked', whole.verdict.summary);
  assert.equal(whole.verdict.hop, 'data:audio');
  const late = joinedAt(events, 1.5);
  const r = await analyze('late-no-audio.pcapng', late);
  assert.equal(r.verdict.status, 'inconclusive', `${r.verdict.rule}: ${r.verdict.summary}`);
  assert.equal(r.verdict.rule, 'verdict-joined-late');
  assert.match(r.verdict.summary, /not one packet of audio/);
  assert.ok(r.verdict.advice.some((a) => /before SmartSDR connects/.test(a)), r.verdict.advice.join(' | '));
  const want = sentPerStream(late);
  assert.deepEqual(new Map(r.streams.map((s) => [Number(s.id), s.packets])), want);
});

test('capture started mid-session, nothing wrong: inconclusive, every stream counted as sent, no hop failing', async () => {
  const late = joinedAt(lanScenario({ withAudio: true, seconds: 6 }), 1.5);
  const r = await analyze('late.pcapng', late);
  assert.equal(r.verdict.rule, 'verdict-joined-late', r.verdict.summary);
  assert.ok(!r.hops.some((h) => h.status === 'blocked' || h.status === 'degraded'), JSON.stringify(r.hops.filter((h) => h.status !== 'ok' && h.status !== 'unknown')));
  assert.match(r.verdict.summary, /\(meter, panadapter, waterfall, audio\)/);
  assert.deepEqual(new Map(r.streams.map((s) => [Number(s.id), s.packets])), sentPerStream(late));
});

/**
 * SmartLink seen on the client (reference §6.5): TLS to the radio's public port (here 21000: a forward or
 * hole punch on other ports than 4994), the client's `client udp_register` from its data port to the radio's
 * public UDP port (21001), and VITA-49 back from there. The TLS text, the stream requests among it, cannot be
 * read.
 */
function smartlinkSeenOutside(drop: (e: NetEvent) => boolean): NetEvent[] {
  const client: Endpoint = { ip: '192.168.1.20', port: 4991 };
  const tlsClient: Endpoint = { ip: '192.168.1.20', port: 52000 };
  const radioTls: Endpoint = { ip: '203.0.113.9', port: 21000 };
  const radioUdp: Endpoint = { ip: '203.0.113.9', port: 21001 };
  const record = Buffer.from([23, 3, 3, 0, 2, 0, 0]);
  const ev: NetEvent[] = [
    { type: 'tcp-open', ts: T0, src: tlsClient, dst: radioTls },
    { type: 'tcp-data', ts: T0 + 0.05, src: tlsClient, dst: radioTls, data: clientHello('203.0.113.9') },
    { type: 'tcp-data', ts: T0 + 0.1, src: radioTls, dst: tlsClient, data: Buffer.from([22, 3, 3, 0, 4, 2, 0, 0, 0]) },
  ];
  for (let i = 0; i < 3; i++) ev.push({ type: 'udp', ts: T0 + 0.4 + i * 0.05, src: client, dst: radioUdp, payload: Buffer.from('client udp_register handle=0x1A2B3C4D') });
  for (let i = 0; i < 40; i++) {
    ev.push({ type: 'tcp-data', ts: T0 + 0.2 + i * 0.1, src: tlsClient, dst: radioTls, data: record });
    ev.push({ type: 'tcp-data', ts: T0 + 0.25 + i * 0.1, src: radioTls, dst: tlsClient, data: record });
  }
  const data = lanScenario({ withAudio: true, seconds: 4, noControl: true, client, radio: { ip: radioUdp.ip, port: 0 }, dataPort: radioUdp.port, udpport: client.port });
  return [...ev, ...data.filter((e) => !drop(e))].sort((a, b) => a.ts - b.ts);
}

test('SmartLink seen from the client (TLS on 21000, data from 21001), audio dropped on the path: not healthy — no readable control channel, with diagnose --smartlink as the next step (was healthy)', async () => {
  for (const [name, drop] of [['all', () => false], ['no-audio', isAudio]] as const) {
    const r = await analyze(`smartlink-${name}.pcapng`, smartlinkSeenOutside(drop));
    assert.equal(r.verdict.status, 'inconclusive', `${name}: ${r.verdict.rule}: ${r.verdict.summary}`);
    assert.equal(r.verdict.rule, 'verdict-no-control', name);
    assert.match(r.verdict.summary, /TLS/);
    assert.ok(r.verdict.advice.some((a) => /diagnose --smartlink/.test(a)), r.verdict.advice.join(' | '));
  }
});

/** lanScenario's control endpoints (its client and radio defaults). */
const CLIENT_API: Endpoint = { ip: '192.168.10.20', port: 53344 };
const RADIO_API: Endpoint = { ip: '192.168.10.27', port: 4992 };

test('capture started mid-session with no UDP at all (nothing of the radio’s data, no other UDP): inconclusive, says the data never reached the capture point and what to capture (was "no data stream was requested")', async () => {
  const late = joinedAt(lanScenario({ withAudio: true, seconds: 6, blockUdp: true }), 1.5);
  const r = await analyze('late-no-udp.pcapng', late);
  assert.equal(r.verdict.status, 'inconclusive', r.verdict.summary);
  assert.equal(r.verdict.rule, 'verdict-joined-late-no-data');
  assert.match(r.verdict.summary, /not one VITA-49 datagram from the radio reached the capture point: the client’s stream requests came before the capture/);
  assert.match(r.verdict.summary, /no UDP datagram of any kind, as one taken with a TCP-only capture filter would/);
  assert.ok(r.verdict.advice.some((a) => a.includes('`udp or tcp port 4992`') && a.includes('before SmartSDR connects')), r.verdict.advice.join(' | '));
  // Partial status updates in the capture (the user tuned the pan; no client_handle in them) name the objects.
  const tuned: NetEvent[] = [
    ...late,
    { type: 'tcp-data' as const, ts: T0 + 2.3, src: RADIO_API, dst: CLIENT_API, data: Buffer.from('S3621C7F5|display pan 0x40000000 center=14.110000\nS3621C7F5|stream 0x04000009 type=remote_audio_rx compression=OPUS ip=192.168.10.20\n') },
  ].sort((a, b) => a.ts - b.ts);
  const t = await analyze('late-no-udp-tuned.pcapng', tuned);
  assert.equal(t.verdict.rule, 'verdict-joined-late-no-data', t.verdict.summary);
  assert.match(t.verdict.summary, /while its status lines name display pan 0x40000000, stream 0x04000009 remote_audio_rx: if the client has those open, their data does not arrive where the capture was taken/);
});

test('a whole session with no UDP at all stays blocked (the requests are in it), and its evidence says a TCP-only capture filter would look the same', async () => {
  const r = await analyze('whole-no-udp.pcapng', lanScenario({ withAudio: true, seconds: 4, blockUdp: true }));
  assert.equal(r.verdict.status, 'blocked', r.verdict.summary);
  assert.equal(r.verdict.rule, 'udp-return-no-data');
  const udp = r.hops.find((h) => h.id === 'udp-return')?.evidence ?? [];
  assert.ok(udp.some((l) => /^the capture holds no UDP datagram of any kind: if it was taken with a capture filter that keeps TCP only/.test(l)), udp.join('\n'));
});
