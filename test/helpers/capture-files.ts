/** Capture files for tests: a scenario's events written by the product's writer, format rewrites, and their analysis. */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import type { AnalysisReport } from '../../src/analysis/model.js';
import { EventCaptureWriter } from '../../src/capture/event-writer.js';
import { readCaptureRecords } from '../../src/capture/reader.js';
import type { NetEvent } from '../../src/capture/types.js';
import { PcapWriter, PcapngWriter } from '../../src/capture/writer.js';
import { runCli } from './cli.js';

/** Writes the events as pcapng (EventCaptureWriter) and returns the file's bytes. */
export async function writeEventsCapture(file: string, events: NetEvent[]): Promise<Buffer> {
  const w = new EventCaptureWriter(file);
  for (const e of events) w.write(e);
  await w.close();
  return readFileSync(file);
}

/** Anything that writes frames with nanosecond timestamps: PcapWriter, PcapngWriter. */
export interface FrameWriter {
  write(ts: bigint, frame: Buffer): unknown;
  close(): Promise<void>;
}

/** Copies every frame of the capture `from` through `writer` (which writes `to`); returns the new bytes. */
export async function rewriteCapture(from: string, to: string, writer: FrameWriter): Promise<Buffer> {
  await readCaptureRecords(from, {
    record: (_link, sec, nsec, buf, start, caplen) => writer.write(BigInt(sec) * 1_000_000_000n + BigInt(nsec), buf.subarray(start, start + caplen)),
  });
  await writer.close();
  return readFileSync(to);
}

/** Each frame of the capture `from` replaced in `to` (pcapng, Ethernet) by the frames `copies` makes of it, `gapNs` apart. */
export async function rewriteFrames(from: string, to: string, copies: (frame: Buffer) => Buffer[], gapNs = 20_000n): Promise<void> {
  const w = new PcapngWriter(to);
  await readCaptureRecords(from, {
    record: (_link, sec, nsec, buf, start, caplen) => {
      const ts = BigInt(sec) * 1_000_000_000n + BigInt(nsec);
      copies(Buffer.from(buf.subarray(start, start + caplen))).forEach((f, i) => w.write(ts + BigInt(i) * gapNs, f));
    },
  });
  await w.close();
}

/**
 * The capture `from` rewritten to `to` as `tcpdump -s snaplen` writes it (classic pcap, each frame's first
 * `snaplen` bytes with its original length); returns how many frames were cut, of how many.
 */
export async function snapCapture(from: string, to: string, snaplen: number): Promise<{ cut: number; frames: number }> {
  const w = new PcapWriter(to, { snaplen });
  let cut = 0;
  let frames = 0;
  await readCaptureRecords(from, {
    record: (_link, sec, nsec, buf, start, caplen) => {
      frames++;
      const frame = buf.subarray(start, start + caplen);
      if (frame.length > snaplen) cut++;
      w.write(BigInt(sec) * 1_000_000_000n + BigInt(nsec), Buffer.from(frame.subarray(0, snaplen)), { originalLength: frame.length });
    },
  });
  await w.close();
  return { cut, frames };
}

/** `flexpath analyze FILE --format json --no-redact`, as a user runs it: it exits 0, and its report. */
export async function analyzeFile(file: string): Promise<AnalysisReport> {
  const r = await runCli(['analyze', file, '--format', 'json', '--no-redact']);
  assert.equal(r.code, 0, r.stderr);
  return JSON.parse(r.stdout) as AnalysisReport;
}

/** The events written to `file` as a capture (writeEventsCapture), then analysed (analyzeFile). */
export async function analyzeEvents(file: string, events: NetEvent[]): Promise<AnalysisReport> {
  await writeEventsCapture(file, events);
  return analyzeFile(file);
}
