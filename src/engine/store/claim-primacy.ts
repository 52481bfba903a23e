import pg from 'pg';
import type { Logger } from '../../logger.js';
import { withFields } from '../../infra/with-fields.js';

/** The session advisory lock held by the primary worker: distinct from every other lock id in src (the schedule sync and the admin bootstrap use 7_358_201_115). */
const PRIMACY_LOCK_ID = 7_358_201_130;
/** The application_name of every worker's lock session: `switchyard-worker[ primary][ saturated]`. */
const PRESENCE_NAME = 'switchyard-worker';

/** The other workers on this database, as this worker last read them. */
export interface Peers {
  /** How many there are. */
  others: number;
  /** How many of them have room (are not saturated). */
  othersWithRoom: number;
  /** Whether one of them is the primary and saturated. */
  primarySaturated: boolean;
}

/** Until the first read: as if another worker with room were there, which defers as packing always did. */
const UNKNOWN_PEERS: Peers = { others: 1, othersWithRoom: 1, primarySaturated: false };

/**
 * Which worker is the primary — the one that claims due runs at once (runtime/claim-pacing.ts) — and
 * what each worker knows of the others. The primary is whoever holds a session advisory lock. Each
 * worker keeps one connection of its own for it, outside the pool (so the hot path never waits for a
 * pooled connection), and the others try the lock at every recovery scan: when the primary stops or
 * dies, its session ends and the lock with it, and another takes over within a scan. Nothing depends
 * on there being exactly one: two primaries for a moment (one not yet told its connection died) only
 * spread claims, and with none, runs are claimed a deferral later. Claims are safe whoever makes them
 * (FOR UPDATE SKIP LOCKED, fenced leases).
 *
 * The same session is the worker's presence: its application_name says whether it is the primary and
 * whether it is saturated, and pg_stat_activity lists the others'. PostgreSQL ends a dead worker's
 * session, so a worker that died is never counted, and no table needs a heartbeat.
 */
export interface ClaimPrimacy {
  /** Whether this worker holds the lock, as far as it knows. */
  held(): boolean;
  /**
   * Shows the others whether this worker is saturated, and answers what it knows of them: read again
   * when the last read is older than `maxAgeMs` (0: every time), else the last read. Never rejects: with
   * the database away it answers the last read.
   */
  peers(saturated: boolean, maxAgeMs: number): Promise<Peers>;
  /** Tries to take the lock (nothing when held) and reads the others; a failure leaves it for the next try. */
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
  const presence = { shown: PRESENCE_NAME, saturated: false, peers: UNKNOWN_PEERS, readAt: -Infinity };
  let reading: Promise<void> | undefined;

  const lost = (client: pg.Client, error?: Error) => {
    if (session !== client) return;
    if (primary) logger.warn({ err: error }, 'the primary worker lost its lock session; contending again at the next scan');
    session = undefined;
    primary = false;
    client.end().catch(() => undefined);
  };

  async function connect(): Promise<pg.Client | undefined> {
    presence.shown = PRESENCE_NAME;
    const client = new pg.Client(withFields(pool.options, { application_name: PRESENCE_NAME }));
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

  async function read(): Promise<void> {
    const client = session;
    if (!client) return;
    const name = `${PRESENCE_NAME}${primary ? ' primary' : ''}${presence.saturated ? ' saturated' : ''}`;
    try {
      if (name !== presence.shown) {
        await client.query(`select set_config('application_name', $1, false)`, [name]);
        presence.shown = name;
      }
      const { rows } = await client.query<{ name: string }>(
        `select application_name as name from pg_stat_activity
         where datname = current_database() and pid <> pg_backend_pid() and application_name like $1`,
        [`${PRESENCE_NAME}%`],
      );
      const states = rows.map((row) => new Set(row.name.split(' ')));
      presence.peers = {
        others: states.length,
        othersWithRoom: states.filter((state) => !state.has('saturated')).length,
        primarySaturated: states.some((state) => state.has('primary') && state.has('saturated')),
      };
      presence.readAt = performance.now();
    } catch (error) {
      lost(client, error instanceof Error ? error : undefined);
    }
  }

  /** One read at a time; a call during a read waits for it. */
  function readPeers(): Promise<void> {
    reading ??= read().finally(() => {
      reading = undefined;
    });
    return reading;
  }

  return {
    held: () => primary,
    async peers(saturated, maxAgeMs) {
      presence.saturated = saturated;
      if (reading || performance.now() - presence.readAt >= maxAgeMs) await readPeers();
      return presence.peers;
    },
    contend() {
      if (released) return Promise.resolve();
      contending ??= (primary ? Promise.resolve() : attempt()).then(readPeers).finally(() => {
        contending = undefined;
      });
      return contending;
    },
    async release() {
      released = true;
      await contending;
      await reading;
      const client = session;
      session = undefined;
      primary = false;
      await client?.end().catch(() => undefined);
    },
  };
}
