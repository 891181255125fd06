/**
 * FlexPath against real kernel faults (DESIGN.md §6 netlab): for each scenario a network of namespaces
 * is built, the simulated radio runs in the radio's namespace, `flexpath diagnose --write` in the
 * client's, and then
 *   1. the live verdict must name the expected hop and cause (scenarios.ts says why each is right);
 *   2. `flexpath analyze` of the diagnosis's own recording must give the same hop and cause;
 *   3. where the scenario asks, a tcpdump capture on the client and `listen --capture --write` (live and
 *      its recording) must give theirs, and its `reports` hook checks facts beyond the verdicts.
 * NETLAB_ONLY=a,b runs just those scenarios; NETLAB_KEEP=1 keeps a failed one's namespaces and files.
 * Needs root and ip/nft/tc; skipped with the reason otherwise. Prints a table at the end.
 */
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { labUnavailable, onlyScenarios, removeStaleNamespaces } from './lab.js';
import { type Outcome, type Scenario, expectedText, meets, runScenario, tcpdumpMissing, verdictText } from './runner.js';
import { SCENARIOS } from './scenarios.js';
import { OUTAGE_SCENARIOS } from './scenarios-outage.js';
import { PATH_SCENARIOS } from './scenarios-paths.js';
import { LAB2_SCENARIOS } from './scenarios-lab2.js';
import { LAB4_SCENARIOS } from './scenarios-lab4.js';

interface Row {
  scenario: string;
  expected: string;
  live: string;
  capture: string;
  pass: boolean;
}

const rows: Row[] = [];

function printTable(): void {
  if (rows.length === 0) return;
  const head: Row = { scenario: 'scenario', expected: 'expected hop/cause', live: 'live got', capture: 'capture got', pass: true };
  const cols: Array<keyof Omit<Row, 'pass'>> = ['scenario', 'expected', 'live', 'capture'];
  const width = Object.fromEntries(cols.map((c) => [c, Math.max(...[head, ...rows].map((r) => r[c].length))])) as Record<(typeof cols)[number], number>;
  const line = (r: Row, pass: string): string => cols.map((c) => r[c].padEnd(width[c])).join('  ') + '  ' + pass;
  const out = ['', 'netlab results', line(head, 'pass'), ...rows.map((r) => line(r, r.pass ? 'yes' : 'NO'))];
  process.stdout.write(out.join('\n') + '\n');
}

const unavailable = labUnavailable();
if (unavailable) {
  process.stdout.write(`netlab skipped: ${unavailable}\n`);
  // Every scenario is its own skip: 21 scenarios that could not run are not "1 skipped".
  for (const s of [...SCENARIOS, ...PATH_SCENARIOS, ...OUTAGE_SCENARIOS, ...LAB2_SCENARIOS, ...LAB4_SCENARIOS]) test(`${s.name}: ${s.expect.cause}`, { skip: unavailable }, () => undefined);
} else {
  before(() => {
    const stale = removeStaleNamespaces();
    if (stale.length > 0) process.stdout.write(`netlab: removed ${stale.length} namespace(s) left by an earlier run: ${stale.join(', ')}\n`);
  });
  after(printTable);

  const only = onlyScenarios();
  for (const s of [...SCENARIOS, ...PATH_SCENARIOS, ...OUTAGE_SCENARIOS, ...LAB2_SCENARIOS, ...LAB4_SCENARIOS].filter((x) => !only || only.includes(x.name))) {
    test(`${s.name}: ${expectedText(s.expect)}`, async () => {
      let verified = false;
      try {
        await runScenario(s, (o) => {
          verified = true;
          verify(s, o);
        });
      } catch (e) {
        if (!verified) rows.push({ scenario: s.name, expected: s.expect.cause, live: 'error', capture: 'error', pass: false });
        throw e;
      }
    });
  }
}

/** Every way in against the scenario's hand-written expectations; a row per way in for the table. */
function verify(s: Scenario, o: Outcome): void {
  // NETLAB_DUMP=dir keeps every report of the scenario there, for reading what a verdict rested on.
  if (process.env.NETLAB_DUMP) writeFileSync(join(process.env.NETLAB_DUMP, `${s.name}.json`), JSON.stringify({ live: o.live, recording: o.capture, wire: o.wire, listen: o.listen }, null, 1));
  const row: Row = { scenario: s.name, expected: expectedText(o.expected), live: verdictText(o.live), capture: verdictText(o.capture), pass: false };
  rows.push(row);
  const context = `${s.why}
live verdict: ${JSON.stringify(o.live.verdict)}
diagnose log:
${o.diagnoseLog}
simulator:
${o.simOutput}`;
  assert.ok(meets(o.live, o.expected), `live verdict ${row.live}, expected ${row.expected}
${context}`);
  assert.ok(s.recording ? meets(o.capture, s.recording) : row.capture === row.live, `analyze of the recording (${row.capture}) disagrees with ${s.recording ? 'its expectation' : 'the live verdict'}
capture verdict: ${JSON.stringify(o.capture.verdict)}
${context}`);
  if (o.checkError) throw o.checkError;
  row.pass = true;
  if (s.listen && o.listen) {
    for (const [what, report] of [['listen --capture', o.listen.live], ['listen --write recording', o.listen.recording]] as const) {
      const lr: Row = { scenario: `${s.name} (${what})`, expected: expectedText(s.listen), live: '-', capture: verdictText(report), pass: false };
      rows.push(lr);
      assert.ok(meets(report, s.listen), `${what}: ${JSON.stringify(report.verdict)}, expected ${lr.expected}\n${s.why}`);
      lr.pass = true;
    }
  }
  if (s.wireCapture) {
    if (!o.wire) {
      process.stdout.write(`netlab: ${s.name}: no interface capture (${tcpdumpMissing ?? 'tcpdump did not run'})\n`);
    } else {
      const wire: Row = { scenario: `${s.name} (tcpdump)`, expected: expectedText(s.wireCapture), live: '-', capture: verdictText(o.wire), pass: false };
      rows.push(wire);
      assert.ok(meets(o.wire, s.wireCapture), `analyze of the client-interface capture, expected ${wire.expected}\ncapture verdict: ${JSON.stringify(o.wire.verdict)}\n${s.why}`);
      wire.pass = true;
    }
  }
  s.reports?.({
    live: o.live,
    recording: o.capture,
    ...(o.wire ? { wire: o.wire } : {}),
    ...(o.listen ? { listen: o.listen.live, listenRecording: o.listen.recording } : {}),
  });
}
