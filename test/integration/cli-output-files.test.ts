/**
 * Output files are created new: never over an input (with or without --force), never over an existing
 * file without --force, never through a symlink planted at the name (a victim file it points to stays
 * as it was), and a capture written with --write obeys the same rules down in the writer.
 */
import assert from 'node:assert/strict';
import { copyFileSync, existsSync, lstatSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { runCli } from '../helpers/cli.js';
import { fixture } from '../helpers/paths.js';

let dir: string;
let capture: string;
let original: Buffer;
before(() => {
  dir = mkdtempSync(join(tmpdir(), 'flexpath-outputs-'));
  capture = join(dir, 't.pcapng');
  copyFileSync(fixture('flex6600m-discovery.pcapng'), capture);
  original = readFileSync(capture);
});
after(() => rmSync(dir, { recursive: true, force: true }));

test('analyze t.pcapng --out t.pcapng is refused, with or without --force, also through a symlink or hard name', async () => {
  const link = join(dir, 'report-link.txt');
  symlinkSync(capture, link);
  for (const args of [['--out', capture], ['--out', capture, '--force'], ['--out', link, '--force'], ['--format', 'md', '--out', join(dir, '.', 't.pcapng'), '--force']]) {
    const r = await runCli(['analyze', capture, ...args]);
    assert.equal(r.code, 2, `${args.join(' ')}: ${r.stderr}`);
    assert.match(r.stderr, /is the input .*never writes over what it reads/);
    assert.ok(readFileSync(capture).equals(original), 'the customer’s capture is untouched');
  }
});

test('an existing --out is kept unless --force; --force replaces it', async () => {
  const out = join(dir, 'existing.txt');
  writeFileSync(out, 'keep me');
  const refused = await runCli(['analyze', capture, '--out', out]);
  assert.equal(refused.code, 2);
  assert.match(refused.stderr, /exists; choose another name, or add --force/);
  assert.equal(readFileSync(out, 'utf8'), 'keep me');
  const forced = await runCli(['analyze', capture, '--out', out, '--force']);
  assert.equal(forced.code, 0, forced.stderr);
  assert.match(readFileSync(out, 'utf8'), /^VERDICT: /);
});

test('a symlink planted at the --out name is never followed: refused, and with --force replaced by a plain file', async () => {
  const victim = join(dir, 'victim.conf');
  writeFileSync(victim, 'important=1\n');
  const planted = join(dir, 'planted.txt');
  symlinkSync(victim, planted);
  assert.equal((await runCli(['analyze', capture, '--out', planted])).code, 2);
  const forced = await runCli(['analyze', capture, '--out', planted, '--force']);
  assert.equal(forced.code, 0, forced.stderr);
  assert.equal(readFileSync(victim, 'utf8'), 'important=1\n', 'what the link pointed to is untouched');
  assert.ok(lstatSync(planted).isFile() && !lstatSync(planted).isSymbolicLink());
  // A dangling link would have created its target.
  const ghost = join(dir, 'ghost-target');
  const dangling = join(dir, 'dangling.txt');
  symlinkSync(ghost, dangling);
  assert.equal((await runCli(['analyze', capture, '--out', dangling])).code, 2);
  assert.equal(existsSync(ghost), false);
});

test('--write: an existing capture is refused before anything runs; --out and --write may not be one file', async () => {
  const rec = join(dir, 'rec.pcapng');
  writeFileSync(rec, 'an earlier recording');
  const sim = await runCli(['sim', '--port-base', '0', '--discovery', 'off', '--seconds', '0.2', '--write', rec], { timeoutMs: 20_000 });
  assert.equal(sim.code, 2, sim.stderr);
  assert.match(sim.stderr, /--write .*rec\.pcapng exists/);
  assert.equal(readFileSync(rec, 'utf8'), 'an earlier recording');
  const both = join(dir, 'both.out');
  const diag = await runCli(['diagnose', '--host', '127.0.0.1:9', '--out', both, '--write', both, '--seconds', '1'], { timeoutMs: 20_000 });
  assert.equal(diag.code, 2);
  assert.match(diag.stderr, /--out and --write name the same file/);
});

test('a claimed name is a new regular file of ours from the start; a run that fails before writing leaves none', async () => {
  const out = join(dir, 'fails.txt');
  // Not a capture: analyze exits 1 before any report, after --out was claimed.
  const notCapture = join(dir, 'notes.txt');
  writeFileSync(notCapture, 'hello');
  const r = await runCli(['analyze', notCapture, '--out', out]);
  assert.equal(r.code, 1);
  assert.equal(existsSync(out), false, 'no empty placeholder left to trip the next run');
});

test('--out-dir: every report name is claimed before the work; one that is taken stops the run with none written, --force replaces it', async () => {
  const inputs = join(dir, 'ticket');
  mkdirSync(inputs);
  for (const n of ['a.pcapng', 'b.pcapng']) copyFileSync(capture, join(inputs, n));
  // The names a run gives its reports, from a run into a fresh folder.
  const fresh = join(dir, 'reports-fresh');
  assert.equal((await runCli(['analyze', inputs, '--out-dir', fresh])).code, 0);
  const names = readdirSync(fresh).sort();
  assert.equal(names.length, 2);
  const [first, second] = names as [string, string];

  const out = join(dir, 'reports');
  mkdirSync(out);
  writeFileSync(join(out, second), 'an earlier report');
  const refused = await runCli(['analyze', inputs, '--out-dir', out]);
  assert.equal(refused.code, 2, refused.stderr);
  assert.match(refused.stderr, /--out-dir .* exists; choose another name, or add --force/);
  assert.equal(refused.stdout, '', 'refused before the work: no table');
  assert.deepEqual(readdirSync(out), [second], `the other report was not written: ${readdirSync(out).join(', ')}`);
  assert.equal(readFileSync(join(out, second), 'utf8'), 'an earlier report');

  // A symlink planted at a report's name: never written through, with or without --force.
  const victim = join(dir, 'victim-report.conf');
  writeFileSync(victim, 'important=1\n');
  rmSync(join(out, second));
  symlinkSync(victim, join(out, first));
  assert.equal((await runCli(['analyze', inputs, '--out-dir', out])).code, 2);
  const forced = await runCli(['analyze', inputs, '--out-dir', out, '--force']);
  assert.equal(forced.code, 0, forced.stderr);
  assert.equal(readFileSync(victim, 'utf8'), 'important=1\n', 'what the link pointed to is untouched');
  for (const n of names) {
    assert.ok(lstatSync(join(out, n)).isFile() && !lstatSync(join(out, n)).isSymbolicLink(), n);
    assert.equal(readFileSync(join(out, n), 'utf8'), readFileSync(join(fresh, n), 'utf8'), n);
  }
});

test('--out-dir: a capture that turns out unreadable leaves no empty report behind', async () => {
  const inputs = join(dir, 'ticket-bad');
  mkdirSync(inputs);
  copyFileSync(capture, join(inputs, 'good.pcapng'));
  writeFileSync(join(inputs, 'bad.pcapng'), 'not a capture at all');
  const out = join(dir, 'reports-bad');
  const r = await runCli(['analyze', inputs, '--out-dir', out]);
  assert.equal(r.code, 1, r.stderr);
  const left = readdirSync(out);
  assert.equal(left.length, 1, left.join(', '));
  assert.match(left[0] ?? '', /good/);
});
