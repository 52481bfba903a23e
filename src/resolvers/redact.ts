/**
 * Secrets a step hands to the next one — the PPPoE password RADIUS generates for the CPE — stay in the execution's record (the next
 * step needs them) but never leave through GraphQL: a value under a key named like a secret is shown
 * as REDACTED wherever the API shows recorded data (context, result, step input and output, event payloads).
 */
export const REDACTED = '[redacted]';

/** `password`, `pppoePassword`, `one_time_password`, `webhookSecret`, `accessToken`, `apiKey`, `passwordHash`… */
const SECRET_KEY = /(password|passphrase|secret|token|apikey|passwordhash)$/;

function isSecretKey(key: string): boolean {
  return SECRET_KEY.test(key.toLowerCase().replace(/[_-]/g, ''));
}

function holdsSecret(value: unknown): boolean {
  if (Array.isArray(value)) return value.some(holdsSecret);
  if (typeof value !== 'object' || value === null) return false;
  return Object.entries(value).some(([key, inner]) => isSecretKey(key) || holdsSecret(inner));
}

function redact(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(redact);
  if (typeof value !== 'object' || value === null) return value;
  return Object.fromEntries(
    Object.entries(value).map(([key, inner]) => [key, isSecretKey(key) && inner !== null ? REDACTED : redact(inner)]),
  );
}

/** The value with every secret replaced; the value itself (not a copy) when it holds none. */
export function redactSecrets<T>(value: T): T {
  return holdsSecret(value) ? (redact(value) as T) : value;
}

/**
 * Whether an expression or template names a secret-like key (`context.pppoePassword`, `${steps.x.output.token}`):
 * what it evaluated to is then a secret however it is shown, so it is redacted whole.
 */
export function mentionsSecret(source: string): boolean {
  return (source.match(/[A-Za-z_$][A-Za-z0-9_$]*/g) ?? []).some(isSecretKey);
}

/** `value` as the API may show it when it came from `source` (an expression, a template). */
export function redactedValueOf<T>(source: string, value: T): T | typeof REDACTED {
  return mentionsSecret(source) && value !== null ? REDACTED : redactSecrets(value);
}
