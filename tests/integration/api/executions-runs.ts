import { randomUUID } from 'node:crypto';
import {
  CancelExecutionDocument,
  ExecuteWorkflowDocument,
  ExecutionDefinitionDocument,
  ExecutionDocument,
  PauseExecutionDocument,
  RerunExecutionDocument,
  ResumeExecutionDocument,
  RetryExecutionDocument,
} from '../../generated/graphql.js';
import { execute } from '../../helpers/graphql.js';
import { type TestServer } from '../../helpers/server.js';
import { startExecutionsApi, type ExecutionsApi } from './executions-setup.js';
import { codeOf, ok, waitForExecution } from './support.js';

/** A run's life: started, read, cancelled, paused, resumed, retried and rerun. */
describe('executions over the API', () => {
  let api: ExecutionsApi;
  let server: TestServer;
  let headers: Record<string, string>;
  let adminUserId: string;
  let run: ExecutionsApi['run'];

  beforeAll(async () => {
    api = await startExecutionsApi();
    ({ server, headers, adminUserId, run } = api);
  });
  afterAll(() => api?.stop());

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
});
