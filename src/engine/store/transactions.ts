import type { EventSubscriber } from '@mikro-orm/core';
import type { EntityManager, MikroORM } from '@mikro-orm/postgresql';
import type pg from 'pg';
import { poolQueryable, transactionQueryable, type Queryable } from '../../infra/queryable.js';

/** The MikroORM the engine is given (main.ts's): only engine/store works with it. */
export type EngineOrm = MikroORM;

/**
 * A caller's open transaction — a request's tenant transaction, a MikroORM EntityManager — that the
 * engine's public reads and writes join. Outside engine/store it is only handed on, never looked into.
 */
export type CallerTransaction = EntityManager;

/**
 * A transaction shared by a domain service (through its EntityManager) and the engine's checkpoint
 * (through a Queryable on the same connection): both commit together or not at all.
 */
export function inSharedTransaction<T>(em: EntityManager, work: (em: EntityManager, db: Queryable) => Promise<T>): Promise<T> {
  return em.transactional((transactional) => work(transactional, transactionQueryable(transactional)));
}

/**
 * An EntityManager of its own. With `subscriber`, its flushes and transactions — and those of the forks
 * its transactions make, which copy its event manager — also notify `subscriber`; no other
 * EntityManager's do (the global subscribers stay too).
 */
export function forkWith(orm: MikroORM, subscriber?: EventSubscriber): EntityManager {
  if (!subscriber) return orm.em.fork();
  const em = orm.em.fork({ cloneEventManager: true });
  em.getEventManager().registerSubscriber(subscriber);
  return em;
}

/**
 * `work` in one transaction on one connection of `pool`: committed when it resolves, rolled back when
 * it throws (the rollback's own failure, on a dead connection, is not the error worth reporting).
 */
export async function withTransaction<T>(pool: pg.Pool, work: (db: Queryable) => Promise<T>): Promise<T> {
  const client = await pool.connect();
  try {
    await client.query('begin');
    const result = await work(poolQueryable(client));
    await client.query('commit');
    return result;
  } catch (error) {
    await client.query('rollback').catch(() => undefined);
    throw error;
  } finally {
    client.release();
  }
}

/**
 * `work` in a savepoint of `db`'s open transaction. When it throws, only its own writes are undone, the
 * transaction goes on, and its error is in the answer; a savepoint that cannot be taken, released or rolled
 * back to (the connection is gone) throws.
 */
export async function inSavepoint(
  db: Queryable,
  name: string,
  work: () => Promise<void>,
): Promise<{ ok: true } | { ok: false; error: unknown }> {
  await db.query(`savepoint ${name}`, []);
  try {
    await work();
  } catch (error) {
    await db.query(`rollback to savepoint ${name}`, []);
    return { ok: false, error };
  }
  await db.query(`release savepoint ${name}`, []);
  return { ok: true };
}
