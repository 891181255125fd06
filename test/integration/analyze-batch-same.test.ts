/**
 * A capture analysed in a batch gets the report it gets alone (issue 14: "each full report on request"):
 * whichever thread takes it (this one or a worker), whether that thread primed itself with another
 * capture's head first, whatever captures it analysed before, and after the report crossed to this
 * thread by structured clone. The captures differ in what they exercise — sessions with and without a
 * fault, a real discovery capture, a pktmon capture whose copies are filtered, a gzipped one, one cut
 * short — and the batch holds enough of them for every thread to prime (analysis/batch.ts).
 *
 * The expected report is the single-file analysis of the same capture, in a fresh analyzer, never primed.
 * Whatever order the batch takes the captures in (largest first), the outcomes come in the given order.
 */
import assert from 'node:assert/strict';
import { copyFileSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { gzipSync } from 'node:zlib';
import { analyzeInput } from '../../src/analysis/analyze-file.js';
import { analyzeBatch } from '../../src/analysis/batch.js';
import type { AnalysisReport } from '../../src/analysis/model.js';
import { EventCaptureWriter } from '../../src/capture/event-writer.js';
import type { InputSpec } from '../../src/capture/inputs.js';
import { runCli } from '../helpers/cli.js';
import { fixture, repoRoot } from '../helpers/paths.js';
import { type ScenarioOptions, lanScenario } from '../helpers/scenario.js';

const dir = mkdtempSync(join(tmpdir(), 'flexpath-batch-same-'));
after(() => rmSync(dir, { recursive: true, force: true }));
const captures = join(dir, 'ticket');

async function writeScenario(name: string, o: ScenarioOptions): Promise<void> {
  const w = new EventCaptureWriter(join(captures, name));
  for (const e of lanScenario(o)) w.write(e);
  await w.close();
}

const written = (async () => {
  const { mkdirSync } = await import('node:fs');
  mkdirSync(captures);
  await writeScenario('a-healthy.pcapng', { withAudio: true, seconds: 4 });
  await writeScenario('b-mtu.pcapng', { mtu: 1340, icmpFragNeeded: 2, seconds: 4 });
  await writeScenario('c-udp-blocked.pcapng', { blockUdp: true, seconds: 3 });
  await writeScenario('d-loss.pcapng', { loss: 0.05, withAudio: true, seconds: 4, seed: 3 });
  await writeScenario('e-wrong-port.pcapng', { sendTo: 5002, seconds: 3 });
  copyFileSync(fixture('flex6600m-discovery.pcapng'), join(captures, 'f-discovery.pcapng'));
  copyFileSync(join(repoRoot, 'test', 'fixtures', 'pktmon', 'flex-lan-pktmon.pcapng'), join(captures, 'g-pktmon.pcapng'));
  writeFileSync(join(captures, 'h-healthy.pcapng.gz'), gzipSync(readFileSync(join(captures, 'a-healthy.pcapng'))));
  await writeScenario('i-reorder.pcapng', { reorderEvery: 50, withAudio: true, seconds: 3 });
  // Cut inside a record, and shorter than the captures before it: a thread reuses its read buffer, whose
  // bytes past this file's end are an earlier capture's.
  const whole = readFileSync(join(captures, 'a-healthy.pcapng'));
  writeFileSync(join(captures, 'j-cut.pcapng'), whole.subarray(0, Math.floor(whole.length / 3) + 7));
  return readdirSync(captures)
    .sort()
    .map((f): InputSpec & { path: string } => ({ kind: f.endsWith('.gz') ? 'gzip' : 'file', name: f, path: join(captures, f) }));
})();

/** Each capture analysed alone, in this thread, never primed. */
const alone = (async () => {
  const specs = await written;
  const out = new Map<string, AnalysisReport>();
  for (const s of specs) out.set(s.name, await analyzeInput(s));
  return out;
})();

for (const threads of [1, 2]) {
  test(`threads: ${threads} — every capture's report in the batch is its report alone`, { timeout: 60_000 }, async () => {
    const specs = await written;
    const expected = await alone;
    // The reports must differ between captures, or equality below would prove little.
    assert.equal(new Set([...expected.values()].map((r) => `${r.verdict.status}/${r.verdict.hop ?? ''}/${r.source.packets}`)).size >= 6, true);
    const outcomes = await analyzeBatch(specs, { threads });
    assert.equal(outcomes.length, specs.length);
    for (const [i, o] of outcomes.entries()) {
      const name = specs[i]?.name ?? '';
      assert.ok(o.ok, `${name}: ${o.ok ? '' : o.error}`);
      // Structured clone (a worker's report) and the thread's own object compare alike as JSON, the form every format reads.
      assert.deepEqual(JSON.parse(JSON.stringify(o.report)), JSON.parse(JSON.stringify(expected.get(name))), name);
    }
  });
}

test('threads: 1 — the captures are taken largest first (a .gz by its compressed size); the outcomes keep the given order', { timeout: 60_000 }, async () => {
  const specs = await written;
  const bySize = [...specs].sort((a, b) => statSync(b.path).size - statSync(a.path).size).map((s) => s.name);
  // Sizes differ enough here for the order to say something: no two captures share one.
  assert.equal(new Set(specs.map((s) => statSync(s.path).size)).size, specs.length);
  const finished: string[] = [];
  const outcomes = await analyzeBatch(specs, { threads: 1, onOutcome: (o) => finished.push(o.name) });
  assert.deepEqual(finished, bySize);
  assert.deepEqual(
    outcomes.map((o) => o.name),
    specs.map((s) => s.name),
  );
});

test('the CLI: each report --out-dir writes for a folder is what `analyze FILE --format json` prints for that file', { timeout: 120_000 }, async () => {
  const specs = await written;
  const out = join(dir, 'reports');
  const r = await runCli(['analyze', captures, '--format', 'jsonl', '--out-dir', out, '--report-format', 'json'], { timeoutMs: 90_000 });
  assert.equal(r.code, 0, r.stderr);
  // Report files are named after their captures: sorted, they pair with the captures sorted.
  const files = readdirSync(out).sort();
  assert.equal(files.length, specs.length, files.join(', '));
  for (const s of specs) {
    const one = await runCli(['analyze', s.path, '--format', 'json'], { timeoutMs: 30_000 });
    assert.equal(one.code, 0, one.stderr);
    const single = JSON.parse(one.stdout) as AnalysisReport;
    const file = files[specs.indexOf(s)] ?? '';
    assert.ok(file.includes(s.name), `${s.name}: paired with ${file}`);
    assert.deepEqual(JSON.parse(readFileSync(join(out, file), 'utf8')), single, s.name);
  }
});

test('prepare: applied once to each report as it arrives, the prepared report is what onOutcome sees and what is returned; a failure is left as it is', { timeout: 60_000 }, async () => {
  const specs = [...(await written), { kind: 'file' as const, name: 'missing.pcapng', path: join(dir, 'missing.pcapng') }];
  const prepared = new Set<AnalysisReport>();
  const seen: AnalysisReport[] = [];
  const outcomes = await analyzeBatch(specs, {
    threads: 2,
    prepare: (r) => {
      const copy = { ...r };
      prepared.add(copy);
      return copy;
    },
    onOutcome: (o) => {
      if (o.ok) seen.push(o.report);
    },
  });
  const ok = outcomes.flatMap((o) => (o.ok ? [o.report] : []));
  assert.equal(ok.length, specs.length - 1);
  assert.equal(prepared.size, ok.length);
  for (const r of ok) assert.ok(prepared.has(r), 'a returned report that prepare did not make');
  assert.deepEqual(new Set(seen), prepared);
  const last = outcomes.at(-1);
  assert.ok(last !== undefined && !last.ok && last.error === 'no such file (ENOENT)', JSON.stringify(last));
});
