import type { Client } from 'graphql-ws';
import {
  AcceptInvitationDocument,
  ChangePasswordDocument,
  CreateUserDocument,
  DomainOutboxEmailsDocument,
  ExecuteWorkflowDocument,
  LoginDocument,
  MeDocument,
  RequestPasswordResetDocument,
  ResetPasswordDocument,
  UpdateUserDocument,
  UsersDocument,
  WorkflowChangedDocument,
  WorkflowsDocument,
} from '../../generated/graphql.js';
import { NOOP_DEFINITION, bearer, createUser as createUserInDatabase, login, nextCloseCode } from '../../helpers/auth.js';
import { createTestDatabase, type TestDatabase } from '../../helpers/database.js';
import { createWsClient, execute, subscribe } from '../../helpers/graphql.js';
import { startTestServer, type TestServer } from '../../helpers/server.js';
import { codeOf, installManualClock, linkFromInbox, ok, tokenFromInbox, uniqueEmail, type ManualClock } from './support.js';

const PASSWORD = 'a-long-enough-password';
/** Where this deployment says people reach it: e-mailed links point there, not to the test server's port. */
const PUBLIC_URL = 'https://switchyard.example.com';

describe('users, roles, invitations and password resets', () => {
  let database: TestDatabase;
  let server: TestServer;
  let clock: ManualClock;

  beforeAll(async () => {
    database = await createTestDatabase();
    server = await startTestServer({ databaseUrl: database.url, env: { SWITCHYARD_PUBLIC_URL: PUBLIC_URL } });
    clock = installManualClock(server);
    await server.engine.workflows.save({ tenantId: server.adminTenantId, name: 'noop', definition: NOOP_DEFINITION });
  });
  afterAll(async () => {
    await server?.stop();
    await database?.drop();
  });

  const invite = async (role: 'VIEWER' | 'OPERATOR' | 'ADMIN' | 'PARTNER', headers = server.adminHeaders) => {
    const email = uniqueEmail(role.toLowerCase());
    const created = ok(await execute(server.url, CreateUserDocument, { input: { email, name: `A ${role}`, role } }, headers)).createUser;
    return { ...created, email };
  };
  const withPassword = async (role: 'VIEWER' | 'OPERATOR' | 'ADMIN' | 'PARTNER') => {
    const email = uniqueEmail(role.toLowerCase());
    const created = ok(
      await execute(server.url, CreateUserDocument, { input: { email, name: `A ${role}`, role, password: PASSWORD } }, server.adminHeaders),
    ).createUser;
    return { ...created, headers: bearer((await login(server.url, email, PASSWORD)).token) };
  };

  it('invite → accept → sign in: the role gives its permissions and nothing more', async () => {
    const invited = await invite('VIEWER');
    expect(invited).toMatchObject({ role: 'VIEWER', active: true, invitationPending: true });
    // No password yet: signing in is refused like a wrong password.
    expect(codeOf(await execute(server.url, LoginDocument, { email: invited.email, password: PASSWORD }))).toBe('UNAUTHENTICATED');

    // The invitation left through the outbox, a link to the console's page at the public URL; whoever
    // may read the outbox does not see its token.
    const link = await linkFromInbox(server, invited.email, 'user_invitation');
    expect(`${link.origin}${link.pathname}`).toBe(`${PUBLIC_URL}/accept-invitation`);
    const token = link.searchParams.get('token') ?? '';
    const listed = ok(
      await execute(server.url, DomainOutboxEmailsDocument, { template: 'user_invitation', to: invited.email }, server.adminHeaders),
    ).outboxEmails;
    expect(listed).toHaveLength(1);
    expect(listed[0]?.text).not.toContain(token);

    expect(codeOf(await execute(server.url, AcceptInvitationDocument, { token, password: 'too-short' }))).toBe('VALIDATION');
    expect(ok(await execute(server.url, AcceptInvitationDocument, { token, password: PASSWORD })).acceptInvitation).toEqual({
      id: invited.id,
      email: invited.email,
      invitationPending: false,
    });
    // Single use.
    expect(codeOf(await execute(server.url, AcceptInvitationDocument, { token, password: `${PASSWORD}-again` }))).toBe('BAD_USER_INPUT');

    const headers = bearer((await login(server.url, invited.email, PASSWORD)).token);
    const me = ok(await execute(server.url, MeDocument, undefined, headers)).me;
    expect(me.role).toBe('VIEWER');
    expect([...me.permissions].sort()).toEqual(['CRM_VIEW', 'EXECUTION_VIEW', 'WORKFLOW_VIEW']);
    expect(ok(await execute(server.url, WorkflowsDocument, undefined, headers)).workflows.nodes.map((node) => node.name)).toContain('noop');
    // A viewer cannot execute, nor manage users.
    expect(codeOf(await execute(server.url, ExecuteWorkflowDocument, { name: 'noop', context: {} }, headers))).toBe('FORBIDDEN');
    expect(codeOf(await execute(server.url, UsersDocument, undefined, headers))).toBe('FORBIDDEN');
    expect(
      codeOf(await execute(server.url, CreateUserDocument, { input: { email: uniqueEmail('x'), name: 'X', role: 'ADMIN' } }, headers)),
    ).toBe('FORBIDDEN');
  });

  it('a user made with a password signs in at once; an operator may execute', async () => {
    const operator = await withPassword('OPERATOR');
    expect(operator.invitationPending).toBe(false);
    const run = ok(await execute(server.url, ExecuteWorkflowDocument, { name: 'noop', context: {} }, operator.headers)).executeWorkflow;
    expect(run.execution.id).toBeDefined();
    expect(codeOf(await execute(server.url, UsersDocument, undefined, operator.headers))).toBe('FORBIDDEN');
  });

  it('refuses what is wrong with the input, each problem with its path, and a taken e-mail', async () => {
    const response = await execute(
      server.url,
      CreateUserDocument,
      { input: { email: 'not an e-mail', name: ' ', role: 'VIEWER', password: 'short' } },
      server.adminHeaders,
    );
    expect(codeOf(response)).toBe('VALIDATION');
    const issues = (response.errors?.[0]?.extensions?.['details'] as { issues: Array<{ path: string }> }).issues.map((issue) => issue.path);
    expect(issues).toEqual(['$.email', '$.name', '$.password']);
    const taken = await invite('VIEWER');
    expect(
      codeOf(
        await execute(
          server.url,
          CreateUserDocument,
          { input: { email: taken.email.toUpperCase(), name: 'Twin', role: 'VIEWER' } },
          server.adminHeaders,
        ),
      ),
    ).toBe('CONFLICT');
  });

  it("another tenant's admin sees nothing of this tenant and cannot change its users", async () => {
    const ours = await invite('OPERATOR');
    const stranger = await createUserInDatabase(server.orm, 'admin');
    const headers = bearer((await login(server.url, stranger.email, stranger.password)).token);
    const theirs = ok(await execute(server.url, UsersDocument, undefined, headers)).users;
    expect(theirs.map((user) => user.email)).toEqual([stranger.email]);
    expect(codeOf(await execute(server.url, UpdateUserDocument, { id: ours.id, input: { active: false } }, headers))).toBe('NOT_FOUND');
    expect(ok(await execute(server.url, WorkflowsDocument, undefined, headers)).workflows.nodes).toEqual([]);
    const ourUsers = ok(await execute(server.url, UsersDocument, undefined, server.adminHeaders)).users.map((user) => user.email);
    expect(ourUsers).toContain(ours.email);
    expect(ourUsers).not.toContain(stranger.email);
  });

  it('the last active admin of a tenant can be neither deactivated nor demoted', async () => {
    const admin = await createUserInDatabase(server.orm, 'admin');
    const headers = bearer((await login(server.url, admin.email, admin.password)).token);
    for (const input of [{ active: false }, { role: 'OPERATOR' as const }]) {
      const refused = await execute(server.url, UpdateUserDocument, { id: admin.id, input }, headers);
      expect({ code: codeOf(refused), details: refused.errors?.[0]?.extensions?.['details'] }).toEqual({
        code: 'INVALID_STATE',
        details: { reason: 'last_admin' },
      });
    }
    // With a second admin, the first may step down.
    const second = ok(
      await execute(server.url, CreateUserDocument, { input: { email: uniqueEmail('second'), name: 'Second', role: 'ADMIN' } }, headers),
    ).createUser;
    expect(ok(await execute(server.url, UpdateUserDocument, { id: admin.id, input: { role: 'OPERATOR' } }, headers)).updateUser.role).toBe(
      'OPERATOR',
    );
    expect(second.role).toBe('ADMIN');
  });

  it('two admins demoting each other at once: one of them stays admin', async () => {
    const first = await createUserInDatabase(server.orm, 'admin');
    const firstHeaders = bearer((await login(server.url, first.email, first.password)).token);
    const secondEmail = uniqueEmail('twin-admin');
    const second = ok(
      await execute(
        server.url,
        CreateUserDocument,
        { input: { email: secondEmail, name: 'Twin', role: 'ADMIN', password: PASSWORD } },
        firstHeaders,
      ),
    ).createUser;
    const secondHeaders = bearer((await login(server.url, secondEmail, PASSWORD)).token);
    const outcomes = await Promise.all([
      execute(server.url, UpdateUserDocument, { id: second.id, input: { role: 'VIEWER' } }, firstHeaders),
      execute(server.url, UpdateUserDocument, { id: first.id, input: { active: false } }, secondHeaders),
    ]);
    // One wins. The other is refused either by the last-admin rule (INVALID_STATE) or, when the winner's
    // change landed before its request was authorised, because its author is no longer an admin (FORBIDDEN).
    const codes = outcomes.map((outcome) => (outcome.errors ? codeOf(outcome) : 'ok'));
    expect(codes.filter((code) => code === 'ok')).toHaveLength(1);
    expect(codes.find((code) => code !== 'ok')).toMatch(/^(INVALID_STATE|FORBIDDEN)$/);
    const rows = await server.orm.em
      .fork()
      .getConnection()
      .execute<Array<{ n: number }>>(`select count(*)::int as n from users where tenant_id = ? and role = 'admin' and active`, [
        first.tenantId,
      ]);
    expect(rows[0]?.n).toBe(1);
  });

  it('deactivation and a new role take effect on tokens already issued and close the websockets', async () => {
    const operator = await withPassword('OPERATOR');
    const client: Client = createWsClient(server.wsUrl, operator.headers);
    try {
      const connected = new Promise<void>((resolve) => client.on('connected', () => resolve()));
      const closed = nextCloseCode(client);
      const events = subscribe(client, WorkflowChangedDocument);
      void events.next().catch(() => undefined);
      await connected;

      // A new role: the same token answers with the new role's permissions at once.
      ok(await execute(server.url, UpdateUserDocument, { id: operator.id, input: { role: 'VIEWER' } }, server.adminHeaders));
      expect(await closed).toBe(4403);
      expect(ok(await execute(server.url, MeDocument, undefined, operator.headers)).me.role).toBe('VIEWER');
      expect(codeOf(await execute(server.url, ExecuteWorkflowDocument, { name: 'noop', context: {} }, operator.headers))).toBe('FORBIDDEN');

      // Deactivated: the same token is refused.
      ok(await execute(server.url, UpdateUserDocument, { id: operator.id, input: { active: false } }, server.adminHeaders));
      const refused = await execute(server.url, MeDocument, undefined, operator.headers);
      expect({ status: refused.status, code: codeOf(refused) }).toEqual({ status: 401, code: 'UNAUTHENTICATED' });
    } finally {
      await client.dispose();
    }
  });

  it("a change made by another process (straight in the database) closes the user's websockets within the trust window", async () => {
    const viewer = await withPassword('VIEWER');
    const client: Client = createWsClient(server.wsUrl, viewer.headers);
    try {
      const connected = new Promise<void>((resolve) => client.on('connected', () => resolve()));
      const closed = nextCloseCode(client);
      void subscribe(client, WorkflowChangedDocument)
        .next()
        .catch(() => undefined);
      await connected;
      await server.orm.em.fork().getConnection().execute('update users set active = false where id = ?', [viewer.id]);
      // The periodic check of open sockets' accounts (one query for all of them) notices it.
      expect(await closed).toBe(4403);
    } finally {
      await client.dispose();
    }
  });

  it('password resets: the same answer for any e-mail; tokens expire and are single use', async () => {
    const user = await withPassword('VIEWER');
    const email =
      ok(await execute(server.url, UsersDocument, undefined, server.adminHeaders)).users.find((candidate) => candidate.id === user.id)
        ?.email ?? '';
    const known = await execute(server.url, RequestPasswordResetDocument, { email });
    const unknown = await execute(server.url, RequestPasswordResetDocument, { email: 'nobody@nowhere.test' });
    expect(known).toEqual(unknown);

    const link = await linkFromInbox(server, email, 'password_reset');
    expect(`${link.origin}${link.pathname}`).toBe(`${PUBLIC_URL}/reset-password`);
    const expired = link.searchParams.get('token') ?? '';
    clock.advance(61 * 60_000);
    expect(codeOf(await execute(server.url, ResetPasswordDocument, { token: expired, password: 'a-new-password-1' }))).toBe(
      'BAD_USER_INPUT',
    );

    ok(await execute(server.url, RequestPasswordResetDocument, { email }));
    const token = await tokenFromInbox(server, email, 'password_reset');
    expect(token).not.toBe(expired);
    clock.advance(59 * 60_000);
    expect(ok(await execute(server.url, ResetPasswordDocument, { token, password: 'a-new-password-1' })).resetPassword).toBe(true);
    expect(codeOf(await execute(server.url, ResetPasswordDocument, { token, password: 'a-new-password-2' }))).toBe('BAD_USER_INPUT');
    expect(codeOf(await execute(server.url, LoginDocument, { email, password: PASSWORD }))).toBe('UNAUTHENTICATED');
    await login(server.url, email, 'a-new-password-1');
  });

  it('changes your own password with the current one', async () => {
    const user = await withPassword('PARTNER');
    const email = (await execute(server.url, MeDocument, undefined, user.headers)).data?.me.name ?? '';
    expect(
      codeOf(
        await execute(
          server.url,
          ChangePasswordDocument,
          { currentPassword: 'wrong-password-x', newPassword: 'another-password-1' },
          user.headers,
        ),
      ),
    ).toBe('FORBIDDEN');
    expect(
      codeOf(await execute(server.url, ChangePasswordDocument, { currentPassword: PASSWORD, newPassword: 'short' }, user.headers)),
    ).toBe('VALIDATION');
    const changed = ok(
      await execute(server.url, ChangePasswordDocument, { currentPassword: PASSWORD, newPassword: 'another-password-1' }, user.headers),
    ).changePassword;
    expect(changed.token).toEqual(expect.any(String));
    expect(ok(await execute(server.url, MeDocument, undefined, bearer(changed.token))).me.name).toBe(email);
    expect(codeOf(await execute(server.url, LoginDocument, { email, password: PASSWORD }))).toBe('UNAUTHENTICATED');
    await login(server.url, email, 'another-password-1');
  });
});
