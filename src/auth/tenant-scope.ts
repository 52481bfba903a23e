import type { EntityManager, MikroORM } from '@mikro-orm/postgresql';
import { Tenant } from '../entities/tenant.entity.js';
import { TENANT_SETTING } from '../entities/migrations/auth/tenant-policies.js';

export const TENANT_FILTER = 'tenant';

export interface TenantScope {
  /** An EntityManager whose every query on a tenant-owned entity is limited to `tenantId`. */
  fork(tenantId: string): EntityManager;
}

/**
 * Tenant isolation in the ORM: the `tenant` filter is turned on in each request's fork for every
 * entity with a `tenant` relation, those of later migrations included. The global EntityManager
 * (the engine's workers act across tenants) never has it.
 */
export function createTenantScope(orm: MikroORM): TenantScope {
  const tenantOwned = Object.values(orm.getMetadata().getAll())
    .filter((meta) => meta.properties['tenant']?.type === Tenant.name)
    .map((meta) => meta.className);
  return {
    fork(tenantId) {
      const em = orm.em.fork();
      em.addFilter(TENANT_FILTER, ({ tenantId: id }: { tenantId: string }) => ({ tenant: id }), tenantOwned, true);
      em.setFilterParams(TENANT_FILTER, { tenantId });
      return em;
    },
  };
}

/**
 * Runs `work` in a transaction where PostgreSQL's row-level security (see tenant-policies.ts) also
 * confines it to the tenant. `set_config(…, true)` is transaction-local: the pooled connection
 * forgets it at commit or rollback, so it never leaks into the next request that borrows it.
 */
export async function inTenantTransaction<T>(em: EntityManager, tenantId: string, work: (em: EntityManager) => Promise<T>): Promise<T> {
  return em.transactional(async (transactional) => {
    await transactional.execute('select set_config(?, ?, true)', [TENANT_SETTING, tenantId]);
    return work(transactional);
  });
}

/**
 * Passes on only the events of one tenant. `return()` reaches the source at once (an async generator
 * would wait for the next event first), so an unsubscribed client stops holding a pub/sub listener.
 */
export function onlyTenant<T>(
  source: AsyncIterableIterator<T>,
  tenantId: string,
  tenantOf: (event: T) => string,
): AsyncIterableIterator<T> {
  const iterator: AsyncIterableIterator<T> = {
    async next() {
      for (;;) {
        const result = await source.next();
        if (result.done || tenantOf(result.value) === tenantId) return result;
      }
    },
    async return(value?: unknown) {
      return (await source.return?.(value)) ?? { done: true, value: undefined };
    },
    async throw(error?: unknown) {
      if (source.throw) return source.throw(error);
      throw error;
    },
    [Symbol.asyncIterator]() {
      return iterator;
    },
  };
  return iterator;
}
