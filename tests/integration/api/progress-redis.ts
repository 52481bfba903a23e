import { ExecuteWorkflowDocument, ExecutionDocument, ExecutionProgressDocument } from '../../generated/graphql.js';
import { createTestDatabase, type TestDatabase } from '../../helpers/database.js';
import { testEnv } from '../../helpers/env.js';
import { createWsClient, execute, nextWithin, subscribe } from '../../helpers/graphql.js';
import { startTestServer, type TestServer } from '../../helpers/server.js';
import { DEFINITIONS, ok, untilComplete } from './support.js';

/**
 * Two instances on one PostgreSQL and one Redis: a subscriber on A (API only, no worker), the run on B
 * (its worker). Every event reaches A through Redis, once and in order.
 */
describe('executionProgress across server instances', () => {
  let database: TestDatabase;
  let subscriberSide: TestServer;
  let runnerSide: TestServer;

  beforeAll(async () => {
    database = await createTestDatabase();
    const redisUrl = testEnv('redisUrl');
    // The stream's idle re-read of the log is an hour away: only Redis can bring A the events after its first read.
    subscriberSide = await startTestServer({
      databaseUrl: database.url,
      redisUrl,
      env: { SWITCHYARD_ROLES: 'api' },
      progressIdlePollMs: 3_600_000,
    });
    runnerSide = await startTestServer({ databaseUrl: database.url, redisUrl });
    await runnerSide.engine.workflows.save({
      tenantId: runnerSide.adminTenantId,
      name: 'ticking',
      definition: JSON.parse(JSON.stringify(DEFINITIONS.ticking)),
    });
  });
  afterAll(async () => {
    await Promise.all([subscriberSide?.stop(), runnerSide?.stop()]);
    await database?.drop();
  });

  it('relays a run on B to a subscriber on A, from the first event to the last', async () => {
    const id = ok(await execute(runnerSide.url, ExecuteWorkflowDocument, { name: 'ticking' }, runnerSide.adminHeaders)).executeWorkflow
      .execution.id;
    const client = createWsClient(subscriberSide.wsUrl, subscriberSide.adminHeaders);
    try {
      const events = subscribe(client, ExecutionProgressDocument, { executionId: id, afterSequence: 0 });
      const first = await nextWithin(events);
      // The run takes about a second. Without live delivery through Redis the stream would wait an hour
      // for its idle catch-up from the log: completing at all proves the events came live.
      const rest = await untilComplete(events);
      const received = [first, ...rest].map((result) => {
        if (!result.data) throw new Error(`unexpected errors: ${JSON.stringify(result.errors)}`);
        return result.data.executionProgress;
      });
      const recorded = ok(await execute(subscriberSide.url, ExecutionDocument, { id, first: 1000 }, subscriberSide.adminHeaders)).execution;
      expect(recorded.status).toBe('COMPLETED');
      expect(received.map((event) => event.sequence)).toEqual(recorded.events.nodes.map((event) => event.sequence));
      expect(received.map((event) => event.sequence)).toEqual(Array.from({ length: recorded.lastSequence }, (_, index) => index + 1));
      expect(received.at(-1)).toMatchObject({ type: 'execution.completed', execution: { status: 'COMPLETED' } });
    } finally {
      await client.dispose();
    }
  });
});
