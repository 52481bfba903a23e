import pg from 'pg';
import type { Logger } from '../logger.js';
import { FAST_TIMESTAMP_TYPES } from './pg-timestamps.js';
import { isTransientInfrastructureError } from './transient-errors.js';

/**
 * A pg pool that lets go of connections the database has dropped. pg-pool takes a client back into the
 * pool unless the client itself has noticed its socket died; a backend terminated by the server
 * (`pg_terminate_backend`, a restart, a failover) can fail its query with FATAL 57P01 and still be
 * handed out again, failing every caller that gets it (graphile-worker then fails every job fetch).
 * Here a client whose query failed on the infrastructure is ended, which makes the pool discard it.
 */
export function createPgPool(config: pg.PoolConfig, logger: Logger, role: string): pg.Pool {
  // timestamptz read by a parser of PostgreSQL's one output shape (pg-timestamps.ts).
  const pool = new pg.Pool({ types: FAST_TIMESTAMP_TYPES, ...config });
  // A lost idle connection is logged (the pool replaces it); queries report their own errors.
  pool.on('error', (error) => logger.warn({ err: error, pool: role }, 'idle connection lost'));
  pool.on('connect', (client) => {
    client.on('error', (error) => logger.warn({ err: error, pool: role }, 'connection lost'));
    // The class's own query, looked up at each call (so that anything wrapping the prototype still sees it).
    const query = (...args: unknown[]): unknown =>
      (Object.getPrototypeOf(client) as { query: (...a: unknown[]) => unknown }).query.apply(client, args);
    const discardIfDropped = (error: unknown) => {
      if (isTransientInfrastructureError(error)) client.end().catch(() => undefined);
    };
    client.query = ((...args: unknown[]) => {
      const result = query(...args);
      if (result instanceof Promise) result.catch(discardIfDropped);
      return result;
    }) as typeof client.query;
  });
  return pool;
}
