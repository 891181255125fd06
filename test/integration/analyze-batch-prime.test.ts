/**
 * A batch thread primes itself with the head of its first capture (analysis/batch.ts, analyze-file.ts
 * primeAnalysis) before analysing it. Priming must leave no trace: every capture's report counts what
 * tshark counts in the file and what the file holds, and a first capture that is no capture at all is
 * still reported as such (the primer swallows its error, the real run must not). A lone worker (threads: 1)
 * and each of two (threads: 2) prime. A named pipe is not primed: its head can be read once.
 * A batch takes the largest capture first (batch.ts): what must be first in line is made the largest.
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
const NOTE = 'ticket 1234: the customer says the waterfall freezes\n';
// Larger than the captures, so that it is first in line.
writeFileSync(notCapture, NOTE.repeat(Math.ceil((statSync(SOURCE).size + 1) / NOTE.length)));
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
    // A worker takes the first capture in line, the non-capture: it primes with it too.
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
  // Three pipes: enough captures for the thread to prime (batch.ts PRIME_FROM_CAPTURES), and a pipe's size
  // (0) cannot put a regular file before it.
  const fifos = [0, 1, 2].map((n) => join(dir, `live${n}.pcapng`));
  for (const fifo of fifos) assert.equal(spawnSync('mkfifo', [fifo]).status, 0, 'mkfifo');
  // Each writer blocks until the analysis opens its pipe, then gives the whole capture once.
  const writers = fifos.map((fifo) => spawn('sh', ['-c', 'cat "$0" > "$1"', SOURCE, fifo], { stdio: 'ignore' }));
  try {
    const outcomes = await analyzeBatch(fifos.map(spec), { threads: 1 });
    const packets = tsharkFields(SOURCE, ['frame.number']).rows.length;
    for (const o of outcomes) {
      assert.ok(o.ok, o.ok ? '' : o.error);
      assert.equal(o.report.source.packets, packets, o.name);
    }
  } finally {
    for (const w of writers) w.kill();
  }
});
