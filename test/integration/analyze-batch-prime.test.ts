/**
 * A batch thread primes itself with the head of its first capture (analysis/batch.ts, analyze-file.ts
 * primeAnalysis) before analysing it. Priming must leave no trace: every capture's report counts what
 * tshark counts in the file and what the file holds, and a first capture that is no capture at all is
 * still reported as such (the primer swallows its error, the real run must not). Both the thread itself
 * (threads: 1) and a worker (threads: 2) prime. A named pipe is not primed: its head can be read once.
 */
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { copyFileSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { analyzeBatch } from '../../src/analysis/batch.js';
import type { InputSpec } from '../../src/capture/inputs.js';
import { fixture } from '../helpers/paths.js';
import { tsharkFields, tsharkMissing } from '../helpers/tshark.js';

const dir = mkdtempSync(join(tmpdir(), 'flexpath-prime-'));
after(() => rmSync(dir, { recursive: true, force: true }));

const SOURCE = fixture('flex6600m-discovery.pcapng');
const notCapture = join(dir, 'notes.pcapng');
writeFileSync(notCapture, 'ticket 1234: the customer says the waterfall freezes\n'.repeat(20));
const copies = Array.from({ length: 6 }, (_, i) => {
  const path = join(dir, `c${i}.pcapng`);
  copyFileSync(SOURCE, path);
  return path;
});
const spec = (path: string): InputSpec => ({ kind: 'file', name: path, path });

for (const threads of [1, 2]) {
  test(`threads: ${threads} — a primed batch reports each capture as tshark reads it, and the non-capture first in line as unreadable`, { skip: tsharkMissing ?? false, timeout: 60_000 }, async () => {
    const packets = tsharkFields(SOURCE, ['frame.number']).rows.length;
    const bytes = statSync(SOURCE).size;
    assert.ok(packets > 0);
    // The worker (threads: 2) takes the first capture in line, the non-capture: it primes with it too.
    const outcomes = await analyzeBatch([notCapture, ...copies].map(spec), { threads });
    assert.equal(outcomes.length, 1 + copies.length);
    const [first, ...rest] = outcomes;
    assert.equal(first?.ok, false);
    assert.match(first?.ok === false ? first.error : '', /not a capture/);
    for (const [i, o] of rest.entries()) {
      assert.ok(o.ok, `${copies[i]}: ${o.ok ? '' : o.error}`);
      assert.equal(o.report.source.packets, packets, `${copies[i]}: packets`);
      assert.equal(o.report.source.bytes, bytes, `${copies[i]}: bytes`);
      assert.equal(o.report.warnings.length, 0, `${copies[i]}: ${o.report.warnings.join('; ')}`);
    }
  });
}

test('a named pipe first in line is not primed: the analysis reads all of it', { skip: tsharkMissing ?? false, timeout: 60_000 }, async () => {
  const fifo = join(dir, 'live.pcapng');
  assert.equal(spawnSync('mkfifo', [fifo]).status, 0, 'mkfifo');
  // The writer blocks until the analysis opens the pipe, then gives the whole capture once.
  const writer = spawn('sh', ['-c', 'cat "$0" > "$1"', SOURCE, fifo], { stdio: 'ignore' });
  try {
    const outcomes = await analyzeBatch([fifo, ...copies.slice(0, 2)].map(spec), { threads: 1 });
    const packets = tsharkFields(SOURCE, ['frame.number']).rows.length;
    for (const o of outcomes) {
      assert.ok(o.ok, o.ok ? '' : o.error);
      assert.equal(o.report.source.packets, packets, o.name);
    }
  } finally {
    writer.kill();
  }
});
