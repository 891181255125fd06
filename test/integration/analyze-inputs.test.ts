/**
 * Captures as they arrive on a ticket: .gz, .zip with several captures, stdin, pcapng with several
 * interfaces and comments. Each container must give the same analysis as the plain capture inside it
 * (made by our writer from a scenario whose fault is known), and the frame counts must equal tshark's.
 * The containers are made by the standard tools (gzip, zip, editcap, mergecap), not by our code.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import type { AnalysisReport } from '../../src/analysis/model.js';
import { readCaptureRecords } from '../../src/capture/reader.js';
import { PcapngWriter } from '../../src/capture/writer.js';
import { LINKTYPE } from '../../src/capture/link.js';
import { writeEventsCapture } from '../helpers/capture-files.js';
import { runCli } from '../helpers/cli.js';
import { lanScenario } from '../helpers/scenario.js';
import { tsharkFields, tsharkMissing } from '../helpers/tshark.js';

const dir = mkdtempSync(join(tmpdir(), 'flexpath-inputs-'));
const has = (tool: string, arg = '--version'): boolean => spawnSync(tool, [arg], { stdio: 'ignore' }).status === 0;
const zipMissing = has('zip', '-v') ? undefined : 'zip is not installed';
const gzipMissing = has('gzip') ? undefined : 'gzip is not installed';
const wiresharkToolsMissing = tsharkMissing ?? (has('editcap', '-v') && has('mergecap', '-v') ? undefined : 'editcap/mergecap are not installed');

function sh(cmd: string, args: string[], opts: { cwd?: string } = {}): Buffer {
  const r = spawnSync(cmd, args, { cwd: opts.cwd, maxBuffer: 1 << 28 });
  assert.equal(r.status, 0, `${cmd} ${args.join(' ')}: ${r.stderr?.toString()}`);
  return r.stdout;
}

// The reference capture: an MTU fault, so the verdict is specific (blocked at the waterfall, cause mtu).
const plain = join(dir, 'mtu.pcapng');
const ready = writeEventsCapture(plain, lanScenario({ mtu: 1340, icmpFragNeeded: 2 }));

async function analyzeJson(args: string[], input?: Buffer): Promise<AnalysisReport> {
  const r = await runCli(['analyze', ...args, '--format', 'json', '--no-redact'], input ? { input } : {});
  assert.equal(r.code, 0, r.stderr);
  return JSON.parse(r.stdout) as AnalysisReport;
}

/** What must not depend on the container: verdict, hops and every stream's figures. */
function essence(r: AnalysisReport): unknown {
  return { verdict: r.verdict, hops: r.hops.map((h) => [h.id, h.status]), streams: r.streams.map((s) => [s.id, s.kind, s.packets, s.lost, s.bytes]), packets: r.source.packets };
}

test('the reference capture is what its fault says: blocked at the waterfall by the MTU', async () => {
  await ready;
  const r = await analyzeJson([plain]);
  assert.equal(r.verdict.status, 'blocked');
  assert.equal(r.verdict.hop, 'data:waterfall');
  assert.equal(r.verdict.cause, 'mtu');
  assert.match(r.source.start ?? '', /^2023-11-14T22:13:20(\.\d+)?Z$/, 'lanScenario starts at 1 700 000 000 s');
});

test('.gz made by gzip: same analysis as the plain file, frame count equal to tshark’s', { skip: gzipMissing ?? false }, async () => {
  await ready;
  const gz = join(dir, 'renamed.cap');
  writeFileSync(gz, sh('gzip', ['-c', plain]));
  const a = await analyzeJson([plain]);
  const b = await analyzeJson([gz]);
  assert.deepEqual(essence(b), essence(a));
  if (tsharkMissing === undefined) assert.equal(b.source.packets, tsharkFields(gz, ['frame.number']).rows.length);
});

test('pcap written by editcap, then gzipped, on stdin: same analysis', { skip: wiresharkToolsMissing ?? gzipMissing ?? false }, async () => {
  await ready;
  const pcap = join(dir, 'mtu.pcap');
  sh('editcap', ['-F', 'pcap', plain, pcap]);
  const a = await analyzeJson([plain]);
  const viaStdin = await analyzeJson(['-'], readFileSync(pcap));
  const gzStdin = await analyzeJson(['-'], sh('gzip', ['-c', pcap]));
  assert.equal(viaStdin.source.file, '-');
  assert.deepEqual(essence(viaStdin), essence(a));
  assert.deepEqual(essence(gzStdin), essence(a));
});

test('a gzip cut in the middle: the part before the cut is analysed, with a warning; exit 0', { skip: gzipMissing ?? false }, async () => {
  await ready;
  const whole = sh('gzip', ['-c', plain]);
  const cut = join(dir, 'cut.pcapng.gz');
  writeFileSync(cut, whole.subarray(0, Math.floor(whole.length / 2)));
  const full = await analyzeJson([plain]);
  const r = await analyzeJson([cut]);
  assert.ok(r.source.packets > 0 && r.source.packets < full.source.packets, `${r.source.packets} of ${full.source.packets}`);
  assert.ok(r.warnings.some((w) => /gzip/.test(w)), r.warnings.join('\n'));
});

test('.zip made by zip with two captures and a note: one triage row per capture, the note left out', { skip: zipMissing ?? gzipMissing ?? false }, async () => {
  await ready;
  const z = join(dir, 'zipped');
  mkdirSync(z, { recursive: true });
  writeFileSync(join(z, 'healthy.pcapng'), readFileSync(await writeHealthy()));
  writeFileSync(join(z, 'mtu.pcapng.gz'), sh('gzip', ['-c', plain]));
  writeFileSync(join(z, 'notes.txt'), 'customer says: no waterfall since the new router\n');
  const zip = join(dir, 'ticket.zip');
  sh('zip', ['-q', zip, 'healthy.pcapng', 'mtu.pcapng.gz', 'notes.txt'], { cwd: z });
  const r = await runCli(['analyze', zip, '--format', 'jsonl']);
  assert.equal(r.code, 0, r.stderr);
  const rows = r.stdout.trim().split('\n').map((l) => JSON.parse(l) as { file: string; verdict: string; hop: string; cause: string });
  assert.deepEqual(
    rows.map((x) => [x.file, x.verdict, x.hop, x.cause]),
    [
      [`${zip}:healthy.pcapng`, 'healthy', '', ''],
      [`${zip}:mtu.pcapng.gz`, 'blocked', 'data:waterfall', 'mtu'],
    ],
  );
  // A zip holding exactly one capture is that capture: the full report.
  const one = join(dir, 'one.zip');
  sh('zip', ['-q', one, 'mtu.pcapng.gz'], { cwd: z });
  assert.deepEqual(essence(await analyzeJson([one])), essence(await analyzeJson([plain])));
});

let healthyFile: Promise<string> | undefined;
function writeHealthy(): Promise<string> {
  healthyFile ??= writeEventsCapture(join(dir, 'healthy.pcapng'), lanScenario({})).then(() => join(dir, 'healthy.pcapng'));
  return healthyFile;
}

test('pcapng with two interfaces (Ethernet ns + raw IP µs) merged by mergecap, with comments by editcap: same analysis', { skip: wiresharkToolsMissing ?? false }, async () => {
  await ready;
  // Split the reference capture as a machine with a tunnel would see it: the control channel (TCP) on
  // Ethernet at ns resolution, the VITA-49 data (UDP) as raw IP at µs resolution. Each protocol keeps
  // its order; µs rounding may only reorder frames across the two, which the analysis must not mind.
  const even = join(dir, 'even.pcapng');
  const odd = join(dir, 'odd.pcapng');
  const we = new PcapngWriter(even, { interfaces: [{ linkType: LINKTYPE.ETHERNET, tsresol: 9, name: 'eth0' }] });
  const wo = new PcapngWriter(odd, { interfaces: [{ linkType: LINKTYPE.RAW, tsresol: 6, name: 'tun0' }] });
  let n = 0;
  await readCaptureRecords(plain, {
    record: (_link, sec, nsec, buf, start, caplen) => {
      const frame = buf.subarray(start, start + caplen);
      const ns = BigInt(sec) * 1_000_000_000n + BigInt(nsec);
      n++;
      // Ethernet type IPv4 at 12, IP protocol at 14 + 9: 17 is UDP.
      if (frame[14 + 9] !== 17) we.write(ns, Buffer.from(frame));
      else wo.write(((ns + 500n) / 1000n) * 1000n, Buffer.from(frame.subarray(14)));
    },
  });
  await we.close();
  await wo.close();
  const merged = join(dir, 'merged.pcapng');
  sh('mergecap', ['-w', merged, even, odd]);
  const commented = join(dir, 'commented.pcapng');
  sh('editcap', ['--capture-comment', 'ticket 4711: customer on PPPoE', '-a', '1:first frame', '-a', '5:looks odd', merged, commented]);
  const ifaces = tsharkFields(commented, ['frame.interface_id'], []).rows.map((r) => r[0]);
  assert.deepEqual([...new Set(ifaces)].sort(), ['0', '1'], 'two interfaces in the file');
  assert.equal(tsharkFields(commented, ['frame.comment'], ['-Y', 'frame.comment']).rows.length, 2, 'two frame comments');
  const a = await analyzeJson([plain]);
  const b = await analyzeJson([commented]);
  assert.equal(b.source.packets, n);
  assert.deepEqual(b.verdict, a.verdict);
  assert.deepEqual(
    b.streams.map((s) => [s.id, s.packets, s.lost]),
    a.streams.map((s) => [s.id, s.packets, s.lost]),
  );
});

test('a raw VITA-49 datagram given to analyze: exit 1, and the message points at `flexpath decode`', async () => {
  const r = await runCli(['analyze', join('test', 'fixtures', 'shared', 'flex6700-discovery-datagram.bin')]);
  assert.equal(r.code, 1);
  assert.match(r.stderr, /raw VITA-49 packet: try `flexpath decode /);
});

test('a zip on stdin: exit 1 with a message saying to give the file instead', async () => {
  const zipHead = Buffer.concat([Buffer.from('PK\x03\x04', 'latin1'), Buffer.alloc(60)]);
  const r = await runCli(['analyze', '-'], { input: zipHead });
  assert.equal(r.code, 1);
  assert.match(r.stderr, /^flexpath analyze: -: a zip archive cannot be read from a pipe/);
});

test('a folder with an unreadable file: every capture gets its row, the bad one says why, exit 1', async () => {
  await ready;
  const f = join(dir, 'folder');
  mkdirSync(f, { recursive: true });
  writeFileSync(join(f, 'a.pcapng'), readFileSync(plain));
  writeFileSync(join(f, 'b.pcap'), 'this is not a capture\n');
  writeFileSync(join(f, 'readme.txt'), 'not a capture name: skipped\n');
  const r = await runCli(['analyze', f, '--format', 'csv']);
  assert.equal(r.code, 1, r.stderr);
  const lines = r.stdout.trim().split('\r\n');
  assert.equal(lines.length, 3, r.stdout);
  assert.equal(lines[0], 'file,radio,mode,verdict,hop,cause,key figure');
  assert.match(lines[1] ?? '', /a\.pcapng,.*,LAN,blocked,data:waterfall,mtu,/);
  assert.match(lines[2] ?? '', /b\.pcap,,,unreadable,,,.*magic/);
});
