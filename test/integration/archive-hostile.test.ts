/**
 * Hostile archives: each gets a clear error naming what is wrong, never a crash, a hang or a file
 * written anywhere. The hand-made zips are assembled byte by byte (test/helpers/zip-build.ts); the
 * bombs and the nested archive are made by the gzip and zip tools. Expected numbers come from the
 * construction (sizes written into the headers, bytes fed to the tools).
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import type { AnalysisReport } from '../../src/analysis/model.js';
import { MAX_RATIO, MAX_ZIP_ENTRIES } from '../../src/capture/zip.js';
import { runCli } from '../helpers/cli.js';
import { fixture } from '../helpers/paths.js';
import { buildZip } from '../helpers/zip-build.js';

const dir = mkdtempSync(join(tmpdir(), 'flexpath-hostile-zip-'));
after(() => rmSync(dir, { recursive: true, force: true }));
const has = (tool: string, arg: string): boolean => spawnSync(tool, [arg], { stdio: 'ignore' }).status === 0;
const zipMissing = has('zip', '-v') ? undefined : 'zip is not installed';
const gzipMissing = has('gzip', '--version') ? undefined : 'gzip is not installed';
const capture = readFileSync(fixture('flex6600m-discovery.pcapng'));

function sh(cmd: string, args: string[], opts: { cwd?: string; input?: Buffer } = {}): Buffer {
  const r = spawnSync(cmd, args, { cwd: opts.cwd, input: opts.input, maxBuffer: 1 << 28 });
  assert.equal(r.status, 0, `${cmd} ${args.join(' ')}: ${r.stderr?.toString()}`);
  return r.stdout;
}

async function analyze(file: string): Promise<{ code: number | null; stderr: string; stdout: string }> {
  return runCli(['analyze', file, '--format', 'json', '--no-redact'], { timeoutMs: 60_000 });
}

function write(name: string, bytes: Buffer): string {
  const p = join(dir, name);
  writeFileSync(p, bytes);
  return p;
}

test('a zip built by hand with one stored capture is read like the capture itself (the builder is sound)', async () => {
  const zip = write('sound.zip', buildZip([{ name: 'beacons.pcapng', data: capture }]));
  const z = await analyze(zip);
  const p = await analyze(fixture('flex6600m-discovery.pcapng'));
  assert.equal(z.code, 0, z.stderr);
  assert.equal((JSON.parse(z.stdout) as AnalysisReport).source.packets, (JSON.parse(p.stdout) as AnalysisReport).source.packets);
});

test('names outside the archive (../, absolute): refused as a hostile archive, nothing written beside it', async () => {
  for (const [file, name] of [
    ['climb.zip', '../../escaped.pcapng'],
    ['absolute.zip', '/tmp/escaped-absolute.pcapng'],
  ] as const) {
    const r = await analyze(write(file, buildZip([{ name, data: capture }])));
    assert.equal(r.code, 1, r.stderr);
    assert.match(r.stderr, /named outside the archive .*hostile or broken archive/, r.stderr);
    assert.ok(r.stderr.includes(name), 'the offending name is quoted');
  }
  assert.equal(existsSync(join(dir, '..', '..', 'escaped.pcapng')), false);
});

test('overlapping entries (many names inflating the same bytes): refused before any is read', async () => {
  const r = await analyze(write('overlap.zip', buildZip([{ name: 'a.pcapng', data: capture, deflate: true }], { aliases: ['b.pcapng', 'c.pcapng'] })));
  assert.equal(r.code, 1, r.stderr);
  assert.match(r.stderr, /share compressed data .*overlapping-entry zip bomb/);
});

test(`an entry declaring more than ${MAX_RATIO}:1: refused from its header, before inflating`, async () => {
  // 64 MiB of zeros deflate to ~65 kB (deflate's ceiling is ~1032:1): an honest header, a bomb's ratio.
  const zeros = Buffer.alloc(64 * 1024 * 1024);
  const r = await analyze(write('ratio.zip', buildZip([{ name: 'zeros.pcapng', data: zeros, deflate: true }])));
  assert.equal(r.code, 1, r.stderr);
  assert.match(r.stderr, new RegExp(`declares ${zeros.length} bytes from \\d+ compressed \\(over ${MAX_RATIO}:1.*zip bomb`));
});

test('an entry that inflates to more than its header declares: stopped at the declared size with a clear error', async () => {
  // 2 MiB of zeros declared as 2 000 bytes: the ratio looks harmless, the bytes are not.
  const r = await analyze(write('liar.zip', buildZip([{ name: 'liar.pcapng', data: Buffer.alloc(2 * 1024 * 1024), deflate: true, declaredSize: 2000 }])));
  assert.equal(r.code, 1, r.stderr);
  assert.match(r.stderr, /inflates to another size than its header declares .*expected 2000/);
});

test(`more than ${MAX_ZIP_ENTRIES} entries: refused from the end record, no analysis started`, async () => {
  const entries = Array.from({ length: MAX_ZIP_ENTRIES + 1 }, (_, i) => ({ name: `c${i}.pcapng`, data: Buffer.from([i & 0xff]) }));
  const r = await analyze(write('flood.zip', buildZip(entries)));
  assert.equal(r.code, 1, r.stderr);
  assert.match(r.stderr, new RegExp(`${MAX_ZIP_ENTRIES + 1} entries \\(at most ${MAX_ZIP_ENTRIES}\\)`));
  assert.equal(r.stdout.split('\n').filter((l) => l.includes('"file"')).length, 0);
});

test('a zip inside a zip (made by zip): that row says to unpack the outer one; the capture beside it is read', { skip: zipMissing ?? false }, async () => {
  const work = join(dir, 'nested');
  mkdirSync(work);
  writeFileSync(join(work, 'beacons.pcapng'), capture);
  sh('zip', ['-q', 'inner.zip', 'beacons.pcapng'], { cwd: work });
  sh('zip', ['-q', 'outer.zip', 'inner.zip', 'beacons.pcapng'], { cwd: work });
  const r = await runCli(['analyze', join(work, 'outer.zip'), '--format', 'jsonl', '--no-redact'], { timeoutMs: 60_000 });
  assert.equal(r.code, 1, r.stderr);
  const rows = r.stdout.trim().split('\n').map((l) => JSON.parse(l) as { file: string; readable: boolean; error?: string });
  assert.deepEqual(rows.map((x) => [x.file.split(':').pop(), x.readable]), [['inner.zip', false], ['beacons.pcapng', true]]);
  assert.match(rows[0]?.error ?? '', /a zip inside the zip; unpack the outer archive first/);
});

test('a gzip bomb (made by gzip: a pcap header, then 256 MiB of zeros = empty records): stopped past the ratio, with a clear error', { skip: gzipMissing ?? false, timeout: 120_000 }, async () => {
  // pcap global header: magic a1b2c3d4 (little-endian), v2.4, snaplen 65535, Ethernet; zeros after it
  // read as 16-byte records of length 0, a valid capture of nothing that never ends.
  const header = Buffer.alloc(24);
  header.writeUInt32LE(0xa1b2c3d4, 0);
  header.writeUInt16LE(2, 4);
  header.writeUInt16LE(4, 6);
  header.writeUInt32LE(65535, 16);
  header.writeUInt32LE(1, 20);
  const gz = write('bomb.pcap.gz', sh('gzip', ['-c'], { input: Buffer.concat([header, Buffer.alloc(256 * 1024 * 1024)]) }));
  const r = await analyze(gz);
  assert.equal(r.code, 1, r.stderr);
  assert.match(r.stderr, new RegExp(`inflates past ${MAX_RATIO}:1 .*gzip bomb; stopped`));
});

test('gzip inside gzip (made by gzip twice): one level only, said plainly', { skip: gzipMissing ?? false }, async () => {
  const twice = write('twice.pcapng.gz.gz', sh('gzip', ['-c'], { input: sh('gzip', ['-c'], { input: capture }) }));
  const r = await analyze(twice);
  assert.equal(r.code, 1, r.stderr);
  assert.match(r.stderr, /gzip inside gzip; decompress it once first/);
});
