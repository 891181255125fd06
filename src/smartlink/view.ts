/**
 * The sign-in as the app shows it: a plain-JSON type (the renderer compiles it through the bridge
 * protocol), carrying words and times, never a token.
 */
export interface SignInView {
  state: 'signed-out' | 'signed-in' | 'expired';
  /** "signed in to SmartLink as … until …", "SmartLink token expired at …, renewing", "… sign in again". */
  text: string;
  email?: string;
  /** When the id_token expires (signed in) or expired (expired), ISO 8601 UTC. */
  until?: string;
  /** Expired, and a refresh token is kept to renew it without the password. */
  renewable?: boolean;
  /** Where the sign-in is kept, in words ("… (encrypted with the system keychain)"). */
  where: string;
  /** Why it is kept the way it is (no encryption on this system: memory only). */
  note?: string;
  /** A sign-in is under way. */
  busy?: boolean;
  /** Why the last sign-in failed ("wrong email or password"). */
  error?: string;
}
