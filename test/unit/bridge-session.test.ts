import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { AnalysisReport } from '../../src/analysis/model.js';
import type { Snapshot } from '../../src/bridge/protocol.js';
import { createSession, type CaptureAnalysis, type LiveRun, type SessionHost } from '../../src/bridge/session.js';
import { streamRowKey } from '../../src/bridge/stream-rows.js';

function report(summary: string): AnalysisReport {
  return {
    source: { file: 'x.pcapng', packets: 3, bytes: 300, durationS: 1 },
    radios: [],
    streams: [{ id: '0x00000700', kind: 'meter', pcc: '0x8002', src: 'a:4993', dst: 'b:4991', packets: 3, bytes: 180, lost: 0, outOfOrder: 0, duplicates: 0, ratePps: 28, minSize: 60, maxSize: 60 }],
    hops: [],
    verdict: { status: 'healthy', cause: 'healthy', rule: 'verdict-healthy', summary, advice: [] },
    warnings: [],
  };
}

const host = (delivered: { name: string; data: Buffer }[] = []): SessionHost => ({
  nativeDialogs: false,
  // These tests are about what happens once a path may be opened (test/unit/bridge-capture-paths.test.ts: which may).
  mayOpenCapture: () => true,
  deliverExport: async (f) => {
    assert.ok(Buffer.isBuffer(f.data), 'a report export is one buffer');
    delivered.push({ name: f.name, data: f.data });
    return { url: `/download/${f.name}` };
  },
});

const waitFor = async (cond: () => boolean): Promise<void> => {
  for (let i = 0; i < 200 && !cond(); i++) await new Promise((r) => setTimeout(r, 10));
  assert.ok(cond(), 'condition not reached within 2 s');
};

test('open-capture: progress, then the model with expected rates, then phase done; export carries the verdict', async () => {
  const out: Snapshot[] = [];
  const delivered: { name: string; data: Buffer }[] = [];
  const s = createSession({
    emit: (x) => out.push(x),
    host: host(delivered),
    backends: {
      analyzeCaptureFile: async (_p, o) => {
        o.onProgress?.(1, 2);
        return { report: report('all good') };
      },
      formatReport: (r, fmt, o) => `${fmt} ${o.redact ? 'redacted' : 'plain'}: ${r.verdict.summary}`,
    },
  });
  await s.handle({ type: 'open-capture', path: '/captures/x.pcapng' });
  const types = out.map((x) => x.type);
  assert.deepEqual(types, ['state', 'progress', 'model', 'state']);
  const model = out.find((x) => x.type === 'model');
  assert.ok(model?.type === 'model');
  assert.equal(model.streams[0]?.expectedPps, 28); // meters, reference §3.9
  const last = out.at(-1);
  assert.ok(last?.type === 'state' && last.state.phase === 'done' && last.state.source?.label === 'x.pcapng' && !last.state.simulated);
  await s.handle({ type: 'export', format: 'markdown', redact: true });
  assert.equal(delivered.length, 1);
  assert.match(delivered[0]!.name, /\.md$/);
  assert.equal(delivered[0]!.data.toString(), 'markdown redacted: all good');
  const ready = out.at(-1);
  assert.ok(ready?.type === 'export-ready' && ready.url === `/download/${delivered[0]!.name}`);
  await s.close();
});

test('an uploaded capture is named by the file the user picked; jitter from the analyzer reaches the streams table', async () => {
  const out: Snapshot[] = [];
  const stored = '/tmp/flexpath-ui-x/upload-0123abcd.pcapng';
  const r = report('ok');
  r.source.file = 'upload-0123abcd.pcapng';
  const meter = r.streams[0]!;
  const s = createSession({
    emit: (x) => out.push(x),
    host: { ...host(), resolveUpload: (id) => (id === 'u1' ? stored : undefined) },
    backends: {
      analyzeCaptureFile: async (p) => {
        assert.equal(p, stored);
        return { report: r, jitterMs: new Map([[streamRowKey(meter), 3.5], ['0x00000700 a:4993 other:4991', 99]]) };
      },
    },
  });
  await s.handle({ type: 'open-upload', uploadId: 'u1', name: 'shack-vpn.pcapng' });
  const model = out.find((x) => x.type === 'model');
  assert.ok(model?.type === 'model');
  assert.equal(model.source.file, 'shack-vpn.pcapng');
  assert.equal(model.streams[0]?.jitterMs, 3.5);
  await s.close();
});

test('a capture superseded by a newer one never shows its result', async () => {
  const out: Snapshot[] = [];
  let releaseFirst: (r: CaptureAnalysis) => void = () => undefined;
  const s = createSession({
    emit: (x) => out.push(x),
    host: host(),
    backends: {
      analyzeCaptureFile: (p) => (p === '/slow.pcapng' ? new Promise((r) => (releaseFirst = r)) : Promise.resolve({ report: report('second') })),
    },
  });
  const first = s.handle({ type: 'open-capture', path: '/slow.pcapng' });
  await waitFor(() => out.some((x) => x.type === 'state' && x.state.source?.label === 'slow.pcapng'));
  await s.handle({ type: 'open-capture', path: '/fast.pcapng' });
  releaseFirst({ report: report('first') });
  await first;
  const summaries = out.flatMap((x) => (x.type === 'model' ? [x.verdict.summary] : []));
  assert.deepEqual(summaries, ['second']);
  await s.close();
});

test('live demo: model snapshots stay at or under 10/s while the analyzer is polled; stop ends the run; SIMULATED is flagged', async () => {
  const out: { at: number; s: Snapshot }[] = [];
  let stopped = false;
  const run: LiveRun = {
    analyzer: { report: () => report('live'), onFftFrame: () => undefined, onWaterfallLine: () => undefined },
    ended: new Promise(() => undefined),
    stop: async () => {
      stopped = true;
    },
  };
  const s = createSession({ emit: (x) => out.push({ at: performance.now(), s: x }), host: host(), backends: { startDemo: async () => run } });
  await s.handle({ type: 'start-demo', faults: ['mtu'] });
  const st = out.find((x) => x.s.type === 'state')?.s;
  assert.ok(st?.type === 'state' && st.state.simulated && st.state.faults.includes('mtu'));
  await new Promise((r) => setTimeout(r, 1200));
  await s.handle({ type: 'stop' });
  assert.equal(stopped, true);
  const models = out.filter((x) => x.s.type === 'model').map((x) => x.at);
  // 1.2 s at most 10/s → at most 13 with the first sent at once; generous lower bound for a busy machine
  assert.ok(models.length >= 3 && models.length <= 13, `${models.length} model snapshots`);
  const series = out.filter((x) => x.s.type === 'model').at(-1)?.s;
  assert.ok(series?.type === 'model' && series.series.length >= 1);
  await s.close();
});

test('a way in that this build lacks is reported, not faked', async () => {
  const out: Snapshot[] = [];
  const s = createSession({ emit: (x) => out.push(x), host: host(), backends: {} });
  await s.handle({ type: 'diagnose-smartlink', token: 'secret-token-value' });
  const err = out.find((x) => x.type === 'error');
  assert.ok(err?.type === 'error');
  assert.match(err.message, /not available/);
  assert.ok(!JSON.stringify(out).includes('secret-token-value'), 'the token never appears in a snapshot');
  assert.equal(out.some((x) => x.type === 'model'), false);
  await s.close();
});

test('a source chosen while the last one is still stopping stays running (the late stop does not mark it done)', async () => {
  const out: Snapshot[] = [];
  let release: () => void = () => undefined;
  const slowStop: LiveRun = {
    analyzer: { report: () => report('first'), onFftFrame: () => undefined, onWaterfallLine: () => undefined },
    ended: new Promise(() => undefined),
    // The probe's tidy-up on the radio: the stop settles only when released.
    stop: () => new Promise<void>((r) => (release = r)),
  };
  const second: LiveRun = { ...slowStop, analyzer: { ...slowStop.analyzer, report: () => report('second') }, stop: async () => undefined };
  const runs = [slowStop, second];
  const s = createSession({ emit: (x) => out.push(x), host: host(), backends: { diagnoseLan: async () => runs.shift()! } });
  try {
    await s.handle({ type: 'diagnose-lan', host: '10.0.0.2', mode: 'observer' });
    const stopping = s.handle({ type: 'stop' });
    const next = s.handle({ type: 'diagnose-lan', host: '10.0.0.2', mode: 'probe' });
    release();
    await Promise.all([stopping, next]);
    const states = out.flatMap((x) => (x.type === 'state' ? [x.state] : []));
    const last = states.at(-1);
    assert.equal(last?.phase, 'running');
    assert.equal(last?.source?.label, 'LAN radio 10.0.0.2 — probe');
  } finally {
    await s.close();
  }
});
