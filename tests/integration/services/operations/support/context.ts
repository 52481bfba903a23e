import 'reflect-metadata';
import { randomUUID } from 'node:crypto';
import { MikroORM } from '@mikro-orm/postgresql';
import { Customer } from '../../../../../src/entities/customer.entity.js';
import type { JsonValue } from '../../../../../src/entities/json.js';
import { ormOptions } from '../../../../../src/infra/database.js';
import { createOperationsServiceMethods, type OperationsServiceDeps } from '../../../../../src/services/operations.js';
import { createServiceRegistry, type ServiceRegistry } from '../../../../../src/services/registry.js';
import { createTestDatabase, type TestDatabase } from '../../../../helpers/database.js';
import { createTenant } from '../../../../helpers/fixtures.js';

/** A database of the file's own, an ORM on it, a tenant with a customer, and the operations services. */
export interface OperationsTestContext {
  database: TestDatabase;
  orm: MikroORM;
  tenantId: string;
  customerId: string;
  registry: ServiceRegistry;
  /** Calls a method as the engine does: in a transaction of its own, with an idempotency key. */
  call(service: string, method: string, params: Record<string, unknown>, options?: CallOptions): Promise<JsonValue>;
  createCustomer(name?: string, tenantId?: string): Promise<string>;
  close(): Promise<void>;
}

export interface CallOptions {
  key?: string | undefined;
  now?: Date | undefined;
  tenantId?: string | undefined;
  registry?: ServiceRegistry | undefined;
}

export async function setUpOperations(deps: OperationsServiceDeps = {}): Promise<OperationsTestContext> {
  const database = await createTestDatabase();
  const orm = await MikroORM.init(ormOptions(database.url, 8));
  const tenant = await createTenant(orm);
  const registry = createServiceRegistry(createOperationsServiceMethods(deps), { checkOutputs: true });

  const createCustomer = async (name = 'Ada Lovelace', tenantId = tenant.id) => {
    const em = orm.em.fork();
    const customer = em.create(Customer, { tenant: tenantId, name, email: `${randomUUID()}@example.com` });
    await em.flush();
    return customer.id;
  };

  return {
    database,
    orm,
    tenantId: tenant.id,
    customerId: await createCustomer(),
    registry,
    call(service, method, params, options = {}) {
      return orm.em.fork().transactional((em) =>
        (options.registry ?? registry).call(
          service,
          method,
          {
            em,
            tenantId: options.tenantId ?? tenant.id,
            idempotencyKey: options.key ?? `${randomUUID()}:step`,
            now: options.now ?? new Date(),
            signal: new AbortController().signal,
          },
          params,
        ),
      );
    },
    createCustomer,
    async close() {
      await orm.close();
      await database.drop();
    },
  };
}

/** Counts rows of a table for the context's tenant (tables here all carry tenant_id). */
export async function countRows(context: OperationsTestContext, table: string, tenantId = context.tenantId): Promise<number> {
  const rows = await context.orm.em
    .fork()
    .getConnection()
    .execute<{ count: string }[]>(`select count(*) from "${table}" where tenant_id = ?`, [tenantId]);
  return Number(rows[0]?.count);
}
