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
import { lanScenario } from '../helpers/scenario.js';

const dir = mkdtempSync(join(tmpdir(), 'fp-lab-pktap-'));
const LINKTYPE_PKTAP = 258;
const DLT_EN10MB = 1;
/** Apple's struct pktap_header is 108 bytes (pth_length says so in every record). */
const PKTAP_HEADER = 108;
/** Offsets in struct pktap_header (xnu bsd/net/pktap.h): pth_ifname[24] at 12, pth_iftype at 77 … pth_ifunit at 81. */
const IFNAME = 12;
const IFUNIT = 81;

function pktap(ifname: string, unit: number, eth: Buffer): Buffer {
  const h = Buffer.alloc(PKTAP_HEADER);
  h.writeUInt32LE(PKTAP_HEADER, 0);
  h.writeUInt32LE(1, 4);
  h.writeUInt32LE(DLT_EN10MB, 8);
  h.write(ifname, IFNAME, 'latin1');
  h.writeUInt32LE(unit, IFUNIT);
  return Buffer.concat([h, eth]);
}

function perStream(events: NetEvent[]): Map<number, number> {
  const m = new Map<number, number>();
  for (const e of events) if (e.type === 'udp') m.set(e.payload.readUInt32BE(4), (m.get(e.payload.readUInt32BE(4)) ?? 0) + 1);
  return m;
}

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
      w.write(ts, pktap('en0', 0, frame));
      frames++;
      if (copies) {
        w.write(ts + gapNs, pktap('bridge100', 100, frame));
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
  const want = perStream(events);
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
  const want = perStream(events);
  const { report: r } = await capture('lossy.pcap', events, false);
  for (const s of r.streams) assert.equal(s.packets, want.get(Number(s.id)), `${s.id}: packets`);
  assert.ok(!r.warnings.some((w) => /copies/.test(w)), r.warnings.join('\n'));
  assert.notEqual(r.verdict.status, 'healthy', r.verdict.summary);
});
