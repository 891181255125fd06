import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable, Writable } from 'node:stream';
import { test } from 'node:test';
import type { RecordSink } from '../../src/capture/format.js';
import { readCaptureRecords } from '../../src/capture/reader.js';
import { type ChunkSource, pump } from '../../src/capture/source.js';
import { PcapWriter, PcapngWriter } from '../../src/capture/writer.js';
import { prng } from '../helpers/prng.js';

/** Frames of every size class: Ethernet-sized, jumbo, and records far larger than a read. */
function frames(): Buffer[] {
  const rnd = prng(5);
  const sizes = Array.from({ length: 400 }, (_, i) => (i % 97 === 13 ? 9000 : 60 + Math.floor(rnd() * 1455)));
  sizes.splice(50, 0, 70_000);
  sizes.splice(200, 0, 300_001);
  return sizes.map((n) => Buffer.from(Array.from({ length: n }, () => Math.floor(rnd() * 256))));
}
const FRAMES = frames();
/** Nanoseconds since the epoch of frame i: distinct seconds and sub-second parts. */
const tsOf = (i: number): bigint => (1_700_000_000n + BigInt(i)) * 1_000_000_000n + BigInt(i * 1001);

function collect(): { target: Writable; bytes: () => Buffer } {
  const chunks: Buffer[] = [];
  const target = new Writable({
    write(c: Buffer, _e, done) {
      chunks.push(Buffer.from(c));
      done();
    },
  });
  return { target, bytes: () => Buffer.concat(chunks) };
}

/** The capture and the file offset of each packet record (from the format's own layout rules). */
async function capture(format: 'pcapng' | 'pcap'): Promise<{ data: Buffer; offsets: number[]; lengths: number[] }> {
  const out = collect();
  const w = format === 'pcapng' ? new PcapngWriter(out.target, { littleEndian: false }) : new PcapWriter(out.target, { nanosecond: true });
  FRAMES.forEach((f, i) => w.write(tsOf(i), f));
  await w.close();
  const data = out.bytes();
  // pcapng EPB: 28 bytes before the data, data padded to 4, 4-byte trailer. pcap: 16-byte record header.
  const lengths = FRAMES.map((f) => (format === 'pcapng' ? 32 + ((f.length + 3) & ~3) : 16 + f.length));
  let at = data.length - lengths.reduce((a, b) => a + b, 0);
  const offsets = lengths.map((n) => (at += n) - n);
  return { data, offsets, lengths };
}

function memorySource(data: Buffer, readSize: () => number): ChunkSource {
  let at = 0;
  return {
    async read(buf, offset, length) {
      const n = Math.min(length, data.length - at, readSize());
      data.copy(buf, offset, at, at + n);
      at += n;
      return n;
    },
  };
}

interface Rec {
  sec: number;
  nsec: number;
  data: Buffer;
}

function recorder(): { sink: RecordSink; records: Rec[] } {
  const records: Rec[] = [];
  return { records, sink: { record: (_l, sec, nsec, buf, start, caplen) => records.push({ sec, nsec, data: Buffer.from(buf.subarray(start, start + caplen)) }) } };
}

function assertRecords(records: Rec[], count: number, label: string): void {
  assert.equal(records.length, count, label);
  for (let i = 0; i < count; i++) {
    const r = records[i]!;
    assert.ok(r.data.equals(FRAMES[i]!), `${label}: frame ${i} bytes`);
    assert.equal(BigInt(r.sec) * 1_000_000_000n + BigInt(r.nsec), tsOf(i), `${label}: frame ${i} time`);
  }
}

for (const format of ['pcapng', 'pcap'] as const) {
  test(`${format}: every record arrives whole and in order whatever the read sizes and chunk size`, async () => {
    const { data } = await capture(format);
    const rnd = prng(9);
    const readers: Array<[string, () => number]> = [
      ['full reads', () => Infinity],
      ['short reads (a pipe)', () => 1 + Math.floor(rnd() * 9000)],
    ];
    for (const chunkSize of [4096, 65_536, undefined]) {
      for (const [how, size] of readers) {
        const label = `${how}, chunk ${chunkSize ?? 'default'}`;
        const { sink, records } = recorder();
        const warnings: string[] = [];
        const r = await pump(memorySource(data, size), sink, warnings, chunkSize === undefined ? {} : { chunkSize });
        assert.deepEqual(warnings, [], label);
        assert.equal(r.format, format);
        assert.equal(r.bytes, data.length, label);
        assertRecords(records, FRAMES.length, label);
      }
    }
  });
}

test('pcapng cut inside a record, inside a block header and inside the 300 kB record: what came before is read, the cut is named', async () => {
  const { data, offsets, lengths } = await capture('pcapng');
  const big = FRAMES.findIndex((f) => f.length === 300_001);
  // Packet i is block #i+3 (section header and interface description come first).
  const cuts = [
    { at: offsets[5]! + 40, packets: 5, what: `enhanced packet block #8 at offset ${offsets[5]} (40 of ${lengths[5]} bytes present)` },
    { at: offsets[7]! + 6, packets: 7, what: `the header of block #10 at offset ${offsets[7]} (6 of 12 bytes present)` },
    { at: offsets[big]! + 200_000, packets: big, what: `enhanced packet block #${big + 3} at offset ${offsets[big]} (200000 of ${lengths[big]} bytes present)` },
  ];
  for (const chunkSize of [4096, undefined]) {
    for (const c of cuts) {
      const { sink, records } = recorder();
      const warnings: string[] = [];
      const r = await pump(memorySource(data.subarray(0, c.at), () => Infinity), sink, warnings, chunkSize === undefined ? {} : { chunkSize });
      assert.deepEqual(warnings, [`file ends at byte ${c.at} inside ${c.what}; everything before it was read`]);
      assert.equal(r.bytes, c.at);
      assertRecords(records, c.packets, `cut at ${c.at}`);
    }
  }
});

test('pcapng with a corrupt block: reading stops there with the offset named; the file is closed cleanly', async () => {
  const { data, offsets, lengths } = await capture('pcapng');
  const bad = Buffer.from(data);
  const k = 120;
  bad.writeUInt32BE(lengths[k]! + 8, offsets[k]! + lengths[k]! - 4);
  const expected = `corrupt pcapng at offset ${offsets[k]! + lengths[k]! - 4}: enhanced packet block #${k + 3} at offset ${offsets[k]} ends with length ${lengths[k]! + 8}, not ${lengths[k]}; stopped reading there`;
  for (const chunkSize of [4096, undefined]) {
    const { sink, records } = recorder();
    const warnings: string[] = [];
    await pump(memorySource(bad, () => Infinity), sink, warnings, chunkSize === undefined ? {} : { chunkSize });
    assert.deepEqual(warnings, [expected]);
    assertRecords(records, k, `chunk ${chunkSize ?? 'default'}`);
  }
  // Through a real file and a stream: the same records, and the reader returns (no read left behind).
  const file = join(mkdtempSync(join(tmpdir(), 'fp-pump-')), 'bad.pcapng');
  writeFileSync(file, bad);
  for (const input of [file, Readable.from([bad.subarray(0, 100_000), bad.subarray(100_000)])]) {
    const { sink, records } = recorder();
    const r = await readCaptureRecords(input, sink);
    assert.deepEqual(r.warnings, [expected]);
    assertRecords(records, k, typeof input === 'string' ? 'file' : 'stream');
  }
});
