/**
 * SmartLink sign-in against the simulated Auth0 tenant (HTTPS, test CA, ES256 JWTs with exp) and a
 * broker that verifies signature and expiry: sign-in, renewal, expired token, wrong password, revoked
 * refresh token; then the CLI end to end (`login --password-stdin`, `diagnose --smartlink` with the kept
 * sign-in, `logout`), with the password, id_token and refresh token found in no output, report or capture.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, statSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { BrokerClient } from '../../src/smartlink/broker-client.js';
import { type AuthConfig, AuthError, FLEX_AUTH0, tokenExpiry } from '../../src/smartlink/auth.js';
import { currentIdToken, signInState, signInWithPassword } from '../../src/smartlink/sign-in.js';
import { fileTokenStore } from '../../src/smartlink/token-store.js';
import { type Simulator, startSimulator } from '../../src/sim/radio-sim.js';
import { SIM_CA_CERT, SIM_TLS_SERVERNAME } from '../../src/sim/test-cert.js';
import { runCli } from '../helpers/cli.js';

const EMAIL = 'op@example.invalid';
const PASSWORD = `pw-CANARY-${process.pid}-${Date.now()}`;
let sim: Simulator;
let dir: string;
let cfg: AuthConfig;

before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'flexpath-signin-'));
  sim = await startSimulator({ portBase: 0, discovery: false, broker: true, auth: { users: { [EMAIL]: PASSWORD }, idTokenTtlS: 3600 } });
  cfg = { ...FLEX_AUTH0, domain: sim.auth!.domain, ca: SIM_CA_CERT };
});
after(async () => {
  await sim.stop();
  rmSync(dir, { recursive: true, force: true });
});

async function brokerAccepts(token: string): Promise<boolean> {
  const b = await BrokerClient.connect({ host: sim.host, port: sim.ports.broker!, tls: { ca: SIM_CA_CERT, servername: SIM_TLS_SERVERNAME } });
  try {
    return (await b.register(token)).radios.length === 1;
  } catch {
    return false;
  } finally {
    b.close();
  }
}

test('sign in: an id_token the broker accepts, expiry ahead, kept in a 0600 file without the password', async () => {
  const store = fileTokenStore(join(dir, 'a', 'smartlink.json'));
  const state = await signInWithPassword(cfg, store, EMAIL, PASSWORD);
  assert.equal(state.state, 'signed-in');
  assert.equal(state.state === 'signed-in' && state.email, EMAIL);
  const t = (await store.load())!;
  assert.ok(t.refreshToken, 'offline_access gives a refresh token');
  const exp = tokenExpiry(t.idToken)!;
  assert.ok(Math.abs(exp - (Date.now() / 1000 + 3600)) < 30, 'exp = now + the tenant’s lifetime');
  assert.equal(statSync(join(dir, 'a', 'smartlink.json')).mode & 0o777, 0o600);
  assert.equal(statSync(join(dir, 'a')).mode & 0o777, 0o700);
  assert.equal(readFileSync(join(dir, 'a', 'smartlink.json'), 'utf8').includes(PASSWORD), false);
  assert.equal(await brokerAccepts(t.idToken), true);
  assert.deepEqual(sim.auth!.grants.slice(-1), ['http://auth0.com/oauth/grant-type/password-realm']);
});

test('wrong password: “wrong email or password”, nothing stored; a forged or expired token is refused by the broker', async () => {
  const store = fileTokenStore(join(dir, 'b', 'smartlink.json'));
  await assert.rejects(signInWithPassword(cfg, store, EMAIL, 'not-the-password'), (e: unknown) => e instanceof AuthError && /wrong email or password/.test(e.message));
  assert.equal((await signInState(store)).state, 'signed-out');
  const expired = sim.auth!.expiredToken(EMAIL, 120);
  assert.equal(await brokerAccepts(expired), false, 'expired');
  const good = (await signInWithPassword(cfg, store, EMAIL, PASSWORD), (await store.load())!.idToken);
  const [h, body] = good.split('.');
  const claims = JSON.parse(Buffer.from(body!, 'base64url').toString()) as Record<string, unknown>;
  const forged = `${h}.${Buffer.from(JSON.stringify({ ...claims, email: 'someone@else.invalid' })).toString('base64url')}.${good.split('.')[2]}`;
  assert.equal(await brokerAccepts(forged), false, 'bad signature');
});

test('expired id_token: “expired at …, renewing”, a new one from the refresh token; revoked refresh token: “sign in again”', async () => {
  const store = fileTokenStore(join(dir, 'c', 'smartlink.json'));
  await signInWithPassword(cfg, store, EMAIL, PASSWORD);
  const rt = (await store.load())!.refreshToken!;
  await store.save({ idToken: sim.auth!.expiredToken(EMAIL, 300), refreshToken: rt });
  const said: string[] = [];
  const fresh = await currentIdToken(cfg, store, (t) => said.push(t));
  assert.match(said[0]!, /token expired at \d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ, renewing/);
  assert.match(said[1]!, /signed in to SmartLink as op@example\.invalid until/);
  assert.equal(await brokerAccepts(fresh), true);
  assert.equal(sim.auth!.grants.at(-1), 'refresh_token');

  sim.auth!.revoke(rt);
  await store.save({ idToken: sim.auth!.expiredToken(EMAIL, 10), refreshToken: rt });
  await assert.rejects(currentIdToken(cfg, store), (e: unknown) => e instanceof AuthError && e.again && /sign in again/.test(e.message));
  assert.equal((await signInState(store)).state, 'signed-out', 'a refused refresh token is forgotten');
});

test('CLI: login --password-stdin, diagnose --smartlink with the kept sign-in, logout; no secret in any output', async () => {
  const cfgDir = join(dir, 'cli');
  const env = { FLEXPATH_CONFIG_DIR: cfgDir, FLEXPATH_AUTH0_DOMAIN: sim.auth!.domain, FLEXPATH_SMARTLINK_TOKEN: '' };
  const login = await runCli(['login', '--email', EMAIL, '--password-stdin', '--auth-test-ca'], { env, input: Buffer.from(`${PASSWORD}\n`) });
  assert.equal(login.code, 0, login.stderr);
  assert.match(login.stdout, /signed in to SmartLink as op@example\.invalid until/);
  const file = join(cfgDir, 'smartlink.json');
  assert.equal(statSync(file).mode & 0o777, 0o600);
  const kept = JSON.parse(readFileSync(file, 'utf8')) as { idToken: string; refreshToken: string };

  const report = join(dir, 'report.json');
  const pcap = join(dir, 'run.pcapng');
  const diag = await runCli(['diagnose', '--smartlink', '--broker', `127.0.0.1:${sim.ports.broker}`, '--broker-test-ca', '--format', 'json', '--out', report, '--write', pcap, '--settle', '1', '--seconds', '15'], { env, timeoutMs: 45_000 });
  assert.equal(diag.code, 0, diag.stderr);
  assert.match(diag.stderr, /signed in to SmartLink as op@example\.invalid until/);
  const r = readFileSync(report, 'utf8');
  assert.match(r, /logged in; 1 radio/, 'the broker accepted the kept id_token');
  for (const [what, bytes] of [['report', r], ['pcapng', readFileSync(pcap)], ['stdout', diag.stdout + login.stdout], ['stderr', diag.stderr + login.stderr]] as const) {
    for (const secret of [PASSWORD, kept.idToken, kept.idToken.split('.')[2]!, kept.refreshToken]) assert.equal(Buffer.from(bytes).indexOf(secret), -1, `${what} contains a secret`);
  }

  const wrong = await runCli(['login', '--email', EMAIL, '--password-stdin', '--auth-test-ca'], { env: { ...env, FLEXPATH_CONFIG_DIR: join(dir, 'cli2') }, input: Buffer.from('nope\n') });
  assert.equal(wrong.code, 1);
  assert.match(wrong.stderr, /wrong email or password/);

  const out = await runCli(['logout'], { env });
  assert.equal(out.code, 0);
  assert.match(out.stdout, /signed out/);
  assert.equal(existsSync(file), false);
  const status = await runCli(['login', '--status'], { env });
  assert.match(status.stdout, /not signed in/);
});
