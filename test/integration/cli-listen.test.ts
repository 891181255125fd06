/**
 * `flexpath listen`: passive per-stream statistics, from a bound port or from tcpdump on an interface
 * (both planes of somebody else's session). The session is driven by the test against the simulator.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { createSocket } from 'node:dgram';
import { test } from 'node:test';
import type { AnalysisReport } from '../../src/analysis/model.js';
import { cliPath } from '../helpers/paths.js';
import { guiSession, withSim } from '../helpers/sim.js';
import { freeUdpPort, sleep } from '../helpers/udp-sink.js';

function listen(args: string[]): { done: Promise<{ code: number | null; stdout: string; stderr: string }> } {
  const child = spawn(process.execPath, [cliPath, 'listen', ...args, '--format', 'json', '--no-redact'], { stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  const kill = setTimeout(() => child.kill('SIGKILL'), 30_000);
  return {
    done: new Promise((resolve) =>
      child.on('close', (code) => {
        clearTimeout(kill);
        resolve({ code, stdout, stderr });
      }),
    ),
  };
}

test('listen --port: counts every stream the radio sends to that port, per stream', async () => {
  const port = await freeUdpPort();
  const l = listen(['--port', String(port), '--seconds', '3']);
  await sleep(500);
  let sent: Array<{ streamId: number; sent: number }> = [];
  await withSim({}, async (sim) => {
    const c = await guiSession(sim, port, { audio: true });
    await sleep(1500);
    await c.close();
    await sleep(100);
    sent = sim.streamStats();
  });
  const r = await l.done;
  assert.equal(r.code, 0, r.stderr);
  const report = JSON.parse(r.stdout) as AnalysisReport;
  assert.equal(report.streams.length, 4);
  for (const s of sent) {
    const got = report.streams.find((x) => parseInt(x.id, 16) === s.streamId);
    assert.equal(got?.packets, s.sent, `stream 0x${s.streamId.toString(16)}: received what was sent`);
    assert.equal(got?.lost, 0);
  }
});

test('listen --port ending 1–2 s into an outage that outlasts it: silent at the end, may be an outage — not stopped, not healthy', async () => {
  const port = await freeUdpPort();
  // The simulator drops every datagram from 1.5 s after its data started, for 20 s (past the run): the
  // run ends 2.0 s into it less the simulator's start and session setup (under a second), 0.5–3 s.
  const l = listen(['--port', String(port), '--seconds', '4']);
  await sleep(500);
  await withSim({ faults: { outages: [{ startS: 1.5, lengthS: 20 }] } }, async (sim) => {
    const c = await guiSession(sim, port, { audio: true });
    await l.done;
    await c.close();
  });
  const r = await l.done;
  assert.equal(r.code, 0, r.stderr);
  const report = JSON.parse(r.stdout) as AnalysisReport;
  assert.equal(report.verdict.rule, 'verdict-silent-at-end', JSON.stringify(report.verdict));
  assert.equal(report.verdict.status, 'inconclusive');
});

const root = process.getuid?.() === 0;
test('listen --capture lo: tcpdump shows both planes of another client’s session', { skip: root ? false : 'capturing needs root' }, async (t) => {
  const which = spawn('tcpdump', ['--version'], { stdio: 'ignore' });
  const haveTcpdump = await new Promise<boolean>((r) => {
    which.on('error', () => r(false));
    which.on('close', (code) => r(code === 0));
  });
  if (!haveTcpdump) return t.skip('tcpdump is not installed');
  const port = await freeUdpPort();
  const sink = createSocket('udp4');
  await new Promise<void>((r) => sink.bind(port, '127.0.0.1', () => r()));
  try {
    await withSim({ portBase: 0 }, async (sim) => {
      // Only this session: other programs on this machine may be talking over loopback too.
      const l = listen(['--capture', 'lo', '--api-port', String(sim.ports.api), '--filter', `port ${sim.ports.api} or port ${sim.ports.data}`, '--seconds', '4']);
      await sleep(1200);
      const c = await guiSession(sim, port, { audio: true });
      await sleep(2000);
      await c.close();
      const r = await l.done;
      assert.equal(r.code, 0, r.stderr);
      const report = JSON.parse(r.stdout) as AnalysisReport;
      assert.equal(report.hops.find((h) => h.id === 'control')?.status, 'ok', JSON.stringify(report.hops.find((h) => h.id === 'control')));
      assert.ok(report.streams.some((s) => s.kind === 'waterfall' && s.packets > 50));
      assert.equal(report.verdict.status, 'healthy', JSON.stringify(report.hops.filter((h) => h.status !== 'ok' && h.status !== 'unknown')));
    });
  } finally {
    sink.close();
  }
});
