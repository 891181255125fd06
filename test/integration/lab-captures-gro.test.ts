/**
 * Lab captures: a capture taken on a Linux client whose receive offload merges UDP (UDP GRO: a socket with
 * UDP_GRO, or udp-gro-forwarding). The capture then holds one datagram for several same-size segments of a
 * flow that arrived together, the last possibly shorter, its IP length far above the MTU: here a waterfall
 * line's tiles 2–5 (three of 1436 B and the last of 1316 B, reference §3.2) in one 5624-B payload. Those
 * are whole VITA-49 packets back to back, each with its own size field: read as such, the session is
 * healthy; read as one datagram, four of five tiles were lost. Expected figures come from the construction.
 */
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { analyzeCaptureFile } from '../../src/analysis/analyze-file.js';
import type { AnalysisReport } from '../../src/analysis/model.js';
import type { NetEvent, UdpEvent } from '../../src/capture/types.js';
import { writeEventsCapture } from '../helpers/capture-files.js';
import { lanScenario, sentPerStream } from '../helpers/scenario.js';
import { tsharkFields, tsharkMissing } from '../helpers/tshark.js';

const dir = mkdtempSync(join(tmpdir(), 'fp-lab-gro-'));
const WATERFALL = 0x42000000;
const isTile = (e: NetEvent): e is UdpEvent => e.type === 'udp' && e.payload.readUInt32BE(4) === WATERFALL;

interface Merged {
  file: string;
  events: NetEvent[];
  /** Datagrams written as merges, and the packets in them. */
  datagrams: number;
  packets: number;
  /** Tile sizes as sent. */
  sizes: number[];
}

/**
 * The session's events with each run of same-size waterfall tiles that follow one another (nothing of the
 * flow between) merged into one datagram, a shorter tile ending the run, as GRO merges a flow's segments.
 */
async function merged(): Promise<Merged> {
  const events = lanScenario({ withAudio: true, seconds: 4 });
  const out: NetEvent[] = [];
  let run: UdpEvent[] = [];
  let datagrams = 0;
  let packets = 0;
  const flush = (): void => {
    if (run.length === 0) return;
    const payload = Buffer.concat(run.map((e) => e.payload));
    out.push({ ...run[0]!, payload, ipLength: payload.length + 28 });
    if (run.length > 1) {
      datagrams++;
      packets += run.length;
    }
    run = [];
  };
  for (const e of events) {
    if (!isTile(e)) {
      flush();
      out.push(e);
      continue;
    }
    const size = run[0]?.payload.length;
    if (size !== undefined && e.payload.length > size) flush();
    run.push(e);
    if (size !== undefined && e.payload.length < size) flush();
  }
  flush();
  const file = join(dir, 'gro.pcapng');
  await writeEventsCapture(file, out);
  return { file, events, datagrams, packets, sizes: events.filter(isTile).map((e) => e.payload.length) };
}

let made: Promise<{ m: Merged; r: AnalysisReport }> | undefined;
function analysed(): Promise<{ m: Merged; r: AnalysisReport }> {
  made ??= (async () => {
    const m = await merged();
    return { m, r: await analyzeCaptureFile(m.file) };
  })();
  return made;
}

test('UDP GRO super-packets of waterfall tiles: healthy, every tile read at its own size, a warning naming the offload (was: blocked, 4 of 5 tiles lost)', async () => {
  const { m, r } = await analysed();
  assert.ok(m.datagrams >= 50, `${m.datagrams} merged datagrams`);
  assert.equal(r.verdict.status, 'healthy', `${r.verdict.rule}: ${r.verdict.summary}`);
  const wf = r.streams.find((s) => s.id === '0x42000000')!;
  assert.equal(wf.packets, sentPerStream(m.events).get(WATERFALL));
  assert.equal(wf.lost, 0);
  // The MTU facts read the segments' sizes, not the merged datagram's.
  assert.equal(wf.maxSize, Math.max(...m.sizes));
  assert.equal(wf.minSize, Math.min(...m.sizes));
  assert.ok(
    r.warnings.some((w) => w.startsWith(`${m.datagrams} UDP datagram(s) held several VITA-49 packets back to back (${m.packets} in all)`) && /UDP GRO/.test(w)),
    r.warnings.join('\n'),
  );
});

test('tshark reads only the first VITA-49 packet of each merged datagram: its count plus the rest of each merge is ours', { skip: tsharkMissing }, async () => {
  const { m, r } = await analysed();
  // The client's data port is 4991 (scenario), where tshark is told to read VRT.
  const rows = tsharkFields(m.file, ['vrt.sid', 'udp.length'], ['-d', 'udp.port==4991,vrt', '-Y', 'vrt.sid == 0x42000000']).rows;
  const mergedFrames = rows.filter((x) => Number(x[1]) - 8 > Math.max(...m.sizes));
  assert.equal(mergedFrames.length, m.datagrams);
  assert.ok(rows.every((x) => x[0]!.split(',').length === 1), 'one VRT packet per datagram in tshark');
  const ours = r.streams.find((s) => s.id === '0x42000000')!.packets;
  assert.equal(ours, rows.length + m.packets - m.datagrams);
});
