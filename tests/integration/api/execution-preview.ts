import { randomUUID } from 'node:crypto';
import {
  ExecuteWorkflowDocument,
  ExecutionDocument,
  PreviewRerunDocument,
  PreviewRetryDocument,
  RerunExecutionDocument,
  RetryExecutionDocument,
  type ExecutionPreviewFieldsFragment,
  type ExecutionQuery,
} from '../../generated/graphql.js';
import { bearer, createUser, login } from '../../helpers/auth.js';
import { createTestDatabase, type TestDatabase } from '../../helpers/database.js';
import { execute } from '../../helpers/graphql.js';
import { startTestServer, type TestServer } from '../../helpers/server.js';
import { DEFINITIONS, codeOf, ok, waitForExecution } from './support.js';

/**
 * previewRetry / previewRerun against what the command then did: the steps a preview says run again are
 * the ones started after the command, the ones it says replay are not started and keep their output.
 */

/** `notify` (a database effect, compensable), then `provision` (calls outside: Kubernetes), which fails on an unknown activation. */
const PROVISIONING = {
  steps: [
    { name: 'prepare', type: 'transform', output: { plan: 'starter' } },
    {
      name: 'notify',
      type: 'service_call',
      service: 'notifications',
      method: 'notifyTeam',
      params: { team: 'ops', subject: 'provisioning ${context.activationId}' },
      compensate: { service: 'notifications', method: 'notifyTeam', params: { team: 'ops', subject: 'provisioning withdrawn' } },
    },
    {
      name: 'provision',
      type: 'service_call',
      service: 'activation',
      method: 'provisionInfrastructure',
      params: { activationId: '${context.activationId}', plan: '${steps.prepare.output.plan}' },
    },
    { name: 'done', type: 'transform', output: { ok: true } },
  ],
};

type Execution = NonNullable<ExecutionQuery['execution']>;

describe('previewRetry and previewRerun', () => {
  let database: TestDatabase;
  let server: TestServer;
  let headers: Record<string, string>;

  const read = async (id: string): Promise<Execution> =>
    ok(await execute(server.url, ExecutionDocument, { id, first: 1000 }, headers)).execution;
  const startFailed = async (name: string, context: Record<string, unknown>) => {
    const { id } = ok(await execute(server.url, ExecuteWorkflowDocument, { name, context }, headers)).executeWorkflow.execution;
    return waitForExecution(server.url, headers, id);
  };
  /** The steps started after the event at `afterSequence`. */
  const startedAfter = (execution: Execution, afterSequence: number) =>
    new Set(
      execution.events.nodes
        .filter((event) => event.sequence > afterSequence && event.type === 'step.started')
        .map((event) => event.stepKey),
    );
  const fates = (preview: ExecutionPreviewFieldsFragment) => Object.fromEntries(preview.steps.map((step) => [step.step, step.fate]));
  /** A step that ran (again) is one the preview said would: RUN_AGAIN, or RUN when the run got that far. */
  const expectRanAsPreviewed = (
    preview: ExecutionPreviewFieldsFragment,
    started: Set<string | null | undefined>,
    before: Execution,
    after: Execution,
  ) => {
    for (const step of preview.steps) {
      if (step.fate === 'RUN_AGAIN') expect([step.step, started.has(step.step)]).toEqual([step.step, true]);
      if (step.fate === 'REPLAY' || step.fate === 'KEEP') {
        expect([step.step, started.has(step.step)]).toEqual([step.step, false]);
        const output = (execution: Execution) => execution.steps.find((recorded) => recorded.key === step.step)?.output;
        expect(output(after)).toEqual(output(before));
      }
      if (step.fate === 'RUN' && started.has(step.step)) expect(preview.runAgain).not.toContain(step.step);
    }
    for (const key of started) expect(['RUN_AGAIN', 'RUN']).toContain(fates(preview)[key ?? '']);
  };

  beforeAll(async () => {
    database = await createTestDatabase();
    server = await startTestServer({ databaseUrl: database.url });
    headers = server.adminHeaders;
    for (const [name, definition] of Object.entries({ provisioning: PROVISIONING, gate: DEFINITIONS.gate })) {
      await server.engine.workflows.save({ tenantId: server.adminTenantId, name, definition: JSON.parse(JSON.stringify(definition)) });
    }
  });
  afterAll(async () => {
    await server?.stop();
    await database?.drop();
  });

  it('says what a retry will redo, and the retry then does exactly that', async () => {
    const failed = await startFailed('provisioning', { activationId: randomUUID() });
    expect([failed.status, failed.error?.code]).toEqual(['FAILED', 'NOT_FOUND']);

    const { previewRetry: preview } = ok(await execute(server.url, PreviewRetryDocument, { executionId: failed.id }, headers));
    expect(preview).toMatchObject({
      action: 'RETRY',
      fromStep: 'provision',
      replayed: ['prepare'],
      runAgain: ['notify', 'provision'],
      redone: ['notify'],
      context: null,
    });
    expect(preview.externalEffects).toEqual([{ step: 'provision', service: 'activation.provisionInfrastructure', effect: 'EXTERNAL' }]);
    expect(preview.steps).toEqual([
      {
        step: 'prepare',
        type: 'TRANSFORM',
        recordedStatus: 'COMPLETED',
        fate: 'REPLAY',
        compensated: false,
        effect: 'NONE',
        service: null,
      },
      {
        step: 'notify',
        type: 'SERVICE_CALL',
        recordedStatus: 'COMPLETED',
        fate: 'RUN_AGAIN',
        compensated: true,
        effect: 'DATABASE',
        service: 'notifications.notifyTeam',
      },
      {
        step: 'provision',
        type: 'SERVICE_CALL',
        recordedStatus: 'FAILED',
        fate: 'RUN_AGAIN',
        compensated: false,
        effect: 'EXTERNAL',
        service: 'activation.provisionInfrastructure',
      },
      { step: 'done', type: 'TRANSFORM', recordedStatus: null, fate: 'RUN', compensated: false, effect: 'NONE', service: null },
    ]);
    // Nothing changed.
    expect((await read(failed.id)).lastSequence).toBe(failed.lastSequence);

    ok(await execute(server.url, RetryExecutionDocument, { id: failed.id }, headers));
    const after = await waitForExecution(
      server.url,
      headers,
      failed.id,
      (run) => run.status === 'FAILED' && run.lastSequence > failed.lastSequence,
    );
    const retried = (await read(after.id)).events.nodes.find(
      (event) => event.sequence > failed.lastSequence && event.type === 'execution.retried',
    );
    expect([...(retried?.payload as { reset: string[] }).reset].sort()).toEqual([...preview.reset].sort());
    const started = startedAfter(await read(after.id), retried?.sequence ?? 0);
    expect([...started].sort()).toEqual(['notify', 'provision']);
    expectRanAsPreviewed(preview, started, failed, await read(after.id));
  });

  it('previews a retry from an earlier step: everything from it runs again', async () => {
    const failed = await startFailed('provisioning', { activationId: randomUUID() });
    const { previewRetry: preview } = ok(
      await execute(server.url, PreviewRetryDocument, { executionId: failed.id, fromStep: 'prepare' }, headers),
    );
    expect(fates(preview)).toEqual({ prepare: 'RUN_AGAIN', notify: 'RUN_AGAIN', provision: 'RUN_AGAIN', done: 'RUN' });
    expect(preview.replayed).toEqual([]);

    ok(await execute(server.url, RetryExecutionDocument, { id: failed.id, fromStep: 'prepare' }, headers));
    const after = await read(
      (await waitForExecution(server.url, headers, failed.id, (run) => run.status === 'FAILED' && run.lastSequence > failed.lastSequence))
        .id,
    );
    const retried = after.events.nodes.find((event) => event.sequence > failed.lastSequence && event.type === 'execution.retried');
    expectRanAsPreviewed(preview, startedAfter(after, retried?.sequence ?? 0), failed, after);
  });

  it('says what a rerun will replay and run, and the new run does exactly that; secrets in the context are redacted', async () => {
    const failed = await startFailed('gate', { ok: false });
    const context = { ok: true, apiToken: 'tok_do_not_show' };
    const { previewRerun: preview } = ok(
      await execute(server.url, PreviewRerunDocument, { executionId: failed.id, fromStep: 'check', context }, headers),
    );
    expect(fates(preview)).toEqual({ prepare: 'REPLAY', check: 'RUN_AGAIN', finish: 'RUN' });
    expect(preview.context).toEqual({ ok: true, apiToken: '[redacted]' });
    expect(preview.externalEffects).toEqual([]);

    const { rerunExecution } = ok(
      await execute(server.url, RerunExecutionDocument, { id: failed.id, fromStep: 'check', context }, headers),
    );
    const rerun = await read((await waitForExecution(server.url, headers, rerunExecution.id)).id);
    expect(rerun.status).toBe('COMPLETED');
    const started = startedAfter(rerun, 0);
    expect([...started].sort()).toEqual(['check', 'finish']);
    expectRanAsPreviewed(preview, started, failed, rerun);
  });

  it('is refused as the command would be, and only within your tenant', async () => {
    const failed = await startFailed('gate', { ok: false });
    const completed = await startFailed('gate', { ok: true });

    const previewAnswer = await execute(server.url, PreviewRetryDocument, { executionId: completed.id }, headers);
    const retryAnswer = await execute(server.url, RetryExecutionDocument, { id: completed.id }, headers);
    expect(codeOf(previewAnswer)).toBe('INVALID_STATE');
    expect(previewAnswer.errors?.[0]?.message).toBe(retryAnswer.errors?.[0]?.message);

    const unknownStep = await execute(server.url, PreviewRerunDocument, { executionId: failed.id, fromStep: 'nope' }, headers);
    expect([codeOf(unknownStep), unknownStep.errors?.[0]?.message]).toEqual([
      'BAD_USER_INPUT',
      `execution ${failed.id} has no recorded step "nope"`,
    ]);
    expect(codeOf(await execute(server.url, PreviewRetryDocument, { executionId: 'not-a-uuid' }, headers))).toBe('BAD_USER_INPUT');
    expect(codeOf(await execute(server.url, PreviewRetryDocument, { executionId: randomUUID() }, headers))).toBe('NOT_FOUND');

    // Another tenant's admin finds no such run; a viewer of this tenant may look.
    const stranger = await createUser(server.orm, 'admin');
    const strangerHeaders = bearer((await login(server.url, stranger.email, stranger.password)).token);
    expect(codeOf(await execute(server.url, PreviewRetryDocument, { executionId: failed.id }, strangerHeaders))).toBe('NOT_FOUND');
    const viewer = await createUser(server.orm, 'viewer', { tenantId: server.adminTenantId });
    const viewerHeaders = bearer((await login(server.url, viewer.email, viewer.password)).token);
    expect(ok(await execute(server.url, PreviewRetryDocument, { executionId: failed.id }, viewerHeaders)).previewRetry.fromStep).toBe(
      'check',
    );
    expect(codeOf(await execute(server.url, PreviewRetryDocument, { executionId: failed.id }, {}))).toBe('UNAUTHENTICATED');
  });
});
