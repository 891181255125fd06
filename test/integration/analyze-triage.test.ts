/**
 * The triage table on a folder of simulator fault captures: each capture recorded by the simulator's
 * own recorder with one fault, analysed together (worker threads), and each row's verdict checked
 * against the fault that made it. The mapping below is written from the faults' meaning (DESIGN.md §2,
 * reference §3.9 sizes), not from FlexPath's output.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import type { AnalysisReport } from '../../src/analysis/model.js';
import type { TriageRow } from '../../src/report/triage.js';
import { runCli } from '../helpers/cli.js';
import { recordedSession } from '../helpers/sim.js';

const dir = mkdtempSync(join(tmpdir(), 'flexpath-triage-'));
const captures = join(dir, 'ticket');

/** fault → what a support agent must read in the row. */
const CASES: Array<{ file: string; faults: Parameters<typeof recordedSession>[1]; ms?: number; verdict: string; hop: string; cause: string }> = [
  { file: 'a-healthy.pcapng', faults: {}, verdict: 'healthy', hop: '', cause: '' },
  // 1024-pixel FFT frames travel in ~1.4 kB packets with DF set: over a 1400-B path they vanish first.
  { file: 'b-mtu.pcapng', faults: { mtu: 1400 }, verdict: 'blocked', hop: 'data:panadapter', cause: 'mtu' },
  // Only the audio class is dropped by the network: the audio hop is blocked, inbound UDP of that class.
  { file: 'c-drop-audio.pcapng', faults: { drop: ['audio'] }, verdict: 'blocked', hop: 'data:audio', cause: 'udp-blocked-inbound' },
  // The radio stops answering pings at once: the control channel degrades with a ping timeout.
  { file: 'd-no-ping.pcapng', faults: { noPingReplyAfterS: 0 }, ms: 5000, verdict: 'degraded', hop: 'control', cause: 'ping-timeout' },
];

const recorded = (async () => {
  const { mkdirSync } = await import('node:fs');
  mkdirSync(captures, { recursive: true });
  // One after the other: simulators recording side by side would add their own timing jitter to the captures.
  for (const c of CASES) await recordedSession(join(captures, c.file), c.faults, c.ms ? { ms: c.ms } : {});
})();

test('a folder of simulator fault captures → one triage row per capture, each naming its fault; exit 0', { timeout: 120_000 }, async () => {
  await recorded;
  const out = join(dir, 'reports');
  const r = await runCli(['analyze', captures, '--format', 'jsonl', '--out-dir', out, '--report-format', 'json'], { timeoutMs: 90_000 });
  assert.equal(r.code, 0, r.stderr);
  const rows = r.stdout.trim().split('\n').map((l) => JSON.parse(l) as TriageRow);
  assert.deepEqual(
    rows.map((x) => [x.file, x.verdict, x.hop, x.cause, x.mode]),
    CASES.map((c) => [join(captures, c.file), c.verdict, c.hop, c.cause, 'LAN']),
  );
  for (const row of rows) assert.ok(row.figure.length > 0 && row.radio !== '—', JSON.stringify(row));
  // --out-dir: each full report, and it agrees with its row.
  const files = readdirSync(out).sort();
  assert.equal(files.length, CASES.length, files.join(', '));
  for (const [i, f] of files.entries()) {
    const rep = JSON.parse(readFileSync(join(out, f), 'utf8')) as AnalysisReport;
    assert.equal(rep.verdict.status, CASES[i]?.verdict, f);
  }
});

test('the same folder as text and Markdown: a header and one line per capture', { timeout: 120_000 }, async () => {
  await recorded;
  const text = await runCli(['analyze', captures], { timeoutMs: 90_000 });
  assert.equal(text.code, 0, text.stderr);
  const lines = text.stdout.trimEnd().split('\n');
  assert.equal(lines.length, CASES.length + 1);
  assert.match(lines[0] ?? '', /^file\s+radio\s+mode\s+verdict\s+hop\s+cause\s+key figure$/);
  const md = await runCli(['analyze', captures, '--format', 'md'], { timeoutMs: 90_000 });
  const mdLines = md.stdout.trimEnd().split('\n');
  assert.equal(mdLines.length, CASES.length + 2);
  assert.ok(mdLines.slice(2).every((l) => l.startsWith('| ') && l.split(' | ').length === 7), md.stdout);
});
