/**
 * The credential the console sends: a token from `login` (it expires) or a pasted API key (it does not).
 * Kept in localStorage so that a reload, or a second tab, stays signed in; the strict CSP (no script
 * from anywhere but this server) is what keeps other code away from it. Signing out removes it.
 */
export interface Session {
  token: string;
  kind: 'password' | 'api-key';
  /** ISO date-time; null for API keys. */
  expiresAt: string | null;
}

const KEY = 'switchyard.session';

export function loadSession(): Session | null {
  try {
    const raw = localStorage.getItem(KEY);
    if (!raw) return null;
    const value: unknown = JSON.parse(raw);
    if (!isSession(value)) return null;
    if (value.expiresAt && Date.parse(value.expiresAt) <= Date.now()) return null;
    return value;
  } catch {
    return null;
  }
}

export function saveSession(session: Session): void {
  localStorage.setItem(KEY, JSON.stringify(session));
}

export function clearSession(): void {
  localStorage.removeItem(KEY);
}

function isSession(value: unknown): value is Session {
  if (typeof value !== 'object' || value === null) return false;
  const record = value as Record<string, unknown>;
  return (
    typeof record['token'] === 'string' &&
    (record['kind'] === 'password' || record['kind'] === 'api-key') &&
    (record['expiresAt'] === null || typeof record['expiresAt'] === 'string')
  );
}
