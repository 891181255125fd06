import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { EventCaptureWriter } from '../../src/capture/event-writer.js';
import type { AnalysisReport } from '../../src/analysis/model.js';
import { runCli } from '../helpers/cli.js';
import { fixture } from '../helpers/paths.js';
import { type ScenarioOptions, lanScenario } from '../helpers/scenario.js';

const dir = mkdtempSync(join(tmpdir(), 'fp-analyze-'));
const hasTshark = existsSync('/usr/bin/tshark');

async function writeScenario(name: string, o: ScenarioOptions): Promise<string> {
  const file = join(dir, `${name}.pcapng`);
  const w = new EventCaptureWriter(file);
  for (const e of lanScenario(o)) w.write(e);
  await w.close();
  return file;
}

async function analyzeJson(file: string, extra: string[] = []): Promise<AnalysisReport> {
  const r = await runCli(['analyze', file, '--format', 'json', '--no-redact', ...extra]);
  assert.equal(r.code, 0, r.stderr);
  return JSON.parse(r.stdout) as AnalysisReport;
}

test('the real discovery capture: one radio FLEX-6600M with its serial and version, one stream of 83 beacons', async () => {
  const r = await analyzeJson(fixture('flex6600m-discovery.pcapng'));
  assert.equal(r.radios.length, 1);
  assert.deepEqual(r.radios[0], {
    serial: '0621-1104-6601-1641', model: 'FLEX-6600M', version: '3.2.39.3374', ip: '192.168.10.27', nickname: 'Flex-6600M', callsign: 'N1SH',
  });
  assert.equal(r.streams.length, 1);
  assert.equal(r.streams[0]?.kind, 'discovery');
  assert.equal(r.streams[0]?.packets, 83);
  // Two 9-second gaps where the counter jumps 4→13 and 5→14 (tshark -e vrt.seq): 8 + 8 beacons missing.
  assert.equal(r.streams[0]?.lost, 16);
  assert.equal(r.source.packets, 83);
  assert.equal(r.verdict.status, 'inconclusive');
  assert.equal(r.hops.find((h) => h.id === 'discovery')?.status, 'ok');
});

const cases: Array<{ name: string; o: ScenarioOptions; status: string; hop?: string; cause?: string }> = [
  { name: 'healthy', o: { withAudio: true }, status: 'healthy' },
  { name: 'udp-blocked', o: { blockUdp: true }, status: 'blocked', hop: 'udp-return', cause: 'udp-blocked-inbound' },
  { name: 'mtu', o: { mtu: 1340, icmpFragNeeded: 2 }, status: 'blocked', hop: 'data:waterfall', cause: 'mtu' },
  { name: 'wrong-port', o: { sendTo: 5002 }, status: 'blocked', hop: 'udp-return', cause: 'wrong-port' },
  { name: 'host-firewall', o: { icmpUnreachable: 2 }, status: 'blocked', hop: 'udp-return', cause: 'host-firewall' },
  { name: 'loss', o: { loss: 0.05, seconds: 6 }, status: 'degraded', cause: 'random-loss' },
];

for (const c of cases) {
  test(`scenario "${c.name}" written as pcapng by our writer → analyze gives ${c.status}${c.cause ? ` / ${c.cause}` : ''}`, async () => {
    const file = await writeScenario(c.name, c.o);
    const r = await analyzeJson(file);
    assert.equal(r.verdict.status, c.status, JSON.stringify(r.verdict));
    if (c.hop) assert.equal(r.verdict.hop, c.hop);
    if (c.cause) assert.equal(r.verdict.cause, c.cause);
  });
}

test('tshark decodes our scenario capture without complaint and its per-stream counts equal ours', { skip: hasTshark ? false : 'tshark not installed' }, async () => {
  const file = await writeScenario('tshark', { withAudio: true, loss: 0.02, seconds: 3 });
  const ours = await analyzeJson(file);
  const out = execFileSync('tshark', ['-r', file, '-d', 'udp.port==4991,vrt', '-Y', 'vrt', '-T', 'fields', '-e', 'vrt.sid'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  const counts = new Map<string, number>();
  for (const line of out.trim().split('\n')) {
    const sid = '0x' + Number(line.trim()).toString(16).toUpperCase().padStart(8, '0');
    counts.set(sid, (counts.get(sid) ?? 0) + 1);
  }
  assert.ok(counts.size >= 4, `tshark saw ${counts.size} streams`);
  for (const s of ours.streams) assert.equal(counts.get(s.id), s.packets, `stream ${s.id}`);
});

test('text report leads with the verdict; markdown and html carry it; --redact hides serial and callsign', async () => {
  const file = await writeScenario('text', { blockUdp: true });
  const text = await runCli(['analyze', file, '--no-redact']);
  assert.equal(text.code, 0);
  assert.match(text.stdout.split('\n')[0] ?? '', /^VERDICT: BLOCKED at udp-return \(udp-blocked-inbound\)$/);
  const md = await runCli(['analyze', file, '--format', 'md', '--no-redact']);
  assert.match(md.stdout, /\*\*Verdict: BLOCKED at udp-return \(udp-blocked-inbound\)\*\*/);
  assert.match(md.stdout, /\| UDP data path \(udp-return\) \| BLOCKED \|/);
  const html = await runCli(['analyze', file, '--format', 'html', '--no-redact']);
  assert.match(html.stdout, /<strong>Verdict: BLOCKED at udp-return \(udp-blocked-inbound\)<\/strong>/);
  const fx = await runCli(['analyze', fixture('flex6600m-discovery.pcapng'), '--format', 'md', '--redact']);
  assert.doesNotMatch(fx.stdout, /0621-1104-6601-1641|N1SH/);
  assert.match(fx.stdout, /<serial>/);
  assert.match(fx.stdout, /192\.168\.10\.27/, 'private addresses stay readable');
});

test('not a capture → exit 1 naming the file and the magic; missing file → exit 1', async () => {
  const r = await runCli(['analyze', fixture('smartsdr-win-session.txt')]);
  assert.equal(r.code, 1);
  assert.match(r.stderr, /smartsdr-win-session\.txt: offset 0: /);
  const m = await runCli(['analyze', join(dir, 'nope.pcap')]);
  assert.equal(m.code, 1);
  assert.match(m.stderr, /nope\.pcap: no such file \(ENOENT\)/);
  assert.equal((await runCli(['analyze'])).code, 2);
});
