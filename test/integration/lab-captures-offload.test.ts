/**
 * Lab captures: a capture taken on the client machine with NIC offloads on. Receive offload (Linux GRO,
 * LRO, Windows RSC) hands the capture one TCP "frame" for several segments of a flow that arrived together:
 * far above the MTU, its IP length the merged length. Send offload (TSO, Windows LSO) captures the segment
 * the NIC will split before it is split; Windows captures show its IPv4 total length as 0 (Wireshark
 * packet-ip.c reads such a packet as the captured bytes). None of this is a cut capture, an MTU problem or
 * a broken control channel. Expected figures come from the scenario's construction.
 */
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import type { AnalysisReport } from '../../src/analysis/model.js';
import { readCaptureRecords } from '../../src/capture/reader.js';
import type { Endpoint, NetEvent } from '../../src/capture/types.js';
import { PcapngWriter } from '../../src/capture/writer.js';
import { writeEventsCapture } from '../helpers/capture-files.js';
import { runCli } from '../helpers/cli.js';
import { CLIENT, RADIO, type ScenarioOptions, lanScenario } from '../helpers/scenario.js';

const dir = mkdtempSync(join(tmpdir(), 'fp-lab-offload-'));
const T0 = 1_700_000_000;
/** Meter definitions the radio sends in one burst after `client gui` (on top of the scenario's one). */
const METERS = 400;
/** Commands the client writes in one go (answered one by one) on top of the scenario's 11 answered ones. */
const COMMANDS = 60;
const SCENARIO_REPLIES = 11;

/**
 * Ethernet II + IPv4 (no options, as the event writer builds them) or IPv6 (no extension headers) + TCP:
 * where the fields are (RFC 791: total length at 2, protocol at 9; RFC 8200: payload length at 4, next
 * header at 6, 40-byte header).
 */
const ETH = 14;
const v6 = (f: Buffer): boolean => f.readUInt16BE(12) === 0x86dd;
const lengthAt = (f: Buffer): number => ETH + (v6(f) ? 4 : 2);
/** The IP length field's value for a frame of `frameLength` bytes. */
const lengthValue = (f: Buffer, frameLength: number): number => frameLength - ETH - (v6(f) ? 40 : 0);
const tcpAt = (f: Buffer): number => ETH + (v6(f) ? 40 : 20);
/** Source and destination addresses through the TCP ports: the flow. */
const flowStart = (f: Buffer): number => ETH + (v6(f) ? 8 : 12);

/** A dual-stack client: the control channel over IPv6, the data over IPv4 (reference §12 #15). */
const overIpv6 = (e: Endpoint): Endpoint => ({ ip: e.ip === CLIENT.ip ? 'fd00:10::20' : e.ip === RADIO.ip ? 'fd00:10::27' : e.ip, port: e.port });

function session(o: ScenarioOptions = {}, controlOverIpv6 = false): NetEvent[] {
  const ev = lanScenario({ withAudio: true, seconds: 6, ...o });
  const defs = Array.from({ length: METERS }, (_, i) => `S3621C7F5|meter ${100 + i}.src=SLC#${100 + i}.num=0#${100 + i}.nam=LEVEL#${100 + i}.low=-150.0#${100 + i}.hi=10.0#${100 + i}.unit=dBm#${100 + i}.fps=10#`);
  ev.push({ type: 'tcp-data', ts: T0 + 0.055, src: RADIO, dst: CLIENT, data: Buffer.from(defs.join('\n') + '\n') });
  const cmds = Array.from({ length: COMMANDS }, (_, i) => `C${200 + i}|display pan set 0x40000000 xpixels=1030 ypixels=497 fps=25 average=50 weighted_average=0`);
  ev.push({ type: 'tcp-data', ts: T0 + 0.3, src: CLIENT, dst: RADIO, data: Buffer.from(cmds.join('\n') + '\n') });
  for (let i = 0; i < COMMANDS; i++) ev.push({ type: 'tcp-data', ts: T0 + 0.31 + i * 0.001, src: RADIO, dst: CLIENT, data: Buffer.from(`R${200 + i}|0|\n`) });
  const all = controlOverIpv6 ? ev.map((e) => (e.type === 'udp' || e.type === 'icmp' ? e : { ...e, src: overIpv6(e.src), dst: overIpv6(e.dst) })) : ev;
  return all.sort((a, b) => a.ts - b.ts);
}

interface Offloaded {
  report: AnalysisReport;
  /** Frames holding more than one segment, and the largest frame. */
  merged: number;
  largest: number;
}

/**
 * The session's capture with consecutive TCP segments of one direction written at the same instant merged
 * into one frame, as an offload hands them to the capture (IP length = the merged length, or 0 where
 * `zeroLength` — a Windows capture of a large send), every frame cut at `snaplen` bytes when given.
 */
async function offloaded(name: string, zeroLength: boolean, o: { snaplen?: number; scenario?: ScenarioOptions; controlOverIpv6?: boolean } = {}): Promise<Offloaded> {
  const plain = join(dir, `${name}.plain.pcapng`);
  await writeEventsCapture(plain, session(o.scenario, o.controlOverIpv6));
  const frames: Array<{ ts: bigint; f: Buffer; n: number }> = [];
  const isTcp = (f: Buffer): boolean => (v6(f) ? f[ETH + 6] : f.readUInt16BE(12) === 0x0800 ? f[ETH + 9] : -1) === 6;
  const headerEnd = (f: Buffer): number => tcpAt(f) + (f[tcpAt(f) + 12]! >> 4) * 4;
  const dataLength = (f: Buffer): number => f.length - headerEnd(f);
  await readCaptureRecords(plain, {
    record: (_link, sec, nsec, buf, start, caplen) => {
      const ts = BigInt(sec) * 1_000_000_000n + BigInt(nsec);
      const f = Buffer.from(buf.subarray(start, start + caplen));
      const p = frames[frames.length - 1];
      const follows =
        p !== undefined &&
        p.ts === ts &&
        isTcp(f) &&
        isTcp(p.f) &&
        v6(f) === v6(p.f) &&
        f.compare(p.f, flowStart(f), tcpAt(f) + 4, flowStart(f), tcpAt(f) + 4) === 0 &&
        dataLength(f) > 0 &&
        dataLength(p.f) > 0;
      if (follows && p.f.readUInt32BE(tcpAt(f) + 4) + dataLength(p.f) === f.readUInt32BE(tcpAt(f) + 4) && p.f.length + f.length < 65_000) {
        p.f = Buffer.concat([p.f, f.subarray(headerEnd(f))]);
        p.f.writeUInt16BE(lengthValue(p.f, p.f.length), lengthAt(p.f));
        p.n++;
      } else frames.push({ ts, f, n: 1 });
    },
  });
  const file = join(dir, name);
  const w = new PcapngWriter(file);
  for (const x of frames) {
    if (zeroLength && x.n > 1) x.f.writeUInt16BE(0, lengthAt(x.f));
    w.write(x.ts, x.f.subarray(0, o.snaplen ?? x.f.length), { originalLength: x.f.length });
  }
  await w.close();
  const r = await runCli(['analyze', file, '--format', 'json', '--no-redact']);
  assert.equal(r.code, 0, r.stderr);
  return { report: JSON.parse(r.stdout) as AnalysisReport, merged: frames.filter((x) => x.n > 1).length, largest: Math.max(...frames.map((x) => x.f.length)) };
}

function assertWhole(o: Offloaded): void {
  const r = o.report;
  assert.equal(r.verdict.status, 'healthy', `${r.verdict.rule}: ${r.verdict.summary}`);
  assert.ok(!r.warnings.some((w) => /truncat|snapshot|cut/i.test(w)), r.warnings.join('\n'));
  const control = r.hops.find((h) => h.id === 'control');
  assert.equal(control?.status, 'ok');
  assert.match(control?.evidence[0] ?? '', new RegExp(`\\b${SCENARIO_REPLIES + COMMANDS} replies\\b`));
  assert.match(r.hops.find((h) => h.id === 'data:meter')?.evidence.join('\n') ?? '', new RegExp(`\\b${METERS + 1} meters defined\\b`));
}

test('receive offload (GRO/LRO/RSC): the radio’s 400 meter definitions in frames up to ~48 kB, IP length the merged length — healthy, every line read', async () => {
  const o = await offloaded('gro.pcapng', false);
  assert.ok(o.merged >= 2 && o.largest > 40_000, `${o.merged} merged frames, largest ${o.largest} B`);
  assertWhole(o);
});

test('send offload on a dual-stack client (control over IPv6, payload length 0 on the unsplit segments, as Linux BIG TCP and Windows LSO leave it): healthy, every command and reply read (was: the segments dropped)', async () => {
  const o = await offloaded('lso-v6.pcapng', true, { controlOverIpv6: true });
  assert.ok(o.merged >= 2, `${o.merged} merged frames`);
  assertWhole(o);
  assert.match(o.report.hops.find((h) => h.id === 'control')?.evidence[0] ?? '', /^\[fd00:10::20\]/);
});

test('send offload as Windows captures it (IPv4 total length 0 on the unsplit segments): healthy, every command and reply read (was: the frames dropped as bad IPv4 headers)', async () => {
  const o = await offloaded('lso.pcapng', true);
  assert.ok(o.merged >= 2, `${o.merged} merged frames`);
  assertWhole(o);
});

/** tcpdump -s 1514: whole Ethernet frames at MTU 1500, so every VITA-49 datagram (≤ 1464 B of IP, reference §1.6) is whole. */
const SNAPLEN = 1514;

test('receive offload captured with -s 1514: only the control channel’s merged frames are cut — the data classes are still judged (was: every hop unknown)', async () => {
  // MTU 1400 on the way (scenario: datagrams over 1400 B of IP dropped, DF set): the 1464-B waterfall tiles never arrive.
  const o = await offloaded('gro-1514-mtu.pcapng', false, { snaplen: SNAPLEN, scenario: { mtu: 1400 } });
  const r = o.report;
  assert.equal(r.verdict.status, 'blocked', `${r.verdict.rule}: ${r.verdict.summary}`);
  assert.equal(r.verdict.hop, 'data:waterfall');
  assert.equal(r.verdict.cause, 'mtu');
  assert.equal(r.hops.find((h) => h.id === 'control')?.rule, 'hop-capture-truncated');
  for (const id of ['data:meter', 'data:panadapter', 'data:audio']) assert.equal(r.hops.find((h) => h.id === id)?.status, 'ok', id);
});

test('receive offload captured with -s 1514, nothing wrong: inconclusive, saying only TCP was cut and the data showed no fault', async () => {
  const r = (await offloaded('gro-1514.pcapng', false, { snaplen: SNAPLEN })).report;
  assert.equal(r.verdict.rule, 'verdict-capture-truncated');
  assert.match(r.verdict.summary, /none of them a UDP datagram/);
  for (const id of ['data:meter', 'data:panadapter', 'data:waterfall', 'data:audio']) assert.equal(r.hops.find((h) => h.id === id)?.status, 'ok', id);
});
