import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { AnalysisReport } from '../../src/analysis/model.js';
import { createSession, type LiveRun, type Session } from '../../src/bridge/session.js';

const report: AnalysisReport = {
  source: { file: 'live', packets: 0, bytes: 0, durationS: 0 },
  radios: [],
  streams: [],
  hops: [],
  verdict: { status: 'inconclusive', rule: 'test', summary: 'x', advice: [] },
  warnings: [],
};

/** A session with a 40-ms auto-demo whose demo starts are counted. */
function counted(): { s: Session; starts: () => number } {
  let n = 0;
  const run: LiveRun = {
    analyzer: { report: () => report, onFftFrame: () => undefined, onWaterfallLine: () => undefined },
    ended: new Promise(() => undefined),
    stop: async () => undefined,
  };
  const s = createSession({
    emit: () => undefined,
    autoDemoMs: 40,
    host: { nativeDialogs: false, deliverExport: async () => ({}) },
    backends: {
      startDemo: async () => {
        n++;
        return run;
      },
    },
  });
  return { s, starts: () => n };
}
const wait = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

test('no page connected: the demo never starts by itself', async () => {
  const { s, starts } = counted();
  await wait(200);
  assert.equal(starts(), 0);
  await s.close();
});

test('a page connected and idle: the demo starts once, also when more pages connect', async () => {
  const { s, starts } = counted();
  s.pageConnected();
  s.pageConnected();
  await wait(200);
  s.pageConnected();
  await wait(200);
  assert.equal(starts(), 1);
  await s.close();
});

test('an upload under way (or begun before the timer) keeps the demo from starting, also after it ends', async () => {
  const { s, starts } = counted();
  s.pageConnected();
  const ended = s.uploadStarted();
  await wait(200);
  ended();
  s.pageConnected();
  await wait(200);
  assert.equal(starts(), 0);
  await s.close();
});

test('a page that connects during an upload arms nothing', async () => {
  const { s, starts } = counted();
  const ended = s.uploadStarted();
  s.pageConnected();
  await wait(200);
  assert.equal(starts(), 0);
  ended();
  await s.close();
});
