/**
 * The batch's progress on stderr: on a terminal one line, redrawn in place with \r and cleared at the
 * end (driven through a real pseudo-terminal by util-linux `script`); in a pipe or a log, one plain
 * line per capture and no control characters. The table on stdout is the same either way.
 */
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { runCli } from '../helpers/cli.js';
import { cliPath, fixture } from '../helpers/paths.js';

const dir = mkdtempSync(join(tmpdir(), 'flexpath-progress-'));
const folder = join(dir, 'ticket');
mkdirSync(folder);
const NAMES = ['a.pcapng', 'b.pcapng', 'c.pcapng'];
for (const n of NAMES) copyFileSync(fixture('flex6600m-discovery.pcapng'), join(folder, n));
after(() => rmSync(dir, { recursive: true, force: true }));

const scriptMissing = spawnSync('script', ['--version']).error ? 'util-linux script missing' : undefined;
const quote = (s: string): string => `'${s.replace(/'/g, `'\\''`)}'`;

/** Runs the CLI with stderr on a pseudo-terminal and stdout into a file; gives what the terminal got. */
function onTerminal(args: string[], stdoutFile: string): Promise<{ code: number | null; terminal: Buffer }> {
  const command = [process.execPath, cliPath, ...args].map(quote).join(' ') + ` > ${quote(stdoutFile)}`;
  const child = spawn('script', ['-qec', command, '/dev/null'], { stdio: ['ignore', 'pipe', 'pipe'] });
  return new Promise((resolve, reject) => {
    const got: Buffer[] = [];
    child.stdout.on('data', (d: Buffer) => got.push(d));
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error('flexpath under script did not exit within 60 s'));
    }, 60_000);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, terminal: Buffer.concat(got) });
    });
  });
}

test('on a terminal: one progress line rewritten with \\r, each capture counted, cleared at the end', { skip: scriptMissing ?? false, timeout: 90_000 }, async () => {
  const table = join(dir, 'table-tty.txt');
  const r = await onTerminal(['analyze', folder], table);
  assert.equal(r.code, 0, r.terminal.toString());
  const text = r.terminal.toString('utf8');
  assert.ok(!text.includes('\n'), `no new line on the terminal: ${JSON.stringify(text)}`);
  assert.ok(text.endsWith('\r\x1b[K'), `the line is cleared at the end: ${JSON.stringify(text.slice(-20))}`);
  const frames = text.split('\r').filter((f) => f !== '' && f !== '\x1b[K');
  for (const f of frames) assert.match(f, /^analyzing: [0-3]\/3 captures done, .*\x1b\[K$/);
  // One redraw per finished capture, in order, whatever the throttle dropped in between.
  const steps = frames.map((f) => /^analyzing: (\d)\/3 .*\(last: /.exec(f)?.[1]).filter((n) => n !== undefined);
  assert.deepEqual(steps, ['1', '2', '3']);
  assert.equal(readFileSync(table, 'utf8').trim().split('\n').length, 1 + NAMES.length, 'header and one row per capture on stdout');
});

test('not a terminal: one plain line per capture on stderr, no \\r or escape codes', { timeout: 90_000 }, async () => {
  const r = await runCli(['analyze', folder], { timeoutMs: 60_000 });
  assert.equal(r.code, 0, r.stderr);
  assert.ok(!/[\r\x1b]/.test(r.stderr), JSON.stringify(r.stderr));
  const lines = r.stderr.trimEnd().split('\n');
  assert.equal(lines.length, NAMES.length, r.stderr);
  assert.deepEqual(
    lines.map((l) => /^analyzing: (\d)\/3 captures done, .*\(last: (.*)\)$/.exec(l)?.[1]),
    ['1', '2', '3'],
  );
  assert.deepEqual(lines.map((l) => /\(last: (.*)\)$/.exec(l)?.[1]).sort(), NAMES.map((n) => join(folder, n)));
  assert.equal(r.stdout.trim().split('\n').length, 1 + NAMES.length);
});
