/**
 * The SmartLink sign-in behind the app's "Sign in to SmartLink" button: the same grant, store and
 * renewal as `flexpath login` (sign-in.ts), answered as a SignInView the page may see — words and
 * times, never the id_token, the refresh token or the password.
 */
import { type AuthConfig, AuthError } from './auth.js';
import { currentIdToken, describeState, type SignInState, signInState, signInWithPassword } from './sign-in.js';
import type { TokenStore } from './token-store.js';
import type { SignInView } from './view.js';

export interface SmartLinkAccount {
  status(): Promise<SignInView>;
  /** Signs in; a refused or failed sign-in comes back as the view with `error`, not as a throw. */
  signIn(email: string, password: string): Promise<SignInView>;
  signOut(): Promise<SignInView>;
  /** The id_token for a SmartLink run, renewed when expired; `say` hears each step in words. */
  idToken(say?: (text: string) => void): Promise<string>;
}

export function smartLinkAccount(cfg: AuthConfig, store: TokenStore, note?: string): SmartLinkAccount {
  const view = (s: SignInState): SignInView => ({
    state: s.state,
    text: describeState(s, false),
    where: store.where,
    ...(note ? { note } : {}),
    ...(s.state !== 'signed-out' && s.email ? { email: s.email } : {}),
    ...(s.state === 'signed-in' ? { until: s.until } : s.state === 'expired' ? { until: s.expiredAt, renewable: s.renewable } : {}),
  });
  return {
    status: async () => view(await signInState(store)),
    async signIn(email, password) {
      try {
        return view(await signInWithPassword(cfg, store, email, password));
      } catch (e) {
        if (!(e instanceof AuthError)) throw e;
        return { ...view(await signInState(store)), error: e.message };
      }
    },
    async signOut() {
      await store.clear();
      return view(await signInState(store));
    },
    idToken: (say) => currentIdToken(cfg, store, say),
  };
}
