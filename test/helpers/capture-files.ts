/** Capture files for tests: a scenario's events written by the product's writer, and format rewrites. */
import { readFileSync } from 'node:fs';
import { EventCaptureWriter } from '../../src/capture/event-writer.js';
import { readCaptureRecords } from '../../src/capture/reader.js';
import type { NetEvent } from '../../src/capture/types.js';

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
