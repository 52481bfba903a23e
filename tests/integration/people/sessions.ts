import type { Client } from 'graphql-ws';
import {
  AuditLogDocument,
  ChangePasswordDocument,
  CreateApiKeyDocument,
  LoginDocument,
  MeDocument,
  RequestPasswordResetDocument,
  ResetPasswordDocument,
  WorkflowChangedDocument,
} from '../../generated/graphql.js';
import { bearer, createUser as createUserInDatabase, login, nextCloseCode } from '../../helpers/auth.js';
import { createTestDatabase, type TestDatabase } from '../../helpers/database.js';
import { createWsClient, execute, subscribe } from '../../helpers/graphql.js';
import { startTestServer, type TestServer } from '../../helpers/server.js';
import { codeOf, ok, tokenFromInbox, uniqueEmail } from './support.js';

describe('sessions: who is the platform admin, what a password reset ends, and what no tenant owns', () => {
  let database: TestDatabase;
  let server: TestServer;

  beforeAll(async () => {
    database = await createTestDatabase();
    server = await startTestServer({ databaseUrl: database.url });
  });
  afterAll(async () => {
    await server?.stop();
    await database?.drop();
  });

  const count = async (sql: string, params: unknown[]): Promise<number> =>
    (await server.orm.em.fork().getConnection().execute<Array<{ n: number }>>(sql, params))[0]?.n ?? 0;

  it("`me` says whether the viewer is the platform admin: the first-start admin is; another tenant's admin and an API key are not", async () => {
    expect(ok(await execute(server.url, MeDocument, undefined, server.adminHeaders)).me).toMatchObject({
      role: 'ADMIN',
      platformAdmin: true,
    });
    const tenantAdmin = await createUserInDatabase(server.orm, 'admin');
    const tenantAdminHeaders = bearer((await login(server.url, tenantAdmin.email, tenantAdmin.password)).token);
    expect(ok(await execute(server.url, MeDocument, undefined, tenantAdminHeaders)).me).toMatchObject({
      role: 'ADMIN',
      platformAdmin: false,
    });
    const key = ok(await execute(server.url, CreateApiKeyDocument, { name: 'reader', permissions: ['WORKFLOW_VIEW'] }, server.adminHeaders))
      .createApiKey.key;
    expect(ok(await execute(server.url, MeDocument, undefined, bearer(key))).me).toMatchObject({ kind: 'API_KEY', platformAdmin: false });
  });

  it("a password reset ends the user's sessions: tokens issued before it are refused and their websockets closed; the new password signs in", async () => {
    const user = await createUserInDatabase(server.orm, 'operator', { tenantId: server.adminTenantId });
    const before = bearer((await login(server.url, user.email, user.password)).token);
    const alsoBefore = bearer((await login(server.url, user.email, user.password)).token);
    expect(ok(await execute(server.url, MeDocument, undefined, before)).me.id).toBe(user.id);

    const client: Client = createWsClient(server.wsUrl, before);
    try {
      const connected = new Promise<void>((resolve) => client.on('connected', () => resolve()));
      const closed = nextCloseCode(client);
      void subscribe(client, WorkflowChangedDocument)
        .next()
        .catch(() => undefined);
      await connected;

      expect(ok(await execute(server.url, RequestPasswordResetDocument, { email: user.email })).requestPasswordReset).toBe(true);
      const token = await tokenFromInbox(server, user.email, 'password_reset');
      ok(await execute(server.url, ResetPasswordDocument, { token, password: 'a-brand-new-password' }));

      expect(await closed).toBe(4403);
    } finally {
      await client.dispose();
    }
    for (const headers of [before, alsoBefore])
      expect(codeOf(await execute(server.url, MeDocument, undefined, headers))).toBe('UNAUTHENTICATED');
    expect(codeOf(await execute(server.url, LoginDocument, { email: user.email, password: user.password }))).toBe('UNAUTHENTICATED');
    const after = bearer((await login(server.url, user.email, 'a-brand-new-password')).token);
    expect(ok(await execute(server.url, MeDocument, undefined, after)).me.id).toBe(user.id);
  });

  it("changing your password ends your other sessions (tokens refused, websockets closed); the answer's new token is this session's", async () => {
    const user = await createUserInDatabase(server.orm, 'viewer', { tenantId: server.adminTenantId });
    const changer = bearer((await login(server.url, user.email, user.password)).token);
    const elsewhere = bearer((await login(server.url, user.email, user.password)).token);

    const client: Client = createWsClient(server.wsUrl, elsewhere);
    let changed: { token: string };
    try {
      const connected = new Promise<void>((resolve) => client.on('connected', () => resolve()));
      const closed = nextCloseCode(client);
      void subscribe(client, WorkflowChangedDocument)
        .next()
        .catch(() => undefined);
      await connected;
      changed = ok(
        await execute(server.url, ChangePasswordDocument, { currentPassword: user.password, newPassword: 'my-own-new-password' }, changer),
      ).changePassword;
      expect(await closed).toBe(4403);
    } finally {
      await client.dispose();
    }
    for (const headers of [changer, elsewhere]) {
      const refused = await execute(server.url, MeDocument, undefined, headers);
      expect(codeOf(refused)).toBe('UNAUTHENTICATED');
      expect(refused.errors?.[0]?.message).toMatch(/password was changed or reset/);
    }
    expect(ok(await execute(server.url, MeDocument, undefined, bearer(changed.token))).me.id).toBe(user.id);
    expect(
      ok(await execute(server.url, MeDocument, undefined, bearer((await login(server.url, user.email, 'my-own-new-password')).token))).me
        .id,
    ).toBe(user.id);
  });

  it('a password change that rolls back ends no session, and its new token is refused', async () => {
    const user = await createUserInDatabase(server.orm, 'viewer', { tenantId: server.adminTenantId });
    const headers = bearer((await login(server.url, user.email, user.password)).token);
    // The audit record is the change's last write: refusing it rolls the change back.
    await server.orm.em.fork().getConnection()
      .execute(`create or replace function refuse_password_audit() returns trigger language plpgsql as $$
      begin if new.operation = 'user.changePassword' and new.outcome = 'ok' then raise exception 'refused by the test'; end if; return new; end $$`);
    await server.orm.em
      .fork()
      .getConnection()
      .execute('create trigger refuse_password_audit before insert on audit_log for each row execute function refuse_password_audit()');
    try {
      expect(
        codeOf(
          await execute(server.url, ChangePasswordDocument, { currentPassword: user.password, newPassword: 'never-committed-1' }, headers),
        ),
      ).toBe('INTERNAL_SERVER_ERROR');
    } finally {
      await server.orm.em.fork().getConnection().execute('drop trigger refuse_password_audit on audit_log');
    }
    expect(ok(await execute(server.url, MeDocument, undefined, headers)).me.id).toBe(user.id);
    expect(codeOf(await execute(server.url, LoginDocument, { email: user.email, password: 'never-committed-1' }))).toBe('UNAUTHENTICATED');
    await login(server.url, user.email, user.password);
  });

  it('requestPasswordReset answers an unknown e-mail as a known one, and writes nothing for it', async () => {
    const known = await createUserInDatabase(server.orm, 'viewer', { tenantId: server.adminTenantId });
    const unknown = uniqueEmail('nobody');
    const tokensBefore = await count('select count(*)::int as n from one_time_tokens', []);
    const knownAnswer = await execute(server.url, RequestPasswordResetDocument, { email: known.email });
    expect(await count('select count(*)::int as n from one_time_tokens', [])).toBe(tokensBefore + 1);
    const unknownAnswer = await execute(server.url, RequestPasswordResetDocument, { email: unknown });
    expect(unknownAnswer).toEqual(knownAnswer);
    expect(unknownAnswer.data).toEqual({ requestPasswordReset: true });
    expect(await count('select count(*)::int as n from one_time_tokens', [])).toBe(tokensBefore + 1);
    expect(await count(`select count(*)::int as n from outbox_messages where payload->>'to' = ?`, [unknown])).toBe(0);
  });

  it('the platform admin reads the sign-ins refused for unknown e-mails, which belong to no tenant; a tenant admin does not', async () => {
    const stranger = uniqueEmail('stranger');
    expect(codeOf(await execute(server.url, LoginDocument, { email: stranger, password: 'not-a-password' }))).toBe('UNAUTHENTICATED');

    const mine = ok(await execute(server.url, AuditLogDocument, { filter: { actor: stranger }, first: 10 }, server.adminHeaders)).auditLog
      .nodes;
    expect(mine.map((record) => [record.operation, record.actor.kind, record.actor.name, record.outcome])).toEqual([
      ['session.signIn', 'ANONYMOUS', stranger, 'UNAUTHENTICATED'],
    ]);
    // Still the platform admin's own tenant's records as well.
    expect(
      ok(await execute(server.url, AuditLogDocument, { filter: { operation: 'user.resetPassword' }, first: 10 }, server.adminHeaders))
        .auditLog.nodes,
    ).toHaveLength(1);

    const tenantAdmin = await createUserInDatabase(server.orm, 'admin');
    const theirs = ok(
      await execute(
        server.url,
        AuditLogDocument,
        { filter: { actor: stranger }, first: 10 },
        bearer((await login(server.url, tenantAdmin.email, tenantAdmin.password)).token),
      ),
    );
    expect(theirs.auditLog.nodes).toEqual([]);
  });
});
