/**
 * Secrets and identities never leave through FlexPath's outputs (issue 8 item 6). A full SmartLink run
 * against the simulator with a distinctive token, through the CLI (every report format, the pcapng,
 * stdout and stderr) and through web mode (model snapshots, report exports, support bundle): the token
 * must appear in none of them. `--redact` must remove the planted public IP, serial and callsign — which
 * the unredacted reports do carry, so the check is not vacuous. Exports are named by FlexPath, never by
 * the request: a hostile format is refused and bundle entries stay inside their folder.
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { WebSocket } from 'ws';
import { productBackends } from '../../src/bridge/backends.js';
import type { Snapshot } from '../../src/bridge/protocol.js';
import { startUiServer } from '../../src/bridge/ui-server.js';
import type { Simulator } from '../../src/sim/radio-sim.js';
import { startSimulator } from '../../src/sim/radio-sim.js';
import { SIM_CA_CERT, SIM_TLS_SERVERNAME } from '../../src/sim/test-cert.js';
import { runCli } from '../helpers/cli.js';
import { http, signIn } from '../helpers/ui-client.js';
import { sleep } from '../helpers/udp-sink.js';

/** JWT-shaped like a real SmartLink token, with a marker no other text contains. */
const CANARY = `SECRET-CANARY-${randomBytes(6).toString('hex')}`;
const TOKEN = `eyJhbGciOiJSUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiJmbGV4cGF0aCJ9.${CANARY}`;
const PLANTED = { serial: '4821-7730-1166-0942', callsign: 'KX9ZQ', publicIp: '203.0.113.77' };
/** Format, file extension, and whether it lists every evidence line (text shows one per healthy hop). */
const FORMATS = [
  ['text', 'txt', false],
  ['json', 'json', true],
  ['md', 'md', true],
  ['html', 'html', true],
] as const;
/** What the broker says it sees this client as: only in the smartlink-server hop's later evidence. */
const inEvidence = (v: string): boolean => v === PLANTED.publicIp;

let sim: Simulator;
let dir: string;

before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'flexpath-security-'));
  // The broker accepts only this token: a run that gets a radio list has really used it.
  sim = await startSimulator({
    portBase: 0,
    discovery: false,
    broker: true,
    tokens: [TOKEN],
    identity: { serial: PLANTED.serial, callsign: PLANTED.callsign },
    clientPublicIp: PLANTED.publicIp,
  });
});
after(async () => {
  await sim.stop();
  rmSync(dir, { recursive: true, force: true });
});

function assertNoToken(what: string, bytes: Buffer | string): void {
  const b = typeof bytes === 'string' ? Buffer.from(bytes) : bytes;
  assert.ok(b.length > 0, `${what} is empty`);
  for (const needle of [TOKEN, CANARY, TOKEN.split('.')[1]!]) assert.equal(b.indexOf(needle), -1, `${what} contains the token`);
}

async function cliRun(format: string, ext: string, redact: boolean): Promise<{ report: Buffer; pcap: Buffer; stdout: string; stderr: string }> {
  const tag = `${format}${redact ? '-redacted' : ''}`;
  const out = join(dir, `report-${tag}.${ext}`);
  const pcap = join(dir, `run-${tag}.pcapng`);
  const r = await runCli(
    ['diagnose', '--smartlink', '--broker', `127.0.0.1:${sim.ports.broker}`, '--broker-test-ca', '--format', format, '--out', out, '--write', pcap, '--settle', '1', '--seconds', '20', ...(redact ? ['--redact'] : ['--no-redact'])],
    { timeoutMs: 45_000, env: { FLEXPATH_SMARTLINK_TOKEN: TOKEN } },
  );
  assert.equal(r.code, 0, r.stderr);
  return { report: readFileSync(out), pcap: readFileSync(pcap), stdout: r.stdout, stderr: r.stderr };
}

test('SmartLink through the CLI: the token is in no report format, no pcapng, not on stdout or stderr', async () => {
  for (const [format, ext, allEvidence] of FORMATS) {
    const r = await cliRun(format, ext, false);
    // The run logged in with the token and reached the radio.
    assert.match(r.report.toString(), new RegExp(PLANTED.serial), `${format}: the radio list arrived`);
    assert.ok(r.pcap.includes('application register name=FlexPath'), 'the broker conversation is in the capture');
    assert.ok(r.pcap.includes('token=<redacted>'));
    assertNoToken(`${format} report`, r.report);
    assertNoToken(`${format} pcapng`, r.pcap);
    assertNoToken(`${format} stderr`, r.stderr);
    assert.equal(r.stdout.indexOf(CANARY), -1);
    // Unredacted reports carry the identities --redact must remove.
    const text = r.report.toString();
    for (const v of Object.values(PLANTED)) if (allEvidence || !inEvidence(v)) assert.ok(text.includes(v), `${format} report names ${v}`);
  }
});

test('--redact: no public IP, serial or callsign in any report format; private addresses stay', async () => {
  for (const [format, ext, allEvidence] of FORMATS) {
    const r = await cliRun(format, ext, true);
    // HTML writes the placeholders' angle brackets as entities.
    const text = r.report.toString().replace(/&#60;|&lt;/g, '<').replace(/&#62;|&gt;/g, '>');
    assertNoToken(`${format} redacted report`, r.report);
    for (const v of Object.values(PLANTED)) assert.ok(!text.includes(v), `${format}: ${v} left in the redacted report`);
    assert.match(text, /<serial>/);
    assert.match(text, /<callsign>/);
    if (allEvidence) assert.match(text, /<public-ip-1>/);
    assert.match(text, /127\.0\.0\.1/, 'loopback addresses are kept');
  }
});

/** Entry names of a ustar archive (name field, 100 bytes at each header). */
function tarNames(tar: Buffer): Array<{ name: string; data: Buffer }> {
  const out: Array<{ name: string; data: Buffer }> = [];
  for (let o = 0; o + 512 <= tar.length; ) {
    const h = tar.subarray(o, o + 512);
    if (h.every((b) => b === 0)) break;
    const name = h.subarray(0, 100).toString('utf8').replace(/\0.*$/s, '');
    const size = parseInt(h.subarray(124, 136).toString('ascii').replace(/\0.*$/s, '').trim(), 8);
    out.push({ name, data: tar.subarray(o + 512, o + 512 + size) });
    o += 512 + Math.ceil(size / 512) * 512;
  }
  return out;
}

test('web mode: SmartLink run, snapshots, exports and support bundle carry no token; hostile export formats are refused', async () => {
  const staticDir = mkdtempSync(join(dir, 'renderer-'));
  const server = await startUiServer({
    staticDir,
    backends: (workDir) =>
      productBackends({ recordingDir: workDir, smartLinkBroker: { brokerHost: '127.0.0.1', brokerPort: sim.ports.broker!, brokerTls: { ca: SIM_CA_CERT, servername: SIM_TLS_SERVERNAME } } }),
  });
  const received: string[] = [];
  try {
    const me = await signIn(server);
    const origin = `http://127.0.0.1:${server.port}`;
    const ws = new WebSocket(`ws://127.0.0.1:${server.port}${me.base}ws`, { headers: { origin, cookie: me.cookie } });
    await new Promise<void>((resolve, reject) => {
      ws.once('open', () => resolve());
      ws.once('error', reject);
    });
    const waiters: Array<{ match: (s: Snapshot) => boolean; resolve: (s: Snapshot) => void }> = [];
    ws.on('message', (d) => {
      const text = d.toString();
      received.push(text);
      const s = JSON.parse(text) as Snapshot;
      for (const w of [...waiters]) if (w.match(s)) (waiters.splice(waiters.indexOf(w), 1), w.resolve(s));
    });
    const next = (match: (s: Snapshot) => boolean, what: string): Promise<Snapshot> =>
      new Promise((resolve, reject) => {
        const t = setTimeout(() => reject(new Error(`no ${what}`)), 20_000);
        waiters.push({ match, resolve: (s) => (clearTimeout(t), resolve(s)) });
      });

    ws.send(JSON.stringify({ type: 'diagnose-smartlink', token: TOKEN }));
    // Wait until data flows through the brokered session: the model lists the probe's streams.
    await next((s) => s.type === 'model' && JSON.stringify(s).includes('waterfall') && JSON.stringify(s).includes(PLANTED.serial), 'model with the radio and its waterfall');
    await sleep(1000);

    // A hostile format is not a command: nothing is exported, whatever it names.
    for (const format of ['../../../tmp/evil', '/etc/passwd', 'bundle/../../x', 'markdown\0']) {
      const err = next((s) => s.type === 'error', 'error');
      ws.send(JSON.stringify({ type: 'export', format, redact: false }));
      const e = await err;
      assert.equal(e.type, 'error');
    }

    const downloads: Array<{ format: string; body: Buffer; name: string }> = [];
    for (const format of ['markdown', 'html', 'bundle'] as const) {
      const ready = next((s) => s.type === 'export-ready', `export-ready ${format}`);
      ws.send(JSON.stringify({ type: 'export', format, redact: false }));
      const s = await ready;
      assert.ok(s.type === 'export-ready' && s.url);
      assert.match(s.fileName, /^flexpath-(report|support)-[0-9T-]+\.(md|html|tar)$/, 'FlexPath names the file, with no path in it');
      const r = await http(server.port, s.url, { headers: { cookie: me.cookie } });
      assert.equal(r.status, 200);
      assert.equal((await http(server.port, s.url, { headers: { cookie: me.cookie } })).status, 404, 'an export is fetched once');
      assert.match(String(r.headers['content-disposition']), /^attachment; filename="[\w.-]+"$/);
      downloads.push({ format, body: r.body, name: s.fileName });
    }
    ws.send(JSON.stringify({ type: 'stop' }));
    await sleep(500);
    ws.close();

    for (const d of downloads) assertNoToken(`${d.format} export`, d.body);
    const bundle = tarNames(downloads.find((d) => d.format === 'bundle')!.body);
    assert.deepEqual(bundle.map((e) => e.name).sort(), ['report.html', 'report.md', 'session.pcapng']);
    for (const e of bundle) {
      assert.doesNotMatch(e.name, /[\\/]|\.\./, 'bundle entries stay in the folder they are unpacked to');
      assertNoToken(`bundle ${e.name}`, e.data);
    }
    const pcap = bundle.find((e) => e.name === 'session.pcapng')!.data;
    assert.ok(pcap.includes('application register name=FlexPath'), 'the bundle carries the broker conversation');
    assert.ok(pcap.includes(PLANTED.serial), 'and the brokered session');
    assertNoToken('every WebSocket message', received.join('\n'));

    // The session's own recording, in the server's work dir, holds no token either.
    const recorded = readdirSync(server.workDir).filter((n) => n.startsWith('smartlink-'));
    assert.equal(recorded.length, 1, 'the stopped run’s recording is kept (for a bundle), in the server’s own folder');
    assertNoToken(`recording ${recorded[0]}`, readFileSync(join(server.workDir, recorded[0]!)));
    // Fetched exports do not linger on disk.
    assert.deepEqual(readdirSync(server.workDir).filter((n) => n.startsWith('export-')), []);
  } finally {
    await server.close();
  }
  assert.equal(existsSync(server.workDir), false, 'close() removes uploads, exports and recordings');
});
