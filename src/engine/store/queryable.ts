import type { EntityManager } from '@mikro-orm/postgresql';
import type pg from 'pg';

/** Something that runs one SQL statement with `$n` parameters: a pool, a client, or an ORM transaction. */
export interface Queryable {
  query<R extends object>(sql: string, params: readonly unknown[]): Promise<R[]>;
}

export function poolQueryable(pool: pg.Pool | pg.PoolClient): Queryable {
  return {
    async query<R extends object>(sql: string, params: readonly unknown[]) {
      const result = await pool.query<R>(sql, params as unknown[]);
      return result.rows;
    },
  };
}

/**
 * Runs statements on the connection of a MikroORM transaction (knex underneath, which binds `?`), so
 * that a local-effect service's writes and the step's checkpoint commit together.
 */
export function transactionQueryable(em: EntityManager): Queryable {
  return {
    async query<R extends object>(sql: string, params: readonly unknown[]) {
      const bindings: unknown[] = [];
      const knexSql = sql.replace(/\$(\d+)/g, (_, index: string) => {
        bindings.push(params[Number(index) - 1]);
        return '?';
      });
      return em.getConnection().execute<R[]>(knexSql, bindings, 'all', em.getTransactionContext());
    },
  };
}
