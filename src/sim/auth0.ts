/**
 * A sign-in server that answers like an Auth0 tenant's `/oauth/token` (the two grants FlexPath uses:
 * `password-realm` and `refresh_token`), over HTTPS with the simulator's test certificate on loopback.
 * Its id_tokens are real JWTs (ES256, a key pair made at start — test keys, thrown away at stop) with
 * `exp`, so the simulated broker can verify signature and expiry as the real broker must. Refresh
 * tokens are random and can be revoked. Error answers follow Auth0's shape (`invalid_grant`, 403).
 */
import { createPublicKey, generateKeyPairSync, type KeyObject, randomBytes, sign, verify } from 'node:crypto';
import { createServer, type Server } from 'node:https';
import type { Socket } from 'node:net';
import { closeServer, listenOn } from './listen.js';

export interface SimAuthOptions {
  host: string;
  port: number;
  cert: string;
  key: string;
  /** Accounts: email → password. */
  users: Record<string, string>;
  /** Lifetime of an id_token, s (Auth0's default is 36 000; tests use seconds). */
  idTokenTtlS?: number;
  clientId?: string;
  now?(): number;
}

export interface SimAuth {
  /** `host:port`, as FlexPath's AuthConfig.domain. */
  domain: string;
  port: number;
  /** True when `jwt` was signed by this server and its `exp` is ahead (what the broker checks). */
  verify(jwt: string): { ok: true; email: string } | { ok: false; why: string };
  /** An id_token for `email` that expired `agoS` seconds ago (tests of the "expired" path). */
  expiredToken(email: string, agoS?: number): string;
  /** Refresh tokens issued, newest last; revoking one makes it fail like a revoked Auth0 token. */
  refreshTokens(): string[];
  revoke(refreshToken: string): void;
  /** Every grant asked for, in order (tests check what was sent without reading secrets). */
  grants: string[];
  close(): Promise<void>;
}

const b64 = (v: object | Buffer): string => (Buffer.isBuffer(v) ? v : Buffer.from(JSON.stringify(v))).toString('base64url');

export async function startSimAuth(o: SimAuthOptions): Promise<SimAuth> {
  const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const now = o.now ?? ((): number => Date.now() / 1000);
  const ttl = o.idTokenTtlS ?? 36_000;
  const clientId = o.clientId ?? '4Y9fEIIsVYyQo5u6jr7yBWc4lV5ugC2m';
  const refresh = new Map<string, { email: string; revoked: boolean }>();
  const grants: string[] = [];
  const issuer = `https://${o.host}/`;

  const jwt = (email: string, exp: number): string => {
    const head = b64({ alg: 'ES256', typ: 'JWT' });
    const body = b64({ iss: issuer, aud: clientId, sub: `auth0|${Buffer.from(email).toString('hex').slice(0, 24)}`, email, iat: Math.floor(now()), exp: Math.floor(exp) });
    const sig = sign('sha256', Buffer.from(`${head}.${body}`), { key: privateKey, dsaEncoding: 'ieee-p1363' });
    return `${head}.${body}.${b64(sig)}`;
  };
  const check = (token: string, key: KeyObject): ReturnType<SimAuth['verify']> => {
    const [head, body, sig] = token.split('.');
    if (!head || !body || !sig) return { ok: false, why: 'not a JWT' };
    if (!verify('sha256', Buffer.from(`${head}.${body}`), { key, dsaEncoding: 'ieee-p1363' }, Buffer.from(sig, 'base64url'))) return { ok: false, why: 'bad signature' };
    const claims = JSON.parse(Buffer.from(body, 'base64url').toString('utf8')) as { exp?: number; email?: string };
    if (typeof claims.exp !== 'number' || claims.exp <= now()) return { ok: false, why: 'expired' };
    return { ok: true, email: claims.email ?? '' };
  };
  const issue = (email: string): Record<string, unknown> => {
    const rt = randomBytes(24).toString('base64url');
    refresh.set(rt, { email, revoked: false });
    return { access_token: randomBytes(16).toString('hex'), id_token: jwt(email, now() + ttl), refresh_token: rt, token_type: 'Bearer', expires_in: ttl, scope: 'openid email offline_access' };
  };

  const sockets = new Set<Socket>();
  const server: Server = createServer({ cert: o.cert, key: o.key, minVersion: 'TLSv1.2' }, (req, res) => {
    const answer = (status: number, body: Record<string, unknown>): void => {
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(JSON.stringify(body));
    };
    if (req.method !== 'POST' || req.url !== '/oauth/token') return answer(404, { error: 'not_found' });
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size > 16 * 1024) req.destroy();
      else chunks.push(c);
    });
    req.on('end', () => {
      let f: Record<string, unknown>;
      try {
        f = JSON.parse(Buffer.concat(chunks).toString('utf8')) as Record<string, unknown>;
      } catch {
        return answer(400, { error: 'invalid_request', error_description: 'body is not JSON' });
      }
      const grant = String(f['grant_type'] ?? '');
      grants.push(grant);
      if (f['client_id'] !== clientId) return answer(401, { error: 'unauthorized_client', error_description: 'unknown client' });
      if (grant === 'http://auth0.com/oauth/grant-type/password-realm') {
        const email = String(f['username'] ?? '');
        if (f['realm'] !== 'Username-Password-Authentication') return answer(400, { error: 'invalid_request', error_description: 'unknown realm' });
        if (o.users[email] === undefined || o.users[email] !== f['password']) return answer(403, { error: 'invalid_grant', error_description: 'Wrong email or password.' });
        const body = issue(email);
        // Without offline_access Auth0 issues no refresh token.
        if (!String(f['scope'] ?? '').split(' ').includes('offline_access')) delete body['refresh_token'];
        return answer(200, body);
      }
      if (grant === 'refresh_token') {
        const r = refresh.get(String(f['refresh_token'] ?? ''));
        if (!r || r.revoked) return answer(403, { error: 'invalid_grant', error_description: 'Unknown or invalid refresh token.' });
        return answer(200, { id_token: jwt(r.email, now() + ttl), token_type: 'Bearer', expires_in: ttl });
      }
      return answer(403, { error: 'unsupported_grant_type' });
    });
  });
  server.on('connection', (s: Socket) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  server.on('tlsClientError', () => undefined);
  const port = await listenOn(server, o.port, o.host);
  const pub = createPublicKey(publicKey.export({ type: 'spki', format: 'pem' }));
  return {
    domain: `${o.host}:${port}`,
    port,
    verify: (t) => check(t, pub),
    expiredToken: (email, agoS = 60) => jwt(email, now() - agoS),
    refreshTokens: () => [...refresh.keys()],
    revoke: (rt) => {
      const r = refresh.get(rt);
      if (r) r.revoked = true;
    },
    grants,
    close: () => closeServer(server, sockets),
  };
}
