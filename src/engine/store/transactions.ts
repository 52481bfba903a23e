import type { EntityManager, MikroORM } from '@mikro-orm/postgresql';
import { transactionQueryable, type Queryable } from './queryable.js';

/**
 * A transaction shared by a domain service (through its EntityManager) and the engine's checkpoint
 * (through a Queryable on the same connection): both commit together or not at all.
 */
export function inSharedTransaction<T>(orm: MikroORM, work: (em: EntityManager, db: Queryable) => Promise<T>): Promise<T> {
  return orm.em.fork().transactional((em) => work(em, transactionQueryable(em)));
}

/** An EntityManager of its own, for a service call outside any step transaction. */
export function freshEntityManager(orm: MikroORM): EntityManager {
  return orm.em.fork();
}
