import { randomUUID } from 'node:crypto';
import {
  CancelExecutionDocument,
  CreateApiKeyDocument,
  CreateWorkflowDocument,
  ActivateWorkflowDocument,
  DeleteWorkflowDocument,
  ExecuteWorkflowDocument,
  ExecutionDocument,
  ExecutionProgressDocument,
  ExecutionsChangedDocument,
  ExecutionsDocument,
  PauseExecutionDocument,
  RerunExecutionDocument,
  ResumeExecutionDocument,
  RetryExecutionDocument,
  UpdateWorkflowDocument,
  ValidateWorkflowDefinitionDocument,
  WorkflowByIdDocument,
  WorkflowStatsDocument,
  WorkflowsPageDocument,
} from '../../generated/graphql.js';
import { bearer, createUser, login } from '../../helpers/auth.js';
import { createTestDatabase, type TestDatabase } from '../../helpers/database.js';
import { produceUntilDelivered } from '../../helpers/eventually.js';
import { createWsClient, execute, nextWithin, subscribe, type GraphQLResponse } from '../../helpers/graphql.js';
import { startTestServer, type TestServer } from '../../helpers/server.js';
import { DEFINITIONS, codeOf, ok, untilComplete, waitForExecution } from './support.js';

const ONE_STEP = { steps: [{ name: 'a', type: 'transform', output: { ok: true } }] };

type Outcome = 'ok' | 'FORBIDDEN' | 'UNAUTHENTICATED';
type Caller = 'anonymous' | 'admin' | 'operator' | 'viewer' | 'partner';

const everyone = { anonymous: 'UNAUTHENTICATED', admin: 'ok', operator: 'ok', viewer: 'ok', partner: 'ok' } as const;
const operators = { anonymous: 'UNAUTHENTICATED', admin: 'ok', operator: 'ok', viewer: 'FORBIDDEN', partner: 'FORBIDDEN' } as const;
const admins = { anonymous: 'UNAUTHENTICATED', admin: 'ok', operator: 'FORBIDDEN', viewer: 'FORBIDDEN', partner: 'FORBIDDEN' } as const;

/** Written out by hand, not derived from ROLE_PERMISSIONS: the test must be able to disagree with it. */
const MATRIX: Record<string, Record<Caller, Outcome>> = {
  executions: everyone,
  execution: everyone,
  workflows: everyone,
  workflowById: everyone,
  workflowStats: everyone,
  executeWorkflow: { anonymous: 'UNAUTHENTICATED', admin: 'ok', operator: 'ok', viewer: 'FORBIDDEN', partner: 'ok' },
  cancelExecution: operators,
  pauseExecution: operators,
  resumeExecution: operators,
  retryExecution: operators,
  rerunExecution: operators,
  createWorkflow: admins,
  updateWorkflow: admins,
  deleteWorkflow: admins,
  activateWorkflow: admins,
  validateWorkflowDefinition: admins,
};

describe('who may read and steer executions', () => {
  let database: TestDatabase;
  let server: TestServer;
  const headers = {} as Record<Caller, Record<string, string>>;
  let finishedId: string;
  let workflowId: string;

  const start = async (name: string, context: Record<string, unknown> = {}) =>
    ok(await execute(server.url, ExecuteWorkflowDocument, { name, context }, server.adminHeaders)).executeWorkflow.execution.id;
  const failedGate = async () => {
    const id = await start('gate', { ok: false });
    await waitForExecution(server.url, server.adminHeaders, id);
    return id;
  };

  beforeAll(async () => {
    database = await createTestDatabase();
    server = await startTestServer({ databaseUrl: database.url });
    headers.anonymous = {};
    headers.admin = server.adminHeaders;
    for (const role of ['operator', 'viewer', 'partner'] as const) {
      const user = await createUser(server.orm, role, { tenantId: server.adminTenantId });
      headers[role] = bearer((await login(server.url, user.email, user.password)).token);
    }
    for (const [name, definition] of Object.entries(DEFINITIONS)) {
      await server.engine.workflows.save({ tenantId: server.adminTenantId, name, definition: JSON.parse(JSON.stringify(definition)) });
    }
    workflowId = (
      await server.engine.workflows.save({
        tenantId: server.adminTenantId,
        name: 'matrix_target',
        definition: { steps: [{ name: 'a', type: 'transform', output: { v: 0 } }] },
      })
    ).id;
    finishedId = await start('three_steps', { n: 1 });
    await waitForExecution(server.url, server.adminHeaders, finishedId);
  });
  afterAll(async () => {
    await server?.stop();
    await database?.drop();
  });

  /** Prepares what the operation acts on (as the admin), then returns the call to make as the caller. */
  const prepare = async (operation: string): Promise<(callerHeaders: Record<string, string>) => Promise<GraphQLResponse<unknown>>> => {
    switch (operation) {
      case 'executions':
        return (h) => execute(server.url, ExecutionsDocument, { first: 5 }, h);
      case 'execution':
        return (h) => execute(server.url, ExecutionDocument, { id: finishedId }, h);
      case 'workflows':
        return (h) => execute(server.url, WorkflowsPageDocument, { first: 5 }, h);
      case 'workflowById':
        return (h) => execute(server.url, WorkflowByIdDocument, { id: workflowId }, h);
      case 'workflowStats':
        return (h) => execute(server.url, WorkflowStatsDocument, { name: 'three_steps' }, h);
      case 'executeWorkflow':
        return (h) => execute(server.url, ExecuteWorkflowDocument, { name: 'three_steps', context: { n: 3 } }, h);
      case 'cancelExecution': {
        const id = await start('long_wait');
        return (h) => execute(server.url, CancelExecutionDocument, { id }, h);
      }
      case 'pauseExecution': {
        const id = await start('long_wait');
        return (h) => execute(server.url, PauseExecutionDocument, { id }, h);
      }
      case 'resumeExecution': {
        const id = await start('long_wait');
        await server.engine.pause(server.adminTenantId, id);
        return (h) => execute(server.url, ResumeExecutionDocument, { id }, h);
      }
      case 'retryExecution': {
        const id = await failedGate();
        return (h) => execute(server.url, RetryExecutionDocument, { id }, h);
      }
      case 'rerunExecution': {
        const id = await failedGate();
        return (h) => execute(server.url, RerunExecutionDocument, { id, fromStep: 'check', context: { ok: true } }, h);
      }
      case 'createWorkflow': {
        const name = `created_${randomUUID().slice(0, 8)}`;
        return (h) => execute(server.url, CreateWorkflowDocument, { input: { name, definition: ONE_STEP } }, h);
      }
      case 'updateWorkflow': {
        const v = Math.random();
        return (h) =>
          execute(
            server.url,
            UpdateWorkflowDocument,
            { input: { name: 'matrix_target', definition: { steps: [{ name: 'a', type: 'transform', output: { v } }] } } },
            h,
          );
      }
      case 'deleteWorkflow': {
        const name = `doomed_${randomUUID().slice(0, 8)}`;
        await server.engine.workflows.save({ tenantId: server.adminTenantId, name, definition: ONE_STEP });
        return (h) => execute(server.url, DeleteWorkflowDocument, { name }, h);
      }
      case 'activateWorkflow': {
        const name = `revived_${randomUUID().slice(0, 8)}`;
        await server.engine.workflows.save({ tenantId: server.adminTenantId, name, definition: ONE_STEP });
        await server.engine.workflows.deactivate(server.adminTenantId, name);
        return (h) => execute(server.url, ActivateWorkflowDocument, { name }, h);
      }
      case 'validateWorkflowDefinition':
        return (h) => execute(server.url, ValidateWorkflowDefinitionDocument, { name: 'draft', definition: ONE_STEP }, h);
      default:
        throw new Error(`no operation ${operation} in the matrix`);
    }
  };

  /** What the mutations write, leaving out what the worker changes on its own (statuses, logs). */
  const writes = async () =>
    server.orm.em
      .fork()
      .getConnection()
      .execute(
        `select (select count(*) from executions)::int as executions,
                (select count(*) from executions where cancel_requested)::int as cancels,
                (select count(*) from executions where pause_requested)::int as pauses,
                (select count(*) from execution_events where type = 'execution.retried')::int as retries,
                (select json_agg(json_build_object('name', name, 'active', active, 'version', current_version) order by name) from workflows) as workflows,
                (select count(*) from workflow_versions)::int as versions`,
      );

  it.each(
    Object.keys(MATRIX).flatMap((operation) =>
      (Object.keys(MATRIX[operation] ?? {}) as Caller[]).map((caller) => [operation, caller] as const),
    ),
  )('%s as %s', async (operation, caller) => {
    const expected = MATRIX[operation]?.[caller];
    const call = await prepare(operation);
    const before = await writes();
    const response = await call(headers[caller]);
    if (expected === 'ok') {
      expect(response.errors).toBeUndefined();
      return;
    }
    expect({ data: response.data, code: codeOf(response) }).toEqual({ data: null, code: expected });
    // A refused mutation wrote nothing.
    expect(await writes()).toEqual(before);
  });

  it('lets every role follow runs live, and refuses a key without execution:view', async () => {
    for (const caller of ['admin', 'operator', 'viewer', 'partner'] as const) {
      const client = createWsClient(server.wsUrl, headers[caller]);
      try {
        const results = await untilComplete(subscribe(client, ExecutionProgressDocument, { executionId: finishedId, afterSequence: 0 }));
        expect(results.every((result) => result.errors === undefined)).toBe(true);
        expect(results.at(-1)?.data?.executionProgress.type).toBe('execution.completed');
      } finally {
        await client.dispose();
      }
    }
    const { createApiKey } = ok(
      await execute(server.url, CreateApiKeyDocument, { name: 'catalogue only', permissions: ['WORKFLOW_VIEW'] }, server.adminHeaders),
    );
    const client = createWsClient(server.wsUrl, bearer(createApiKey.key));
    try {
      const progress = await untilComplete(subscribe(client, ExecutionProgressDocument, { executionId: finishedId, afterSequence: 0 }));
      expect(progress.map((result) => result.errors?.[0]?.extensions?.['code'])).toEqual(['FORBIDDEN']);
      const changes = await untilComplete(subscribe(client, ExecutionsChangedDocument, {}));
      expect(changes.map((result) => result.errors?.[0]?.extensions?.['code'])).toEqual(['FORBIDDEN']);
      expect(codeOf(await execute(server.url, ExecutionsDocument, { first: 1 }, bearer(createApiKey.key)))).toBe('FORBIDDEN');
    } finally {
      await client.dispose();
    }
  });
});

describe("another tenant's executions", () => {
  let database: TestDatabase;
  let server: TestServer;
  let headersB: Record<string, string>;
  let tenantB: string;
  let finishedA: string;
  let failedA: string;
  let waitingA: string;
  let workflowA: string;

  beforeAll(async () => {
    database = await createTestDatabase();
    server = await startTestServer({ databaseUrl: database.url });
    // An admin, of tenant B: nothing it is refused below is for want of a permission.
    const userB = await createUser(server.orm, 'admin');
    tenantB = userB.tenantId;
    headersB = bearer((await login(server.url, userB.email, userB.password)).token);
    for (const [name, definition] of Object.entries(DEFINITIONS)) {
      await server.engine.workflows.save({ tenantId: server.adminTenantId, name, definition: JSON.parse(JSON.stringify(definition)) });
    }
    await server.engine.workflows.save({
      tenantId: tenantB,
      name: 'b_only',
      definition: JSON.parse(JSON.stringify(DEFINITIONS.three_steps)),
    });
    workflowA = (await server.engine.workflows.save({ tenantId: server.adminTenantId, name: 'a_only', definition: ONE_STEP })).id;
    const start = async (name: string, context: Record<string, unknown> = {}) =>
      ok(await execute(server.url, ExecuteWorkflowDocument, { name, context }, server.adminHeaders)).executeWorkflow.execution.id;
    finishedA = await start('three_steps', { n: 1 });
    failedA = await start('gate', { ok: false });
    waitingA = await start('long_wait');
    await waitForExecution(server.url, server.adminHeaders, finishedA);
    await waitForExecution(server.url, server.adminHeaders, failedA);
    await waitForExecution(server.url, server.adminHeaders, waitingA, (execution) => execution.status === 'WAITING');
  });
  afterAll(async () => {
    await server?.stop();
    await database?.drop();
  });

  const snapshot = async () =>
    server.orm.em
      .fork()
      .getConnection()
      .execute(`select id, status, cancel_requested, pause_requested, last_event_seq from executions where tenant_id = ? order by id`, [
        server.adminTenantId,
      ]);

  it('are NOT_FOUND to queries, and absent from lists', async () => {
    expect(codeOf(await execute(server.url, ExecutionDocument, { id: finishedA }, headersB))).toBe('NOT_FOUND');
    expect(codeOf(await execute(server.url, WorkflowByIdDocument, { id: workflowA }, headersB))).toBe('NOT_FOUND');
    expect(codeOf(await execute(server.url, WorkflowStatsDocument, { name: 'three_steps' }, headersB))).toBe('NOT_FOUND');
    expect(ok(await execute(server.url, ExecutionsDocument, { first: 100 }, headersB)).executions.nodes).toEqual([]);
    expect(
      ok(await execute(server.url, ExecutionsDocument, { first: 100, filter: { workflow: 'three_steps' } }, headersB)).executions.nodes,
    ).toEqual([]);
    expect(ok(await execute(server.url, WorkflowsPageDocument, { first: 100 }, headersB)).workflows.nodes.map((node) => node.name)).toEqual(
      ['b_only'],
    );
    // A's own view, for contrast.
    expect(ok(await execute(server.url, ExecutionDocument, { id: finishedA }, server.adminHeaders)).execution.id).toBe(finishedA);
  });

  it('are NOT_FOUND to every mutation, which changes nothing', async () => {
    const before = await snapshot();
    const probes: Array<Promise<GraphQLResponse<unknown>>> = [
      execute(server.url, CancelExecutionDocument, { id: waitingA }, headersB),
      execute(server.url, PauseExecutionDocument, { id: waitingA }, headersB),
      execute(server.url, ResumeExecutionDocument, { id: waitingA }, headersB),
      execute(server.url, RetryExecutionDocument, { id: failedA }, headersB),
      execute(server.url, RerunExecutionDocument, { id: failedA, fromStep: 'check', context: { ok: true } }, headersB),
      execute(server.url, ExecuteWorkflowDocument, { name: 'a_only' }, headersB),
      execute(server.url, UpdateWorkflowDocument, { input: { name: 'a_only', definition: ONE_STEP } }, headersB),
      execute(server.url, DeleteWorkflowDocument, { name: 'a_only' }, headersB),
    ];
    for (const response of await Promise.all(probes))
      expect({ data: response.data, code: codeOf(response) }).toEqual({ data: null, code: 'NOT_FOUND' });
    expect(await snapshot()).toEqual(before);
    expect(ok(await execute(server.url, WorkflowByIdDocument, { id: workflowA }, server.adminHeaders)).workflow.active).toBe(true);
  });

  it('are NOT_FOUND to executionProgress, and their changes never reach executionsChanged', async () => {
    const clientB = createWsClient(server.wsUrl, headersB);
    const changesB = subscribe(clientB, ExecutionsChangedDocument, {});
    try {
      for (const id of [finishedA, waitingA]) {
        const results = await untilComplete(subscribe(clientB, ExecutionProgressDocument, { executionId: id, afterSequence: 0 }));
        expect(results.map((result) => [result.data ?? null, result.errors?.[0]?.extensions?.['code']])).toEqual([[null, 'NOT_FOUND']]);
      }
      // In each round A's run starts before B's: a subscriber of B that also got A's changes would see one of them first.
      const startsB: string[] = [];
      const first = await produceUntilDelivered("a change of B's runs delivered to B", nextWithin(changesB), async (round) => {
        await execute(server.url, ExecuteWorkflowDocument, { name: 'three_steps', context: { n: round } }, server.adminHeaders);
        startsB.push(
          ok(await execute(server.url, ExecuteWorkflowDocument, { name: 'b_only', context: { n: round } }, headersB)).executeWorkflow
            .execution.id,
        );
      });
      const seen = [first.data?.executionsChanged.executionId];
      // Live now: one more run each, A's first; B's subscriber sees its own to the end, and nothing of A's.
      await execute(server.url, ExecuteWorkflowDocument, { name: 'three_steps', context: { n: -1 } }, server.adminHeaders);
      const last = ok(await execute(server.url, ExecuteWorkflowDocument, { name: 'b_only', context: { n: -1 } }, headersB)).executeWorkflow
        .execution.id;
      startsB.push(last);
      for (;;) {
        const change = (await nextWithin(changesB)).data?.executionsChanged;
        seen.push(change?.executionId);
        if (change?.executionId === last && change.status === 'COMPLETED') break;
      }
      expect(seen.every((id) => id !== undefined && startsB.includes(id))).toBe(true);
    } finally {
      await changesB.return?.();
      await clientB.dispose();
    }
  });
});
