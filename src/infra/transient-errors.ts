/**
 * Whether an error says "the infrastructure blinked" (a lost or refused connection, a database
 * restarting or failing over, a serialization conflict) rather than "this work is wrong". Such errors
 * are worth another attempt wherever they surface: pg, knex and MikroORM (which wrap pg's errors and
 * copy their `code`), graphile-worker, ioredis.
 *
 * SQLSTATEs and errno codes decide where the drivers give them. pg and knex raise a few connection
 * losses with no code at all (the socket closed under a query, a pool timed out acquiring one); those
 * are recognised by their fixed messages, the one place Switchyard reads an error's text.
 */

/** Class 08 (connection exception), 40001 / 40P01 (serialization, deadlock), 57P01–57P03 (admin
 *  shutdown, crash shutdown, cannot connect now), 53300 (too many connections). */
const TRANSIENT_SQLSTATE = /^(08[0-9A-Z]{3}|40001|40P01|57P0[1-3]|53300)$/;

const TRANSIENT_SYSTEM_CODES: ReadonlySet<string> = new Set([
  'ECONNRESET',
  'ECONNREFUSED',
  'ECONNABORTED',
  'EPIPE',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENOTCONN',
  'EAI_AGAIN',
]);

/** Error classes whose name alone says the connection failed. */
const TRANSIENT_NAMES: ReadonlySet<string> = new Set(['ConnectionException', 'KnexTimeoutError', 'MaxRetriesPerRequestError']);

/** pg / pg-pool / knex messages for connection losses that carry no code. */
const CONNECTION_LOST_MESSAGES: readonly RegExp[] = [
  /^Connection terminated/,
  /Client has encountered a connection error and is not queryable/,
  /Client was closed and is not queryable/,
  /timeout exceeded when trying to connect/,
  /Timeout acquiring a connection/,
  /Connection is closed\.?$/,
  // knex, for a statement on a transaction whose connection was lost under it.
  /Transaction query already complete/,
];

const MAX_CAUSE_DEPTH = 5;

function field(error: object, name: string): string | undefined {
  const value = (error as Record<string, unknown>)[name];
  return typeof value === 'string' ? value : undefined;
}

/** True when `error` (or an error it wraps) is a transient infrastructure failure. */
export function isTransientInfrastructureError(error: unknown): boolean {
  let current: unknown = error;
  for (let depth = 0; depth < MAX_CAUSE_DEPTH && current && typeof current === 'object'; depth += 1) {
    const code = field(current, 'code') ?? field(current, 'sqlState');
    if (code && (TRANSIENT_SQLSTATE.test(code) || TRANSIENT_SYSTEM_CODES.has(code))) return true;
    const name = field(current, 'name');
    if (name && TRANSIENT_NAMES.has(name)) return true;
    const message = field(current, 'message');
    if (message && CONNECTION_LOST_MESSAGES.some((pattern) => pattern.test(message))) return true;
    // AggregateError (Node's net.connect with several addresses) and `cause` chains.
    const errors = (current as { errors?: unknown }).errors;
    if (Array.isArray(errors) && errors.some((inner) => isTransientInfrastructureError(inner))) return true;
    current = (current as { cause?: unknown }).cause;
  }
  return false;
}
