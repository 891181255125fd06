/**
 * The report as a user gets it from `flexpath analyze` (capture file → worker → redaction → format), in
 * each of its four formats, never contradicts itself or the batch's triage row of the same capture: the
 * in-process invariants of consistency-reports.test.ts, through the CLI, for captures whose verdicts the
 * construction dictates (healthy; 5 % loss; an MTU of 1300 that no waterfall datagram crosses; no UDP).
 */
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import type { AnalysisReport } from '../../src/analysis/model.js';
import type { TriageRow } from '../../src/report/triage.js';
import { writeEventsCapture } from '../helpers/capture-files.js';
import { runCli } from '../helpers/cli.js';
import { type Formats, figuresSane, headlineLossAgrees, hopsAgree, streamsAgree, triageAgrees, verdictAgrees } from '../helpers/report-invariants.js';
import { type ScenarioOptions, lanScenario } from '../helpers/scenario.js';

const dir = mkdtempSync(join(tmpdir(), 'flexpath-consist-'));
after(() => rmSync(dir, { recursive: true, force: true }));

/** Documentation addresses (RFC 5737): public, so the default redaction must hide them. */
const client = { ip: '203.0.113.40', port: 53344 };
const radio = { ip: '198.51.100.7', port: 4992 };

const CAPTURES: Record<string, { o: ScenarioOptions; status: AnalysisReport['verdict']['status']; hop?: string; cause?: string }> = {
  healthy: { o: { withAudio: true }, status: 'healthy' },
  loss: { o: { withAudio: true, loss: 0.05, seed: 3 }, status: 'degraded' },
  // Every waterfall datagram (IP 1344–1464 B) is above 1300; FFT, meters and audio pass.
  mtu: { o: { mtu: 1300 }, status: 'blocked', hop: 'data:waterfall', cause: 'mtu' },
  noudp: { o: { blockUdp: true }, status: 'blocked' },
};

async function batch(args: string[]): Promise<string> {
  const r = await runCli(['analyze', ...Object.keys(CAPTURES).map((n) => join(dir, `${n}.pcapng`)), ...args], { timeoutMs: 120_000 });
  assert.equal(r.code, 0, r.stderr);
  return r.stdout;
}

/** The reports `--out-dir` wrote in `fmt`, by capture name. */
function reportsIn(out: string): Record<string, string> {
  const files = readdirSync(out);
  return Object.fromEntries(
    Object.keys(CAPTURES).map((n) => {
      const f = files.find((x) => x.includes(`${n}.pcapng`));
      assert.ok(f, `no report for ${n} in ${files.join(', ')}`);
      return [n, readFileSync(join(out, f), 'utf8')];
    }),
  );
}

test('flexpath analyze: text, md, html and json of each capture agree with each other, with the triage row, and with the construction; redacted by default', { timeout: 300_000 }, async () => {
  for (const [n, c] of Object.entries(CAPTURES)) await writeEventsCapture(join(dir, `${n}.pcapng`), lanScenario({ client, radio, ...c.o }));
  const per: Record<string, Partial<Formats>> = {};
  let triage: TriageRow[] = [];
  for (const fmt of ['json', 'text', 'md', 'html'] as const) {
    const out = join(dir, `out-${fmt}`);
    const table = await batch(['--out-dir', out, '--report-format', fmt, '--format', 'jsonl']);
    if (fmt === 'json') triage = table.trim().split('\n').map((l) => JSON.parse(l) as TriageRow);
    for (const [n, s] of Object.entries(reportsIn(out))) (per[n] ??= {})[fmt] = s;
  }
  const raw = reportsIn(await batch(['--out-dir', join(dir, 'out-raw'), '--report-format', 'json', '--no-redact']).then(() => join(dir, 'out-raw')));
  const problems: string[] = [];
  for (const [n, c] of Object.entries(CAPTURES)) {
    const f = per[n] as Formats;
    const r = JSON.parse(f.json) as AnalysisReport;
    const say = (ps: string[]): void => void problems.push(...ps.map((p) => `${n}: ${p}`));
    say(verdictAgrees(r, f));
    say(hopsAgree(r, f));
    say(figuresSane(f));
    say(streamsAgree(r, f));
    say(headlineLossAgrees(r));
    say(triageAgrees(r, f));
    // The batch's own triage row (worker path) for this capture says the same.
    const row = triage.find((t) => t.file.includes(`${n}.pcapng`));
    if (row?.verdict !== r.verdict.status || row.hop !== (r.verdict.hop ?? '') || row.cause !== (r.verdict.cause === 'healthy' ? '' : (r.verdict.cause ?? ''))) problems.push(`${n}: triage row ${JSON.stringify(row)} ≠ verdict ${JSON.stringify(r.verdict)}`);
    // From the construction.
    if (r.verdict.status !== c.status) problems.push(`${n}: verdict ${r.verdict.status}, constructed ${c.status}`);
    if (c.hop && r.verdict.hop !== c.hop) problems.push(`${n}: hop ${r.verdict.hop}, constructed ${c.hop}`);
    if (c.cause && r.verdict.cause !== c.cause) problems.push(`${n}: cause ${r.verdict.cause}, constructed ${c.cause}`);
    // Redaction: the default hides the public addresses everywhere; --no-redact shows them.
    for (const [fmt, s] of Object.entries(f)) for (const ip of [client.ip, radio.ip]) if (s.includes(ip)) problems.push(`${n}: ${fmt} shows ${ip} though redacted`);
    for (const ip of [client.ip, radio.ip]) if (!raw[n]!.includes(ip)) problems.push(`${n}: --no-redact json lacks ${ip}`);
  }
  assert.deepEqual(problems, []);
  assert.equal(triage.length, Object.keys(CAPTURES).length);
});
