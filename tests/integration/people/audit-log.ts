import {
  ActivateWorkflowDocument,
  AuditLogDocument,
  CreateApiKeyDocument,
  CreateUserDocument,
  CreateWorkflowDocument,
  DeleteWorkflowDocument,
  LoginDocument,
  PauseScheduleDocument,
  ResumeScheduleDocument,
  RevokeApiKeyDocument,
  UpdateUserDocument,
  UpdateWorkflowDocument,
  type AuditLogQuery,
  type AuditLogQueryVariables,
} from '../../generated/graphql.js';
import { NOOP_DEFINITION, TEST_ADMIN_EMAIL, bearer, createUser as createUserInDatabase, login } from '../../helpers/auth.js';
import { adminQuery, createTestDatabase, databaseUrl, type TestDatabase } from '../../helpers/database.js';
import { testEnv } from '../../helpers/env.js';
import { execute } from '../../helpers/graphql.js';
import { startTestServer, type TestServer } from '../../helpers/server.js';
import { codeOf, installManualClock, ok, uniqueEmail, type ManualClock } from './support.js';

type Record = AuditLogQuery['auditLog']['nodes'][number];

describe('the audit log', () => {
  let database: TestDatabase;
  let server: TestServer;
  let clock: ManualClock;
  let adminId: string;

  beforeAll(async () => {
    database = await createTestDatabase();
    server = await startTestServer({ databaseUrl: database.url });
    clock = installManualClock(server);
    adminId = (await login(server.url, TEST_ADMIN_EMAIL, 'admin-password-for-tests')).userId;
  });
  afterAll(async () => {
    await server?.stop();
    await database?.drop();
  });

  const auditLog = async (variables: AuditLogQueryVariables, headers = server.adminHeaders) =>
    ok(await execute(server.url, AuditLogDocument, variables, headers)).auditLog;
  const recordsOf = async (target: string): Promise<Record[]> => (await auditLog({ filter: { target }, first: 100 })).nodes;
  const sql = (text: string, params: unknown[] = []) => adminQuery(databaseUrl(testEnv('postgresUrl'), database.name), text, params);

  it('records each change once, in its transaction, with the actor, target, request id and outcome', async () => {
    const email = uniqueEmail('audited');
    const created = ok(
      await execute(
        server.url,
        CreateUserDocument,
        { input: { email, name: 'Audited', role: 'VIEWER' } },
        { ...server.adminHeaders, 'x-request-id': 'req-audit-1' },
      ),
    ).createUser;
    ok(await execute(server.url, UpdateUserDocument, { id: created.id, input: { role: 'OPERATOR' } }, server.adminHeaders));

    const records = await recordsOf(created.id);
    expect(records.map((record) => [record.operation, record.outcome])).toEqual([
      ['user.update', 'ok'],
      ['user.create', 'ok'],
    ]);
    expect(records[1]).toMatchObject({
      actor: { kind: 'USER', id: adminId, name: TEST_ADMIN_EMAIL },
      target: { type: 'user', id: created.id },
      requestId: 'req-audit-1',
    });
  });

  it('a change that rolls back leaves no record of success; its failure is recorded with its code', async () => {
    // A fault in the real database: the invitation e-mail cannot be queued, after the user's row was written.
    await sql(`create function refuse_outbox() returns trigger language plpgsql as $$ begin raise exception 'outbox down'; end $$`);
    await sql(`create trigger refuse_outbox before insert on outbox_messages for each row execute function refuse_outbox()`);
    const email = uniqueEmail('rolled-back');
    try {
      const failed = await execute(
        server.url,
        CreateUserDocument,
        { input: { email, name: 'Rolled back', role: 'VIEWER' } },
        server.adminHeaders,
      );
      expect(codeOf(failed)).toBe('INTERNAL_SERVER_ERROR');
    } finally {
      await sql('drop trigger refuse_outbox on outbox_messages');
      await sql('drop function refuse_outbox()');
    }
    expect((await sql('select count(*)::int as n from users where email = $1', [email])).rows[0]).toEqual({ n: 0 });
    const creates = (await auditLog({ filter: { operation: 'user.create' }, first: 100 })).nodes;
    expect(creates.filter((record) => record.outcome === 'ok' && record.target?.id === null)).toEqual([]);
    expect(creates[0]).toMatchObject({ outcome: 'INTERNAL_SERVER_ERROR', target: { type: 'user', id: null } });
    // Nothing of the rolled-back user anywhere: no record names a user that does not exist.
    const orphans = await sql(
      `select count(*)::int as n from audit_log a where a.target_type = 'user' and a.outcome = 'ok' and not exists (select 1 from users u where u.id::text = a.target_id)`,
    );
    expect(orphans.rows[0]).toEqual({ n: 0 });
  });

  it('records refusals (FORBIDDEN, VALIDATION) without their payload, and sign-ins, refused ones too', async () => {
    const viewer = await createUserInDatabase(server.orm, 'viewer', { tenantId: server.adminTenantId });
    const viewerHeaders = bearer((await login(server.url, viewer.email, viewer.password)).token);
    expect(
      codeOf(
        await execute(
          server.url,
          CreateUserDocument,
          { input: { email: uniqueEmail('nope'), name: 'Nope', role: 'ADMIN', password: 'a-secret-password' } },
          viewerHeaders,
        ),
      ),
    ).toBe('FORBIDDEN');
    expect(
      codeOf(
        await execute(
          server.url,
          CreateUserDocument,
          { input: { email: 'bad', name: 'Bad', role: 'VIEWER', password: 'a-secret-password' } },
          server.adminHeaders,
        ),
      ),
    ).toBe('VALIDATION');
    expect(codeOf(await execute(server.url, LoginDocument, { email: viewer.email, password: 'wrong-password' }))).toBe('UNAUTHENTICATED');

    const byViewer = (await auditLog({ filter: { actor: viewer.id }, first: 100 })).nodes.map((record) => [
      record.operation,
      record.outcome,
    ]);
    expect(byViewer).toEqual([
      ['session.signIn', 'UNAUTHENTICATED'],
      ['user.create', 'FORBIDDEN'],
      ['session.signIn', 'ok'],
    ]);
    expect((await auditLog({ filter: { operation: 'user.create' }, first: 1 })).nodes[0]).toMatchObject({
      outcome: 'VALIDATION',
      actor: { id: adminId },
    });
    const stored = await sql(`select * from audit_log`);
    expect(JSON.stringify(stored.rows)).not.toContain('a-secret-password');
    // A viewer does not read the audit log.
    expect(codeOf(await execute(server.url, AuditLogDocument, { first: 1 }, viewerHeaders))).toBe('FORBIDDEN');
  });

  it('records API keys created and revoked, and workflows created, updated, deleted and reactivated', async () => {
    const key = ok(
      await execute(server.url, CreateApiKeyDocument, { name: 'audited key', permissions: ['WORKFLOW_VIEW'] }, server.adminHeaders),
    ).createApiKey.apiKey;
    ok(await execute(server.url, RevokeApiKeyDocument, { id: key.id }, server.adminHeaders));
    expect((await recordsOf(key.id)).map((record) => [record.operation, record.target?.type, record.outcome])).toEqual([
      ['apiKey.revoke', 'apiKey', 'ok'],
      ['apiKey.create', 'apiKey', 'ok'],
    ]);

    const workflow = ok(
      await execute(server.url, CreateWorkflowDocument, { input: { name: 'audited', definition: NOOP_DEFINITION } }, server.adminHeaders),
    ).createWorkflow;
    ok(
      await execute(
        server.url,
        UpdateWorkflowDocument,
        { input: { name: 'audited', definition: { steps: [{ name: 'other', type: 'transform', output: {} }] } } },
        server.adminHeaders,
      ),
    );
    ok(await execute(server.url, DeleteWorkflowDocument, { name: 'audited' }, server.adminHeaders));
    ok(await execute(server.url, ActivateWorkflowDocument, { name: 'audited' }, server.adminHeaders));
    expect((await recordsOf(workflow.id)).map((record) => record.operation)).toEqual([
      'workflow.reactivate',
      'workflow.delete',
      'workflow.update',
      'workflow.create',
    ]);
  });

  it("records schedules paused and resumed, in the change's transaction", async () => {
    const saved = ok(
      await execute(
        server.url,
        CreateWorkflowDocument,
        { input: { name: 'nightly_audit', definition: { ...NOOP_DEFINITION, schedules: [{ name: 'nightly', cron: '0 2 * * *' }] } } },
        server.adminHeaders,
      ),
    ).createWorkflow;
    expect(saved.id).toBeDefined();
    const paused = ok(
      await execute(server.url, PauseScheduleDocument, { workflow: 'nightly_audit', name: 'nightly' }, server.adminHeaders),
    ).pauseSchedule;
    expect(paused.paused).toBe(true);
    ok(await execute(server.url, ResumeScheduleDocument, { workflow: 'nightly_audit', name: 'nightly' }, server.adminHeaders));
    expect(
      codeOf(
        await execute(server.url, PauseScheduleDocument, { workflow: 'nightly_audit', name: 'no such schedule' }, server.adminHeaders),
      ),
    ).toBe('NOT_FOUND');
    const records = (await auditLog({ filter: { operation: 'schedule.pause' }, first: 10 })).nodes.map((record) => [
      record.target?.id,
      record.outcome,
    ]);
    expect(records).toEqual([
      ['no such schedule', 'NOT_FOUND'],
      [expect.any(String), 'ok'],
    ]);
    expect((await auditLog({ filter: { operation: 'schedule.resume' }, first: 10 })).nodes.map((record) => record.outcome)).toEqual(['ok']);
  });

  it('pages newest first by cursor, filters by time, and shows a tenant only its own records', async () => {
    const from = new Date(clock.now().getTime() + 3600_000);
    clock.advance(2 * 3600_000);
    const emails = [uniqueEmail('page'), uniqueEmail('page'), uniqueEmail('page')];
    for (const email of emails)
      ok(
        await execute(
          server.url,
          CreateUserDocument,
          { input: { email, name: 'Paged', role: 'VIEWER', password: 'a-long-enough-password' } },
          server.adminHeaders,
        ),
      );

    const window = { operation: 'user.create', from: from.toISOString() };
    const first = await auditLog({ filter: window, first: 2 });
    expect(first.pageInfo.hasNextPage).toBe(true);
    const second = await auditLog({ filter: window, first: 2, after: first.pageInfo.endCursor });
    expect(second.pageInfo.hasNextPage).toBe(false);
    const ids = [...first.nodes, ...second.nodes].map((record) => Number(record.id));
    expect(ids).toHaveLength(3);
    expect([...ids].sort((a, b) => b - a)).toEqual(ids);
    expect(
      (await auditLog({ filter: { operation: 'user.create', to: from.toISOString() }, first: 100 })).nodes.some((record) =>
        ids.includes(Number(record.id)),
      ),
    ).toBe(false);

    const stranger = await createUserInDatabase(server.orm, 'admin');
    const strangerHeaders = bearer((await login(server.url, stranger.email, stranger.password)).token);
    const theirs = (await auditLog({ first: 100 }, strangerHeaders)).nodes;
    expect(theirs.map((record) => [record.operation, record.actor.id])).toEqual([['session.signIn', stranger.id]]);
    expect(codeOf(await execute(server.url, AuditLogDocument, { first: 0 }))).toBe('UNAUTHENTICATED');
  });

  it('is append-only: the database refuses UPDATE, DELETE and TRUNCATE', async () => {
    for (const statement of [`update audit_log set outcome = 'ok'`, 'delete from audit_log', 'truncate audit_log']) {
      await expect(sql(statement)).rejects.toThrow(/audit_log is append-only/);
    }
    expect((await sql('select count(*)::int as n from audit_log')).rows[0]?.n).toBeGreaterThan(0);
  });
});
