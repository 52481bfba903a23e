import {
  CreateWorkflowDocument,
  ExecuteWorkflowDocument,
  LogStepsDocument,
  ProgressStepsDocument,
  PublishEventDocument,
  RetryExecutionDocument,
  RunStepsDocument,
  type EventStepFieldsFragment,
  type EventWithStepFragment,
  type ProgressStepsSubscription,
} from '../../generated/graphql.js';
import { createTestDatabase, type TestDatabase } from '../../helpers/database.js';
import { createWsClient, execute, subscribe } from '../../helpers/graphql.js';
import { startTestServer, type TestServer } from '../../helpers/server.js';
import { ok, untilComplete, waitForExecution, withStatements } from './support.js';

/** `announce` (undone by a second notice) completes, the run parks on `gate`; released, `post` fails and announce is compensated. */
const SAGA = {
  name: 'progress_step_saga',
  definition: {
    steps: [
      {
        name: 'announce',
        type: 'service_call',
        service: 'notifications',
        method: 'notifyTeam',
        params: { team: 'ops', subject: 'placed ${context.token}' },
        compensate: { service: 'notifications', method: 'notifyTeam', params: { team: 'ops', subject: 'withdrawn ${context.token}' } },
      },
      { name: 'gate', type: 'wait', event: { name: 'progress_step.gate', match: 'event.token = context.token', timeoutSeconds: 600 } },
      { name: 'post', type: 'transform', expression: "$error('the ledger refused the entry')" },
    ],
  },
};

/** Each event's step is its own step (or none for the run's events). */
function expectOwnSteps(id: string, events: readonly EventWithStepFragment[]): void {
  for (const event of events) {
    if (!event.stepKey) expect(event.step).toBeNull();
    else if (event.step) expect(event.step).toMatchObject({ id: `${id}:${event.stepKey}`, executionId: id, key: event.stepKey });
  }
}

/** The last event of each step, with the step it carried. */
function lastOfEachStep(events: readonly EventWithStepFragment[]): Map<string, EventStepFieldsFragment | null | undefined> {
  return new Map(events.filter((event) => event.stepKey).map((event) => [event.stepKey as string, event.step]));
}

describe('ExecutionEvent.step: the one step an event is about', () => {
  let database: TestDatabase;
  let server: TestServer;

  beforeAll(async () => {
    database = await createTestDatabase();
    server = await startTestServer({ databaseUrl: database.url });
    ok(await execute(server.url, CreateWorkflowDocument, { input: SAGA }, server.adminHeaders));
  });
  afterAll(async () => {
    await server?.stop();
    await database?.drop();
  });

  it('live and in the log: each step event carries its step as it is now, compensation included; a retry forgets the reset steps', async () => {
    const { url, adminHeaders: headers } = server;
    const token = `t-${Date.now()}`;
    const id = ok(await execute(url, ExecuteWorkflowDocument, { name: SAGA.name, context: { token } }, headers)).executeWorkflow.execution
      .id;
    const parked = await waitForExecution(url, headers, id, (execution) => execution.status === 'WAITING');

    // Live from the park to the end: the gate's release, post's failure, announce's compensation.
    const client = createWsClient(server.wsUrl, headers);
    let live: Array<ProgressStepsSubscription['executionProgress']>;
    try {
      const events = subscribe(client, ProgressStepsDocument, { executionId: id, afterSequence: parked.lastSequence });
      ok(await execute(url, PublishEventDocument, { name: 'progress_step.gate', payload: { token } }, headers));
      live = (await untilComplete(events)).map((result) => {
        if (result.errors || !result.data) throw new Error(`unexpected errors: ${JSON.stringify(result.errors)}`);
        return result.data.executionProgress;
      });
    } finally {
      await client.dispose();
    }
    expect(live.at(-1)?.type).toBe('execution.failed');
    expectOwnSteps(id, live);
    const compensation = live.find((event) => event.type === 'compensation.completed');
    expect(compensation?.step).toMatchObject({ key: 'announce', status: 'COMPLETED', compensation: { status: 'completed' } });
    expect(live.find((event) => event.type === 'step.failed')?.step).toMatchObject({
      key: 'post',
      status: 'FAILED',
      error: { code: 'VALIDATION' },
    });

    // The finished run: the last event of each step carries that step exactly as the run's list has it.
    const read = async () => {
      const events: EventWithStepFragment[] = [];
      for (;;) {
        const { execution } = ok(await execute(url, LogStepsDocument, { id, after: events.at(-1)?.sequence ?? 0 }, headers));
        events.push(...execution.events.nodes);
        if (!execution.events.hasNextPage) {
          const { steps } = ok(await execute(url, RunStepsDocument, { id }, headers)).execution;
          return { ...execution, events, steps };
        }
      }
    };
    const failed = await read();
    expect(failed.status).toBe('FAILED');
    expectOwnSteps(id, failed.events);
    const last = lastOfEachStep(failed.events);
    expect(failed.steps.map((step) => step.key)).toEqual(['announce', 'gate', 'post']);
    for (const step of failed.steps) expect(last.get(step.key)).toEqual(step);

    // Retried from the gate: post is forgotten (its events now carry no step), the gate parks again.
    ok(await execute(url, RetryExecutionDocument, { id, fromStep: 'gate' }, headers));
    // Parked on the gate again (its wait re-recorded), not merely woken by the retry.
    await waitForExecution(
      url,
      headers,
      id,
      (execution) =>
        execution.status === 'WAITING' &&
        execution.events.nodes.some((event) => event.type === 'step.waiting' && event.sequence > failed.lastSequence),
    );
    const retried = await read();
    const retry = retried.events.find((event) => event.type === 'execution.retried');
    expect(retry?.step).toBeNull();
    expect(retry?.payload['reset']).toEqual(expect.arrayContaining(['gate', 'post']));
    expect(retried.steps.map((step) => step.key)).not.toContain('post');
    for (const event of retried.events.filter((event) => event.stepKey === 'post')) expect(event.step).toBeNull();
    const gate = retried.steps.find((step) => step.key === 'gate');
    expect(gate).toMatchObject({ status: 'RUNNING', attempts: 1 });
    expect(lastOfEachStep(retried.events).get('gate')).toEqual(gate);
  });
  it("reads the steps a page of events is about in one statement, by key, not each run's every step", async () => {
    const { url, adminHeaders: headers } = server;
    const id = ok(await execute(url, ExecuteWorkflowDocument, { name: SAGA.name, context: { token: `page-${Date.now()}` } }, headers))
      .executeWorkflow.execution.id;
    await waitForExecution(url, headers, id, (execution) => execution.status === 'WAITING');

    const { result, statements } = await withStatements(() => execute(url, LogStepsDocument, { id, after: 0 }, headers));
    const events = ok(result).execution.events.nodes;
    expectOwnSteps(id, events);
    expect(new Set(events.flatMap((event) => (event.step ? [event.step.key] : [])))).toEqual(new Set(['announce', 'gate']));
    // The API's reads of step rows (the event dispatcher's own statements may run meanwhile).
    const stepReads = statements.filter((sql) => /^\s*select s\.execution_id, s\.key, s\.name/.test(sql));
    expect(stepReads).toHaveLength(1);
    expect(stepReads[0]).toMatch(/from unnest\(\$2::uuid\[\], \$3::text\[\]\) as wanted\(execution_id, key\)/);
  });
});
