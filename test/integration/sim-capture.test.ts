/**
 * `--write`: the simulator's capture is a valid pcapng (tshark reads it without a warning), tshark's
 * per-stream counts equal what the simulator says it sent after faults, and `flexpath analyze` reads
 * the scenario back to the verdict the fault implies.
 */
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import type { AnalysisReport } from '../../src/analysis/model.js';
import { runCli } from '../helpers/cli.js';
import { recordedSession } from '../helpers/sim.js';
import { tsharkFields, tsharkMissing } from '../helpers/tshark.js';

const dir = mkdtempSync(join(tmpdir(), 'flexpath-simcap-'));

async function analyze(file: string): Promise<AnalysisReport> {
  const r = await runCli(['analyze', file, '--format', 'json', '--no-redact']);
  assert.equal(r.code, 0, r.stderr);
  return JSON.parse(r.stdout) as AnalysisReport;
}

test('a simulator capture: tshark reads it cleanly and counts what the simulator says it sent, per stream', { skip: tsharkMissing ?? false }, async () => {
  const { file, udpPort, stats } = await recordedSession(join(dir, 'loss.pcapng'), { lossPct: 3 });
  const r = tsharkFields(file, ['vrt.sid'], ['-d', `udp.port==${udpPort},vrt`, '-Y', `vrt && udp.dstport==${udpPort}`]);
  assert.equal(r.stderr, '', 'tshark reads the file without a warning');
  const counts = new Map<number, number>();
  for (const [sid] of r.rows) counts.set(Number(sid), (counts.get(Number(sid)) ?? 0) + 1);
  assert.equal(counts.size, 4, 'meter, FFT, waterfall, audio');
  for (const s of stats) assert.equal(counts.get(s.streamId), s.sent, `stream 0x${s.streamId.toString(16)}`);
  // tshark's own checks: every IP/UDP/TCP checksum verified, nothing malformed.
  const CHECK = ['-o', 'ip.check_checksum:TRUE', '-o', 'udp.check_checksum:TRUE', '-o', 'tcp.check_checksum:TRUE'];
  const bad = tsharkFields(file, ['frame.number'], [...CHECK, '-Y', 'ip.checksum.status == "Bad" || udp.checksum.status == "Bad" || tcp.checksum.status == "Bad" || _ws.malformed']);
  assert.deepEqual(bad.rows, []);
  const good = tsharkFields(file, ['frame.number'], [...CHECK, '-Y', 'udp.checksum.status == "Good"']);
  assert.ok(good.rows.length > 100, 'checksums were really checked');
});

const verdicts: Array<{ name: string; faults: Parameters<typeof recordedSession>[1]; ms?: number; status: string; hop?: string; cause?: string }> = [
  { name: 'healthy', faults: {}, status: 'healthy' },
  // A 1024-pixel pan needs a 1436-B FFT packet per frame too: the panadapter is the first class to lose its frames.
  { name: 'mtu', faults: { mtu: 1400 }, status: 'blocked', hop: 'data:panadapter', cause: 'mtu' },
  { name: 'loss', faults: { lossPct: 5 }, status: 'degraded', cause: 'random-loss' },
  { name: 'drop-audio', faults: { drop: ['audio'] }, status: 'blocked', hop: 'data:audio', cause: 'udp-blocked-inbound' },
  { name: 'no-ping-reply', faults: { noPingReplyAfterS: 0 }, ms: 5000, status: 'degraded', hop: 'control', cause: 'ping-timeout' },
];

for (const v of verdicts) {
  test(`simulator capture "${v.name}" → analyze: ${v.status}${v.hop ? ` at ${v.hop}` : ''}${v.cause ? ` (${v.cause})` : ''}`, async () => {
    const { file } = await recordedSession(join(dir, `${v.name}.pcapng`), v.faults, v.ms ? { ms: v.ms } : {});
    const r = await analyze(file);
    assert.equal(r.verdict.status, v.status, JSON.stringify(r.verdict));
    if (v.hop) assert.equal(r.verdict.hop, v.hop);
    if (v.cause) assert.equal(r.verdict.cause, v.cause);
  });
}
