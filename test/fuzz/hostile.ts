/**
 * Hostile capture families (fragment floods, TCP holes, many sessions, many stream IDs) through the
 * whole analysis: a random family, seed and size per input, as a pcap stream.
 *
 * Invariants: a report (never an exception), sound in every format; the tracked state within its
 * bounds; at most MAX_WARNINGS warnings; frames all read.
 */
import { Readable, Writable } from 'node:stream';
import { Analyzer, MAX_WARNINGS } from '../../src/analysis/analyzer.js';
import { analyzeCaptureStream, sniOf } from '../../src/analysis/analyze-file.js';
import { PcapWriter } from '../../src/capture/writer.js';
import { FAMILIES, generateFamily } from './hostile-families.js';
import { type FuzzOptions, type FuzzResult, Recorder, describeError, inputRandom } from './harness.js';
import { int, pick } from './mutate.js';
import { reportProblem, stateProblem } from './report-check.js';

/** Frames written into a pcap in memory: the family's frames until about `bytes`. */
async function familyCapture(family: (typeof FAMILIES)[number], rnd: () => number, bytes: number): Promise<{ pcap: Buffer; frames: number }> {
  const chunks: Buffer[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _e, done) {
      chunks.push(Buffer.from(chunk));
      done();
    },
  });
  const w = new PcapWriter(sink, { nanosecond: true, endStream: true });
  let written = 0;
  let frames = 0;
  generateFamily(family, rnd, (ts, frame) => {
    w.write(BigInt(Math.round(ts * 1e6)) * 1000n, frame);
    frames++;
    written += frame.length + 16;
    return written < bytes;
  });
  await w.close();
  return { pcap: Buffer.concat(chunks), frames };
}

export async function fuzzHostile(opts: FuzzOptions): Promise<FuzzResult> {
  const rec = new Recorder('hostile', opts);
  for (const i of rec.indices()) {
    const rnd = inputRandom(opts.seed, 'hostile', i);
    const family = pick(rnd, [...FAMILIES]);
    const size = 50_000 + int(rnd, 2_000_000);
    const { pcap, frames } = await familyCapture(family, rnd, size);
    const what = `${family}, ${frames} frames, ${pcap.length} bytes`;
    rec.begin(i);
    try {
      const a = new Analyzer({ sniOf });
      const r = await analyzeCaptureStream(Readable.from([pcap]), 'hostile', { analyzer: a });
      const problem =
        (r.source.packets !== frames ? `read ${r.source.packets} of ${frames} frames` : undefined) ??
        (r.warnings.length > MAX_WARNINGS ? `${r.warnings.length} warnings, more than ${MAX_WARNINGS}` : undefined) ??
        stateProblem(a) ??
        reportProblem(r);
      if (problem !== undefined) rec.fail(i, `${problem}\n    input: ${what}`);
      else rec.outcome(`report: ${family}`);
    } catch (e) {
      rec.fail(i, `analysis threw ${describeError(e)}\n    input: ${what}`);
    }
    rec.end(i, () => what);
  }
  return rec.result;
}
