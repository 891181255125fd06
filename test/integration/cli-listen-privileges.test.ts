/**
 * `sudo flexpath listen --capture`: root opens the interface and nothing more. While the capture runs,
 * tcpdump (dropped with -Z) and FlexPath's own process (the parsers) run as the sudo caller, or as
 * nobody for a root login; the report still reaches --out, opened before the drop.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { startCli } from '../helpers/cli.js';

const cannot = process.getuid?.() !== 0 ? 'capturing needs root' : spawnSync('tcpdump', ['--version']).status !== 0 ? 'tcpdump is not installed' : undefined;

/** Effective uid of a process, from /proc. */
function uidOf(pid: number): number {
  const line = readFileSync(`/proc/${pid}/status`, 'utf8').split('\n').find((l) => l.startsWith('Uid:')) ?? '';
  return Number(line.split(/\s+/)[2]);
}

function childNamed(parent: number, comm: string): number | undefined {
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const stat = readFileSync(`/proc/${name}/stat`, 'utf8');
      // pid (comm) state ppid …
      const m = /^\d+ \((.*)\) \S+ (\d+)/.exec(stat);
      if (m?.[1] === comm && Number(m[2]) === parent) return Number(name);
    } catch {
      // gone meanwhile
    }
  }
  return undefined;
}

const nobody = { uid: Number(spawnSync('id', ['-u', 'nobody'], { encoding: 'utf8' }).stdout.trim()), gid: Number(spawnSync('id', ['-g', 'nobody'], { encoding: 'utf8' }).stdout.trim()) };

for (const [how, env] of [
  ['sudo by a user', { SUDO_USER: 'nobody', SUDO_UID: String(nobody.uid), SUDO_GID: String(nobody.gid) }],
  ['a root login', { SUDO_USER: '', SUDO_UID: '', SUDO_GID: '' }],
] as const) {
  test(`listen --capture as root (${how}): tcpdump and the analyzer run as an ordinary user; --out still written`, { skip: cannot ?? false }, async (t) => {
    const dir = mkdtempSync(join(tmpdir(), 'flexpath-priv-'));
    t.after(() => rmSync(dir, { recursive: true, force: true }));
    const out = join(dir, 'report.json');
    // A port nothing uses: the capture stays empty, this is about who reads it.
    const run = startCli(['listen', '--capture', 'lo', '--filter', 'udp port 9', '--seconds', '4', '--format', 'json', '--out', out], { timeoutMs: 30_000, env });
    const pid = run.child.pid!;
    let tcpdump: number | undefined;
    for (let i = 0; i < 60 && tcpdump === undefined; i++) {
      await new Promise((r) => setTimeout(r, 50));
      tcpdump = childNamed(pid, 'tcpdump');
    }
    assert.ok(tcpdump, 'tcpdump runs');
    // tcpdump drops right after opening the interface; FlexPath right after starting it.
    await new Promise((r) => setTimeout(r, 1500));
    assert.equal(uidOf(tcpdump), nobody.uid, 'tcpdump is no longer root');
    assert.equal(uidOf(pid), nobody.uid, 'the analyzer is no longer root');
    const r = await run.done;
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stderr, /capturing as nobody, not root/);
    assert.equal((JSON.parse(readFileSync(out, 'utf8')) as { source: { packets: number } }).source.packets, 0);
    assert.equal(statSync(out).uid, nobody.uid, 'the report belongs to the user');
  });
}
