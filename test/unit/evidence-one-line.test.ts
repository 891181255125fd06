/**
 * Every evidence line, warning and verdict line is one printable line in every report format: error
 * messages of Node's TLS carry OpenSSL's text, which ends in a line break (seen from Node 20 for a TLS
 * connect answered in plain text:
 * '801C068CBE7F0000:error:0A00010B:SSL routines:ssl3_get_record:wrong version number:../deps/openssl/openssl/ssl/record/ssl3_record.c:350:\n').
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Analyzer } from '../../src/analysis/analyzer.js';
import type { AnalysisReport } from '../../src/analysis/model.js';
import { oneLine } from '../../src/common/text.js';
import { formatReport } from '../../src/report/format.js';

const OPENSSL = '801C068CBE7F0000:error:0A00010B:SSL routines:ssl3_get_record:wrong version number:../deps/openssl/openssl/ssl/record/ssl3_record.c:350:\n';
/** What a multi-line library message looks like inside one: a raw line feed mid-text, and a terminal escape. */
const MIDDLE = 'first part\nsecond part \x1b[31mred';

test('oneLine: the trailing line break goes, any other control character is escaped where it stands', () => {
  assert.equal(oneLine(OPENSSL), OPENSSL.slice(0, -1));
  assert.equal(oneLine(MIDDLE), 'first part\\x0asecond part \\x1b[31mred');
  assert.equal(oneLine('plain words'), 'plain words');
});

function report(): AnalysisReport {
  const a = new Analyzer();
  a.addEvidence('control', `t+0.10 s could not open the control channel: ${OPENSSL}`);
  a.addEvidence('control', `t+0.20 s control channel ended: ${MIDDLE}`);
  a.warn(`a warning quoting ${MIDDLE}`);
  return a.report({ file: 'live', packets: 0, bytes: 0, durationS: 0 });
}

test('a report: each error text is one evidence line without a control character, and the warnings too', () => {
  const r = report();
  const control = r.hops.find((h) => h.id === 'control')!.evidence;
  assert.ok(control.includes(`t+0.10 s could not open the control channel: ${OPENSSL.slice(0, -1)}`), control.join(' | '));
  assert.ok(control.includes('t+0.20 s control channel ended: first part\\x0asecond part \\x1b[31mred'), control.join(' | '));
  for (const line of [...r.hops.flatMap((h) => h.evidence), ...r.warnings, r.verdict.summary, ...r.verdict.advice]) assert.doesNotMatch(line, /[\x00-\x1f\x7f-\x9f]/, line);
});

test('every format keeps each of those lines whole, on one line (JSON keeps the string, escaped)', () => {
  const r = report();
  const parsed = JSON.parse(formatReport(r, 'json')) as AnalysisReport;
  assert.deepEqual(parsed.hops.find((h) => h.id === 'control')!.evidence, r.hops.find((h) => h.id === 'control')!.evidence);
  for (const format of ['text', 'md', 'html'] as const) {
    const out = formatReport(r, format);
    const lines = out.split('\n');
    assert.ok(lines.some((l) => l.includes('could not open the control channel') && l.includes('ssl3_record.c:350:')), `${format}: the OpenSSL message on the evidence's own line`);
    assert.ok(lines.some((l) => l.includes('first part') && l.includes('second part')), `${format}: both parts on one line`);
  }
});
