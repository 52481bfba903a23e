import {
  AuditLogDocument,
  CancelExecutionDocument,
  CreateWorkflowDocument,
  DomainCreateLeadDocument,
  DomainQualifyLeadDocument,
  ExecuteWorkflowDocument,
  ExecutionDocument,
  PauseExecutionDocument,
  PublishEventDocument,
  RerunExecutionDocument,
  ResumeExecutionDocument,
  RetryExecutionDocument,
  UpdateWorkflowDocument,
  type AuditLogQueryVariables,
  type ExecutionStatus,
} from '../../generated/graphql.js';
import { DISPATCH_WAKEUP_TOPIC } from '../../../src/engine/wakeups.js';
import { TEST_ADMIN_EMAIL } from '../../helpers/auth.js';
import { adminQuery, createTestDatabase, databaseUrl, type TestDatabase } from '../../helpers/database.js';
import { testEnv } from '../../helpers/env.js';
import { eventually } from '../../helpers/eventually.js';
import { execute, nextWithin } from '../../helpers/graphql.js';
import { startTestServer, type TestServer } from '../../helpers/server.js';
import { codeOf, ok, uniqueEmail } from './support.js';

/** A run that waits ten minutes at its first step: there is time to pause, resume and cancel it. */
const NAPPING = {
  steps: [
    { name: 'nap', type: 'wait', seconds: 600 },
    { name: 'after', type: 'transform', output: { done: true } },
  ],
};

describe('the audit trail of the engine and the domain', () => {
  let database: TestDatabase;
  let server: TestServer;
  let workflowId: string;

  beforeAll(async () => {
    database = await createTestDatabase();
    server = await startTestServer({ databaseUrl: database.url });
    ok(
      await execute(
        server.url,
        CreateWorkflowDocument,
        { input: { name: 'audited_runs', definition: { steps: [{ name: 'first', type: 'transform', output: {} }] } } },
        server.adminHeaders,
      ),
    );
    workflowId = ok(
      await execute(server.url, UpdateWorkflowDocument, { input: { name: 'audited_runs', definition: NAPPING } }, server.adminHeaders),
    ).updateWorkflow.id;
  });
  afterAll(async () => {
    await server?.stop();
    await database?.drop();
  });

  const sql = (text: string, params: unknown[] = []) => adminQuery(databaseUrl(testEnv('postgresUrl'), database.name), text, params);
  const auditLog = async (variables: AuditLogQueryVariables) =>
    ok(await execute(server.url, AuditLogDocument, variables, server.adminHeaders)).auditLog.nodes;
  const status = async (id: string) => ok(await execute(server.url, ExecutionDocument, { id }, server.adminHeaders)).execution.status;
  const reaches = (id: string, wanted: ExecutionStatus) =>
    eventually(
      `execution ${id} ${wanted}`,
      () => status(id),
      (now) => now === wanted,
    );

  /** A fault in the real database: the audit record of these operations cannot be written, so their transaction fails. */
  async function withRecordsRefused(operations: string[], work: () => Promise<void>): Promise<void> {
    const list = operations.map((operation) => `'${operation}'`).join(', ');
    await sql(`create function refuse_records() returns trigger language plpgsql as $$
      begin if new.outcome = 'ok' and new.operation in (${list}) then raise exception 'audit log down'; end if; return new; end $$`);
    await sql('create trigger refuse_records before insert on audit_log for each row execute function refuse_records()');
    try {
      await work();
    } finally {
      await sql('drop trigger refuse_records on audit_log');
      await sql('drop function refuse_records()');
    }
  }

  it('records a run started, paused, resumed, cancelled, retried and rerun, each with the workflow version it runs', async () => {
    const started = ok(
      await execute(
        server.url,
        ExecuteWorkflowDocument,
        { name: 'audited_runs' },
        { ...server.adminHeaders, 'x-request-id': 'req-start-1' },
      ),
    ).executeWorkflow;
    const id = started.execution.id;
    await reaches(id, 'WAITING');
    ok(await execute(server.url, PauseExecutionDocument, { id }, server.adminHeaders));
    await reaches(id, 'PAUSED');
    ok(await execute(server.url, ResumeExecutionDocument, { id }, server.adminHeaders));
    await reaches(id, 'WAITING');
    ok(await execute(server.url, CancelExecutionDocument, { id }, server.adminHeaders));
    await reaches(id, 'CANCELLED');
    expect(codeOf(await execute(server.url, CancelExecutionDocument, { id }, server.adminHeaders))).toBe('INVALID_STATE');
    ok(await execute(server.url, RetryExecutionDocument, { id, fromStep: 'nap' }, server.adminHeaders));
    // A retried run is WAITING at once (runnable again); the rerun below needs its nap recorded again.
    await eventually(
      `execution ${id} napping again`,
      async () => (await sql(`select status from execution_steps where execution_id = $1 and key = 'nap'`, [id])).rows[0]?.status,
      (step) => step !== undefined,
    );
    ok(await execute(server.url, CancelExecutionDocument, { id }, server.adminHeaders));
    await reaches(id, 'CANCELLED');
    const rerunId = ok(await execute(server.url, RerunExecutionDocument, { id, fromStep: 'nap' }, server.adminHeaders)).rerunExecution.id;

    const records = await auditLog({ filter: { target: id }, first: 100 });
    expect(records.map((record) => [record.operation, record.outcome])).toEqual([
      ['execution.cancel', 'ok'],
      ['execution.retry', 'ok'],
      ['execution.cancel', 'INVALID_STATE'],
      ['execution.cancel', 'ok'],
      ['execution.resume', 'ok'],
      ['execution.pause', 'ok'],
      ['execution.start', 'ok'],
    ]);
    const version = { workflowId, version: 2 };
    for (const record of records) expect(record.workflowVersion).toEqual(record.outcome === 'ok' ? version : null);
    expect(records.at(-1)).toMatchObject({
      actor: { name: TEST_ADMIN_EMAIL },
      target: { type: 'execution', id },
      requestId: 'req-start-1',
    });
    const [rerun] = await auditLog({ filter: { target: rerunId }, first: 10 });
    expect(rerun).toMatchObject({ operation: 'execution.rerun', outcome: 'ok', workflowVersion: version });
    // Definitions: the version each change made.
    const changes = await auditLog({ filter: { target: workflowId }, first: 10 });
    expect(changes.map((record) => [record.operation, record.workflowVersion?.version])).toEqual([
      ['workflow.update', 2],
      ['workflow.create', 1],
    ]);
  });

  it("writes the record in the engine's transaction: when it cannot be written, the run is not started and the command not taken", async () => {
    const running = ok(await execute(server.url, ExecuteWorkflowDocument, { name: 'audited_runs' }, server.adminHeaders)).executeWorkflow
      .execution.id;
    await reaches(running, 'WAITING');
    await withRecordsRefused(['execution.start', 'execution.cancel', 'workflow.update'], async () => {
      expect(
        codeOf(
          await execute(
            server.url,
            ExecuteWorkflowDocument,
            { name: 'audited_runs', idempotencyKey: 'never-started' },
            server.adminHeaders,
          ),
        ),
      ).toBe('INTERNAL_SERVER_ERROR');
      expect(codeOf(await execute(server.url, CancelExecutionDocument, { id: running }, server.adminHeaders))).toBe(
        'INTERNAL_SERVER_ERROR',
      );
      expect(
        codeOf(
          await execute(
            server.url,
            UpdateWorkflowDocument,
            { input: { name: 'audited_runs', definition: NOOP_STEPS } },
            server.adminHeaders,
          ),
        ),
      ).toBe('INTERNAL_SERVER_ERROR');
    });
    expect((await sql(`select count(*)::int as n from executions where idempotency_key = 'never-started'`)).rows[0]).toEqual({ n: 0 });
    expect((await sql('select cancel_requested from executions where id = $1', [running])).rows[0]).toEqual({ cancel_requested: false });
    expect((await sql('select current_version from workflows where id = $1', [workflowId])).rows[0]).toEqual({ current_version: 2 });
    // The refusals are recorded, outside the transactions that rolled back.
    expect((await auditLog({ filter: { target: running }, first: 10 })).map((record) => [record.operation, record.outcome])).toEqual([
      ['execution.cancel', 'INTERNAL_SERVER_ERROR'],
      ['execution.start', 'ok'],
    ]);
    // Nothing of the rolled-back start is left behind: a run starts, and runs, as before.
    const again = ok(
      await execute(server.url, ExecuteWorkflowDocument, { name: 'audited_runs', idempotencyKey: 'never-started' }, server.adminHeaders),
    ).executeWorkflow;
    expect(again.created).toBe(true);
    await reaches(again.execution.id, 'WAITING');
  });

  it("records domain mutations and published events in the request's transaction, and still wakes the dispatcher after the commit", async () => {
    const wakeups = await server.pubsub.subscribe<unknown>(DISPATCH_WAKEUP_TOPIC);
    try {
      const published = ok(
        await execute(server.url, PublishEventDocument, { name: 'audit.checked', payload: { n: 1 } }, server.adminHeaders),
      ).publishEvent;
      await nextWithin(wakeups);
      const email = uniqueEmail('lead');
      const lead = ok(
        await execute(server.url, DomainCreateLeadDocument, { input: { name: 'Audited Lead', email } }, server.adminHeaders),
      ).createLead;
      ok(await execute(server.url, DomainQualifyLeadDocument, { id: lead.id }, server.adminHeaders));
      // qualifyLead recorded lead.qualified in its transaction: the dispatchers hear of it once that committed.
      await nextWithin(wakeups);

      expect(
        (await auditLog({ filter: { target: published.event.id }, first: 10 })).map((record) => [
          record.operation,
          record.target?.type,
          record.outcome,
        ]),
      ).toEqual([['event.publish', 'event', 'ok']]);
      expect((await auditLog({ filter: { target: lead.id }, first: 10 })).map((record) => [record.operation, record.outcome])).toEqual([
        ['lead.qualify', 'ok'],
        ['lead.create', 'ok'],
      ]);
    } finally {
      await wakeups.return?.();
    }
  });

  it('a domain change whose record cannot be written rolls back, and its failure is recorded', async () => {
    const email = uniqueEmail('never-a-lead');
    await withRecordsRefused(['lead.create', 'event.publish'], async () => {
      expect(codeOf(await execute(server.url, DomainCreateLeadDocument, { input: { name: 'Never', email } }, server.adminHeaders))).toBe(
        'INTERNAL_SERVER_ERROR',
      );
      expect(codeOf(await execute(server.url, PublishEventDocument, { name: 'audit.refused', payload: {} }, server.adminHeaders))).toBe(
        'INTERNAL_SERVER_ERROR',
      );
    });
    expect((await sql('select count(*)::int as n from leads where email = $1', [email])).rows[0]).toEqual({ n: 0 });
    expect((await sql(`select count(*)::int as n from domain_events where name = 'audit.refused'`)).rows[0]).toEqual({ n: 0 });
    expect((await auditLog({ filter: { operation: 'lead.create' }, first: 1 }))[0]).toMatchObject({
      outcome: 'INTERNAL_SERVER_ERROR',
      target: { type: 'lead', id: null },
    });
  });
});

const NOOP_STEPS = { steps: [{ name: 'noop', type: 'transform', output: { done: true } }] };
