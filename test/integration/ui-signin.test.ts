/**
 * "Sign in to SmartLink" through web mode, against the simulator's Auth0 stand-in and a broker that
 * verifies the JWTs: a wrong password is refused in words, a sign-in shows "signed in … until …", an
 * expired id_token is renewed by the run itself (the refresh grant reaches the tenant, the broker
 * accepts the new token), sign-out forgets it. Then every WebSocket message, every export (Markdown,
 * HTML, support bundle — unredacted) and the run's recording are searched for the password, the
 * id_tokens and the refresh token: none may carry them.
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { WebSocket } from 'ws';
import { productBackends } from '../../src/bridge/backends.js';
import type { Snapshot, SignInView } from '../../src/bridge/protocol.js';
import { startUiServer } from '../../src/bridge/ui-server.js';
import { smartLinkAccount } from '../../src/smartlink/account.js';
import { FLEX_AUTH0 } from '../../src/smartlink/auth.js';
import { fileTokenStore } from '../../src/smartlink/token-store.js';
import { type Simulator, startSimulator } from '../../src/sim/radio-sim.js';
import { SIM_CA_CERT, SIM_TLS_SERVERNAME } from '../../src/sim/test-cert.js';
import { http, signIn } from '../helpers/ui-client.js';

const EMAIL = 'op@example.invalid';
const PASSWORD = `pw-CANARY-${randomBytes(6).toString('hex')}`;
let sim: Simulator;
let dir: string;

before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'flexpath-ui-signin-'));
  sim = await startSimulator({ portBase: 0, discovery: false, broker: true, auth: { users: { [EMAIL]: PASSWORD }, idTokenTtlS: 3600 } });
});
after(async () => {
  await sim.stop();
  rmSync(dir, { recursive: true, force: true });
});

test('web mode: sign in, renew an expired token by running, export, sign out — no token or password in any message, export or recording', async () => {
  const file = join(dir, 'smartlink.json');
  const store = fileTokenStore(file);
  const account = smartLinkAccount({ ...FLEX_AUTH0, domain: sim.auth!.domain, ca: SIM_CA_CERT }, store);
  const server = await startUiServer({
    staticDir: mkdtempSync(join(dir, 'renderer-')),
    backends: (workDir) =>
      productBackends({
        recordingDir: workDir,
        smartLinkAccount: account,
        smartLinkBroker: { brokerHost: '127.0.0.1', brokerPort: sim.ports.broker!, brokerTls: { ca: SIM_CA_CERT, servername: SIM_TLS_SERVERNAME } },
      }),
  });
  const received: string[] = [];
  const secrets: string[] = [PASSWORD];
  try {
    const me = await signIn(server);
    // Listening before the socket opens: the server sends its current state at once.
    const ws = new WebSocket(`ws://127.0.0.1:${server.port}${me.base}ws`, { headers: { origin: `http://127.0.0.1:${server.port}`, cookie: me.cookie } });
    const seen: Snapshot[] = [];
    const waiters: Array<{ match: (s: Snapshot) => boolean; resolve: (s: Snapshot) => void }> = [];
    ws.on('message', (d) => {
      received.push(d.toString());
      const s = JSON.parse(d.toString()) as Snapshot;
      seen.push(s);
      for (const w of [...waiters]) if (w.match(s)) (waiters.splice(waiters.indexOf(w), 1), w.resolve(s));
    });
    await new Promise<void>((resolve, reject) => {
      ws.once('open', () => resolve());
      ws.once('error', reject);
    });
    /** The next snapshot (from `from` on, already received ones included) that matches. */
    const next = (match: (s: Snapshot) => boolean, what: string, from = seen.length): Promise<Snapshot> => {
      const had = seen.slice(from).find(match);
      if (had) return Promise.resolve(had);
      return new Promise((resolve, reject) => {
        const t = setTimeout(() => reject(new Error(`no ${what}`)), 30_000);
        waiters.push({ match, resolve: (s) => (clearTimeout(t), resolve(s)) });
      });
    };
    const signInIs = (test: (v: SignInView) => boolean) => (s: Snapshot) => s.type === 'sign-in' && test(s.signIn);
    const view = (s: Snapshot): SignInView => (s.type === 'sign-in' ? s.signIn : assert.fail('not a sign-in snapshot'));

    // Connected: the page learns the state of the (empty) store.
    assert.equal(view(await next(signInIs(() => true), 'first sign-in state', 0)).state, 'signed-out');

    let mark = seen.length;
    ws.send(JSON.stringify({ type: 'smartlink-sign-in', email: EMAIL, password: 'not-the-password' }));
    const refused = view(await next(signInIs((v) => v.error !== undefined), 'refusal', mark));
    assert.match(refused.error!, /wrong email or password/);
    assert.equal(refused.state, 'signed-out');
    assert.equal(existsSync(file), false, 'nothing kept after a refused sign-in');

    mark = seen.length;
    ws.send(JSON.stringify({ type: 'smartlink-sign-in', email: EMAIL, password: PASSWORD }));
    const ok = view(await next(signInIs((v) => v.state === 'signed-in'), 'signed in', mark));
    assert.match(ok.text, /^signed in to SmartLink as op@example\.invalid until \d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    assert.equal(ok.error, undefined, 'the earlier refusal is not shown any more');
    // The tenant's lifetime (3600 s) from now, by the clock: not the code's own arithmetic.
    assert.ok(Math.abs(Date.parse(ok.until!) / 1000 - (Date.now() / 1000 + 3600)) < 60);
    assert.ok(seen.slice(mark).some(signInIs((v) => v.busy === true)), 'the page is told a sign-in is under way');
    const kept = (await store.load())!;
    secrets.push(kept.idToken, kept.idToken.split('.')[2]!, kept.refreshToken!);

    // The id_token lapses: the SmartLink run renews it with the refresh token before it logs in.
    const expired = sim.auth!.expiredToken(EMAIL, 300);
    secrets.push(expired, expired.split('.')[2]!);
    await store.save({ idToken: expired, refreshToken: kept.refreshToken! });
    const grantsBefore = sim.auth!.grants.length;
    mark = seen.length;
    ws.send(JSON.stringify({ type: 'diagnose-smartlink' }));
    await next(signInIs((v) => /token expired at \d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ, renewing/.test(v.text)), '“expired at …, renewing”', mark);
    await next((s) => s.type === 'model' && JSON.stringify(s).includes('waterfall') && /logged in; 1 radio/.test(JSON.stringify(s)), 'a model of the brokered run, logged in, with data', mark);
    assert.deepEqual(sim.auth!.grants.slice(grantsBefore), ['refresh_token'], 'renewed once, without the password');
    const renewed = (await store.load())!;
    assert.notEqual(renewed.idToken, expired);
    secrets.push(renewed.idToken, renewed.idToken.split('.')[2]!);
    assert.equal(sim.auth!.verify(renewed.idToken).ok, true);
    await next(signInIs((v) => v.state === 'signed-in'), 'signed in again after the renewal', mark);

    const exports: Array<{ what: string; body: Buffer }> = [];
    for (const format of ['markdown', 'html', 'bundle'] as const) {
      const m = seen.length;
      ws.send(JSON.stringify({ type: 'export', format, redact: false }));
      const s = await next((x) => x.type === 'export-ready', `export ${format}`, m);
      assert.ok(s.type === 'export-ready' && s.url);
      const r = await http(server.port, s.url, { headers: { cookie: me.cookie } });
      assert.equal(r.status, 200);
      exports.push({ what: `${format} export`, body: r.body });
    }
    ws.send(JSON.stringify({ type: 'stop' }));
    mark = seen.length;
    ws.send(JSON.stringify({ type: 'smartlink-sign-out' }));
    assert.equal(view(await next(signInIs((v) => v.state === 'signed-out'), 'signed out', mark)).text, 'not signed in to SmartLink');
    assert.equal(existsSync(file), false, 'sign-out deletes the kept sign-in');
    ws.close();

    // The bundle carries the broker conversation: the search below is not over empty files.
    const bundle = exports.find((e) => e.what === 'bundle export')!.body;
    assert.ok(bundle.includes('application register name=FlexPath'));
    const recordings = readdirSync(server.workDir).filter((n) => n.startsWith('smartlink-'));
    assert.equal(recordings.length, 1);
    const searched = [
      { what: 'WebSocket messages', body: Buffer.from(received.join('\n')) },
      ...exports,
      { what: 'recording', body: readFileSync(join(server.workDir, recordings[0]!)) },
    ];
    for (const { what, body } of searched) {
      assert.ok(body.length > 0, `${what} is empty`);
      for (const secret of secrets) assert.equal(body.indexOf(secret), -1, `${what} carries a secret (${secret.slice(0, 6)}…)`);
    }
  } finally {
    await server.close();
  }
});
