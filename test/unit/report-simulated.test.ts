/**
 * A demo report never passes for a station's: SIMULATED in the title of all four formats, kept by the
 * default redaction (which replaces the file name that used to carry the word), and in the exports
 * the UI makes of a demo run. A capture's report says nothing of the kind.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { AnalysisReport } from '../../src/analysis/model.js';
import type { Snapshot } from '../../src/bridge/protocol.js';
import { createSession, type LiveRun } from '../../src/bridge/session.js';
import { formatReport } from '../../src/report/format.js';
import { redactReport } from '../../src/report/redact.js';

function report(simulated: boolean): AnalysisReport {
  return {
    source: { file: 'W1AW-shack.pcapng', packets: 3, bytes: 300, durationS: 1, ...(simulated ? { simulated: true as const } : {}) },
    radios: [],
    streams: [],
    hops: [],
    verdict: { status: 'healthy', cause: 'healthy', rule: 'verdict-healthy', summary: 'all good', advice: [] },
    warnings: [],
  };
}

/** The title of each format: the text's first line, the Markdown heading, the HTML <title> and <h1>. */
function titles(r: AnalysisReport): Record<string, string> {
  const html = formatReport(r, 'html');
  return {
    text: formatReport(r, 'text').split('\n')[0]!,
    md: formatReport(r, 'md').split('\n')[0]!,
    'html title': /<title>(.*?)<\/title>/.exec(html)?.[1] ?? '',
    'html h1': /<h1>(.*?)<\/h1>/.exec(html)?.[1] ?? '',
  };
}

test('all four formats say SIMULATED for a demo report, redacted or not; none does for a capture', () => {
  for (const r of [report(true), redactReport(report(true))]) {
    for (const [where, line] of Object.entries(titles(r))) assert.match(line, /SIMULATED/, `${where}: ${line}`);
    assert.equal((JSON.parse(formatReport(r, 'json')) as AnalysisReport).source.simulated, true);
  }
  for (const [where, line] of Object.entries(titles(report(false)))) assert.doesNotMatch(line, /SIMULATED/, `${where}: ${line}`);
  assert.equal((JSON.parse(formatReport(report(false), 'json')) as AnalysisReport).source.simulated, undefined);
});

test('the UI export of a demo run, redacted by default: SIMULATED in the Markdown heading, the HTML title and the file name', async () => {
  const out: Snapshot[] = [];
  const delivered = new Map<string, string>();
  const run: LiveRun = {
    analyzer: { report: () => report(false), onFftFrame: () => undefined, onWaterfallLine: () => undefined },
    ended: new Promise(() => undefined),
    stop: async () => undefined,
  };
  const s = createSession({
    emit: (x) => out.push(x),
    host: {
      nativeDialogs: false,
      deliverExport: async (f) => {
        delivered.set(f.name, String(f.data));
        return {};
      },
    },
    backends: { startDemo: async () => run, formatReport: (r, fmt, o) => formatReport(o.redact ? redactReport(r) : r, fmt === 'markdown' ? 'md' : 'html') },
  });
  try {
    await s.handle({ type: 'start-demo', faults: [] });
    await s.handle({ type: 'export', format: 'markdown', redact: true });
    await s.handle({ type: 'export', format: 'html', redact: true });
    assert.equal(delivered.size, 2);
    for (const [name, text] of delivered) {
      assert.match(name, /SIMULATED/);
      const heading = name.endsWith('.md') ? text.split('\n')[0]! : (/<title>(.*?)<\/title>/.exec(text)?.[1] ?? '');
      assert.match(heading, /SIMULATED/, `${name}: ${heading}`);
    }
  } finally {
    await s.close();
  }
});
