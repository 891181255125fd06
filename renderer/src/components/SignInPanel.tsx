import { useEffect, useState } from 'react';
import type { Capabilities, SignInView } from '../../../src/bridge/protocol.js';
import type { RendererBridge } from '../bridge-client.js';

/**
 * SmartLink: "Sign in to SmartLink" with the FlexRadio account (the core signs in and keeps the
 * sign-in; this page sees only its state in words), then "Diagnose via SmartLink". Pasting a token is
 * the advanced way, for a token from elsewhere.
 */
export function SignInPanel({ bridge, caps, signIn }: { bridge: RendererBridge; caps: Capabilities | undefined; signIn: SignInView | null }) {
  const [formOpen, setFormOpen] = useState(false);
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [token, setToken] = useState('');
  const state = signIn?.state;
  useEffect(() => {
    if (state === 'signed-in') setFormOpen(false);
  }, [state]);
  useEffect(() => {
    if (signIn?.email) setEmail((cur) => cur || signIn.email!);
  }, [signIn?.email]);

  const canRun = !!caps?.smartlink && (state === 'signed-in' || (state === 'expired' && !!signIn?.renewable));
  const busy = !!signIn?.busy;

  return (
    <>
      {signIn ? (
        <p className="small" role="status" data-testid="signin-state">
          {signIn.text}
        </p>
      ) : (
        <p className="muted small">Signing in is not available in this build; paste a token below.</p>
      )}
      {signIn?.note && (
        <p className="muted small" data-testid="signin-note">
          {signIn.note}
        </p>
      )}
      {signIn?.error && (
        <p className="small signin-error" role="alert" data-testid="signin-error">
          {signIn.error}
        </p>
      )}
      {canRun && (
        <button type="button" className="wide primary" onClick={() => bridge.send({ type: 'diagnose-smartlink' })} data-testid="smartlink-diagnose">
          Diagnose via SmartLink
        </button>
      )}
      {signIn && state !== 'signed-in' && !formOpen && (
        <button type="button" className="wide primary" onClick={() => setFormOpen(true)} data-testid="smartlink-sign-in">
          Sign in to SmartLink
        </button>
      )}
      {formOpen && state !== 'signed-in' && (
        <form
          className="inline-form"
          onSubmit={(e) => {
            e.preventDefault();
            if (!email.trim() || !password) return;
            bridge.send({ type: 'smartlink-sign-in', email: email.trim(), password });
            setPassword(''); // the page keeps no password once it is sent
          }}
        >
          <label htmlFor="sl-email" className="small">
            FlexRadio account email
          </label>
          <input id="sl-email" type="email" value={email} onChange={(e) => setEmail(e.target.value)} autoComplete="username" spellCheck={false} />
          <label htmlFor="sl-password" className="small">
            Password — sent once to FlexRadio’s sign-in server, never kept
          </label>
          <input id="sl-password" type="password" value={password} onChange={(e) => setPassword(e.target.value)} autoComplete="current-password" />
          <div className="btn-row">
            <button type="submit" className="primary" disabled={busy || !email.trim() || !password} data-testid="smartlink-sign-in-submit">
              {busy ? 'Signing in…' : 'Sign in'}
            </button>
            <button type="button" onClick={() => setFormOpen(false)}>
              Cancel
            </button>
          </div>
        </form>
      )}
      {signIn && state !== 'signed-out' && (
        <>
          <p className="muted small">Kept in {signIn.where}.</p>
          <button type="button" onClick={() => bridge.send({ type: 'smartlink-sign-out' })} data-testid="smartlink-sign-out">
            Sign out
          </button>
        </>
      )}
      <details className="advanced">
        <summary className="small">Advanced: paste a token</summary>
        <form
          className="inline-form"
          autoComplete="off"
          onSubmit={(e) => {
            e.preventDefault();
            if (!token) return;
            bridge.send({ type: 'diagnose-smartlink', token });
            setToken(''); // never kept after use
          }}
        >
          <label htmlFor="sl-token" className="small">
            SmartLink token — used for this session only, never saved
          </label>
          <div className="btn-row">
            <input id="sl-token" type="password" value={token} onChange={(e) => setToken(e.target.value)} autoComplete="off" spellCheck={false} placeholder="paste token" />
            <button type="submit" disabled={!caps?.smartlink || !token}>
              Diagnose
            </button>
          </div>
        </form>
      </details>
    </>
  );
}
