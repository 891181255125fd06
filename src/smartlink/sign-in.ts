/**
 * The sign-in state and the id_token for a run: the stored id_token while its `exp` is ahead, else a
 * renewal with the refresh token, else "sign in again". Every step says so in words the CLI and the UI
 * show ("signed in until …", "token expired at …, renewing", "sign in again"); none shows a token.
 */
import { type AuthConfig, AuthError, renew, signIn, tokenEmail, tokenExpiry } from './auth.js';
import type { TokenStore } from './token-store.js';

/** Renew this long before `exp`, so that a diagnosis does not start with a token about to lapse. */
const RENEW_MARGIN_S = 60;

export type SignInState =
  | { state: 'signed-out' }
  | { state: 'signed-in'; email?: string; until: string }
  | { state: 'expired'; email?: string; expiredAt: string; renewable: boolean };

const iso = (s: number): string => new Date(s * 1000).toISOString().replace(/\.\d+Z$/, 'Z');

/** What the store holds, judged against the clock; no network. */
export async function signInState(store: TokenStore, nowS = Date.now() / 1000): Promise<SignInState> {
  const t = await store.load();
  if (!t) return { state: 'signed-out' };
  const exp = tokenExpiry(t.idToken) ?? 0;
  const email = tokenEmail(t.idToken);
  const who = email ? { email } : {};
  if (exp - RENEW_MARGIN_S > nowS) return { state: 'signed-in', ...who, until: iso(exp) };
  return { state: 'expired', ...who, expiredAt: iso(exp), renewable: t.refreshToken !== undefined };
}

/** The state in words; `cli` adds how to sign in from a terminal (the app has its button instead). */
export function describeState(s: SignInState, cli = true): string {
  switch (s.state) {
    case 'signed-out':
      return `not signed in to SmartLink${cli ? ': run `flexpath login`' : ''}`;
    case 'signed-in':
      return `signed in to SmartLink${s.email ? ` as ${s.email}` : ''} until ${s.until}`;
    case 'expired':
      return s.renewable ? `SmartLink token expired at ${s.expiredAt}, renewing` : `SmartLink token expired at ${s.expiredAt}: sign in again${cli ? ' (`flexpath login`)' : ''}`;
  }
}

/** Signs in with email and password and stores the result; returns the new state. */
export async function signInWithPassword(cfg: AuthConfig, store: TokenStore, email: string, password: string): Promise<SignInState> {
  const t = await signIn(cfg, email, password);
  await store.save(t);
  return signInState(store);
}

/**
 * An id_token good for this run: the stored one, or a renewed one (saved, with a rotated refresh token
 * if the tenant rotates). Throws AuthError with what to do when there is none.
 */
export async function currentIdToken(cfg: AuthConfig, store: TokenStore, say: (text: string) => void = () => undefined): Promise<string> {
  const state = await signInState(store);
  say(describeState(state));
  if (state.state === 'signed-out') throw new AuthError('not signed in to SmartLink: run `flexpath login` first (or set FLEXPATH_SMARTLINK_TOKEN)');
  const t = (await store.load())!;
  if (state.state === 'signed-in') return t.idToken;
  if (!t.refreshToken) throw new AuthError(describeState(state), true);
  try {
    const fresh = await renew(cfg, t.refreshToken);
    await store.save(fresh);
    say(describeState(await signInState(store)));
    return fresh.idToken;
  } catch (e) {
    // A refresh token the tenant no longer accepts is useless: forget it, so the state says "signed out".
    if (e instanceof AuthError && e.again) await store.clear();
    throw e;
  }
}
