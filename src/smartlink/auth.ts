/**
 * SmartLink sign-in, as FlexLib-based clients do it: FlexRadio's Auth0 tenant hands out an `id_token`
 * (a JWT with `exp`) that the broker takes in `application register … token=` (reference §6.1, §11),
 * and a refresh token to renew it without the password.
 *
 * Tenant facts, from public clients (none of them FlexRadio's own code; FlexLib receives the token from
 * the application): domain `frtest.auth0.com` and client id `4Y9fEIIsVYyQo5u6jr7yBWc4lV5ugC2m` (K3TZR
 * xLib6000 `Auth0ViewController.swift`, K3TZR ApiExplorer `SmartlinkAuthConfig.production`, a
 * WebView2 SmartLink client `AuthFormWebView2.cs`); the username/password grant is Auth0's
 * `password-realm` grant to `/oauth/token` with realm `Username-Password-Authentication` (AetherSDR
 * `SmartLinkClient.cpp` per reference §11; K3TZR `SmartlinkAuthConfig.connection`); scope
 * `openid email given_name family_name profile picture offline_access` (reference §11, AetherSDR) —
 * `offline_access` is what makes Auth0 return a refresh token. Domain and client id are configurable
 * (`FLEXPATH_AUTH0_DOMAIN`, `FLEXPATH_AUTH0_CLIENT_ID`): none of this could be tried against the real
 * tenant from here; the simulator's token endpoint speaks the same grant.
 */
import { request } from 'node:https';

export interface AuthConfig {
  /** `frtest.auth0.com`, or `host:port` (the simulator). */
  domain: string;
  clientId: string;
  realm: string;
  scope: string;
  /** Test only: trust this CA (the simulator's); the real tenant is verified against the system's CAs. */
  ca?: string;
  timeoutMs?: number;
}

export const FLEX_AUTH0: AuthConfig = {
  domain: 'frtest.auth0.com',
  clientId: '4Y9fEIIsVYyQo5u6jr7yBWc4lV5ugC2m',
  realm: 'Username-Password-Authentication',
  scope: 'openid email given_name family_name profile picture offline_access',
};

/** The tenant, with the environment's overrides (for a changed tenant, or the simulator). */
export function authConfig(env: NodeJS.ProcessEnv = process.env): AuthConfig {
  return {
    ...FLEX_AUTH0,
    ...(env['FLEXPATH_AUTH0_DOMAIN'] ? { domain: env['FLEXPATH_AUTH0_DOMAIN'] } : {}),
    ...(env['FLEXPATH_AUTH0_CLIENT_ID'] ? { clientId: env['FLEXPATH_AUTH0_CLIENT_ID'] } : {}),
  };
}

export interface Tokens {
  idToken: string;
  /** Absent when the tenant did not grant offline access. */
  refreshToken?: string;
}

/** Why a sign-in or renewal failed, in words for the user; `again` = the stored sign-in is no good. */
export class AuthError extends Error {
  constructor(
    message: string,
    readonly again = false,
  ) {
    super(message);
  }
}

/** The `exp` claim of a JWT (seconds since 1970), read without verifying: the broker verifies, we only plan. */
export function tokenExpiry(jwt: string): number | undefined {
  const part = jwt.split('.')[1];
  if (!part) return undefined;
  try {
    const claims = JSON.parse(Buffer.from(part, 'base64url').toString('utf8')) as { exp?: unknown };
    return typeof claims.exp === 'number' && Number.isFinite(claims.exp) ? claims.exp : undefined;
  } catch {
    return undefined;
  }
}

/** The `email` claim, to say who is signed in. */
export function tokenEmail(jwt: string): string | undefined {
  try {
    const claims = JSON.parse(Buffer.from(jwt.split('.')[1] ?? '', 'base64url').toString('utf8')) as { email?: unknown };
    return typeof claims.email === 'string' ? claims.email : undefined;
  } catch {
    return undefined;
  }
}

async function tokenRequest(cfg: AuthConfig, body: Record<string, string>): Promise<{ status: number; json: Record<string, unknown> }> {
  const [host, port] = cfg.domain.split(':');
  const payload = JSON.stringify(body);
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host, port: port ? Number(port) : 443, method: 'POST', path: '/oauth/token',
        headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(payload) },
        ...(cfg.ca ? { ca: cfg.ca, servername: host === '127.0.0.1' ? 'localhost' : host } : {}),
        timeout: cfg.timeoutMs ?? 15_000,
      },
      (res) => {
        const chunks: Buffer[] = [];
        let size = 0;
        res.on('data', (c: Buffer) => {
          size += c.length;
          // A token response is a few kB; anything far bigger is not one.
          if (size > 256 * 1024) req.destroy(new AuthError('the sign-in server sent an oversized answer'));
          else chunks.push(c);
        });
        res.on('end', () => {
          let json: Record<string, unknown> = {};
          try {
            json = JSON.parse(Buffer.concat(chunks).toString('utf8')) as Record<string, unknown>;
          } catch {
            // Not JSON: the status code alone says what happened.
          }
          resolve({ status: res.statusCode ?? 0, json });
        });
      },
    );
    req.on('timeout', () => req.destroy(new AuthError(`no answer from ${cfg.domain} within ${(cfg.timeoutMs ?? 15_000) / 1000} s`)));
    req.on('error', (e) => reject(e instanceof AuthError ? e : new AuthError(`cannot reach ${cfg.domain}: ${e.message}`)));
    req.end(payload);
  });
}

function tokensFrom(r: { status: number; json: Record<string, unknown> }, what: string, again: boolean): Tokens {
  const { json } = r;
  if (r.status === 200 && typeof json['id_token'] === 'string') {
    return { idToken: json['id_token'], ...(typeof json['refresh_token'] === 'string' ? { refreshToken: json['refresh_token'] } : {}) };
  }
  const code = typeof json['error'] === 'string' ? json['error'] : `HTTP ${r.status}`;
  // Auth0 answers a wrong password, and a revoked or unknown refresh token, with invalid_grant (403).
  if (code === 'invalid_grant') throw new AuthError(again ? 'the saved sign-in is no longer accepted: sign in again (`flexpath login`)' : 'wrong email or password', again);
  throw new AuthError(`${what} failed: ${code}${typeof json['error_description'] === 'string' ? ` (${json['error_description']})` : ''}`, again);
}

/** The username/password grant (Auth0 `password-realm`), as AetherSDR signs in. */
export async function signIn(cfg: AuthConfig, email: string, password: string): Promise<Tokens> {
  const r = await tokenRequest(cfg, {
    grant_type: 'http://auth0.com/oauth/grant-type/password-realm',
    username: email, password, client_id: cfg.clientId, realm: cfg.realm, scope: cfg.scope,
  });
  return tokensFrom(r, 'sign-in', false);
}

/** A new id_token for the refresh token; Auth0 may rotate the refresh token too. */
export async function renew(cfg: AuthConfig, refreshToken: string): Promise<Tokens> {
  const r = await tokenRequest(cfg, { grant_type: 'refresh_token', client_id: cfg.clientId, refresh_token: refreshToken });
  const t = tokensFrom(r, 'renewing the sign-in', true);
  return { idToken: t.idToken, refreshToken: t.refreshToken ?? refreshToken };
}
