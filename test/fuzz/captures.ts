/**
 * Mutated and truncated pcap/pcapng files through the analysis (analyzeCaptureFile from a temporary
 * file, or analyzeCaptureStream fed in random chunk sizes, which moves every record across chunk
 * boundaries).
 *
 * Mutations know the file's block structure: blocks are duplicated, dropped, swapped, spliced in from
 * another seed (another format too) or separated by garbage; length fields get edge and huge values;
 * bytes change mostly in block headers; the file is cut anywhere.
 *
 * Invariants: the outcome is a report (warnings allowed) or a DecodeError naming an offset inside the
 * file; the report renders; a "file ends at byte N" warning names the real file length.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { analyzeCaptureFile, analyzeCaptureStream } from '../../src/analysis/analyze-file.js';
import type { AnalysisReport } from '../../src/analysis/model.js';
import { DecodeError } from '../../src/common/decode-error.js';
import { type CaptureBlock, captureLayout } from '../helpers/capture-layout.js';
import { type SeedCapture, buildSeedCaptures } from './capture-seeds.js';
import { type FuzzOptions, type FuzzResult, Recorder, describeError, inputRandom } from './harness.js';
import { EDGE_U32, type Rnd, flipBytes, int, pick, randomBytes } from './mutate.js';
import { reportProblem } from './report-check.js';

interface Piece {
  bytes: Buffer;
  block: CaptureBlock;
}

function pieces(seed: SeedCapture): Piece[] {
  return captureLayout(seed.bytes).blocks.map((block) => ({ block, bytes: Buffer.from(seed.bytes.subarray(block.offset, block.offset + block.length)) }));
}

/** Offsets of the length fields in a block: where a wrong number does the most damage. */
function lengthFields(b: CaptureBlock, size: number): number[] {
  if (b.kind === 'file-header') return [16];
  if (b.kind === 'record') return [8, 12];
  const fields = [4, size - 4];
  if (b.kind === 6) fields.push(20, 24);
  if (b.kind === 3) fields.push(8);
  return fields;
}

/** Where the captured frame starts inside a packet block (Ethernet header), else undefined. */
function frameStart(b: CaptureBlock): number | undefined {
  if (b.kind === 'record') return 16;
  if (b.kind === 6 || b.kind === 2) return 28;
  if (b.kind === 3) return 12;
  return undefined;
}

function writeU32(p: Piece, at: number, v: number): void {
  if (at < 0 || at + 4 > p.bytes.length) return;
  if (p.block.littleEndian) p.bytes.writeUInt32LE(v >>> 0, at);
  else p.bytes.writeUInt32BE(v >>> 0, at);
}

/** One fuzz file: 1–3 structural or field mutations of a seed, then (a fifth of the time) a cut. */
function mutateCapture(rnd: Rnd, seeds: SeedCapture[]): { bytes: Buffer; what: string } {
  const seed = pick(rnd, seeds);
  let ps = pieces(seed);
  const what: string[] = [seed.name];
  for (let n = 1 + int(rnd, 3); n > 0 && ps.length > 0; n--) {
    const i = int(rnd, ps.length);
    const p = ps[i] as Piece;
    const r = rnd();
    const frame = frameStart(p.block);
    if (r < 0.22) {
      const head = Math.min(p.bytes.length, 32);
      // Block headers and the trailing length copy first; the rest of the block less often.
      flipBytes(p.bytes, rnd, 1 + int(rnd, 6), () => (rnd() < 0.7 ? int(rnd, head) : rnd() < 0.5 ? Math.max(0, p.bytes.length - 4 + int(rnd, 4)) : int(rnd, p.bytes.length)));
      what.push(`flip in block ${i}`);
    } else if (r < 0.37 && frame !== undefined && frame < p.bytes.length) {
      // Inside the frame: Ethernet, IP, UDP/TCP/ICMP headers and the VITA-49 header are the first ~80 bytes.
      const room = Math.min(p.bytes.length - frame, 80);
      flipBytes(p.bytes, rnd, 1 + int(rnd, 4), () => frame + int(rnd, room));
      what.push(`flip in the frame of block ${i}`);
    } else if (r < 0.42 && frame !== undefined && p.block.kind !== 3) {
      // A shorter snapshot of the frame, as a small snaplen leaves it: the block stays well-formed.
      const caplen = int(rnd, Math.max(1, p.bytes.length - frame - (p.block.kind === 'record' ? 0 : 4)));
      if (p.block.kind === 'record') {
        p.bytes = p.bytes.subarray(0, frame + caplen);
        writeU32(p, 8, caplen);
      } else {
        writeU32(p, 20, caplen);
      }
      what.push(`snap block ${i} to ${caplen}`);
    } else if (r < 0.55) {
      const at = pick(rnd, lengthFields(p.block, p.bytes.length));
      const v = rnd() < 0.7 ? pick(rnd, EDGE_U32) : p.bytes.length + (int(rnd, 9) - 4) * 4;
      writeU32(p, at, v);
      what.push(`length @${at} of block ${i} = ${v >>> 0}`);
    } else if (r < 0.6) {
      ps.splice(int(rnd, ps.length + 1), 0, { block: p.block, bytes: Buffer.from(p.bytes) });
      what.push(`duplicate block ${i}`);
    } else if (r < 0.7) {
      ps.splice(i, 1);
      what.push(`drop block ${i}`);
    } else if (r < 0.78) {
      const j = int(rnd, ps.length);
      [ps[i], ps[j]] = [ps[j] as Piece, p];
      what.push(`swap blocks ${i} and ${j}`);
    } else if (r < 0.9) {
      const other = pick(rnd, seeds);
      const from = pieces(other);
      ps = [...ps.slice(0, i), ...from.slice(int(rnd, from.length))];
      what.push(`splice ${other.name} after block ${i}`);
    } else {
      const g = randomBytes(rnd, 1 + int(rnd, 64));
      ps.splice(i, 0, { block: p.block, bytes: g });
      what.push(`${g.length} garbage bytes before block ${i}`);
    }
  }
  let bytes = Buffer.concat(ps.map((p) => p.bytes));
  if (rnd() < 0.2) {
    bytes = bytes.subarray(0, int(rnd, bytes.length + 1));
    what.push(`cut at ${bytes.length}`);
  }
  return { bytes, what: what.join(', ') };
}

/** Chunks of random size (1 B – 64 KiB), or the whole file as one. */
function chunks(rnd: Rnd, bytes: Buffer): Buffer[] {
  if (rnd() < 0.3) return [bytes];
  const max = rnd() < 0.2 ? 16 : 65_536;
  const out: Buffer[] = [];
  for (let o = 0; o < bytes.length; ) {
    const n = 1 + int(rnd, max);
    out.push(bytes.subarray(o, o + n));
    o += n;
  }
  return out;
}

/** Returns the outcome name, or throws a string naming the broken invariant. */
function judgeOutcome(bytes: Buffer, outcome: { report: AnalysisReport } | { error: unknown }): string {
  if ('error' in outcome) {
    const e = outcome.error;
    if (!(e instanceof DecodeError)) throw `analysis threw ${describeError(e)}`;
    if (!(e.offset >= 0 && e.offset <= bytes.length)) throw `DecodeError offset ${e.offset} is outside the ${bytes.length}-byte file`;
    return `DecodeError: ${e.field}`;
  }
  const r = outcome.report;
  const problem = reportProblem(r);
  if (problem !== undefined) throw problem;
  if (r.source.bytes > bytes.length) throw `report says ${r.source.bytes} bytes were read from a ${bytes.length}-byte file`;
  const cut = r.warnings.map((w) => /file ends at byte (\d+)/.exec(w)?.[1]).find((x) => x !== undefined);
  if (cut !== undefined && Number(cut) !== bytes.length) throw `warning says the file ends at byte ${cut}; it is ${bytes.length} bytes long`;
  const kinds = [cut !== undefined ? 'cut' : '', r.warnings.some((w) => /corrupt/.test(w)) ? 'corrupt' : ''].filter((k) => k !== '');
  return r.warnings.length === 0 ? 'report' : `report with warnings${kinds.length > 0 ? ` (${kinds.join(', ')})` : ''}`;
}

let seedsPromise: Promise<SeedCapture[]> | undefined;

export async function fuzzCaptures(opts: FuzzOptions): Promise<FuzzResult> {
  seedsPromise ??= buildSeedCaptures();
  const seeds = await seedsPromise;
  const rec = new Recorder('captures', opts);
  const dir = mkdtempSync(join(tmpdir(), 'flexpath-fuzz-'));
  try {
    for (const i of rec.indices()) {
      const rnd = inputRandom(opts.seed, 'captures', i);
      const { bytes, what } = mutateCapture(rnd, seeds);
      const viaFile = rnd() < 0.5;
      const file = join(dir, `input-${i}.cap`);
      if (viaFile) writeFileSync(file, bytes);
      const parts = viaFile ? [] : chunks(rnd, bytes);
      const how = viaFile ? 'file' : `stream of ${parts.length} chunk(s)`;
      rec.begin(i);
      let outcome: { report: AnalysisReport } | { error: unknown };
      try {
        outcome = { report: viaFile ? await analyzeCaptureFile(file) : await analyzeCaptureStream(Readable.from(parts), 'fuzz') };
      } catch (error) {
        outcome = { error };
      }
      try {
        rec.outcome(judgeOutcome(bytes, outcome));
      } catch (e) {
        rec.fail(i, `${typeof e === 'string' ? e : describeError(e)}\n    file: ${what} (${bytes.length} bytes, ${how})`);
      }
      rec.end(i, () => `${what} (${bytes.length} bytes, ${how})`);
      if (viaFile) rmSync(file, { force: true });
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  return rec.result;
}
