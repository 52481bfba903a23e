import { randomUUID } from 'node:crypto';
import {
  CreateWorkflowDocument,
  ActivateWorkflowDocument,
  DeleteWorkflowDocument,
  ExecuteWorkflowDocument,
  ExecutionsDocument,
  UpdateWorkflowDocument,
  ValidateWorkflowDefinitionDocument,
  WorkflowByIdDocument,
  WorkflowByNameDocument,
  WorkflowStatsDocument,
  WorkflowsPageDocument,
  WorkflowsWithStatsDocument,
} from '../../generated/graphql.js';
import { bearer, createUser, login } from '../../helpers/auth.js';
import { adminQuery, createTestDatabase, type TestDatabase } from '../../helpers/database.js';
import { execute } from '../../helpers/graphql.js';
import { startTestServer, type TestServer } from '../../helpers/server.js';
import { DEFINITIONS, codeOf, ok, waitForExecution, withStatements } from './support.js';

const V1 = { steps: [{ name: 'greet', type: 'transform', output: { hello: '${context.name}' } }] };
const V2 = { steps: [...V1.steps, { name: 'shout', type: 'transform', expression: '$uppercase(steps.greet.output.hello)' }] };
const BROKEN = {
  steps: [
    { name: 'greet', type: 'transform', output: { hello: '${steps.nowhere.output}' } },
    { name: 'odd', type: 'teleport' },
  ],
};

/** PostgreSQL's percentile_cont: linear interpolation between the closest ranks. */
function percentileCont(values: number[], fraction: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  const position = fraction * (sorted.length - 1);
  const below = Math.floor(position);
  const lower = sorted[below] ?? Number.NaN;
  const upper = sorted[Math.min(below + 1, sorted.length - 1)] ?? Number.NaN;
  return lower + (position - below) * (upper - lower);
}

describe('workflows over the API', () => {
  let database: TestDatabase;
  let server: TestServer;
  let headers: Record<string, string>;

  beforeAll(async () => {
    database = await createTestDatabase();
    server = await startTestServer({ databaseUrl: database.url });
    // A tenant of its own: lists hold exactly what this file made.
    const user = await createUser(server.orm, 'admin');
    headers = bearer((await login(server.url, user.email, user.password)).token);
  });
  afterAll(async () => {
    await server?.stop();
    await database?.drop();
  });

  it('creates, versions, validates and deactivates a workflow, keeping its history', async () => {
    const created = ok(
      await execute(
        server.url,
        CreateWorkflowDocument,
        { input: { name: 'greeter', description: 'says hello', definition: V1, tags: ['demo'] } },
        headers,
      ),
    ).createWorkflow;
    expect(created).toMatchObject({ name: 'greeter', description: 'says hello', version: 1, active: true, tags: ['demo'], definition: V1 });
    expect(codeOf(await execute(server.url, CreateWorkflowDocument, { input: { name: 'greeter', definition: V1 } }, headers))).toBe(
      'CONFLICT',
    );

    const run = ok(await execute(server.url, ExecuteWorkflowDocument, { name: 'greeter', context: { name: 'Ada' } }, headers))
      .executeWorkflow.execution;
    expect((await waitForExecution(server.url, headers, run.id)).result).toEqual({ greet: { hello: 'Ada' } });

    const updated = ok(
      await execute(server.url, UpdateWorkflowDocument, { input: { name: 'greeter', definition: V2 } }, headers),
    ).updateWorkflow;
    expect(updated).toMatchObject({ id: created.id, version: 2, description: 'says hello', tags: ['demo'], definition: V2 });
    // The same definition again is no new version; description and tags still change.
    const retagged = ok(
      await execute(server.url, UpdateWorkflowDocument, { input: { name: 'greeter', definition: V2, tags: ['demo', 'v2'] } }, headers),
    ).updateWorkflow;
    expect([retagged.version, retagged.tags]).toEqual([2, ['demo', 'v2']]);

    const byId = ok(await execute(server.url, WorkflowByIdDocument, { id: created.id }, headers)).workflow;
    expect(byId.versions.map((version) => [version.version, version.current, version.definition])).toEqual([
      [2, true, V2],
      [1, false, V1],
    ]);

    const rejected = await execute(server.url, UpdateWorkflowDocument, { input: { name: 'greeter', definition: BROKEN } }, headers);
    expect(codeOf(rejected)).toBe('VALIDATION');
    const issues = (rejected.errors?.[0]?.extensions?.['details'] as { issues: Array<{ path: string; message: string }> }).issues;
    expect(issues.length).toBeGreaterThanOrEqual(2);
    expect(issues.map((issue) => issue.path)).toEqual(
      expect.arrayContaining([expect.stringMatching(/^\$\.steps\[0\]/), expect.stringMatching(/^\$\.steps\[1\]/)]),
    );
    expect(ok(await execute(server.url, WorkflowByIdDocument, { id: created.id }, headers)).workflow.version).toBe(2);
    expect(codeOf(await execute(server.url, UpdateWorkflowDocument, { input: { name: 'nobody', definition: V1 } }, headers))).toBe(
      'NOT_FOUND',
    );

    const deleted = ok(await execute(server.url, DeleteWorkflowDocument, { name: 'greeter' }, headers)).deleteWorkflow;
    expect(deleted).toMatchObject({ id: created.id, active: false, version: 2 });
    expect(codeOf(await execute(server.url, ExecuteWorkflowDocument, { name: 'greeter' }, headers))).toBe('INVALID_STATE');
    // History kept: the workflow, its versions and its executions.
    expect(ok(await execute(server.url, WorkflowByIdDocument, { id: created.id }, headers)).workflow.versions).toHaveLength(2);
    expect(
      ok(await execute(server.url, ExecutionsDocument, { first: 10, filter: { workflow: 'greeter' } }, headers)).executions.nodes.map(
        (node) => node.id,
      ),
    ).toEqual([run.id]);
    expect(codeOf(await execute(server.url, DeleteWorkflowDocument, { name: 'nobody' }, headers))).toBe('NOT_FOUND');

    // Activated again: it runs at once (no process remembers the refusal), on the version it had.
    const activated = ok(await execute(server.url, ActivateWorkflowDocument, { name: 'greeter' }, headers)).activateWorkflow;
    expect(activated).toMatchObject({ id: created.id, active: true, version: 2 });
    expect(ok(await execute(server.url, ExecuteWorkflowDocument, { name: 'greeter' }, headers)).executeWorkflow.execution.id).toEqual(
      expect.any(String),
    );
    expect(codeOf(await execute(server.url, ActivateWorkflowDocument, { name: 'nobody' }, headers))).toBe('NOT_FOUND');
  });

  it('validates a definition without saving anything', async () => {
    const valid = ok(
      await execute(server.url, ValidateWorkflowDefinitionDocument, { name: 'draft', definition: V2 }, headers),
    ).validateWorkflowDefinition;
    expect(valid).toEqual({ valid: true, issues: [] });
    const invalid = ok(
      await execute(server.url, ValidateWorkflowDefinitionDocument, { name: 'draft', definition: BROKEN }, headers),
    ).validateWorkflowDefinition;
    expect(invalid.valid).toBe(false);
    expect(invalid.issues.every((issue) => issue.path.startsWith('$') && issue.message.length > 0)).toBe(true);
    const notAnObject = ok(
      await execute(server.url, ValidateWorkflowDefinitionDocument, { name: 'draft', definition: [1, 2] }, headers),
    ).validateWorkflowDefinition;
    expect(notAnObject.valid).toBe(false);
    expect(codeOf(await execute(server.url, WorkflowByNameDocument, { name: 'draft' }, headers))).toBe('NOT_FOUND');
  });

  it('finds a workflow by id or by name, exactly one of them', async () => {
    const { id } = ok(
      await execute(server.url, CreateWorkflowDocument, { input: { name: 'lookup', definition: V1 } }, headers),
    ).createWorkflow;
    expect(ok(await execute(server.url, WorkflowByIdDocument, { id }, headers)).workflow.name).toBe('lookup');
    expect(codeOf(await execute(server.url, WorkflowByIdDocument, { id: randomUUID() }, headers))).toBe('NOT_FOUND');
    expect(codeOf(await execute(server.url, WorkflowByIdDocument, { id: 'nope' }, headers))).toBe('NOT_FOUND');
    const both = await fetch(server.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body: JSON.stringify({ query: `{ workflow(id: "${id}", name: "lookup") { id } }` }),
    });
    expect(((await both.json()) as { errors: Array<{ extensions: { code: string } }> }).errors[0]?.extensions.code).toBe('BAD_USER_INPUT');
  });

  it('lists workflows a page at a time, filtered by activity, tags and name', async () => {
    for (const [name, tags] of [
      ['page_a', ['sales']],
      ['page_b', ['sales', 'renewal']],
      ['page_c', ['ops']],
      ['page_d', []],
    ] as const) {
      ok(await execute(server.url, CreateWorkflowDocument, { input: { name, definition: V1, tags: [...tags] } }, headers));
    }
    ok(await execute(server.url, DeleteWorkflowDocument, { name: 'page_d' }, headers));
    const names = async (variables: { filter?: Record<string, unknown>; first?: number; after?: string | null }) =>
      ok(await execute(server.url, WorkflowsPageDocument, { first: 20, ...variables }, headers)).workflows;

    expect((await names({ filter: { nameContains: 'PAGE_' } })).nodes.map((node) => node.name)).toEqual([
      'page_a',
      'page_b',
      'page_c',
      'page_d',
    ]);
    expect((await names({ filter: { nameContains: 'page_', active: true } })).nodes.map((node) => node.name)).toEqual([
      'page_a',
      'page_b',
      'page_c',
    ]);
    expect((await names({ filter: { nameContains: 'page_', active: false } })).nodes.map((node) => node.name)).toEqual(['page_d']);
    expect((await names({ filter: { tags: ['sales'] } })).nodes.map((node) => node.name)).toEqual(['page_a', 'page_b']);
    expect((await names({ filter: { tags: ['sales', 'renewal'] } })).nodes.map((node) => node.name)).toEqual(['page_b']);

    const all = (await names({ first: 100 })).nodes.map((node) => node.name);
    const paged: string[] = [];
    let after: string | null = null;
    for (let i = 0; i < 20; i += 1) {
      const page: Awaited<ReturnType<typeof names>> = await names({ first: 2, after });
      paged.push(...page.edges.map((edge) => edge.node.name));
      if (!page.pageInfo.hasNextPage) break;
      after = page.pageInfo.endCursor;
    }
    expect(paged).toEqual(all);
    expect([...all].sort()).toEqual(all);
  });

  describe('statistics', () => {
    const base = Date.now() - 60 * 60_000;
    const at = (offsetMs: number) => new Date(base + offsetMs).toISOString();
    let workflowId: string;
    let tenantId: string;
    let statsHeaders: Record<string, string>;

    /** A run recorded straight in the database, with known timings. */
    const insertRun = async (
      status: string,
      options: { createdAt: number; durationMs?: number; failedSteps?: string[]; started?: boolean },
    ) => {
      const id = randomUUID();
      const started = options.started ?? true;
      const startedAt = started ? at(options.createdAt + 10) : null;
      const completedAt = options.durationMs !== undefined ? at(options.createdAt + 10 + options.durationMs) : null;
      await adminQuery(
        database.url,
        `insert into executions (id, tenant_id, workflow_id, workflow_version, status, context, created_at, started_at, completed_at, updated_at)
         values ($1, $2, $3, 1, $4, '{}', $5, $6, $7, now())`,
        [id, tenantId, workflowId, status, at(options.createdAt), startedAt, completedAt],
      );
      for (const [index, key] of (options.failedSteps ?? []).entries()) {
        await adminQuery(
          database.url,
          `insert into execution_steps (execution_id, key, name, type, sequence, status, attempts, error) values ($1, $2, $2, 'service_call', $3, 'failed', 3, $4)`,
          [id, key, index + 1, JSON.stringify({ code: 'EXTERNAL_UNAVAILABLE', message: 'down', retryable: true })],
        );
      }
    };

    const completedDurations = [100, 200, 300, 400, 500, 600];
    const windowDurations = [...completedDurations, 1_000, 2_000, 50];
    const oldDurations = [10_000, 20_000, 3_000];

    beforeAll(async () => {
      const user = await createUser(server.orm, 'viewer');
      tenantId = user.tenantId;
      statsHeaders = bearer((await login(server.url, user.email, user.password)).token);
      workflowId = (await server.engine.workflows.save({ tenantId, name: 'stats_flow', definition: V1 })).id;
      let offset = 0;
      for (const duration of completedDurations) await insertRun('completed', { createdAt: (offset += 1_000), durationMs: duration });
      await insertRun('failed', { createdAt: (offset += 1_000), durationMs: 1_000, failedSteps: ['charge'] });
      await insertRun('failed', { createdAt: (offset += 1_000), durationMs: 2_000, failedSteps: ['charge', 'notify'] });
      await insertRun('cancelled', { createdAt: (offset += 1_000), durationMs: 50 });
      await insertRun('running', { createdAt: (offset += 1_000) });
      await insertRun('pending', { createdAt: offset + 1_000, started: false });
      // Three days earlier: outside the window.
      const old = -3 * 24 * 60 * 60_000;
      await insertRun('completed', { createdAt: old, durationMs: 10_000 });
      await insertRun('completed', { createdAt: old + 1_000, durationMs: 20_000 });
      await insertRun('failed', { createdAt: old + 2_000, durationMs: 3_000, failedSteps: ['notify'] });
    });

    it('counts every run, with success rate, mean and p95 duration and failures per step', async () => {
      const stats = ok(await execute(server.url, WorkflowStatsDocument, { name: 'stats_flow' }, statsHeaders)).workflow.stats;
      const durations = [...windowDurations, ...oldDurations];
      expect(stats).toMatchObject({
        total: 14,
        successful: 8,
        failed: 3,
        cancelled: 1,
        running: 2,
        stepFailures: [
          { step: 'charge', failures: 2 },
          { step: 'notify', failures: 2 },
        ],
      });
      expect(stats.successRate).toBeCloseTo(8 / 12, 10);
      expect(stats.averageDurationMs).toBeCloseTo(durations.reduce((sum, value) => sum + value, 0) / durations.length, 6);
      expect(stats.p95DurationMs).toBeCloseTo(percentileCont(durations, 0.95), 6);
    });

    it('counts the runs created within a window', async () => {
      const window = { from: at(0), to: new Date().toISOString() };
      const stats = ok(await execute(server.url, WorkflowStatsDocument, { name: 'stats_flow', window }, statsHeaders)).workflow.stats;
      expect(stats).toMatchObject({
        total: 11,
        successful: 6,
        failed: 2,
        cancelled: 1,
        running: 2,
        stepFailures: [
          { step: 'charge', failures: 2 },
          { step: 'notify', failures: 1 },
        ],
      });
      expect(stats.successRate).toBeCloseTo(6 / 9, 10);
      expect(stats.averageDurationMs).toBeCloseTo(5_150 / 9, 6);
      // Sorted: 50 100 200 300 400 500 600 1000 2000; rank 0.95 × 8 = 7.6 → 1000 + 0.6 × 1000.
      expect(stats.p95DurationMs).toBeCloseTo(1_600, 6);

      const empty = ok(
        await execute(server.url, WorkflowStatsDocument, { name: 'stats_flow', window: { from: new Date().toISOString() } }, statsHeaders),
      ).workflow.stats;
      expect(empty).toEqual({
        total: 0,
        successful: 0,
        failed: 0,
        cancelled: 0,
        running: 0,
        successRate: null,
        averageDurationMs: null,
        p95DurationMs: null,
        stepFailures: [],
      });
      expect(
        codeOf(
          await execute(
            server.url,
            WorkflowStatsDocument,
            { name: 'stats_flow', window: { from: window.to, to: window.from } },
            statsHeaders,
          ),
        ),
      ).toBe('BAD_USER_INPUT');
    });

    it('loads the versions and statistics of a page of workflows in one statement each', async () => {
      for (const name of ['stats_other', 'stats_third'])
        await server.engine.workflows.save({ tenantId, name, definition: JSON.parse(JSON.stringify(DEFINITIONS.three_steps)) });
      // Only an API-only instance left in this process: nothing but the request talks to PostgreSQL.
      await server.stop();
      const reader = await startTestServer({ databaseUrl: database.url, env: { SWITCHYARD_ROLES: 'api' } });
      try {
        const { result, statements } = await withStatements(() =>
          execute(reader.url, WorkflowsWithStatsDocument, { first: 10 }, statsHeaders),
        );
        const nodes = ok(result).workflows.nodes;
        expect(nodes.map((node) => [node.name, node.stats.total, node.versions.length])).toEqual([
          ['stats_flow', 14, 1],
          ['stats_other', 0, 1],
          ['stats_third', 0, 1],
        ]);
        expect(statements.filter((sql) => !/ from "users" /.test(sql))).toHaveLength(3);
      } finally {
        await reader.stop();
      }
    });
  });
});
