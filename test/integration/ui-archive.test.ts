/**
 * Web mode takes what the CLI takes: a .gz (made by gzip) opens as the capture inside it; a .zip (made
 * by zip) of several captures gives a triage row per capture, each verdict checked against the scenario
 * that made it, and the user opens one of them by its entry name (never by a path); a hostile zip gets
 * a clear error in the verdict panel; before/after uploads give a hop-by-hop diff. The captures are made
 * by our writer from scenarios whose fault is known (an MTU fault: blocked at the waterfall, cause mtu).
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import type { WebSocket } from 'ws';
import { productBackends } from '../../src/bridge/backends.js';
import type { Snapshot } from '../../src/bridge/protocol.js';
import { startUiServer, type UiServer } from '../../src/bridge/ui-server.js';
import { writeEventsCapture } from '../helpers/capture-files.js';
import { lanScenario } from '../helpers/scenario.js';
import { http, openBridge, signIn, type SignedIn } from '../helpers/ui-client.js';
import { buildZip } from '../helpers/zip-build.js';

const dir = mkdtempSync(join(tmpdir(), 'flexpath-ui-archive-'));
const has = (tool: string, arg: string): boolean => spawnSync(tool, [arg], { stdio: 'ignore' }).status === 0;
const toolsMissing = has('zip', '-v') && has('gzip', '--version') ? undefined : 'zip or gzip is not installed';
let server: UiServer;
let me: SignedIn;
let ws: WebSocket;
const seen: Snapshot[] = [];

function sh(cmd: string, args: string[], cwd = dir): Buffer {
  const r = spawnSync(cmd, args, { cwd, maxBuffer: 1 << 28 });
  assert.equal(r.status, 0, `${cmd} ${args.join(' ')}: ${r.stderr?.toString()}`);
  return r.stdout;
}

before(async () => {
  await writeEventsCapture(join(dir, 'mtu.pcapng'), lanScenario({ mtu: 1340, icmpFragNeeded: 2 }));
  await writeEventsCapture(join(dir, 'healthy.pcapng'), lanScenario({}));
  const staticDir = join(dir, 'static');
  sh('mkdir', ['-p', staticDir]);
  writeFileSync(join(staticDir, 'index.html'), '<!doctype html>');
  server = await startUiServer({ staticDir, backends: (workDir) => productBackends({ recordingDir: workDir }) });
  me = await signIn(server);
  ws = (await openBridge(server, me)).ws;
  ws.on('message', (d) => seen.push(JSON.parse(d.toString()) as Snapshot));
});
after(async () => {
  ws?.close();
  await server?.close();
  rmSync(dir, { recursive: true, force: true });
});

async function upload(name: string, body: Buffer): Promise<string> {
  const r = await http(server.port, `${me.base}upload?name=${encodeURIComponent(name)}`, { method: 'POST', headers: { cookie: me.cookie, 'content-length': String(body.length) }, body });
  assert.equal(r.status, 200, r.text);
  return (JSON.parse(r.text) as { uploadId: string }).uploadId;
}

async function until<T extends Snapshot>(what: string, pick: (s: Snapshot) => s is T): Promise<T> {
  for (let i = 0; i < 600; i++) {
    const found = seen.find(pick);
    if (found) return found;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`no ${what} within 30 s; last: ${JSON.stringify(seen.slice(-3)).slice(0, 600)}`);
}
const finished = (s: Snapshot): s is Extract<Snapshot, { type: 'state' }> => s.type === 'state' && (s.state.phase === 'done' || s.state.phase === 'error');
const model = (s: Snapshot): s is Extract<Snapshot, { type: 'model' }> => s.type === 'model';

test('a .gz made by gzip opens as the capture inside it: blocked at the waterfall by the MTU', { skip: toolsMissing ?? false }, async () => {
  seen.length = 0;
  const id = await upload('ticket-42.pcapng.gz', sh('gzip', ['-c', 'mtu.pcapng']));
  ws.send(JSON.stringify({ type: 'open-upload', uploadId: id, name: 'ticket-42.pcapng.gz' }));
  const done = await until('end of analysis', finished);
  assert.equal(done.state.phase, 'done', done.state.message);
  const m = await until('model', model);
  assert.deepEqual([m.verdict.status, m.verdict.hop, m.verdict.cause], ['blocked', 'data:waterfall', 'mtu']);
  assert.ok(seen.some((s) => s.type === 'progress'), 'upload analysis shows progress');
});

test('a .zip made by zip with two captures: a triage row per capture, then the one the user picks opens in full', { skip: toolsMissing ?? false }, async () => {
  seen.length = 0;
  sh('zip', ['-q', 'ticket.zip', 'healthy.pcapng', 'mtu.pcapng']);
  const id = await upload('ticket.zip', readFileSync(join(dir, 'ticket.zip')));
  ws.send(JSON.stringify({ type: 'open-upload', uploadId: id, name: 'ticket.zip' }));
  const done = await until('triage', finished);
  assert.equal(done.state.phase, 'done', done.state.message);
  assert.deepEqual(
    done.state.archive?.rows.map((r) => [r.entry, r.verdict, r.hop, r.cause]),
    [
      ['healthy.pcapng', 'healthy', '', ''],
      ['mtu.pcapng', 'blocked', 'data:waterfall', 'mtu'],
    ],
  );
  assert.equal(seen.some(model), false, 'no single capture is shown before the user picks one');
  seen.length = 0;
  ws.send(JSON.stringify({ type: 'open-entry', entry: 'mtu.pcapng' }));
  const m = await until('model of the picked entry', model);
  assert.deepEqual([m.verdict.status, m.verdict.cause, m.source.file], ['blocked', 'mtu', 'ticket.zip › mtu.pcapng']);
  const st = await until('done', finished);
  assert.equal(st.state.archive?.rows.length, 2, 'the triage stays beside the opened capture');
  // An entry name the zip does not hold (or a path) opens nothing.
  seen.length = 0;
  ws.send(JSON.stringify({ type: 'open-entry', entry: '../../etc/passwd' }));
  const refused = await until('refusal', finished);
  assert.equal(refused.state.phase, 'error');
  assert.match(refused.state.message ?? '', /not a capture of the open zip/);
});

test('a hostile zip uploaded: the verdict panel says why, the server keeps serving', async () => {
  seen.length = 0;
  const body = buildZip([{ name: '../../escaped.pcapng', data: readFileSync(join(dir, 'healthy.pcapng')) }]);
  const id = await upload('evil.zip', body);
  ws.send(JSON.stringify({ type: 'open-upload', uploadId: id, name: 'evil.zip' }));
  const st = await until('error', finished);
  assert.equal(st.state.phase, 'error');
  assert.match(st.state.message ?? '', /evil\.zip .*named outside the archive/);
  assert.equal((await http(server.port, `${me.base}index.html`, { headers: { cookie: me.cookie } })).status, 200);
});

test('before (MTU fault) / after (healthy) uploads: the diff says the waterfall went from blocked (mtu) to ok', async () => {
  seen.length = 0;
  const b = await upload('before.pcapng', readFileSync(join(dir, 'mtu.pcapng')));
  const a = await upload('after.pcapng', readFileSync(join(dir, 'healthy.pcapng')));
  ws.send(JSON.stringify({ type: 'diff', before: { uploadId: b, name: 'before.pcapng' }, after: { uploadId: a, name: 'after.pcapng' } }));
  const answer = await until('diff', (s): s is Extract<Snapshot, { type: 'diff' }> => s.type === 'diff');
  if (!answer.outcome.ok) return assert.fail(answer.outcome.error);
  const d = answer.outcome.diff;
  assert.deepEqual([d.before.file, d.after.file], ['before.pcapng', 'after.pcapng']);
  const wf = d.hops.find((h) => h.id === 'data:waterfall');
  assert.deepEqual([wf?.changed, wf?.before.status, wf?.before.cause, wf?.after.status], [true, 'blocked', 'mtu', 'ok']);
  assert.deepEqual([d.verdictChanged, d.after.verdict.status], [true, 'healthy']);
  // A side the server does not know: an error notice, no diff.
  seen.length = 0;
  ws.send(JSON.stringify({ type: 'diff', before: { uploadId: 'f'.repeat(24), name: 'gone.pcapng' }, after: { uploadId: a, name: 'after.pcapng' } }));
  const e = await until('diff', (s): s is Extract<Snapshot, { type: 'diff' }> => s.type === 'diff');
  if (e.outcome.ok) return assert.fail('a diff with an unknown side');
  assert.match(e.outcome.error, /gone\.pcapng is not known/);
});
