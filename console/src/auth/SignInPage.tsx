import { useState, type FormEvent } from 'react';
import { Link, Navigate, useLocation } from 'react-router';
import type { CombinedError } from 'urql';
import { createGraphqlClients } from '../graphql/client';
import { LoginDocument, MeDocument } from '../generated/graphql';
import { ErrorNotice } from '../ui/ErrorNotice';
import { anonymousRequest } from './anonymous';
import { useSession } from './SessionProvider';

type Method = 'password' | 'api-key';

export function SignInPage() {
  const { session, endedReason, signIn } = useSession();
  const location = useLocation();
  const [method, setMethod] = useState<Method>('password');
  const [error, setError] = useState<CombinedError | null>(null);
  const [busy, setBusy] = useState(false);

  const from = fromOf(location.state);
  if (session) return <Navigate to={from && from !== '/sign-in' ? from : '/executions'} replace />;

  const submit = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    setBusy(true);
    setError(null);
    try {
      if (method === 'password') {
        const result = await anonymousRequest(LoginDocument, { email: fieldText(form, 'email'), password: fieldText(form, 'password') });
        if (result.data) signIn({ token: result.data.login.token, kind: 'password', expiresAt: result.data.login.expiresAt });
        else if (result.error) setError(result.error);
      } else {
        const key = fieldText(form, 'apiKey').trim();
        const { client, ws } = createGraphqlClients(key, () => undefined);
        const result = await client.query(MeDocument, {}, { requestPolicy: 'network-only' }).toPromise();
        void ws.dispose();
        if (result.data) signIn({ token: key, kind: 'api-key', expiresAt: null });
        else if (result.error) setError(result.error);
      }
    } finally {
      setBusy(false);
    }
  };

  return (
    <main className="sign-in">
      <h1>Switchyard</h1>
      {endedReason ? (
        <p role="status" className="notice">
          {endedReason}
        </p>
      ) : null}
      <div role="tablist" className="tabs">
        <button type="button" role="tab" aria-selected={method === 'password'} onClick={() => setMethod('password')}>
          E-mail and password
        </button>
        <button type="button" role="tab" aria-selected={method === 'api-key'} onClick={() => setMethod('api-key')}>
          API key
        </button>
      </div>
      <form onSubmit={(event) => void submit(event)} aria-label="Sign in">
        {method === 'password' ? (
          <>
            <label>
              E-mail
              <input name="email" type="email" autoComplete="username" required autoFocus />
            </label>
            <label>
              Password
              <input name="password" type="password" autoComplete="current-password" required />
            </label>
          </>
        ) : (
          <label>
            API key
            <input name="apiKey" type="password" autoComplete="off" required autoFocus />
          </label>
        )}
        <button type="submit" disabled={busy}>
          {busy ? 'Signing in…' : 'Sign in'}
        </button>
      </form>
      {error ? <ErrorNotice error={error} /> : null}
      {method === 'password' ? (
        <p>
          <Link to="/forgot-password">Forgot password?</Link>
        </p>
      ) : null}
    </main>
  );
}

/** Where RequireSession sent the browser from (`state.from`), if it did. */
function fromOf(state: unknown): string | undefined {
  if (typeof state !== 'object' || state === null || !('from' in state)) return undefined;
  const from = (state as { from: unknown }).from;
  return typeof from === 'string' ? from : undefined;
}

/** A text field's value (a file input's would be a File: none here). */
function fieldText(form: FormData, name: string): string {
  const value = form.get(name);
  return typeof value === 'string' ? value : '';
}
