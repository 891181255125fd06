/**
 * Fault survival: a capture cut short — the usual state of a file a support agent gets when tcpdump was
 * killed or an upload stopped — still gives a report. Every capture is cut at every block/record
 * boundary and three places inside every block (in its header, halfway, one byte short); each cut is
 * analyzed and checked against the block layout walked from the length fields (test/helpers/capture-
 * layout.ts), which tshark confirms on the whole files and on sample cuts.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { analyzeCaptureFile } from '../../src/analysis/analyze-file.js';
import type { AnalysisReport } from '../../src/analysis/model.js';
import { PcapWriter } from '../../src/capture/writer.js';
import { DecodeError } from '../../src/common/decode-error.js';
import { rewriteCapture, writeEventsCapture } from '../helpers/capture-files.js';
import { type CaptureBlock, type CaptureLayout, captureLayout } from '../helpers/capture-layout.js';
import { runCli } from '../helpers/cli.js';
import { fixture } from '../helpers/paths.js';
import { prng } from '../helpers/prng.js';
import { lanScenario } from '../helpers/scenario.js';
import { tsharkFields, tsharkMissing } from '../helpers/tshark.js';

const dir = mkdtempSync(join(tmpdir(), 'fp-truncate-'));

interface Subject {
  name: string;
  file: string;
  bytes: Buffer;
}

let subjects: Promise<Subject[]> | undefined;

/** The real discovery capture; a LAN session (TCP control + VITA-49) as pcapng; the same as classic pcap. */
function getSubjects(): Promise<Subject[]> {
  subjects ??= (async () => {
    const ng = join(dir, 'session.pcapng');
    const events = lanScenario({ withAudio: true, seconds: 1 });
    assert.ok(events.some((e) => e.type === 'tcp-data') && events.some((e) => e.type === 'udp'), 'the session has control and data');
    const ngBytes = await writeEventsCapture(ng, events);
    const pcap = join(dir, 'session.pcap');
    const pcapBytes = await rewriteCapture(ng, pcap, new PcapWriter(pcap));
    const real = fixture('flex6600m-discovery.pcapng');
    return [
      { name: 'flex6600m-discovery.pcapng', file: real, bytes: readFileSync(real) },
      { name: 'session.pcapng', file: ng, bytes: ngBytes },
      { name: 'session.pcap', file: pcap, bytes: pcapBytes },
    ];
  })();
  return subjects;
}

function capturedLength(b: CaptureBlock, bytes: Buffer): number {
  const at = b.kind === 'record' ? b.offset + 8 : b.offset + 20;
  return b.littleEndian ? bytes.readUInt32LE(at) : bytes.readUInt32BE(at);
}

function packetsBefore(layout: CaptureLayout, cut: number): number {
  return layout.blocks.filter((b) => b.packet && b.offset + b.length <= cut).length;
}

/** Cut points: every block end, and 1 byte in, halfway and 1 byte short of the end of every block. */
function cuts(layout: CaptureLayout): Array<{ at: number; inside?: { block: CaptureBlock; index: number } }> {
  const out = new Map<number, { at: number; inside?: { block: CaptureBlock; index: number } }>();
  layout.blocks.forEach((block, index) => {
    out.set(block.offset + block.length, { at: block.offset + block.length });
    for (const at of [block.offset + 1, block.offset + Math.floor(block.length / 2), block.offset + block.length - 1]) out.set(at, { at, inside: { block, index } });
  });
  return [...out.values()].sort((a, b) => a.at - b.at);
}

async function analyzeCut(s: Subject, at: number): Promise<AnalysisReport> {
  const file = join(dir, `cut-${s.name}`);
  writeFileSync(file, s.bytes.subarray(0, at));
  return analyzeCaptureFile(file);
}

test('the block walker agrees with tshark on the whole files: same packets, same captured lengths', { skip: tsharkMissing }, async () => {
  for (const s of await getSubjects()) {
    const layout = captureLayout(s.bytes);
    assert.equal(layout.end, s.bytes.length, `${s.name}: the walk reaches the end`);
    const ours = layout.blocks.filter((b) => b.packet).map((b) => String(capturedLength(b, s.bytes)));
    const theirs = tsharkFields(s.file, ['frame.cap_len']).rows.map((r) => r[0]);
    assert.deepEqual(ours, theirs, s.name);
  }
});

for (const name of ['flex6600m-discovery.pcapng', 'session.pcapng', 'session.pcap']) {
  test(`${name} cut at every block boundary and inside every block: a report with the packets before the cut, and a warning naming the byte where the file ends`, async () => {
    const s = (await getSubjects()).find((x) => x.name === name) as Subject;
    const layout = captureLayout(s.bytes);
    const points = cuts(layout);
    assert.ok(points.length > 4 * (layout.blocks.length - 1), `${points.length} cuts over ${layout.blocks.length} blocks`);
    for (const { at, inside } of points) {
      const where = `${name} cut at ${at}`;
      if (at < 4) {
        // Not even a magic number: a file that is not a capture, whatever it was meant to be.
        await assert.rejects(analyzeCut(s, at), (e: unknown) => e instanceof DecodeError && e.offset === 0 && e.field === 'magic', where);
        continue;
      }
      const r = await analyzeCut(s, at);
      assert.equal(r.source.packets, packetsBefore(layout, at), where);
      assert.equal(r.source.bytes, at, where);
      const ends = r.warnings.filter((w) => w.startsWith('file ends at byte'));
      if (inside === undefined) {
        // A cut on a boundary leaves a well-formed shorter file: nothing in it says bytes are missing.
        assert.deepEqual(ends, [], where);
        continue;
      }
      assert.equal(ends.length, 1, `${where}: ${r.warnings.join(' / ')}`);
      const w = ends[0] ?? '';
      assert.ok(w.startsWith(`file ends at byte ${at} inside `), `${where}: ${w}`);
      const { block, index } = inside;
      const have = at - block.offset;
      if (block.kind === 'file-header') {
        assert.ok(w.includes(`the pcap file header (${have} of 24 bytes present)`), `${where}: ${w}`);
        continue;
      }
      // pcap numbers records after the file header from 1; pcapng numbers every block from 1.
      const number = layout.format === 'pcap' ? index : index + 1;
      const headerSize = layout.format === 'pcap' ? 16 : 12;
      assert.ok(w.includes(`#${number} at offset ${block.offset} (${have} of ${have < headerSize ? headerSize : block.length} bytes present)`), `${where}: ${w}`);
    }
  });
}

test('tshark counts the same packets as the walker in files cut inside a block', { skip: tsharkMissing }, async () => {
  for (const s of await getSubjects()) {
    const layout = captureLayout(s.bytes);
    for (const frac of [0.37, 0.81]) {
      const at = Math.floor(s.bytes.length * frac);
      const file = join(dir, `tshark-${frac}-${s.name}`);
      writeFileSync(file, s.bytes.subarray(0, at));
      const { rows, stderr } = tsharkFields(file, ['frame.number']);
      assert.match(stderr, /cut short in the middle of a packet/, `${s.name} at ${at}`);
      assert.equal(rows.length, packetsBefore(layout, at), `${s.name} at ${at}`);
      assert.equal((await analyzeCaptureFile(file)).source.packets, rows.length, `${s.name} at ${at}`);
    }
  }
});

test('CLI: a truncated capture exits 0 with the report and a warning; garbage exits 1 naming offset and field', async () => {
  const s = (await getSubjects()).find((x) => x.name === 'session.pcapng') as Subject;
  const layout = captureLayout(s.bytes);
  const block = layout.blocks[Math.floor(layout.blocks.length / 2)] as CaptureBlock;
  const at = block.offset + 20;
  const cut = join(dir, 'cli-cut.pcapng');
  writeFileSync(cut, s.bytes.subarray(0, at));
  const ok = await runCli(['analyze', cut, '--no-redact']);
  assert.equal(ok.code, 0, ok.stderr);
  assert.match(ok.stdout, /^VERDICT: /);
  assert.match(ok.stdout, new RegExp(`\\n {2}! file ends at byte ${at} inside .* at offset ${block.offset} \\(20 of ${block.length} bytes present\\); everything before it was read\\n`));

  const rnd = prng(99);
  const garbage = join(dir, 'garbage.pcap');
  writeFileSync(garbage, Buffer.from(Array.from({ length: 4096 }, () => Math.floor(rnd() * 256))));
  const bad = await runCli(['analyze', garbage]);
  assert.equal(bad.code, 1);
  assert.equal(bad.stdout, '');
  assert.match(bad.stderr, /^flexpath analyze: .*garbage\.pcap: offset 0: magic: not a capture: the first 4 bytes are neither a pcap magic .* nor a pcapng section header \(0x0a0d0d0a\)\n$/);
  // Not one byte of a file that is no capture is echoed (in web mode that text reached the page).
  const head = readFileSync(garbage).subarray(0, 4).toString('hex');
  assert.ok(!bad.stderr.includes(head), 'the first bytes are not in the error');

  // A pcapng section header whose byte-order magic is garbage: the field and its offset are named.
  const badOrder = join(dir, 'bad-order.pcapng');
  writeFileSync(badOrder, Buffer.concat([s.bytes.subarray(0, 8), Buffer.from('deadbeef', 'hex'), s.bytes.subarray(12, 200)]));
  const bo = await runCli(['analyze', badOrder]);
  assert.equal(bo.code, 1);
  assert.match(bo.stderr, /: offset 8: byte-order magic: 0xdeadbeef is not 0x1a2b3c4d in either byte order\n$/);
});
