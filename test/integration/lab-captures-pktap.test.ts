/**
 * Lab captures: macOS PKTAP (LINKTYPE_PKTAP, 258) with copies. Apple's tcpdump captures all interfaces
 * through pktap; with en0 a member of a bridge (Internet Sharing, a VM's bridged adapter: bridge100) each
 * packet is recorded once on en0 and once on bridge100, microseconds apart, the same Ethernet frame behind
 * two PKTAP headers that differ in the interface name and unit (tcpdump print-pktap.c: header length,
 * record type, inner DLT, interface name …). A healthy session captured so is healthy, each datagram counted
 * once. Expected figures come from the scenario's construction.
 */
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import type { AnalysisReport } from '../../src/analysis/model.js';
import { readCaptureRecords } from '../../src/capture/reader.js';
import { PcapWriter } from '../../src/capture/writer.js';
import type { NetEvent } from '../../src/capture/types.js';
import { writeEventsCapture } from '../helpers/capture-files.js';
import { runCli } from '../helpers/cli.js';
import { pktap } from '../helpers/link-frames.js';
import { lanScenario, sentPerStream } from '../helpers/scenario.js';

const dir = mkdtempSync(join(tmpdir(), 'fp-lab-pktap-'));
const LINKTYPE_PKTAP = 258;
const DLT_EN10MB = 1;
/** The scenario as Apple's tcpdump writes it (pcap, PKTAP): each frame on en0, and `copies` also on bridge100 `gapNs` later. */
async function capture(name: string, events: NetEvent[], copies: boolean, gapNs = 4_000n): Promise<{ report: AnalysisReport; frames: number }> {
  const eth = join(dir, `${name}.eth.pcapng`);
  await writeEventsCapture(eth, events);
  const file = join(dir, name);
  const w = new PcapWriter(file, { linkType: LINKTYPE_PKTAP, nanosecond: true });
  let frames = 0;
  await readCaptureRecords(eth, {
    record: (_link, sec, nsec, buf, start, caplen) => {
      const ts = BigInt(sec) * 1_000_000_000n + BigInt(nsec);
      const frame = Buffer.from(buf.subarray(start, start + caplen));
      w.write(ts, pktap(DLT_EN10MB, 'en0', frame));
      frames++;
      if (copies) {
        w.write(ts + gapNs, pktap(DLT_EN10MB, 'bridge100', frame, 100));
        frames++;
      }
    },
  });
  await w.close();
  const r = await runCli(['analyze', file, '--format', 'json', '--no-redact']);
  assert.equal(r.code, 0, r.stderr);
  return { report: JSON.parse(r.stdout) as AnalysisReport, frames };
}

test('PKTAP, en0 in bridge100 (each frame on both, 4 µs apart): healthy, each datagram counted once, no duplicates (was degraded)', async () => {
  const events = lanScenario({ withAudio: true, seconds: 4 });
  const want = sentPerStream(events);
  const { report: r, frames } = await capture('bridged.pcap', events, true);
  assert.equal(r.verdict.status, 'healthy', `${r.verdict.rule}: ${r.verdict.summary}`);
  for (const s of r.streams) {
    assert.equal(s.packets, want.get(Number(s.id)), `${s.id}: packets`);
    assert.equal(s.duplicates, 0, `${s.id}: duplicates`);
  }
  assert.match(r.warnings.join('\n'), new RegExp(`^${frames / 2} of ${frames} frames were copies`, 'm'));
});

test('PKTAP on en0 alone, 4 % random loss: the loss is still seen (no frame taken for a copy)', async () => {
  const events = lanScenario({ withAudio: true, seconds: 4, loss: 0.04, seed: 11 });
  const want = sentPerStream(events);
  const { report: r } = await capture('lossy.pcap', events, false);
  for (const s of r.streams) assert.equal(s.packets, want.get(Number(s.id)), `${s.id}: packets`);
  assert.ok(!r.warnings.some((w) => /copies/.test(w)), r.warnings.join('\n'));
  assert.notEqual(r.verdict.status, 'healthy', r.verdict.summary);
});
