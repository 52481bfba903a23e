import {
  CancelExecutionDocument,
  CreateWorkflowDocument,
  PauseExecutionDocument,
  PublishEventDocument,
  ResumeExecutionDocument,
  RetryExecutionDocument,
  RunFlowDocument,
  StartRunDocument,
  TenantsDocument,
  UpdateTenantDocument,
  ValidateWorkflowDefinitionDocument,
  type ExecutionStatus,
} from '../../generated/graphql.js';
import { createUser, login } from '../../helpers/auth.js';
import { eventually } from '../../helpers/eventually.js';
import { execute } from '../../helpers/graphql.js';
import { useTestServer, type TestServer } from '../../helpers/server.js';
import { codeOf, ok } from '../people/support.js';

/**
 * Flow control through the API: a workflow's `concurrency { limit, key }` queues the runs beyond the
 * limit (QUEUED, holding no worker) and starts them, by priority then age, as slots free; cancel, pause,
 * resume and retry of queued runs; the configured per-tenant limit. Each run here parks on a `gate`
 * event of its own (a run parked on a wait keeps its slot), which the test opens to end it.
 */
const gated = (concurrency: Record<string, unknown>) => ({
  concurrency,
  steps: [
    { name: 'gate', type: 'wait', event: { name: 'gate.opened', match: 'event.run = context.run' } },
    { name: 'done', type: 'transform', output: { run: '${context.run}' } },
  ],
});

interface Harness {
  server: TestServer;
  start(name: string, context: Record<string, unknown>, priority?: number): Promise<string>;
  status(id: string): Promise<ExecutionStatus>;
  reaches(id: string, wanted: ExecutionStatus): Promise<unknown>;
  open(run: string): Promise<void>;
}

/** Calls as the bootstrapped admin, or as whoever `headersOf` names. */
function harness(server: TestServer, headersOf: () => Record<string, string> = () => server.adminHeaders): Harness {
  const flow = async (id: string) => ok(await execute(server.url, RunFlowDocument, { id }, headersOf())).execution;
  return {
    server,
    async start(name, context, priority) {
      return ok(
        await execute(server.url, StartRunDocument, { name, context, ...(priority === undefined ? {} : { priority }) }, headersOf()),
      ).executeWorkflow.execution.id;
    },
    async status(id) {
      const run = await flow(id);
      if (!run) throw new Error(`no execution ${id}`);
      return run.status;
    },
    reaches: (id, wanted) =>
      eventually(
        `execution ${id} ${wanted}`,
        () => flow(id),
        (run) => run?.status === wanted,
      ),
    async open(run) {
      ok(await execute(server.url, PublishEventDocument, { name: 'gate.opened', payload: { run } }, headersOf()));
    },
  };
}

const createWorkflow = async (server: TestServer, name: string, definition: Record<string, unknown>, headers = server.adminHeaders) =>
  ok(await execute(server.url, CreateWorkflowDocument, { input: { name, definition } }, headers));

describe('flow control through the API', () => {
  const server = useTestServer();
  const h = harness(server);

  it('refuses a malformed concurrency or priority with the path and why', async () => {
    const check = async (definition: Record<string, unknown>) =>
      ok(await execute(server.url, ValidateWorkflowDefinitionDocument, { name: 'bad_flow', definition }, server.adminHeaders))
        .validateWorkflowDefinition.issues;
    expect(await check(gated({ limit: 0 }))).toEqual([{ path: '$.concurrency.limit', message: 'must be an integer from 1 to 10000' }]);
    expect(await check(gated({ limit: 2, key: 'customer +' }))).toEqual([expect.objectContaining({ path: '$.concurrency.key' })]);
    expect(await check(gated({ limit: 2, keys: 'customer' }))).toEqual([
      expect.objectContaining({ path: '$.concurrency.keys', message: expect.stringContaining('unknown property') }),
    ]);
    expect(await check({ ...gated({ limit: 1 }), triggers: [{ event: 'gate.built', priority: 5000 }] })).toEqual([
      { path: '$.triggers[0].priority', message: 'must be an integer from -1000 to 1000' },
    ]);

    await createWorkflow(server, 'keyed_refusals', gated({ limit: 1, key: 'customer' }));
    const noKey = await execute(server.url, StartRunDocument, { name: 'keyed_refusals', context: { run: 'x' } }, server.adminHeaders);
    expect(codeOf(noKey)).toBe('VALIDATION');
    expect(noKey.errors?.[0]?.message).toContain('the concurrency key "customer" gave nothing');
    const badPriority = await execute(
      server.url,
      StartRunDocument,
      { name: 'keyed_refusals', context: { run: 'y', customer: 'c' }, priority: 1001 },
      server.adminHeaders,
    );
    expect(codeOf(badPriority)).toBe('BAD_USER_INPUT');
  });

  it('runs at most `limit` per key value; the rest wait QUEUED and start as slots free', async () => {
    await createWorkflow(server, 'per_customer', gated({ limit: 2, key: 'customer' }));
    const a1 = await h.start('per_customer', { run: 'a1', customer: 'acme' });
    const a2 = await h.start('per_customer', { run: 'a2', customer: 'acme' });
    const a3 = await h.start('per_customer', { run: 'a3', customer: 'acme' });
    const b1 = await h.start('per_customer', { run: 'b1', customer: 'globex' });
    await Promise.all([h.reaches(a1, 'WAITING'), h.reaches(a2, 'WAITING'), h.reaches(b1, 'WAITING')]);
    const queued = ok(await execute(server.url, RunFlowDocument, { id: a3 }, server.adminHeaders)).execution;
    expect(queued).toMatchObject({ status: 'QUEUED', concurrency: { key: 'acme', limit: 2 } });
    expect(queued?.events.nodes.map((event) => event.type)).toEqual(['execution.created', 'execution.queued']);

    await h.open('a1');
    await h.reaches(a1, 'COMPLETED');
    await h.reaches(a3, 'WAITING');
    for (const run of ['a2', 'a3', 'b1']) await h.open(run);
    await Promise.all([a2, a3, b1].map((id) => h.reaches(id, 'COMPLETED')));
  });

  it('starts queued runs by priority, then in the order they were started', async () => {
    await createWorkflow(server, 'one_at_a_time', gated({ limit: 1 }));
    const holder = await h.start('one_at_a_time', { run: 'p0' });
    await h.reaches(holder, 'WAITING');
    const low1 = await h.start('one_at_a_time', { run: 'p1' });
    const high = await h.start('one_at_a_time', { run: 'p2' }, 5);
    const low2 = await h.start('one_at_a_time', { run: 'p3' });
    const rows = await Promise.all([low1, high, low2].map((id) => execute(server.url, RunFlowDocument, { id }, server.adminHeaders)));
    expect(rows.map((row) => ok(row).execution?.priority)).toEqual([0, 5, 0]);

    await h.open('p0');
    await h.reaches(high, 'WAITING');
    expect([await h.status(low1), await h.status(low2)]).toEqual(['QUEUED', 'QUEUED']);
    await h.open('p2');
    await h.reaches(low1, 'WAITING');
    expect(await h.status(low2)).toBe('QUEUED');
    await h.open('p1');
    await h.reaches(low2, 'WAITING');
    await h.open('p3');
    await h.reaches(low2, 'COMPLETED');
  });

  it('cancels a queued run at once; a paused queued run is passed over until resumed; a retried run queues again', async () => {
    await createWorkflow(server, 'commands_on_queued', gated({ limit: 1 }));
    const holder = await h.start('commands_on_queued', { run: 'c0' });
    await h.reaches(holder, 'WAITING');
    const cancelled = await h.start('commands_on_queued', { run: 'c1' });
    const paused = await h.start('commands_on_queued', { run: 'c2' });
    const next = await h.start('commands_on_queued', { run: 'c3' });
    expect(ok(await execute(server.url, CancelExecutionDocument, { id: cancelled }, server.adminHeaders)).cancelExecution.status).toBe(
      'CANCELLED',
    );
    const run = ok(await execute(server.url, RunFlowDocument, { id: cancelled }, server.adminHeaders)).execution;
    expect(run?.error?.code).toBe('CANCELLED');
    expect(run?.events.nodes.map((event) => event.type)).toEqual(['execution.created', 'execution.queued', 'execution.cancelled']);

    expect(ok(await execute(server.url, PauseExecutionDocument, { id: paused }, server.adminHeaders)).pauseExecution).toMatchObject({
      status: 'QUEUED',
      pauseRequested: true,
    });
    await h.open('c0');
    // The paused run is passed over: the next one takes the slot.
    await h.reaches(next, 'WAITING');
    expect(await h.status(paused)).toBe('QUEUED');
    expect(ok(await execute(server.url, ResumeExecutionDocument, { id: paused }, server.adminHeaders)).resumeExecution).toMatchObject({
      status: 'QUEUED',
      pauseRequested: false,
    });
    await h.open('c3');
    await h.reaches(paused, 'WAITING');

    // A run cancelled in progress frees its slot; retried while the slot is taken again, it waits queued.
    ok(await execute(server.url, CancelExecutionDocument, { id: paused }, server.adminHeaders));
    await h.reaches(paused, 'CANCELLED');
    const taker = await h.start('commands_on_queued', { run: 'c4' });
    await h.reaches(taker, 'WAITING');
    const retried = ok(
      await execute(server.url, RetryExecutionDocument, { id: paused, fromStep: 'gate' }, server.adminHeaders),
    ).retryExecution;
    expect(retried.status).toBe('QUEUED');
    await h.open('c4');
    // WAITING alone comes too early: a retried run handed its slot is WAITING (due) until a worker takes it,
    // and a gate event published before its wait step started would not be heard.
    await eventually(
      `execution ${paused} parked again after its retry`,
      () => execute(server.url, RunFlowDocument, { id: paused }, server.adminHeaders),
      (answer) => {
        const types = ok(answer).execution?.events.nodes.map((event) => event.type) ?? [];
        return types.lastIndexOf('step.waiting') > types.lastIndexOf('execution.retried');
      },
    );
    await h.open('c2');
    await h.reaches(paused, 'COMPLETED');
  });
});

describe('the per-tenant limit (SWITCHYARD_TENANT_CONCURRENCY_LIMIT)', () => {
  const server = useTestServer({ env: { SWITCHYARD_TENANT_CONCURRENCY_LIMIT: '2' } });
  const h = harness(server);

  it('holds the tenant to the limit across workflows, and a freed slot goes to the next run of any workflow', async () => {
    await createWorkflow(server, 'tenant_a', gated({ limit: 5 }));
    const { concurrency: _unlimited, ...unlimited } = gated({ limit: 1 });
    await createWorkflow(server, 'tenant_b', unlimited);
    const a1 = await h.start('tenant_a', { run: 't1' });
    const b1 = await h.start('tenant_b', { run: 't2' });
    await Promise.all([h.reaches(a1, 'WAITING'), h.reaches(b1, 'WAITING')]);
    const b2 = await h.start('tenant_b', { run: 't3' });
    const a2 = await h.start('tenant_a', { run: 't4' });
    expect([await h.status(b2), await h.status(a2)]).toEqual(['QUEUED', 'QUEUED']);

    await h.open('t1');
    await h.reaches(b2, 'WAITING');
    expect(await h.status(a2)).toBe('QUEUED');
    await h.open('t2');
    await h.reaches(a2, 'WAITING');
    for (const run of ['t3', 't4']) await h.open(run);
    await Promise.all([b2, a2].map((id) => h.reaches(id, 'COMPLETED')));
  });

  it("a tenant's own limit, set by the platform admin, stands before the configured one and applies at once", async () => {
    const owner = await createUser(server.orm, 'admin');
    const ownHeaders = { authorization: `Bearer ${(await login(server.url, owner.email, owner.password)).token}` };
    const own = harness(server, () => ownHeaders);
    const setLimit = async (concurrencyLimit: number | null) =>
      ok(await execute(server.url, UpdateTenantDocument, { id: owner.tenantId, input: { concurrencyLimit } }, server.adminHeaders))
        .updateTenant.concurrencyLimit;
    const { concurrency: _unlimited, ...unlimited } = gated({ limit: 1 });
    await createWorkflow(server, 'own_limit', unlimited, ownHeaders);

    // Only the platform admin sets it, within range.
    expect(
      codeOf(await execute(server.url, UpdateTenantDocument, { id: owner.tenantId, input: { concurrencyLimit: 5 } }, ownHeaders)),
    ).toBe('FORBIDDEN');
    expect(
      codeOf(await execute(server.url, UpdateTenantDocument, { id: owner.tenantId, input: { concurrencyLimit: 0 } }, server.adminHeaders)),
    ).toBe('BAD_USER_INPUT');
    expect(await setLimit(1)).toBe(1);
    const first = await own.start('own_limit', { run: 'o1' });
    await own.reaches(first, 'WAITING');
    const second = await own.start('own_limit', { run: 'o2' });
    expect(await own.status(second)).toBe('QUEUED');

    // Raised to 3: the queued run starts with no slot freed, and one more fits.
    expect(await setLimit(3)).toBe(3);
    await own.reaches(second, 'WAITING');
    const third = await own.start('own_limit', { run: 'o3' });
    await own.reaches(third, 'WAITING');
    const fourth = await own.start('own_limit', { run: 'o4' });
    expect(await own.status(fourth)).toBe('QUEUED');

    // Cleared: the configured 2 again, so with 3 in progress the fourth waits until two have ended.
    expect(await setLimit(null)).toBeNull();
    const tenants = ok(await execute(server.url, TenantsDocument, undefined, server.adminHeaders)).tenants;
    expect(tenants.find((tenant) => tenant.id === owner.tenantId)?.concurrencyLimit).toBeNull();
    await own.open('o1');
    await own.reaches(first, 'COMPLETED');
    expect(await own.status(fourth)).toBe('QUEUED');
    await own.open('o2');
    await own.reaches(fourth, 'WAITING');
    for (const run of ['o3', 'o4']) await own.open(run);
    await Promise.all([third, fourth].map((id) => own.reaches(id, 'COMPLETED')));
  });
});
