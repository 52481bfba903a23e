import { useEffect, useState, type FormEvent } from 'react';
import { Link, Navigate, useLocation, useNavigate } from 'react-router';
import type { CombinedError } from 'urql';
import { MIN_PASSWORD_LENGTH, passwordProblem } from '../../../src/auth/users/password-rule';
import { AcceptInvitationDocument, LoginDocument, ResetPasswordDocument } from '../generated/graphql';
import { ErrorNotice } from '../ui/ErrorNotice';
import { anonymousRequest } from './anonymous';
import { useSession } from './SessionProvider';

/** Which e-mailed link opened the page: an invitation (`/accept-invitation`) or a password reset (`/reset-password`). */
export type AccountTokenPurpose = 'invitation' | 'password_reset';

const TEXT: { readonly [P in AccountTokenPurpose]: { title: string; submit: string; busy: string } } = {
  invitation: { title: 'Choose your password', submit: 'Set password and sign in', busy: 'Setting your password…' },
  password_reset: { title: 'Choose a new password', submit: 'Reset password', busy: 'Resetting…' },
};

/** What the sign-in page says after a reset: the API answers a reset with `true`, not a session. */
export const PASSWORD_RESET_DONE = 'Your password has been reset and your other sessions have ended. Sign in with the new password.';

/**
 * The page an invitation or a password reset e-mail links to (`?token=…`): the person chooses a password,
 * checked here by the API's own rule before anything is sent. The token is taken from the address and the
 * address replaced at once, so it is in neither the history nor a later copy of the address. An accepted
 * invitation signs in (acceptInvitation answers the user's e-mail, and `login` takes it with the password
 * just chosen); a reset goes to sign-in, saying so.
 */
export function AccountTokenPage({ purpose }: { purpose: AccountTokenPurpose }) {
  const location = useLocation();
  const navigate = useNavigate();
  const { signIn, signOut } = useSession();
  const [token] = useState(() => new URLSearchParams(location.search).get('token'));
  const [password, setPassword] = useState('');
  const [repeated, setRepeated] = useState('');
  const [tried, setTried] = useState(false);
  const [busy, setBusy] = useState(false);
  const [refusal, setRefusal] = useState<CombinedError | null>(null);
  const [done, setDone] = useState<'/' | '/sign-in' | null>(null);

  useEffect(() => {
    if (location.search) void navigate(location.pathname, { replace: true });
  }, [location.search, location.pathname, navigate]);

  if (done) return <Navigate to={done} replace />;
  const text = TEXT[purpose];
  const weak = password || tried ? passwordProblem(password) : null;
  const mismatch = (repeated || tried) && repeated !== password;

  const submit = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    setTried(true);
    if (!token || passwordProblem(password) || repeated !== password) return;
    setBusy(true);
    setRefusal(null);
    try {
      if (purpose === 'invitation') {
        const accepted = await anonymousRequest(AcceptInvitationDocument.toString(), { token, password });
        if (!accepted.data) {
          setRefusal(accepted.error ?? null);
          return;
        }
        const login = await anonymousRequest(LoginDocument.toString(), { email: accepted.data.acceptInvitation.email, password });
        if (login.data) {
          signIn({ token: login.data.login.token, kind: 'password', expiresAt: login.data.login.expiresAt });
          setDone('/');
        } else {
          signOut(`Your password is set, but signing in was refused (${login.error?.message ?? 'no answer'}). Try again here.`);
          setDone('/sign-in');
        }
      } else {
        const reset = await anonymousRequest(ResetPasswordDocument.toString(), { token, password });
        if (!reset.data) {
          setRefusal(reset.error ?? null);
          return;
        }
        // Whoever was signed in in this browser (the sessions of this user all ended with the reset) is signed out.
        signOut(PASSWORD_RESET_DONE);
        setDone('/sign-in');
      }
    } finally {
      setBusy(false);
    }
  };

  return (
    <main className="sign-in">
      <h1>Switchyard</h1>
      <h2>{text.title}</h2>
      {token ? (
        <form onSubmit={(event) => void submit(event)} aria-label={text.title} noValidate>
          <label>
            New password
            <input
              name="password"
              type="password"
              autoComplete="new-password"
              required
              autoFocus
              value={password}
              onChange={(event) => setPassword(event.target.value)}
              aria-invalid={weak ? true : undefined}
              aria-describedby="password-rule"
            />
          </label>
          <small id="password-rule" className={weak ? 'field-error' : undefined} aria-live="polite">
            {weak ? `The password ${weak} (${password.length} so far).` : `At least ${MIN_PASSWORD_LENGTH} characters.`}
          </small>
          <label>
            Repeat the password
            <input
              name="repeated"
              type="password"
              autoComplete="new-password"
              required
              value={repeated}
              onChange={(event) => setRepeated(event.target.value)}
              aria-invalid={mismatch ? true : undefined}
              aria-describedby={mismatch ? 'password-mismatch' : undefined}
            />
          </label>
          {mismatch ? (
            <small id="password-mismatch" className="field-error" role="alert">
              The two passwords differ.
            </small>
          ) : null}
          <button type="submit" disabled={busy}>
            {busy ? text.busy : text.submit}
          </button>
        </form>
      ) : (
        <p role="alert" className="error-notice">
          This page takes the link from your e-mail, and the link is no longer in the address (it is removed once read, and a reload loses
          it). Open the link from the e-mail again.
        </p>
      )}
      {refusal ? <Refusal error={refusal} purpose={purpose} /> : null}
      <p>
        <Link to="/sign-in">Sign in</Link> · <Link to="/forgot-password">Forgot password?</Link>
      </p>
    </main>
  );
}

/**
 * The API's refusal, by its code: BAD_USER_INPUT is the token's (unknown, expired, used or replaced by a
 * newer one — the API does not say which), said with what to do next; anything else as the server said it.
 */
function Refusal({ error, purpose }: { error: CombinedError; purpose: AccountTokenPurpose }) {
  const refused = error.graphQLErrors.find((graphqlError) => graphqlError.extensions['code'] === 'BAD_USER_INPUT');
  if (!refused) return <ErrorNotice error={error} />;
  return (
    <div role="alert" className="error-notice">
      <p>
        <strong>This link cannot be used any more:</strong> it has expired, has been used already, or a newer e-mail replaced it.
      </p>
      <p>
        {purpose === 'invitation'
          ? 'Ask your administrator to invite you again, or ask for a password reset with "Forgot password?" below: its e-mail brings a new link.'
          : 'Ask for a new link with "Forgot password?" below.'}
      </p>
      <p>
        <code>BAD_USER_INPUT</code> {refused.message}
      </p>
    </div>
  );
}
