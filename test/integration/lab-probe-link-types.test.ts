/**
 * Lab probe: link types users' capture tools write that are not Ethernet. macOS `tcpdump -i pktap` (and
 * Apple tcpdump's default interface) writes LINKTYPE_PKTAP (258): Apple's metadata header, then the
 * interface's own frame (tcpdump print-pktap.c: header length, record type 1 = packet, inner DLT, all
 * little-endian). Writers that copy DLT_RAW's value into the file header write 12 (14 on OpenBSD) instead
 * of LINKTYPE_RAW 101; Wireshark reads both as raw IP. A healthy session captured in any of these is healthy
 * with every datagram of the scenario counted.
 */
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { analyzeCaptureFile } from '../../src/analysis/analyze-file.js';
import { readCaptureRecords } from '../../src/capture/reader.js';
import { PcapWriter, PcapngWriter } from '../../src/capture/writer.js';
import { writeEventsCapture } from '../helpers/capture-files.js';
import { pktap } from '../helpers/link-frames.js';
import { lanScenario, sentPerStream } from '../helpers/scenario.js';

const dir = mkdtempSync(join(tmpdir(), 'fp-lab-link-'));
const ETHERNET_HEADER = 14;
const DLT_EN10MB = 1;
const DLT_RAW = 12;
const events = lanScenario({ withAudio: true, seconds: 4 });
const expected = sentPerStream(events);
const ethernet = join(dir, 'eth.pcapng');
const written = writeEventsCapture(ethernet, events);

/** Frames written by the last rewrite(). */
let rewritten = 0;

/** The Ethernet capture rewritten frame by frame through `frame` into a capture of link type `linkType`. */
async function rewrite(name: string, linkType: number, frame: (eth: Buffer) => Buffer, pcapng = false): Promise<string> {
  await written;
  const file = join(dir, name);
  rewritten = 0;
  const w = pcapng ? new PcapngWriter(file, { interfaces: [{ linkType, name: 'pktap' }] }) : new PcapWriter(file, { linkType });
  await readCaptureRecords(ethernet, {
    record: (_link, sec, nsec, buf, start, caplen) => {
      w.write(BigInt(sec) * 1_000_000_000n + BigInt(nsec), frame(Buffer.from(buf.subarray(start, start + caplen))));
      rewritten++;
    },
  });
  await w.close();
  return file;
}

async function assertHealthyAndWhole(file: string): Promise<void> {
  const r = await analyzeCaptureFile(file);
  assert.equal(r.verdict.status, 'healthy', r.verdict.summary);
  assert.equal(r.streams.length, expected.size);
  for (const s of r.streams) assert.equal(s.packets, expected.get(Number(s.id)), `${s.id}: packets`);
}

const cases: [string, () => Promise<string>][] = [
  ['macOS tcpdump -i pktap, Wi-Fi en0 (PKTAP around Ethernet, pcap)', () => rewrite('pktap-en0.pcap', 258, (eth) => pktap(DLT_EN10MB, 'en0', eth))],
  ['macOS tcpdump -i pktap, VPN utun3 (PKTAP around raw IP, pcapng)', () => rewrite('pktap-utun.pcapng', 258, (eth) => pktap(DLT_RAW, 'utun3', eth.subarray(ETHERNET_HEADER)), true)],
  ['raw IP with DLT_RAW 12 in the file header', () => rewrite('raw12.pcap', 12, (eth) => eth.subarray(ETHERNET_HEADER))],
  ['raw IP with OpenBSD DLT_RAW 14 in the file header', () => rewrite('raw14.pcap', 14, (eth) => eth.subarray(ETHERNET_HEADER))],
];
for (const [name, make] of cases) test(`${name}: healthy, every datagram counted`, async () => assertHealthyAndWhole(await make()));

/** radiotap header (version 0, length 8, no fields) + an 802.11 data header (24 bytes) before the IP packet. */
function radiotap80211(eth: Buffer): Buffer {
  const rt = Buffer.alloc(8);
  rt.writeUInt16LE(8, 2);
  const wlan = Buffer.alloc(24);
  wlan[0] = 0x08;
  return Buffer.concat([rt, wlan, eth.subarray(ETHERNET_HEADER)]);
}

test('a Wi-Fi monitor-mode capture (802.11 + radiotap, link type 127) says it cannot be read and why, not "no FlexRadio session"', async () => {
  const file = await rewrite('radiotap.pcap', 127, radiotap80211);
  const frames = rewritten;
  assert.ok(frames > 100);
  const r = await analyzeCaptureFile(file);
  assert.equal(r.verdict.status, 'inconclusive');
  assert.equal(r.verdict.rule, 'verdict-link-unread');
  assert.match(r.verdict.summary, new RegExp(`${frames} frame\\(s\\) on link type 127 \\(IEEE 802\\.11 radio frames with radiotap.*\\), the first at frame 1`));
  assert.doesNotMatch(r.verdict.summary, /No FlexRadio session/);
  assert.ok(r.verdict.advice.some((a) => /not Wi-Fi monitor/.test(a)), r.verdict.advice.join(' | '));
});
