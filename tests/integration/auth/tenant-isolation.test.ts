import { randomUUID } from 'node:crypto';
import { createTenantScope, inTenantTransaction } from '../../../src/auth/tenant-scope.js';
import { Workflow } from '../../../src/entities/index.js';
import { WorkflowByNameDocument, WorkflowChangedDocument, WorkflowsDocument } from '../../generated/graphql.js';
import { NOOP_DEFINITION, bearer, createUser, login } from '../../helpers/auth.js';
import { adminQuery, createTestDatabase, type TestDatabase } from '../../helpers/database.js';
import { produceUntilDelivered } from '../../helpers/eventually.js';
import { testEnv } from '../../helpers/env.js';
import { createWsClient, execute, nextWithin, subscribe } from '../../helpers/graphql.js';
import { startTestServer, type TestServer } from '../../helpers/server.js';

describe('tenant isolation', () => {
  let database: TestDatabase;
  let server: TestServer;
  let tenantA: string;
  let tenantB: string;
  let headersB: Record<string, string>;

  beforeAll(async () => {
    database = await createTestDatabase();
    server = await startTestServer({ databaseUrl: database.url });
    tenantA = server.adminTenantId;
    const userB = await createUser(server.orm, 'operator');
    tenantB = userB.tenantId;
    headersB = bearer((await login(server.url, userB.email, userB.password)).token);
    await server.engine.workflows.save({ tenantId: tenantA, name: 'shared_name', description: 'of A', definition: NOOP_DEFINITION });
    await server.engine.workflows.save({ tenantId: tenantB, name: 'shared_name', description: 'of B', definition: NOOP_DEFINITION });
    await server.engine.workflows.save({ tenantId: tenantB, name: 'only_b', definition: NOOP_DEFINITION });
  });
  afterAll(async () => {
    await server?.stop();
    await database?.drop();
  });

  it("shows each viewer its own tenant's workflows only; another tenant's name is NOT_FOUND", async () => {
    const listA = await execute(server.url, WorkflowsDocument, undefined, server.adminHeaders);
    expect(listA.data?.workflows.nodes.map((workflow) => [workflow.name, workflow.description])).toEqual([['shared_name', 'of A']]);
    const listB = await execute(server.url, WorkflowsDocument, undefined, headersB);
    expect(listB.data?.workflows.nodes.map((workflow) => [workflow.name, workflow.description])).toEqual([
      ['only_b', ''],
      ['shared_name', 'of B'],
    ]);

    const foreign = await execute(server.url, WorkflowByNameDocument, { name: 'only_b' }, server.adminHeaders);
    expect([foreign.data, foreign.errors?.[0]?.extensions?.['code']]).toEqual([null, 'NOT_FOUND']);
    // A name both tenants use is each one's own, not an ambiguity.
    const shared = await execute(server.url, WorkflowByNameDocument, { name: 'shared_name' }, headersB);
    const ownId = (await server.orm.em.fork().findOneOrFail(Workflow, { tenant: tenantB, name: 'shared_name' })).id;
    expect(shared.data?.workflow.id).toBe(ownId);
  });

  it('filters every tenant-owned entity in a scoped EntityManager, and nothing outside one', async () => {
    const scope = createTenantScope(server.orm);
    const names = async (em = scope.fork(tenantB)) =>
      (await em.find(Workflow, {}, { orderBy: { name: 'asc' } })).map(
        (workflow) => `${workflow.tenant.id === tenantB ? 'B' : 'A'}:${workflow.name}`,
      );
    expect(await names()).toEqual(['B:only_b', 'B:shared_name']);
    expect(await names(scope.fork(tenantA))).toEqual(['A:shared_name']);
    // By id too: another tenant's row does not exist for this viewer.
    const idOfB = (await server.orm.em.fork().findOneOrFail(Workflow, { tenant: tenantB, name: 'only_b' })).id;
    expect(await scope.fork(tenantA).findOne(Workflow, { id: idOfB })).toBeNull();
    expect((await names(server.orm.em.fork())).sort()).toEqual(['A:shared_name', 'B:only_b', 'B:shared_name']);
  });

  it('delivers workflowChanged events of the subscriber’s tenant only', async () => {
    const clientA = createWsClient(server.wsUrl, server.adminHeaders);
    const clientB = createWsClient(server.wsUrl, headersB);
    const eventsA = subscribe(clientA, WorkflowChangedDocument);
    const eventsB = subscribe(clientB, WorkflowChangedDocument);
    try {
      // In each round B's save is published before A's: a subscriber of A that also got B's events
      // would see a b_ name first.
      const [firstA, firstB] = await produceUntilDelivered(
        'a workflow change delivered to each tenant',
        Promise.all([nextWithin(eventsA), nextWithin(eventsB)]),
        async (round) => {
          await server.engine.workflows.save({ tenantId: tenantB, name: `b_${round}`, definition: NOOP_DEFINITION });
          await server.engine.workflows.save({ tenantId: tenantA, name: `a_${round}`, definition: NOOP_DEFINITION });
        },
      );
      expect(firstA.data?.workflowChanged.name).toMatch(/^a_/);
      expect(firstB.data?.workflowChanged.name).toMatch(/^b_/);

      // Both live now: each gets its own tenant's next events, in order, and nothing of the other's.
      // What arrives up to `last`, leaving out the earlier rounds' own events that were still in flight.
      const until = async (events: typeof eventsA, earlier: RegExp, last: string) => {
        const names: string[] = [];
        for (;;) {
          const name = (await nextWithin(events)).data?.workflowChanged.name ?? '';
          if (!earlier.test(name)) names.push(name);
          if (name === last) return names;
        }
      };
      await server.engine.workflows.save({ tenantId: tenantB, name: 'b_final_1', definition: NOOP_DEFINITION });
      await server.engine.workflows.save({ tenantId: tenantA, name: 'a_final', definition: NOOP_DEFINITION });
      await server.engine.workflows.save({ tenantId: tenantB, name: 'b_final_2', definition: NOOP_DEFINITION });
      expect(await until(eventsA, /^a_\d+$/, 'a_final')).toEqual(['a_final']);
      expect(await until(eventsB, /^b_\d+$/, 'b_final_2')).toEqual(['b_final_1', 'b_final_2']);
    } finally {
      await eventsA.return?.();
      await eventsB.return?.();
      await Promise.all([clientA.dispose(), clientB.dispose()]);
    }
  });

  describe('row-level security (the database backstop)', () => {
    const probeRole = 'switchyard_rls_probe';

    beforeAll(async () => {
      // A role without superuser or BYPASSRLS, as a production DATABASE_URL should use.
      await adminQuery(
        testEnv('postgresUrl'),
        `do $$ begin create role ${probeRole} nologin; exception when duplicate_object then null; end $$;`,
      );
      await adminQuery(database.url, `grant select, insert on all tables in schema public to ${probeRole}`);
    });

    const asProbe = async <T>(tenantId: string | undefined, sql: string, params: unknown[] = []): Promise<T[]> =>
      server.orm.em.fork().transactional(async (em) => {
        await em.execute(`set local role ${probeRole}`);
        if (tenantId) await em.execute("select set_config('app.tenant_id', ?, true)", [tenantId]);
        return em.execute<T[]>(sql, params);
      });

    it('confines a transaction with app.tenant_id to that tenant, and leaves unset sessions (workers) unconfined', async () => {
      const tenants = async (tenantId: string | undefined, table: string, column = 'tenant_id') =>
        [...new Set((await asProbe<{ t: string }>(tenantId, `select ${column} as t from ${table}`)).map((row) => row.t))].sort();
      expect(await tenants(tenantB, 'workflows')).toEqual([tenantB]);
      expect(await tenants(tenantA, 'workflows')).toEqual([tenantA]);
      expect(await tenants(undefined, 'workflows')).toEqual([tenantA, tenantB].sort());
      // Children are confined through their parent.
      const versionTenants = `(select w.tenant_id from workflows w where w.id = workflow_versions.workflow_id)`;
      expect(await tenants(tenantB, 'workflow_versions', versionTenants)).toEqual([tenantB]);
      expect(await tenants(tenantA, 'users')).toEqual([tenantA]);
    });

    it("refuses to write a row into another tenant's", async () => {
      const insert = `insert into workflows (id, tenant_id, name, tags, created_at, updated_at) values (?, ?, 'smuggled', '{}', now(), now())`;
      await expect(asProbe(tenantA, insert, [randomUUID(), tenantB])).rejects.toThrow(/row-level security/);
    });

    it('sets app.tenant_id for the transaction only: the pooled connection forgets it', async () => {
      const seen = await inTenantTransaction(server.orm.em.fork(), tenantB, (em) =>
        em.execute<Array<{ t: string }>>("select current_setting('app.tenant_id', true) as t"),
      );
      expect(seen[0]?.t).toBe(tenantB);
      const after = await Promise.all(
        Array.from({ length: 10 }, () =>
          server.orm.em.fork().execute<Array<{ t: string | null }>>("select current_setting('app.tenant_id', true) as t"),
        ),
      );
      expect(after.map((rows) => rows[0]?.t || null)).toEqual(Array(10).fill(null));
    });
  });
});
