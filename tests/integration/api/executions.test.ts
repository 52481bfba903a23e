import { randomUUID } from 'node:crypto';
import type { TypedDocumentNode } from '@graphql-typed-document-node/core';
import { parse } from 'graphql';
import {
  CancelExecutionDocument,
  ExecuteWorkflowDocument,
  ExecutionDefinitionDocument,
  ExecutionDocument,
  ExecutionListDocument,
  ExecutionsDocument,
  ExecutionsWithStepsDocument,
  PauseExecutionDocument,
  RerunExecutionDocument,
  ResumeExecutionDocument,
  RetryExecutionDocument,
  type ExecutionsQueryVariables,
} from '../../generated/graphql.js';
import { bearer, createUser, login } from '../../helpers/auth.js';
import { createTestDatabase, type TestDatabase } from '../../helpers/database.js';
import { execute } from '../../helpers/graphql.js';
import { startTestServer, type TestServer } from '../../helpers/server.js';
import { DEFINITIONS, codeOf, ok, waitForExecution, withStatements } from './support.js';

describe('executions over the API', () => {
  let database: TestDatabase;
  let server: TestServer;
  let headers: Record<string, string>;
  let adminUserId: string;

  const run = async (name: string, context: Record<string, unknown> = {}, idempotencyKey?: string) =>
    ok(await execute(server.url, ExecuteWorkflowDocument, { name, context, ...(idempotencyKey ? { idempotencyKey } : {}) }, headers))
      .executeWorkflow;

  beforeAll(async () => {
    database = await createTestDatabase();
    server = await startTestServer({ databaseUrl: database.url });
    headers = server.adminHeaders;
    adminUserId = (await login(server.url, 'admin@switchyard.local', 'admin-password-for-tests')).userId;
    for (const [name, definition] of Object.entries(DEFINITIONS)) {
      await server.engine.workflows.save({ tenantId: server.adminTenantId, name, definition: JSON.parse(JSON.stringify(definition)) });
    }
  });
  afterAll(async () => {
    await server?.stop();
    await database?.drop();
  });

  it('starts a run, and shows its steps (resolved input, output, timings) and its event log', async () => {
    const started = await run('three_steps', { n: 21 });
    expect(started.created).toBe(true);
    expect(started.execution).toMatchObject({ context: { n: 21 }, trigger: { type: 'API', source: `user:${adminUserId}` } });

    const execution = await waitForExecution(server.url, headers, started.execution.id);
    expect(execution.status).toBe('COMPLETED');
    expect(execution.result).toEqual({ first: { n: 21 }, second: 42, third: { doubled: 42, label: 'n=21' } });
    expect(execution.workflow).toMatchObject({ name: 'three_steps', version: 1 });
    expect(execution.durationMs).toBeGreaterThanOrEqual(0);
    expect(execution.steps.map((step) => [step.key, step.type, step.status, step.attempts, step.sequence])).toEqual([
      ['first', 'TRANSFORM', 'COMPLETED', 1, 1],
      ['second', 'TRANSFORM', 'COMPLETED', 1, 2],
      ['third', 'TRANSFORM', 'COMPLETED', 1, 3],
    ]);
    const third = execution.steps[2];
    expect(third?.output).toEqual({ doubled: 42, label: 'n=21' });
    expect(third?.durationMs).toBe(new Date(third?.completedAt ?? '').getTime() - new Date(third?.startedAt ?? '').getTime());

    // The log: numbered 1…n without gaps, from creation to completion.
    const events = execution.events.nodes;
    expect(events.map((event) => event.sequence)).toEqual(events.map((_, index) => index + 1));
    expect(events[0]?.type).toBe('execution.created');
    expect(events.at(-1)?.type).toBe('execution.completed');
    expect(execution.lastSequence).toBe(events.length);
    expect(events.filter((event) => event.type === 'step.completed').map((event) => event.stepKey)).toEqual(['first', 'second', 'third']);

    // Paging through the log.
    const page = ok(await execute(server.url, ExecutionDocument, { id: execution.id, after: 2, first: 3 }, headers)).execution.events;
    expect(page.nodes.map((event) => event.sequence)).toEqual([3, 4, 5]);
    expect(page.hasNextPage).toBe(true);
    const rest = ok(await execute(server.url, ExecutionDocument, { id: execution.id, after: events.length - 1, first: 3 }, headers))
      .execution.events;
    expect([rest.nodes.map((event) => event.sequence), rest.hasNextPage]).toEqual([[events.length], false]);
  });

  it("answers the definition of the version a run is pinned to, not the workflow's current one", async () => {
    const first = { steps: [{ name: 'only', type: 'transform', output: { v: 1 } }] };
    const second = {
      steps: [
        { name: 'only', type: 'transform', output: { v: 2 } },
        { name: 'added', type: 'transform', output: {} },
      ],
    };
    await server.engine.workflows.save({ tenantId: server.adminTenantId, name: 'pinned', definition: JSON.parse(JSON.stringify(first)) });
    const older = (await run('pinned')).execution.id;
    await server.engine.workflows.save({ tenantId: server.adminTenantId, name: 'pinned', definition: JSON.parse(JSON.stringify(second)) });
    const newer = (await run('pinned')).execution.id;
    const read = async (id: string) => ok(await execute(server.url, ExecutionDefinitionDocument, { id }, headers)).execution;
    expect(await read(older)).toMatchObject({ workflowVersion: 1, workflow: { version: 2 }, definition: first });
    expect(await read(newer)).toMatchObject({ workflowVersion: 2, workflow: { version: 2 }, definition: second });
  });

  it('answers the same execution for the same idempotency key', async () => {
    const key = `order-${randomUUID()}`;
    const first = await run('three_steps', { n: 1 }, key);
    const second = await run('three_steps', { n: 2 }, key);
    expect([first.created, second.created]).toEqual([true, false]);
    expect(second.execution.id).toBe(first.execution.id);
    expect(second.execution.context).toEqual({ n: 1 });
    expect(second.execution.idempotencyKey).toBe(key);
  });

  it('refuses what it cannot start, with codes', async () => {
    expect(codeOf(await execute(server.url, ExecuteWorkflowDocument, { name: 'no_such_workflow' }, headers))).toBe('NOT_FOUND');
    expect(codeOf(await execute(server.url, ExecuteWorkflowDocument, { name: 'three_steps', version: 9 }, headers))).toBe('NOT_FOUND');
    expect(codeOf(await execute(server.url, ExecuteWorkflowDocument, { name: 'three_steps', idempotencyKey: '' }, headers))).toBe(
      'BAD_USER_INPUT',
    );
    expect(codeOf(await execute(server.url, ExecutionDocument, { id: randomUUID() }, headers))).toBe('NOT_FOUND');
    expect(codeOf(await execute(server.url, ExecutionDocument, { id: 'not-a-uuid' }, headers))).toBe('BAD_USER_INPUT');
    expect(codeOf(await execute(server.url, CancelExecutionDocument, { id: 'not-a-uuid' }, headers))).toBe('BAD_USER_INPUT');
  });

  it('cancels, pauses and resumes runs', async () => {
    const waiting = (await run('long_wait')).execution.id;
    await waitForExecution(server.url, headers, waiting, (execution) => execution.status === 'WAITING');

    const paused = ok(await execute(server.url, PauseExecutionDocument, { id: waiting }, headers)).pauseExecution;
    expect(paused.pauseRequested).toBe(true);
    await waitForExecution(server.url, headers, waiting, (execution) => execution.status === 'PAUSED');
    // Pausing twice is refused: it is paused already.
    expect(codeOf(await execute(server.url, PauseExecutionDocument, { id: waiting }, headers))).toBe('INVALID_STATE');

    const resumed = ok(await execute(server.url, ResumeExecutionDocument, { id: waiting }, headers)).resumeExecution;
    expect(resumed.pauseRequested).toBe(false);
    await waitForExecution(server.url, headers, waiting, (execution) => execution.status === 'WAITING');

    const cancelling = ok(await execute(server.url, CancelExecutionDocument, { id: waiting }, headers)).cancelExecution;
    expect(cancelling.cancelRequested).toBe(true);
    const cancelled = await waitForExecution(server.url, headers, waiting);
    expect(cancelled.status).toBe('CANCELLED');
    expect(cancelled.events.nodes.map((event) => event.type)).toEqual(
      expect.arrayContaining(['execution.paused', 'execution.resumed', 'execution.cancelled']),
    );
    // A finished run cannot be cancelled again.
    expect(codeOf(await execute(server.url, CancelExecutionDocument, { id: waiting }, headers))).toBe('INVALID_STATE');
  });

  it('retries a failed run in place, and reruns it with another context as a new execution', async () => {
    const failedId = (await run('gate', { ok: false, customer: 'c-9' })).execution.id;
    const failed = await waitForExecution(server.url, headers, failedId);
    expect(failed.status).toBe('FAILED');
    expect(failed.steps.find((step) => step.key === 'check')?.status).toBe('FAILED');

    // Retried in place from the failed step: the run goes again (and fails again: its context is the same).
    const retried = ok(await execute(server.url, RetryExecutionDocument, { id: failedId }, headers)).retryExecution;
    // Its status as read after the retry committed: the worker may already have run it again.
    expect(retried.id).toBe(failedId);
    const again = await waitForExecution(
      server.url,
      headers,
      failedId,
      (execution) => execution.status === 'FAILED' && execution.events.nodes.some((event) => event.type === 'execution.retried'),
    );
    const types = again.events.nodes.map((event) => event.type);
    expect(types.filter((type) => type === 'execution.failed')).toHaveLength(2);
    expect(types.indexOf('execution.retried')).toBeGreaterThan(types.indexOf('execution.failed'));

    // Rerun from the check with ok = true: a new execution that completes, the original untouched.
    const rerun = ok(
      await execute(server.url, RerunExecutionDocument, { id: failedId, fromStep: 'check', context: { ok: true } }, headers),
    ).rerunExecution;
    expect(rerun.id).not.toBe(failedId);
    expect(rerun.trigger).toEqual({ type: 'RERUN', source: failedId });
    expect(rerun.context).toEqual({ ok: true, customer: 'c-9' });
    const completed = await waitForExecution(server.url, headers, rerun.id);
    expect(completed.status).toBe('COMPLETED');
    expect(completed.steps.map((step) => [step.key, step.status])).toEqual([
      ['prepare', 'COMPLETED'],
      ['check', 'COMPLETED'],
      ['finish', 'COMPLETED'],
    ]);
    expect(codeOf(await execute(server.url, RerunExecutionDocument, { id: failedId, fromStep: 'nope' }, headers))).toBe('BAD_USER_INPUT');
    expect(codeOf(await execute(server.url, RetryExecutionDocument, { id: rerun.id }, headers))).toBe('INVALID_STATE');
  });

  describe('the executions list', () => {
    let tenantHeaders: Record<string, string>;
    const ids: string[] = [];

    beforeAll(async () => {
      // A tenant of its own, so that the list holds exactly what this block started.
      const user = await createUser(server.orm, 'operator');
      tenantHeaders = bearer((await login(server.url, user.email, user.password)).token);
      for (const name of ['three_steps', 'gate'] as const) {
        await server.engine.workflows.save({ tenantId: user.tenantId, name, definition: JSON.parse(JSON.stringify(DEFINITIONS[name])) });
      }
      for (let i = 0; i < 7; i += 1) {
        const name = i % 3 === 2 ? 'gate' : 'three_steps';
        const { executeWorkflow } = ok(
          await execute(
            server.url,
            ExecuteWorkflowDocument,
            { name, context: { n: i, ok: false, region: i % 2 === 0 ? 'north' : 'south', tags: ['x'] } },
            tenantHeaders,
          ),
        );
        ids.push(executeWorkflow.execution.id);
      }
      for (const id of ids) await waitForExecution(server.url, tenantHeaders, id);
    });

    const list = async (variables: Partial<ExecutionsQueryVariables>) =>
      ok(await execute(server.url, ExecutionsDocument, { first: 20, ...variables }, tenantHeaders)).executions;

    it('orders newest first and pages by cursor without gaps or repeats', async () => {
      const all = await list({ first: 20 });
      expect(all.nodes.map((node) => node.id)).toEqual([...ids].reverse());
      expect(all.pageInfo.hasNextPage).toBe(false);
      expect(all.edges.map((edge) => edge.node.id)).toEqual(all.nodes.map((node) => node.id));

      const seen: string[] = [];
      let after: string | null = null;
      for (let pages = 0; pages < 10; pages += 1) {
        const page: Awaited<ReturnType<typeof list>> = await list({ first: 3, after });
        seen.push(...page.nodes.map((node) => node.id));
        expect(page.pageInfo.endCursor).toBe(page.edges.at(-1)?.cursor ?? null);
        if (!page.pageInfo.hasNextPage) break;
        after = page.pageInfo.endCursor;
      }
      expect(seen).toEqual([...ids].reverse());
    });

    it('filters by workflow, status, trigger, start time and context', async () => {
      const gates = ids.filter((_, i) => i % 3 === 2).reverse();
      expect((await list({ filter: { workflow: 'gate' } })).nodes.map((node) => node.id)).toEqual(gates);
      expect((await list({ filter: { status: ['FAILED'] } })).nodes.map((node) => node.id)).toEqual(gates);
      expect((await list({ filter: { status: ['COMPLETED', 'FAILED'], workflow: 'three_steps' } })).nodes).toHaveLength(
        ids.length - gates.length,
      );
      expect((await list({ filter: { trigger: ['RERUN'] } })).nodes).toEqual([]);
      expect((await list({ filter: { trigger: ['API'] } })).nodes).toHaveLength(ids.length);
      expect((await list({ filter: { workflow: 'no_such' } })).nodes).toEqual([]);

      const north = ids.filter((_, i) => i % 2 === 0).reverse();
      expect((await list({ filter: { contextMatch: { region: 'north' } } })).nodes.map((node) => node.id)).toEqual(north);
      expect((await list({ filter: { contextMatch: { region: 'north', n: 4 } } })).nodes.map((node) => node.id)).toEqual([ids[4]]);
      expect((await list({ filter: { contextMatch: { tags: ['x'] } } })).nodes).toHaveLength(ids.length);

      const all = (await list({})).nodes;
      const middle = all[3];
      if (!middle?.startedAt) throw new Error('the runs have started');
      const after = await list({ filter: { startedAfter: middle.startedAt } });
      const before = await list({ filter: { startedBefore: middle.startedAt } });
      expect(after.nodes.length + before.nodes.length).toBe(all.length);
      expect(after.nodes.map((node) => node.id)).toContain(middle.id);
      expect(before.nodes.map((node) => node.id)).not.toContain(middle.id);
    });

    it('refuses a bad cursor or page size', async () => {
      expect(codeOf(await execute(server.url, ExecutionsDocument, { first: 5, after: 'garbage' }, tenantHeaders))).toBe('BAD_USER_INPUT');
      expect(codeOf(await execute(server.url, ExecutionsDocument, { first: 101 }, tenantHeaders))).toBe('BAD_USER_INPUT');
      expect(codeOf(await execute(server.url, ExecutionsDocument, { first: -1 }, tenantHeaders))).toBe('BAD_USER_INPUT');
    });
  });

  describe('DataLoader', () => {
    let reader: TestServer;

    beforeAll(async () => {
      const started: string[] = [];
      for (let i = 0; i < 50; i += 1) started.push((await run(i % 2 === 0 ? 'three_steps' : 'gate', { n: i, ok: true })).execution.id);
      for (const id of started) await waitForExecution(server.url, headers, id);
      // Only an API-only instance left in this process (no worker, no scheduler): nothing but the
      // request talks to PostgreSQL while statements are counted.
      await server.stop();
      reader = await startTestServer({ databaseUrl: database.url, env: { SWITCHYARD_ROLES: 'api' } });
    });
    afterAll(async () => {
      await reader?.stop();
    });

    it('answers 50 executions with their steps and workflows in at most 3 statements', async () => {
      const { result, statements } = await withStatements(() =>
        execute(reader.url, ExecutionsWithStepsDocument, { first: 50 }, reader.adminHeaders),
      );
      const nodes = ok(result).executions.nodes;
      expect(nodes).toHaveLength(50);
      expect(nodes.every((node) => node.steps.length === 3 && node.workflow.name.length > 0)).toBe(true);
      expect(new Set(nodes.map((node) => node.workflow.name))).toEqual(new Set(['three_steps', 'gate']));

      // Authenticating the request reads its user, and a connection the pool opens meanwhile sets itself
      // up; everything else is the query's.
      const queries = statements.filter((sql) => !/ from "users" /.test(sql) && !/^\s*(set|show|select 1\b)/i.test(sql));
      expect(
        queries
          .map((sql) =>
            /execution_steps/.test(sql)
              ? 'steps'
              : /from workflows/.test(sql)
                ? 'workflows'
                : /from executions/.test(sql)
                  ? 'executions'
                  : sql,
          )
          .sort(),
      ).toEqual(['executions', 'steps', 'workflows']);
      expect(queries.length).toBeLessThanOrEqual(3);
    });

    it("reads a list's context and result only when asked, by id in one more statement, as one run's read has them", async () => {
      const withoutContext = await withStatements(() => execute(reader.url, ExecutionListDocument, { first: 50 }, reader.adminHeaders));
      expect(ok(withoutContext.result).executions.nodes).toHaveLength(50);
      const page = withoutContext.statements.filter((sql) => /from executions e/.test(sql));
      expect(page).toHaveLength(1);
      expect(page[0]).not.toMatch(/e\.context|e\.result/);

      const { result, statements } = await withStatements(() =>
        execute(reader.url, ExecutionsDocument, { first: 50 }, reader.adminHeaders),
      );
      const nodes = ok(result).executions.nodes;
      expect(nodes).toHaveLength(50);
      expect(statements.filter((sql) => /from executions e/.test(sql))).toHaveLength(2);
      for (const node of nodes.slice(0, 5)) {
        const one = ok(await execute(reader.url, ExecutionDocument, { id: node.id }, reader.adminHeaders)).execution;
        expect({ context: node.context, result: node.result }).toEqual({ context: one.context, result: one.result });
        expect(node.context).toMatchObject({ n: expect.any(Number), ok: true });
      }
    });

    it("shows a secret in a listed run's context redacted, as everywhere else", async () => {
      const secret = 'not-for-the-list';
      // Only an API here: the run is queued, its context recorded.
      const { executeWorkflow } = ok(
        await execute(
          reader.url,
          ExecuteWorkflowDocument,
          { name: 'three_steps', context: { ok: true, apiToken: secret } },
          reader.adminHeaders,
        ),
      );
      const id = executeWorkflow.execution.id;
      const listed = ok(await execute(reader.url, ExecutionsDocument, { first: 1 }, reader.adminHeaders)).executions.nodes[0];
      expect(listed?.id).toBe(id);
      expect(listed?.context).toMatchObject({ apiToken: '[redacted]' });
      expect(JSON.stringify(listed)).not.toContain(secret);
    });

    it('reads only the columns its selection shows, and answers every field as the read by id does', async () => {
      const { statements } = await withStatements(() => execute(reader.url, ExecutionListDocument, { first: 5 }, reader.adminHeaders));
      const [page] = statements.filter((sql) => /from executions e/.test(sql));
      const columns = /select (.*?), to_char\(/s
        .exec(page ?? '')?.[1]
        ?.split(',')
        .map((column) => column.trim());
      // The list shows only its workflows' names: the page reads them too, by the execution's workflow in its tenant.
      expect(columns?.sort()).toEqual([
        '(select w.name from workflows w where w.id = e.workflow_id and w.tenant_id = e.tenant_id) as workflow_name',
        'e.created_at',
        'e.id',
        'e.status',
        'e.workflow_id',
      ]);

      // Each field alone, through `nodes` and through a fragment on `edges { node }`, against one run's read.
      const fields = [
        'workflowId',
        'workflowVersion',
        'status',
        'error { code message retryable step details }',
        'trigger { type source }',
        'idempotencyKey',
        'parentExecutionId',
        'parentStepKey',
        'cancelRequested',
        'pauseRequested',
        'priority',
        'concurrency { key limit }',
        'lastSequence',
        'createdAt',
        'startedAt',
        'completedAt',
        'updatedAt',
        'durationMs',
        'definition',
        'workflow { name }',
        'workflow { __typename id name }',
        'workflow { id name version }',
        'a: workflow { name } b: workflow { name definition }',
      ];
      const listed = ok(await execute(reader.url, ExecutionListDocument, { first: 50 }, reader.adminHeaders)).executions.nodes;
      const sample = [...listed.filter((node) => node.status === 'FAILED').slice(0, 2), ...listed.slice(0, 2)].map((node) => node.id);
      type Node = Record<string, unknown> & { id: string };
      const query = (text: string) => parse(text) as TypedDocumentNode<Record<string, unknown>, Record<string, never>>;
      for (const field of fields) {
        const asNodes = ok(
          await execute(reader.url, query(`{ executions(first: 50) { nodes { id ${field} } } }`), undefined, reader.adminHeaders),
        );
        const asEdges = ok(
          await execute(
            reader.url,
            query(`{ executions(first: 50) { edges { node { ...F } } } } fragment F on Execution { id ... on Execution { ${field} } }`),
            undefined,
            reader.adminHeaders,
          ),
        );
        const fromNodes = (asNodes['executions'] as { nodes: Node[] }).nodes;
        const fromEdges = (asEdges['executions'] as { edges: Array<{ node: Node }> }).edges.map((edge) => edge.node);
        expect(fromEdges).toEqual(fromNodes);
        for (const id of sample) {
          const one = ok(await execute(reader.url, query(`{ execution(id: "${id}") { id ${field} } }`), undefined, reader.adminHeaders));
          expect([field, fromNodes.find((node) => node.id === id)]).toEqual([field, one['execution']]);
        }
      }
    });

    it('answers the benchmark list (20 executions, status and workflow name) in 1 statement, and a list showing more of a workflow in 2', async () => {
      const queriesOf = (statements: string[]) =>
        statements.filter((sql) => !/ from "users" /.test(sql) && !/^\s*(set|show|select 1\b)/i.test(sql));
      const { result, statements } = await withStatements(() =>
        execute(reader.url, ExecutionListDocument, { first: 20 }, reader.adminHeaders),
      );
      const nodes = ok(result).executions.nodes;
      expect(nodes).toHaveLength(20);
      expect(new Set(nodes.map((node) => node.workflow.name))).toEqual(new Set(['three_steps', 'gate']));
      expect(queriesOf(statements)).toHaveLength(1);

      // One alias asking more than the name: every workflow of the page through the loader, in one more statement.
      const mixed = await withStatements(() =>
        execute(
          reader.url,
          parse('{ executions(first: 20) { nodes { id a: workflow { name } b: workflow { version } } } }') as TypedDocumentNode<
            { executions: { nodes: Array<{ a: { name: string }; b: { version: number } }> } },
            Record<string, never>
          >,
          undefined,
          reader.adminHeaders,
        ),
      );
      const mixedNodes = ok(mixed.result).executions.nodes;
      expect(mixedNodes.map((node) => node.a.name)).toEqual(nodes.map((node) => node.workflow.name));
      expect(mixedNodes.every((node) => node.b.version === 1)).toBe(true);
      expect(queriesOf(mixed.statements).filter((sql) => /workflow_name/.test(sql))).toEqual([]);
      expect(queriesOf(mixed.statements)).toHaveLength(2);
    });
  });
});
