/**
 * `flexpath login` at a terminal: the email is asked and echoed, the password is read with echo off.
 * Python's `pty` module plays the terminal (a real pseudo-terminal, so the kernel's line discipline
 * decides what is echoed). It waits for each prompt, and for the password it first waits until the
 * terminal's ECHO flag is off (termios, read on the master: Linux shares one termios per pty pair),
 * then types. Against the simulator's Auth0 stand-in; every wait is bounded.
 */
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { type Simulator, startSimulator } from '../../src/sim/radio-sim.js';
import { cliPath } from '../helpers/paths.js';

const EMAIL = 'op@example.invalid';
const PASSWORD = `pw-TTY-${process.pid}`;
const noPython = spawnSync('python3', ['-c', 'import pty, termios']).status === 0 ? undefined : 'python3 with pty/termios missing';

/** argv: node, cli, email, password. Prints a JSON line: what the terminal showed, and whether ECHO went off. */
const DRIVER = String.raw`
import json, os, pty, select, sys, termios, time
node, cli, email, password = sys.argv[1:5]
pid, fd = pty.fork()
if pid == 0:
    os.execv(node, [node, cli, 'login', '--auth-test-ca'])
shown = b''
def read_until(needle, seconds):
    global shown
    end = time.monotonic() + seconds
    while needle not in shown and time.monotonic() < end:
        r, _, _ = select.select([fd], [], [], 0.1)
        if r:
            try:
                shown += os.read(fd, 4096)
            except OSError:
                return False
    return needle in shown
def echo_off_within(seconds):
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        if not termios.tcgetattr(fd)[3] & termios.ECHO:
            return True
        time.sleep(0.02)
    return False
result = {'emailPrompt': read_until(b'email: ', 20)}
os.write(fd, email.encode() + b'\r')
result['passwordPrompt'] = read_until(b'(input hidden): ', 20)
result['echoOff'] = echo_off_within(5)
os.write(fd, password.encode() + b'\r')
read_until(b'\nkept in ', 30)
os.kill(pid, 9) if not read_until(b'logout', 5) else None
_, status = os.waitpid(pid, 0)
result['exit'] = os.waitstatus_to_exitcode(status)
result['shown'] = shown.decode('utf8', 'replace')
print(json.dumps(result))
`;

let sim: Simulator;
let dir: string;
before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'flexpath-login-tty-'));
  sim = await startSimulator({ portBase: 0, discovery: false, broker: false, auth: { users: { [EMAIL]: PASSWORD }, idTokenTtlS: 3600 } });
});
after(async () => {
  await sim?.stop();
  rmSync(dir, { recursive: true, force: true });
});

test('flexpath login at a terminal: the email echoes, the password is typed with echo off and never shown', { skip: noPython }, async () => {
  const child = spawn('python3', ['-c', DRIVER, process.execPath, cliPath, EMAIL, PASSWORD], {
    env: { ...process.env, FLEXPATH_CONFIG_DIR: dir, FLEXPATH_AUTH0_DOMAIN: sim.auth!.domain, FLEXPATH_SMARTLINK_TOKEN: '' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const out: Buffer[] = [];
  const err: Buffer[] = [];
  child.stdout.on('data', (d: Buffer) => out.push(d));
  child.stderr.on('data', (d: Buffer) => err.push(d));
  const code = await new Promise<number | null>((resolve, reject) => {
    const timer = setTimeout(() => (child.kill('SIGKILL'), reject(new Error('the pty driver did not finish within 90 s'))), 90_000);
    child.on('close', (c) => (clearTimeout(timer), resolve(c)));
  });
  assert.equal(code, 0, Buffer.concat(err).toString());
  const r = JSON.parse(Buffer.concat(out).toString()) as { emailPrompt: boolean; passwordPrompt: boolean; echoOff: boolean; exit: number; shown: string };
  assert.equal(r.emailPrompt, true, r.shown);
  assert.equal(r.passwordPrompt, true, r.shown);
  assert.equal(r.echoOff, true, 'the terminal still echoed when the password was asked');
  // The terminal is not blind: the email typed at the first prompt is on screen.
  assert.ok(r.shown.includes(EMAIL), r.shown);
  assert.equal(r.shown.includes(PASSWORD), false, 'the password appeared on the terminal');
  assert.match(r.shown, /signed in to SmartLink as op@example\.invalid until/);
  assert.equal(r.exit, 0, r.shown);
  assert.equal(readFileSync(join(dir, 'smartlink.json'), 'utf8').includes(PASSWORD), false);
});
