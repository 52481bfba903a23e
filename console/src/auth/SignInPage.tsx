import { useState, type FormEvent } from 'react';
import { Link, Navigate, useLocation } from 'react-router';
import type { CombinedError } from 'urql';
import { createGraphqlClients } from '../graphql/client';
import { LoginDocument, MeDocument } from '../generated/graphql';
import { ErrorNotice } from '../ui/ErrorNotice';
import { Tabs, tabIds, type Tab } from '../ui/Tabs';
import { anonymousRequest } from './anonymous';
import { useSession } from './SessionProvider';

type Method = 'password' | 'api-key';

const METHODS: readonly Tab<Method>[] = [
  { key: 'password', label: 'E-mail and password' },
  { key: 'api-key', label: 'API key' },
];

export function SignInPage() {
  const { session, endedReason, signIn } = useSession();
  const location = useLocation();
  const [method, setMethod] = useState<Method>('password');
  // The first field takes the focus when the page opens, not when a tab is chosen: the focus stays on the tab.
  const [methodChosen, setMethodChosen] = useState(false);
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
        const result = await anonymousRequest(LoginDocument.toString(), {
          email: fieldText(form, 'email'),
          password: fieldText(form, 'password'),
        });
        if (result.data) signIn({ token: result.data.login.token, kind: 'password', expiresAt: result.data.login.expiresAt });
        else if (result.error) setError(result.error);
      } else {
        const key = fieldText(form, 'apiKey').trim();
        const { client, ws } = createGraphqlClients(key, () => undefined);
        const result = await client.query(MeDocument.toString(), {}, { requestPolicy: 'network-only' }).toPromise();
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
      <Tabs
        label="Sign in with"
        tabs={METHODS}
        selected={method}
        onSelect={(chosen) => {
          setMethod(chosen);
          setMethodChosen(true);
        }}
        idPrefix="sign-in"
      />
      <div role="tabpanel" id={tabIds('sign-in', method).panel} aria-labelledby={tabIds('sign-in', method).tab}>
        <form onSubmit={(event) => void submit(event)} aria-label="Sign in">
          {method === 'password' ? (
            <>
              <label>
                E-mail
                <input name="email" type="email" autoComplete="username" required autoFocus={!methodChosen} />
              </label>
              <label>
                Password
                <input name="password" type="password" autoComplete="current-password" required />
              </label>
            </>
          ) : (
            <label>
              API key
              <input name="apiKey" type="password" autoComplete="off" required autoFocus={!methodChosen} />
            </label>
          )}
          <button type="submit" disabled={busy}>
            {busy ? 'Signing in…' : 'Sign in'}
          </button>
        </form>
      </div>
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
