import { useState, type FormEvent } from 'react';
import { api, dataOf, setCsrfToken } from '../api/client';
import type { Session } from '../session';

/** Sign-in with an e-mail and password, or with an API token: either starts a cookie session. */
export function SignIn({ onSignedIn }: { onSignedIn: (session: Session) => void }) {
  const [method, setMethod] = useState<'password' | 'token'>('password');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const body =
      method === 'password'
        ? { email: String(form.get('email')), password: String(form.get('password')) }
        : { token: String(form.get('token')) };
    setBusy(true);
    setError(null);
    try {
      const session = dataOf(await api.POST('/api/v1/session', { body }));
      setCsrfToken(session.csrfToken);
      onSignedIn(session);
    } catch (failure) {
      setError((failure as Error).message);
    } finally {
      setBusy(false);
    }
  }

  return (
    <section className="sign-in" aria-labelledby="sign-in-title">
      <h1 id="sign-in-title">Sign in to the Clearinghouse</h1>
      <fieldset className="method">
        <legend>Sign in with</legend>
        <label>
          <input type="radio" name="method" checked={method === 'password'} onChange={() => setMethod('password')} /> e-mail and password
        </label>
        <label>
          <input type="radio" name="method" checked={method === 'token'} onChange={() => setMethod('token')} /> an API token
        </label>
      </fieldset>
      <form onSubmit={(e) => void submit(e)}>
        {method === 'password' ? (
          <>
            <label htmlFor="email">E-mail</label>
            <input id="email" name="email" type="email" autoComplete="username" required />
            <label htmlFor="password">Password</label>
            <input id="password" name="password" type="password" autoComplete="current-password" required />
          </>
        ) : (
          <>
            <label htmlFor="token">API token</label>
            <input id="token" name="token" type="password" autoComplete="off" required />
          </>
        )}
        <button type="submit" disabled={busy}>
          Sign in
        </button>
        {error !== null && (
          <p role="alert" className="error">
            {error}
          </p>
        )}
      </form>
    </section>
  );
}
