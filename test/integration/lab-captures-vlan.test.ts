/**
 * Lab captures: VLAN-tagged frames. A capture on a trunk carries each frame's 802.1Q tag, a provider's
 * QinQ an 802.1ad tag outside it (IEEE 802.1Q / 802.1ad: TPID 0x8100 / 0x88a8, then 2 bytes of TCI). A
 * switch's port mirror of the radio's access port and of the trunk records each packet twice, microseconds
 * apart: once untagged, once tagged. Each datagram is one datagram. Expected figures come from the
 * scenario's construction.
 */
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import type { AnalysisReport } from '../../src/analysis/model.js';
import type { Endpoint, NetEvent } from '../../src/capture/types.js';
import { analyzeFile, rewriteFrames, writeEventsCapture } from '../helpers/capture-files.js';
import { CLIENT, lanScenario, sentPerStream } from '../helpers/scenario.js';

const dir = mkdtempSync(join(tmpdir(), 'fp-lab-vlan-'));
const ETH_ADDRS = 12;

/** `eth` with tags inserted after its MAC addresses, outermost first: [TPID, VLAN id]. */
function tagged(eth: Buffer, tags: Array<[number, number]>): Buffer {
  const t = Buffer.alloc(4 * tags.length);
  tags.forEach(([tpid, vid], i) => {
    t.writeUInt16BE(tpid, 4 * i);
    t.writeUInt16BE(vid, 4 * i + 2);
  });
  return Buffer.concat([eth.subarray(0, ETH_ADDRS), t, eth.subarray(ETH_ADDRS)]);
}

/** The events' Ethernet capture rewritten: each frame replaced by the frames `copies` makes of it, `gapNs` apart. */
async function capture(name: string, events: NetEvent[], copies: (eth: Buffer) => Buffer[], gapNs = 20_000n): Promise<AnalysisReport> {
  const plain = join(dir, `${name}.plain.pcapng`);
  await writeEventsCapture(plain, events);
  const file = join(dir, name);
  await rewriteFrames(plain, file, copies, gapNs);
  return analyzeFile(file);
}

function assertHealthyOnce(r: AnalysisReport, events: NetEvent[]): void {
  assert.equal(r.verdict.status, 'healthy', `${r.verdict.rule}: ${r.verdict.summary}`);
  const want = sentPerStream(events);
  assert.equal(r.streams.length, want.size);
  for (const s of r.streams) {
    assert.equal(s.packets, want.get(Number(s.id)), `${s.id}: packets`);
    assert.equal(s.duplicates, 0, `${s.id}: duplicates`);
  }
}

test('a capture on a trunk (802.1Q VLAN 10) and on a QinQ link (802.1ad 100 outside 802.1Q 10): healthy, every stream as sent', async () => {
  const events = lanScenario({ withAudio: true, seconds: 4 });
  assertHealthyOnce(await capture('dot1q.pcapng', events, (eth) => [tagged(eth, [[0x8100, 10]])]), events);
  assertHealthyOnce(await capture('qinq.pcapng', events, (eth) => [tagged(eth, [[0x88a8, 100], [0x8100, 10]])]), events);
});

test('a port mirror of the access port and the trunk (each packet untagged, then with tag 10, 20 µs later): healthy, counted once (was degraded: every datagram twice)', async () => {
  const events = lanScenario({ withAudio: true, seconds: 4 });
  const r = await capture('mirror.pcapng', events, (eth) => [eth, tagged(eth, [[0x8100, 10]])]);
  assertHealthyOnce(r, events);
  assert.ok(r.warnings.some((w) => /frames were copies/.test(w)), r.warnings.join('\n'));
});

test('QinQ and a NAT in one capture: control from the client’s public address, data to its private one, all double-tagged — healthy', async () => {
  const natted = (e: Endpoint): Endpoint => (e.ip === CLIENT.ip ? { ip: '203.0.113.5', port: 61000 } : e);
  const events = lanScenario({ withAudio: true, seconds: 4 }).map((e) => (e.type === 'udp' || e.type === 'icmp' ? e : { ...e, src: natted(e.src), dst: natted(e.dst) }));
  assertHealthyOnce(await capture('qinq-nat.pcapng', events, (eth) => [tagged(eth, [[0x88a8, 100], [0x8100, 10]])]), events);
});
