import { useState, type FormEvent } from 'react';
import { Link } from 'react-router';
import type { CombinedError } from 'urql';
import { RequestPasswordResetDocument } from '../generated/graphql';
import { ErrorNotice } from '../ui/ErrorNotice';
import { anonymousRequest } from './anonymous';

/**
 * "Forgot password?": asks the API to e-mail a reset link. Its answer is the same whether or not the
 * address is an account's, and so is this page's (an invitee whose invitation expired gets a link too).
 */
export function ForgotPasswordPage() {
  const [sentTo, setSentTo] = useState<string | null>(null);
  const [error, setError] = useState<CombinedError | null>(null);
  const [busy, setBusy] = useState(false);

  const submit = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const email = new FormData(event.currentTarget).get('email');
    if (typeof email !== 'string') return;
    setBusy(true);
    setError(null);
    try {
      const result = await anonymousRequest(RequestPasswordResetDocument.toString(), { email: email.trim() });
      if (result.data) setSentTo(email.trim());
      else setError(result.error ?? null);
    } finally {
      setBusy(false);
    }
  };

  return (
    <main className="sign-in">
      <h1>Switchyard</h1>
      <h2>Forgot password?</h2>
      {sentTo ? (
        <p role="status" className="notice">
          If {sentTo} is the e-mail of an account, a message with a link to choose a new password is on its way. The link works once, until
          the time the e-mail gives.
        </p>
      ) : (
        <form onSubmit={(event) => void submit(event)} aria-label="Ask for a password reset">
          <label>
            E-mail
            <input name="email" type="email" autoComplete="username" required autoFocus />
          </label>
          <button type="submit" disabled={busy}>
            {busy ? 'Sending…' : 'E-mail me a link'}
          </button>
        </form>
      )}
      {error ? <ErrorNotice error={error} /> : null}
      <p>
        <Link to="/sign-in">Back to sign-in</Link>
      </p>
    </main>
  );
}
