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

/**
 * The engine's pool (main.ts builds it so; the benchmarks and the tests' engines too). Every runtime
 * statement finds its rows through an index (engine/store/sql.ts), but PostgreSQL keeps a prepared
 * statement's generic plan until the table's statistics change: planned while `executions` was nearly
 * empty — a new database, before autovacuum's first ANALYZE — the checkpoint scanned the whole table on
 * every statement as it grew (bench:engine: ~1,100 rows read per statement, a seq scan per batch). With
 * sequential scans priced out, a plan made on a small table still reads by index; a query that has no
 * index path (the engine's reads of system views) still scans.
 */
export function createEnginePool(config: pg.PoolConfig & { connectionString: string }, logger: Logger): pg.Pool {
  const options = [config.options, '-c enable_seqscan=off'].filter(Boolean).join(' ');
  return createPgPool({ ...config, options }, logger, 'engine');
}
