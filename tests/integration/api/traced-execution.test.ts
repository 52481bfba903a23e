import { InMemorySpanExporter, SimpleSpanProcessor } from '@opentelemetry/sdk-trace';
import {
  CreateApiKeyDocument,
  ExecuteWorkflowDocument,
  ExecutionDocument,
  ExecutionsDocument,
  ExecutionsWithStepsDocument,
} from '../../generated/graphql.js';
import { startTracing, type Tracing } from '../../../src/observability/tracing/sdk.js';
import { bearer } from '../../helpers/auth.js';
import { createTestDatabase, type TestDatabase } from '../../helpers/database.js';
import { execute } from '../../helpers/graphql.js';
import { startTestServer, type TestServer } from '../../helpers/server.js';
import { DEFINITIONS, ok, waitForExecution } from './support.js';

/**
 * Queries run as graphql-jit compiled functions, except where tracing is on: OpenTelemetry's GraphQL
 * spans wrap graphql-js's execute, so a traced server executes with graphql-js (src/main.ts). The two
 * servers here share one database, one without tracing and one started after it: each operation, its
 * errors included, must answer the same on both.
 */
describe('queries answer the same with tracing on (graphql-js) as off (graphql-jit)', () => {
  let database: TestDatabase;
  let compiled: TestServer;
  let tracing: Tracing;
  let traced: TestServer;

  beforeAll(async () => {
    database = await createTestDatabase();
    compiled = await startTestServer({ databaseUrl: database.url });
    // From here on this process traces, and a server started now takes that tracing (api role only: one worker is enough).
    tracing = (await startTracing({ spanProcessors: [new SimpleSpanProcessor({ exporter: new InMemorySpanExporter() })] })) as Tracing;
    traced = await startTestServer({ databaseUrl: database.url, env: { SWITCHYARD_ROLES: 'api' } });
    const { adminTenantId: tenantId, adminHeaders: headers } = compiled;
    for (const name of ['three_steps', 'gate'] as const) {
      await compiled.engine.workflows.save({ tenantId, name, definition: JSON.parse(JSON.stringify(DEFINITIONS[name])) });
    }
    // A completed run, a failed one (its error is answered) and another completed one.
    for (const [name, context] of [
      ['three_steps', { n: 1 }],
      ['gate', { ok: false }],
      ['three_steps', { n: 2 }],
    ] as const) {
      const { executeWorkflow } = ok(await execute(compiled.url, ExecuteWorkflowDocument, { name, context }, headers));
      await waitForExecution(compiled.url, headers, executeWorkflow.execution.id);
    }
  });
  afterAll(async () => {
    await Promise.all([traced?.stop(), compiled?.stop()]);
    await Promise.all([database?.drop(), tracing?.shutdown()]);
  });

  const onBoth = async <T>(ask: (server: TestServer) => Promise<T>): Promise<T> => {
    const [fromCompiled, fromTraced] = await Promise.all([ask(compiled), ask(traced)]);
    expect(fromTraced).toEqual(fromCompiled);
    return fromCompiled;
  };

  it('the executions list: every field of every row, its workflow, cursors and page', async () => {
    const answer = await onBoth((server) => execute(server.url, ExecutionsDocument, { first: 2 }, compiled.adminHeaders));
    const { executions } = ok(answer);
    expect(executions.nodes.map((node) => [node.workflow.name, node.status])).toEqual([
      ['three_steps', 'COMPLETED'],
      ['gate', 'FAILED'],
    ]);
    expect(executions.nodes[1]?.error?.code).toEqual(expect.any(String));
    expect(executions.pageInfo).toEqual({ hasNextPage: true, endCursor: executions.edges[1]?.cursor });
    // The next page, through the cursor.
    await onBoth((server) =>
      execute(server.url, ExecutionsDocument, { first: 2, after: executions.pageInfo.endCursor }, compiled.adminHeaders),
    );
  });

  it('one execution with its steps and event log, and NOT_FOUND for none', async () => {
    const { executions } = ok(await execute(compiled.url, ExecutionsWithStepsDocument, { first: 1 }, compiled.adminHeaders));
    const id = executions.nodes[0]?.id ?? '';
    expect(
      ok(await onBoth((server) => execute(server.url, ExecutionDocument, { id }, compiled.adminHeaders))).execution.steps,
    ).toHaveLength(3);
    const missing = await onBoth((server) =>
      execute(server.url, ExecutionDocument, { id: '00000000-0000-4000-8000-000000000000' }, compiled.adminHeaders),
    );
    expect(missing.errors?.map((error) => error.extensions?.['code'])).toEqual(['NOT_FOUND']);
  });

  it("a row's workflow refused to a key without workflow:view: the same errors, paths and nulls", async () => {
    const { createApiKey } = ok(
      await execute(compiled.url, CreateApiKeyDocument, { name: 'runs only', permissions: ['EXECUTION_VIEW'] }, compiled.adminHeaders),
    );
    const refused = await onBoth((server) => execute(server.url, ExecutionsDocument, { first: 2 }, bearer(createApiKey.key)));
    // The first refusal nulls the non-null list up to the root; it alone is reported.
    expect(refused.data).toBeNull();
    expect(refused.errors?.map((error) => [error.extensions?.['code'], error.path])).toEqual([
      ['FORBIDDEN', ['executions', 'nodes', 0, 'workflow']],
    ]);
  });

  it('variables that do not coerce: the same BAD_USER_INPUT', async () => {
    const invalid = await onBoth((server) =>
      execute(server.url, ExecutionsDocument, { first: 'two' as unknown as number }, compiled.adminHeaders),
    );
    expect(invalid.errors?.map((error) => error.extensions?.['code'])).toEqual(['BAD_USER_INPUT']);
  });
});
