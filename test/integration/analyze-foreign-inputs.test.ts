/**
 * Inputs from other equipment, through the CLI and cross-checked with tshark (an independent reader):
 * - a DIFI / VITA-49.2 capture (our writer, packets assembled word by word, test/helpers/vita-generic.ts)
 *   is said for what it is in every human format, with per-stream figures equal to tshark's VRT counts;
 * - the Windows pktmon fixture (test/fixtures/pktmon, layout in its README) is a pcapng tshark reads
 *   frame for frame, and gzipped by gzip it gives the same analysis as the file itself.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import type { AnalysisReport } from '../../src/analysis/model.js';
import type { UdpEvent } from '../../src/capture/types.js';
import { writeEventsCapture } from '../helpers/capture-files.js';
import { runCli } from '../helpers/cli.js';
import { repoRoot } from '../helpers/paths.js';
import { tsharkFields, tsharkMissing } from '../helpers/tshark.js';
import { DIFI_OUI, genericVitaPacket } from '../helpers/vita-generic.js';

const dir = mkdtempSync(join(tmpdir(), 'flexpath-foreign-'));
after(() => rmSync(dir, { recursive: true, force: true }));
const gzipMissing = spawnSync('gzip', ['--version'], { stdio: 'ignore' }).status === 0 ? undefined : 'gzip is not installed';

/** Two data streams (300 and 150 packets) and the first one's context stream (30), counters unbroken. */
const DIFI = { data1: 300, data2: 150, context1: 30 };
async function difiCapture(): Promise<string> {
  const src = { ip: '10.0.0.5', port: 50000 };
  const dst = { ip: '10.0.0.9', port: 4991 };
  const classId = { oui: DIFI_OUI, icc: 0, pcc: 0 };
  const events: UdpEvent[] = [];
  const at = (ts: number, payload: Buffer): void => void events.push({ type: 'udp', ts, src, dst, payload });
  for (let i = 0; i < DIFI.data1; i++) {
    at(1_700_000_000 + i * 0.01, genericVitaPacket({ type: 1, count: i, streamId: 1, classId, payloadWords: 64 }));
    if (i % 10 === 9) at(1_700_000_000 + i * 0.01 + 0.001, genericVitaPacket({ type: 4, count: (i - 9) / 10, streamId: 1, classId, payloadWords: 10 }));
    if (i % 2 === 0) at(1_700_000_000 + i * 0.01 + 0.002, genericVitaPacket({ type: 1, count: i / 2, streamId: 2, classId, payloadWords: 32 }));
  }
  const file = join(dir, 'difi.pcapng');
  await writeEventsCapture(file, events);
  return file;
}

test('a DIFI capture: "VITA-49 streams from a non-FlexRadio source" in text, Markdown and HTML, never "no FlexRadio session"; streams as tshark counts them', async () => {
  const file = await difiCapture();
  const json = await runCli(['analyze', file, '--format', 'json', '--no-redact']);
  assert.equal(json.code, 0, json.stderr);
  const r = JSON.parse(json.stdout) as AnalysisReport;
  assert.deepEqual(
    r.streams.map((s) => [s.id, s.packetType, s.oui, s.packets, s.lost, s.duplicates]).sort(),
    [
      ['0x00000001', 'context', '0x6a621e', DIFI.context1, 0, 0],
      ['0x00000001', 'data', '0x6a621e', DIFI.data1, 0, 0],
      ['0x00000002', 'data', '0x6a621e', DIFI.data2, 0, 0],
    ],
  );
  assert.equal(r.verdict.rule, 'verdict-foreign-vita');
  for (const format of ['text', 'md', 'html']) {
    const out = await runCli(['analyze', file, '--format', format, '--no-redact']);
    assert.equal(out.code, 0, out.stderr);
    assert.match(out.stdout, /VITA-49 streams from a non-FlexRadio source/, format);
    assert.doesNotMatch(out.stdout, /No FlexRadio session \(control channel or VITA-49 data\)|not used: LAN session/, format);
  }
  if (tsharkMissing) return;
  // tshark's VRT dissector: packets per (stream ID, type). Types 0/1 are data, 4/5 context (VITA 49.2 §5.1.1).
  const rows = tsharkFields(file, ['vrt.sid', 'vrt.type'], ['-d', 'udp.port==4991,vrt']).rows;
  const count = (sid: number, types: number[]): number => rows.filter(([s, t]) => Number(s) === sid && types.includes(Number(t))).length;
  const of = (id: string, type: string): number | undefined => r.streams.find((s) => s.id === id && s.packetType === type)?.packets;
  assert.deepEqual([count(1, [0, 1]), count(1, [4, 5]), count(2, [0, 1])], [of('0x00000001', 'data'), of('0x00000001', 'context'), of('0x00000002', 'data')]);
  assert.equal(rows.length, r.source.packets, 'frames analysed = frames tshark reads');
});

test('the pktmon fixture: tshark reads it frame for frame; gzipped by gzip it gives the same analysis', { skip: gzipMissing ?? false }, async () => {
  const fixture = join(repoRoot, 'test', 'fixtures', 'pktmon', 'flex-lan-pktmon.pcapng');
  const plain = await runCli(['analyze', fixture, '--format', 'json', '--no-redact']);
  assert.equal(plain.code, 0, plain.stderr);
  const gz = join(dir, 'pktmon.pcapng.gz');
  const zipped = spawnSync('gzip', ['-c', fixture], { maxBuffer: 1 << 26 });
  writeFileSync(gz, zipped.stdout);
  const viaGz = await runCli(['analyze', gz, '--format', 'json', '--no-redact']);
  assert.equal(viaGz.code, 0, viaGz.stderr);
  const essence = (t: string): unknown => {
    const r = JSON.parse(t) as AnalysisReport;
    return { verdict: r.verdict.status, streams: r.streams.map((s) => [s.id, s.packets, s.lost, s.duplicates]), packets: r.source.packets, warnings: r.warnings.filter((w) => /pktmon/.test(w)).length };
  };
  assert.deepEqual(essence(viaGz.stdout), essence(plain.stdout));
  if (tsharkMissing) return;
  const frames = tsharkFields(fixture, ['frame.number']).rows.length;
  const r = JSON.parse(plain.stdout) as AnalysisReport;
  // pktmon records each packet once per networking component; the report counts packets, and says so.
  assert.ok(frames > r.source.packets && frames % r.source.packets === 0, `tshark frames ${frames}, analysed packets ${r.source.packets}`);
  assert.ok(r.warnings.some((w) => /pktmon/.test(w)), r.warnings.join('\n'));
});
