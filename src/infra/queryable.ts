import type { EntityManager } from '@mikro-orm/postgresql';
import type pg from 'pg';

/** Something that runs one SQL statement with `$n` parameters: a pool, a client, or an ORM transaction. */
export interface Queryable {
  /**
   * `name`: run it as a named prepared statement (planned once per connection) — for the hot path's
   * large statements, whose planning would otherwise cost more than their execution.
   */
  query<R extends object>(sql: string, params: readonly unknown[], name?: string): Promise<R[]>;
}

export function poolQueryable(pool: pg.Pool | pg.PoolClient): Queryable {
  return {
    async query<R extends object>(sql: string, params: readonly unknown[], name?: string) {
      const result = await pool.query<R>(
        name ? { name, text: sql, values: params as unknown[] } : { text: sql, values: params as unknown[] },
      );
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
