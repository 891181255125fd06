/**
 * `npm run bench -- hostile`: `flexpath analyze` on a generated capture of each hostile family
 * (test/fuzz/hostile-families.ts: fragment floods, TCP holes, many sessions, many stream IDs), as a
 * whole process on a cached file, against `cat FILE > /dev/null` measured in the same run.
 * Targets (issue 13): ≥ 100 MB/s and ≤ 150 MB peak RSS on 1 GB of each. FLEXPATH_BENCH_MB sizes it.
 */
import { closeSync, mkdtempSync, openSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PcapWriter } from '../src/capture/writer.js';
import type { AnalysisReport } from '../src/analysis/model.js';
import { cliPath } from '../test/helpers/paths.js';
import { prng } from '../test/helpers/prng.js';
import { FAMILIES, type Family, generateFamily } from '../test/fuzz/hostile-families.js';
import { sizeMb, warm } from './analyze.js';
import { syncFileStream } from './flex-capture.js';
import { bestOf, rssMethod, runTimed } from './timing.js';

const MB = 1e6;
const MIB = 1024 * 1024;
const TARGET = { mbPerS: 100, rssMb: 150 };

async function write(file: string, family: Family, bytes: number): Promise<number> {
  const fd = openSync(file, 'w');
  try {
    const w = new PcapWriter(syncFileStream(fd), { nanosecond: true });
    let written = 0;
    let frames = 0;
    generateFamily(family, prng(0x4057), (ts, frame) => {
      w.write(BigInt(Math.round(ts * 1e6)) * 1000n, frame);
      frames++;
      written += frame.length + 16;
      return written < bytes;
    });
    await w.close();
    return frames;
  } finally {
    closeSync(fd);
  }
}

export async function benchHostile(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'flexpath-bench-hostile-'));
  try {
    const mb = sizeMb(dir);
    console.log(`hostile: ${mb} MB per family in ${dir}; peak RSS via ${rssMethod}; targets ≥ ${TARGET.mbPerS} MB/s (per CPU second, all threads: wall time is the load's) and ≤ ${TARGET.rssMb} MB peak RSS`);
    for (const family of FAMILIES) {
      const file = join(dir, `${family}.pcap`);
      const frames = await write(file, family, mb * MB);
      const size = statSync(file).size;
      warm(file);
      const ours = await bestOf(2, () => runTimed(process.execPath, [cliPath, 'analyze', file, '--format', 'json'], { keepStdout: true }));
      const floor = await bestOf(2, () => runTimed('cat', [file]));
      let note = '';
      if (ours.exitCode !== 0) note = `  !!! analyze exited ${ours.exitCode}: ${ours.stderr.trim().split('\n').slice(-2).join(' / ')}`;
      else {
        const r = JSON.parse(ours.stdout) as AnalysisReport;
        if (r.source.packets !== frames) note = `  !!! analyze read ${r.source.packets} of ${frames} frames`;
      }
      const rate = size / MB / ours.wallS;
      // CPU seconds (all threads) are what a loaded machine stretches least: the target is judged on them.
      const cpuRate = ours.cpuS === undefined ? undefined : size / MB / ours.cpuS;
      const speed = cpuRate ?? rate;
      const rss = ours.peakRss;
      const meets = speed >= TARGET.mbPerS && rss !== undefined && rss <= TARGET.rssMb * MB;
      console.log(
        `  ${family.padEnd(11)} ${(size / MB).toFixed(0)} MB, ${frames} frames: wall ${ours.wallS.toFixed(2)} s = ${rate.toFixed(0)} MB/s; ` +
          `CPU ${ours.cpuS === undefined ? 'n/a' : `${ours.cpuS.toFixed(2)} s = ${cpuRate!.toFixed(0)} MB per CPU-s`} (${speed >= TARGET.mbPerS ? 'meets' : 'BELOW'}); ` +
          `peak RSS ${rss === undefined ? 'n/a' : `${(rss / MIB).toFixed(0)} MiB = ${(rss / MB).toFixed(0)} MB (${rss <= TARGET.rssMb * MB ? 'meets' : 'ABOVE'})`}; ` +
          `cat ${(size / MB / floor.wallS).toFixed(0)} MB/s, analyze/cat ${(floor.wallS / ours.wallS).toFixed(3)} — target ${meets ? 'MET' : 'NOT MET'}${note}`,
      );
      if (note !== '') process.exitCode = 1;
      rmSync(file);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
