/**
 * Lab captures: the control channel and the data plane seen at different addresses of the same two
 * machines. A dual-stack client reaches the radio's TCP 4992 over IPv6 while the radio's VITA-49 comes over
 * IPv4 (the radio's data plane is IPv4, reference §12 #15); a capture taken behind a NAT sees the control
 * connection with the rewritten address and the data with the other. The radio names each stream's owner
 * (reference §2.4, §5.9): the session's own pan, waterfall and audio are its data whatever their addresses.
 * Expected figures come from the scenario's construction.
 */
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import type { AnalysisReport } from '../../src/analysis/model.js';
import type { Endpoint, NetEvent } from '../../src/capture/types.js';
import { analyzeEvents } from '../helpers/capture-files.js';
import { opusPacket } from '../helpers/packets.js';
import { CLIENT, RADIO, type ScenarioOptions, lanScenario, sentPerStream } from '../helpers/scenario.js';

const dir = mkdtempSync(join(tmpdir(), 'fp-lab-addr-'));
const T0 = 1_700_000_000;

/** The LAN scenario with its TCP (control) endpoints rewritten by `rewrite`; UDP keeps the scenario's IPv4 addresses. */
function controlAt(rewrite: (e: Endpoint) => Endpoint, o: ScenarioOptions): NetEvent[] {
  return lanScenario(o).map((e) => (e.type === 'udp' || e.type === 'icmp' ? e : { ...e, src: rewrite(e.src), dst: rewrite(e.dst) }));
}

const dualStack = (e: Endpoint): Endpoint => ({ ip: e.ip === CLIENT.ip ? 'fd00:10::20' : e.ip === RADIO.ip ? 'fd00:10::27' : e.ip, port: e.port });
/** A NAT in front of the client: its control connection leaves as 203.0.113.5:61000 (RFC 5737 documentation range). */
const natted = (e: Endpoint): Endpoint => (e.ip === CLIENT.ip ? { ip: '203.0.113.5', port: 61000 } : e);

const analyze = (name: string, events: NetEvent[]): Promise<AnalysisReport> => analyzeEvents(join(dir, name), events);

function assertHealthy(r: AnalysisReport, events: NetEvent[]): void {
  assert.equal(r.verdict.status, 'healthy', `${r.verdict.rule}: ${r.verdict.summary}`);
  assert.equal(r.hops.find((h) => h.id === 'udp-return')?.status, 'ok');
  const want = sentPerStream(events);
  assert.deepEqual(new Map(r.streams.map((s) => [Number(s.id), s.packets])), want);
  for (const s of r.streams) assert.equal(s.lost, 0, s.id);
}

test('dual-stack client: control over IPv6, the radio’s data over IPv4 — healthy, every stream as sent (was blocked udp-return)', async () => {
  const ev = controlAt(dualStack, { withAudio: true, seconds: 6 });
  const r = await analyze('dual-stack.pcapng', ev);
  assert.equal(r.hops.find((h) => h.id === 'control')?.status, 'ok');
  assertHealthy(r, ev);
});

test('capture behind a NAT: control seen from the client’s public address, data to its private one — healthy (was blocked udp-return)', async () => {
  const ev = controlAt(natted, { withAudio: true, seconds: 6 });
  assertHealthy(await analyze('nat.pcapng', ev), ev);
});

test('dual-stack, no data at all: still blocked at udp-return (the session’s addresses do not invent data)', async () => {
  const r = await analyze('dual-stack-blocked.pcapng', controlAt(dualStack, { withAudio: true, seconds: 6, blockUdp: true }));
  assert.equal(r.verdict.status, 'blocked');
  assert.equal(r.verdict.hop, 'udp-return');
});

test('dual-stack with transmit audio over IPv4 (stream 0x84000000, tx=1): judged apart from the radio’s audio, one gap in 20 is on the way out', async () => {
  const ev = controlAt(dualStack, { withAudio: true, seconds: 8 });
  const tcp = (ts: number, from: Endpoint, to: Endpoint, line: string): void => void ev.push({ type: 'tcp-data', ts, src: dualStack(from), dst: dualStack(to), data: Buffer.from(line + '\n') });
  tcp(T0 + 0.16, CLIENT, RADIO, 'C7|stream create type=remote_audio_tx');
  tcp(T0 + 0.17, RADIO, CLIENT, 'S3621C7F5|stream 0x84000000 type=remote_audio_tx compression=OPUS client_handle=0x3621C7F5 tx=1');
  tcp(T0 + 0.17, RADIO, CLIENT, 'R7|0|84000000');
  let skipped = 0;
  // 100/s Opus (reference §3.5) for 7 s; the 10th of every 20 never left the client.
  for (let n = 0; n < 700; n++) {
    if (n % 20 === 10) {
      skipped++;
      continue;
    }
    const payload = opusPacket(0x84000000, n, 70);
    ev.push({ type: 'udp', ts: T0 + 0.5 + n / 100, src: { ip: CLIENT.ip, port: 4991 }, dst: { ip: RADIO.ip, port: 4991 }, payload, df: true, ipLength: payload.length + 28 });
  }
  const r = await analyze('dual-stack-tx.pcapng', ev.sort((a, b) => a.ts - b.ts));
  assert.equal(skipped, 35);
  assert.equal(r.verdict.hop, 'udp-return', `${r.verdict.rule}: ${r.verdict.summary}`);
  assert.equal(r.verdict.rule, 'udp-return-outbound-loss');
  assert.match(r.hops.find((h) => h.id === 'udp-return')?.evidence[0] ?? '', /^35 of 700 /);
  assert.equal(r.hops.find((h) => h.id === 'data:audio')?.status, 'ok');
});
