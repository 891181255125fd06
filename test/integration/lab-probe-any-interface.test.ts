/**
 * Lab probe: `tcpdump -i any` (LINKTYPE_LINUX_SLL2) on a machine whose adapter eth0 is a port of the
 * bridge br0 records every packet twice, once per interface, microseconds apart; the two records differ
 * only in the cooked header's interface index. A healthy session captured that way is healthy: no
 * duplicates, no jitter. Expected figures come from the scenario: each datagram counted once.
 */
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { analyzeCaptureFile } from '../../src/analysis/analyze-file.js';
import { readCaptureRecords } from '../../src/capture/reader.js';
import { PcapngWriter } from '../../src/capture/writer.js';
import { writeEventsCapture } from '../helpers/capture-files.js';
import { lanScenario } from '../helpers/scenario.js';

const dir = mkdtempSync(join(tmpdir(), 'fp-lab-any-'));
const LINKTYPE_LINUX_SLL2 = 276;

/**
 * An Ethernet frame as tcpdump -i any records it (tcpdump.org LINKTYPE_LINUX_SLL2): protocol type (2),
 * reserved (2), interface index (4), ARPHRD type (2, 1 = Ethernet), packet type (1, 0 = to us), link-layer
 * address length (1), address (8: the source MAC, padded), then the packet after the Ethernet header.
 */
function sll2(eth: Buffer, ifindex: number): Buffer {
  const h = Buffer.alloc(20);
  eth.copy(h, 0, 12, 14);
  h.writeUInt32BE(ifindex, 4);
  h.writeUInt16BE(1, 8);
  h[10] = 0;
  h[11] = 6;
  eth.copy(h, 12, 6, 12);
  return Buffer.concat([h, eth.subarray(14)]);
}

test('tcpdump -i any with the adapter in a bridge (each packet on eth0 and br0): healthy, each datagram counted once', async () => {
  const events = lanScenario({ withAudio: true, seconds: 4 });
  const perStream = new Map<number, number>();
  for (const e of events) if (e.type === 'udp') perStream.set(e.payload.readUInt32BE(4), (perStream.get(e.payload.readUInt32BE(4)) ?? 0) + 1);
  const whole = join(dir, 'eth.pcapng');
  await writeEventsCapture(whole, events);
  const any = join(dir, 'any.pcapng');
  const w = new PcapngWriter(any, { interfaces: [{ linkType: LINKTYPE_LINUX_SLL2, name: 'any' }] });
  await readCaptureRecords(whole, {
    record: (_link, sec, nsec, buf, start, caplen) => {
      const ts = BigInt(sec) * 1_000_000_000n + BigInt(nsec);
      const eth = Buffer.from(buf.subarray(start, start + caplen));
      w.write(ts, sll2(eth, 2));
      w.write(ts + 5_000n, sll2(eth, 5));
    },
  });
  await w.close();

  const r = await analyzeCaptureFile(any);
  assert.equal(r.verdict.status, 'healthy', r.verdict.summary);
  for (const s of r.streams) {
    assert.equal(s.packets, perStream.get(Number(s.id)), `${s.id}: packets`);
    assert.equal(s.duplicates, 0, `${s.id}: duplicates`);
  }
  assert.equal(r.streams.length, perStream.size);
});
