import { createContext, useCallback, useContext, useEffect, useMemo, useState, type ReactNode } from 'react';
import { createGraphqlClients, type GraphqlClients } from '../graphql/client';
import { clearSession, loadSession, saveSession, type Session } from './session';

export const SESSION_ENDED = 'Your session has expired or its credential was refused. Sign in again.';

interface SessionState {
  session: Session | null;
  clients: GraphqlClients | null;
  /** Why the last session ended without the user signing out (shown on the sign-in page). */
  endedReason: string | null;
  signIn(session: Session): void;
  signOut(reason?: string): void;
}

const SessionContext = createContext<SessionState | null>(null);

export function SessionProvider({ children }: { children: ReactNode }) {
  const [session, setSession] = useState<Session | null>(loadSession);
  const [endedReason, setEndedReason] = useState<string | null>(null);

  const signOut = useCallback((reason?: string) => {
    clearSession();
    setSession(null);
    setEndedReason(reason ?? null);
  }, []);
  const signIn = useCallback((next: Session) => {
    saveSession(next);
    setEndedReason(null);
    setSession(next);
  }, []);

  const token = session?.token ?? null;
  const clients = useMemo(() => (token ? createGraphqlClients(token, () => signOut(SESSION_ENDED)) : null), [token, signOut]);
  useEffect(() => () => void clients?.ws.dispose(), [clients]);

  // A token ends at its expiry: say so then rather than at the next refused request.
  const expiresAt = session?.expiresAt ? Date.parse(session.expiresAt) : null;
  useEffect(() => {
    if (expiresAt === null) return;
    const timer = setTimeout(() => signOut(SESSION_ENDED), Math.max(0, Math.min(expiresAt - Date.now(), 2 ** 31 - 1)));
    return () => clearTimeout(timer);
  }, [expiresAt, signOut]);

  const value = useMemo(() => ({ session, clients, endedReason, signIn, signOut }), [session, clients, endedReason, signIn, signOut]);
  return <SessionContext.Provider value={value}>{children}</SessionContext.Provider>;
}

export function useSession(): SessionState {
  const state = useContext(SessionContext);
  if (!state) throw new Error('useSession outside SessionProvider');
  return state;
}
