/**
 * `flexpath diff` on simulator captures recorded before and after a fix: the MTU fault (1024-pixel FFT
 * frames need ~1.4 kB datagrams, so a 1400-B path blocks the panadapter) is removed in the "after" run,
 * and the diff must say exactly that hop went from blocked (mtu) to ok.
 */
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import type { ReportDiff } from '../../src/analysis/diff.js';
import { runCli } from '../helpers/cli.js';
import { recordedSession } from '../helpers/sim.js';

const dir = mkdtempSync(join(tmpdir(), 'flexpath-diff-'));
const before = join(dir, 'before.pcapng');
const after = join(dir, 'after.pcapng');
// One after the other: two simulators recording side by side would add timing jitter to the "after" capture.
const recorded = recordedSession(before, { mtu: 1400 }).then(() => recordedSession(after, {}));

test('diff before (MTU 1400) / after (fixed): the panadapter hop goes from blocked (mtu) to ok, the verdict to healthy', { timeout: 60_000 }, async () => {
  await recorded;
  const j = await runCli(['diff', before, after, '--format', 'json']);
  assert.equal(j.code, 0, j.stderr);
  const d = JSON.parse(j.stdout) as ReportDiff;
  assert.equal(d.before.verdict.status, 'blocked');
  assert.equal(d.after.verdict.status, 'healthy');
  assert.equal(d.verdictChanged, true);
  const pan = d.hops.find((h) => h.id === 'data:panadapter');
  assert.deepEqual([pan?.before.status, pan?.before.cause, pan?.after.status, pan?.changed], ['blocked', 'mtu', 'ok', true]);
  // Small classes passed before too: the meter hop did not change.
  assert.equal(d.hops.find((h) => h.id === 'data:meter')?.changed, false);
  const t = await runCli(['diff', before, after]);
  assert.equal(t.code, 0, t.stderr);
  assert.match(t.stdout, /^ {2}data:panadapter blocked \(mtu\) → ok {3}Panadapter \(FFT\)$/m);
  const md = await runCli(['diff', before, after, '--format', 'md']);
  assert.match(md.stdout, /\| \*\*`Panadapter \(FFT\)`\*\* \| blocked \(mtu\) \| ok \|/);
});

test('diff of a capture with itself: no hop changed', { timeout: 60_000 }, async () => {
  await recorded;
  const t = await runCli(['diff', after, after]);
  assert.equal(t.code, 0, t.stderr);
  assert.match(t.stdout, /^No hop changed\.$/m);
});

test('diff with an unreadable side: exit 1 naming it; a wrong number of arguments: exit 2', async () => {
  const bad = await runCli(['diff', join(dir, 'missing.pcapng'), join(dir, 'missing.pcapng')]);
  assert.equal(bad.code, 1);
  assert.match(bad.stderr, /missing\.pcapng: no such file \(ENOENT\)/);
  assert.equal((await runCli(['diff', 'one.pcapng'])).code, 2);
});
