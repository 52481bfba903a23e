import pg from 'pg';
import type { Logger } from '../../logger.js';

/** The session advisory lock held by the primary worker: distinct from every other lock id in src (the schedule sync and the admin bootstrap use 7_358_201_115). */
const PRIMACY_LOCK_ID = 7_358_201_130;

/**
 * Which worker is the primary: the one that claims due runs at once (runtime/claim-pacing.ts). It is whoever
 * holds a session advisory lock. Each worker keeps one connection of its own for it, outside the pool
 * (so the hot path never waits for it), and the others try the lock at every recovery scan: when the
 * primary stops or dies, its session ends and the lock with it, and another takes over within a scan.
 * Nothing depends on there being exactly one: two primaries for a moment (one not yet told its
 * connection died) only spread claims, and with none, runs are claimed a deferral later. Claims are
 * safe whoever makes them (FOR UPDATE SKIP LOCKED, fenced leases).
 */
export interface ClaimPrimacy {
  /** Whether this worker holds the lock, as far as it knows. */
  held(): boolean;
  /** Tries to take the lock (nothing when held); a failure leaves it for the next try. */
  contend(): Promise<void>;
  /** Gives the lock up: its connection is closed. */
  release(): Promise<void>;
}

/** `pool`: whose connection settings the lock's own connection uses. */
export function createClaimPrimacy(pool: pg.Pool, logger: Logger): ClaimPrimacy {
  let session: pg.Client | undefined;
  let primary = false;
  let contending: Promise<void> | undefined;
  let released = false;

  const lost = (client: pg.Client, error?: Error) => {
    if (session !== client) return;
    if (primary) logger.warn({ err: error }, 'the primary worker lost its lock session; contending again at the next scan');
    session = undefined;
    primary = false;
    client.end().catch(() => undefined);
  };

  async function connect(): Promise<pg.Client | undefined> {
    const client = new pg.Client(pool.options);
    client.on('error', (error) => lost(client, error));
    client.on('end', () => lost(client));
    try {
      await client.connect();
    } catch (error) {
      logger.debug({ err: error }, 'no connection for the primary worker lock; trying again at the next scan');
      await client.end().catch(() => undefined);
      return undefined;
    }
    if (released) {
      await client.end().catch(() => undefined);
      return undefined;
    }
    session = client;
    return client;
  }

  async function attempt(): Promise<void> {
    const client = session ?? (await connect());
    if (!client) return;
    try {
      const { rows } = await client.query<{ locked: boolean }>('select pg_try_advisory_lock($1) as locked', [PRIMACY_LOCK_ID]);
      primary = session === client && rows[0]?.locked === true;
      if (primary) logger.info('this worker is now the primary: it claims due runs at once');
    } catch (error) {
      lost(client, error instanceof Error ? error : undefined);
    }
  }

  return {
    held: () => primary,
    contend() {
      if (primary || released) return Promise.resolve();
      contending ??= attempt().finally(() => {
        contending = undefined;
      });
      return contending;
    },
    async release() {
      released = true;
      await contending;
      const client = session;
      session = undefined;
      primary = false;
      await client?.end().catch(() => undefined);
    },
  };
}
