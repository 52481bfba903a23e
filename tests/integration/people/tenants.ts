import {
  AcceptInvitationDocument,
  ApiKeysDocument,
  AuditLogDocument,
  CreateApiKeyDocument,
  CreateTenantDocument,
  CreateUserDocument,
  LoginDocument,
  MeDocument,
  TenantsDocument,
  UpdateTenantDocument,
  UsersDocument,
  WorkflowChangedDocument,
} from '../../generated/graphql.js';
import { bearer, createUser as createUserInDatabase, login, nextCloseCode } from '../../helpers/auth.js';
import { createTestDatabase, type TestDatabase } from '../../helpers/database.js';
import { createWsClient, execute, subscribe } from '../../helpers/graphql.js';
import { startTestServer, type TestServer } from '../../helpers/server.js';
import { codeOf, ok, tokenFromInbox, uniqueEmail } from './support.js';

const PASSWORD = 'a-long-enough-password';

describe('tenants, for the platform admin', () => {
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

  /** A tenant made over the API, its admin invited, accepted and signed in. */
  const newTenant = async (slug: string) => {
    const adminEmail = uniqueEmail(slug);
    const tenant = ok(
      await execute(server.url, CreateTenantDocument, { input: { slug, name: `Tenant ${slug}`, adminEmail } }, server.adminHeaders),
    ).createTenant;
    const token = await tokenFromInbox(server, adminEmail, 'user_invitation');
    ok(await execute(server.url, AcceptInvitationDocument, { token, password: PASSWORD }));
    return { tenant, adminEmail, headers: bearer((await login(server.url, adminEmail, PASSWORD)).token) };
  };

  it("creates a tenant whose invited admin manages that tenant only — not tenants, not another tenant's keys", async () => {
    const { tenant, adminEmail, headers } = await newTenant('acme');
    expect(tenant).toMatchObject({ slug: 'acme', suspended: false });
    const me = ok(await execute(server.url, MeDocument, undefined, headers)).me;
    expect(me).toMatchObject({ role: 'ADMIN', tenant: { id: tenant.id, slug: 'acme' } });
    expect(ok(await execute(server.url, UsersDocument, undefined, headers)).users.map((user) => user.email)).toEqual([adminEmail]);

    expect(codeOf(await execute(server.url, TenantsDocument, undefined, headers))).toBe('FORBIDDEN');
    expect(
      codeOf(
        await execute(
          server.url,
          CreateTenantDocument,
          { input: { slug: 'mine', name: 'Mine', adminEmail: uniqueEmail('mine') } },
          headers,
        ),
      ),
    ).toBe('FORBIDDEN');
    expect(codeOf(await execute(server.url, ApiKeysDocument, { tenant: server.adminTenantId }, headers))).toBe('FORBIDDEN');
    expect(
      codeOf(
        await execute(
          server.url,
          CreateApiKeyDocument,
          { name: 'reach', permissions: ['WORKFLOW_VIEW'], tenant: server.adminTenantId },
          headers,
        ),
      ),
    ).toBe('FORBIDDEN');

    const all = ok(await execute(server.url, TenantsDocument, undefined, server.adminHeaders)).tenants.map((row) => row.slug);
    expect(all).toEqual(expect.arrayContaining(['default', 'acme']));
    expect(
      codeOf(
        await execute(
          server.url,
          CreateTenantDocument,
          { input: { slug: 'acme', name: 'Again', adminEmail: uniqueEmail('again') } },
          server.adminHeaders,
        ),
      ),
    ).toBe('CONFLICT');
    expect(
      codeOf(
        await execute(
          server.url,
          CreateTenantDocument,
          { input: { slug: 'Not A Slug', name: 'x', adminEmail: uniqueEmail('x') } },
          server.adminHeaders,
        ),
      ),
    ).toBe('VALIDATION');
  });

  it("the platform admin adds a user to another tenant, recorded in that tenant's audit log; nobody else may name another tenant", async () => {
    const { tenant, headers } = await newTenant('added-to');
    const email = uniqueEmail('added');
    const added = ok(
      await execute(
        server.url,
        CreateUserDocument,
        { input: { email, name: 'Added', role: 'OPERATOR', tenant: tenant.id } },
        server.adminHeaders,
      ),
    ).createUser;
    expect(added).toMatchObject({ email, role: 'OPERATOR', invitationPending: true });
    expect(ok(await execute(server.url, UsersDocument, undefined, headers)).users.map((user) => user.email)).toContain(email);
    const records = ok(await execute(server.url, AuditLogDocument, { filter: { operation: 'user.create' }, first: 10 }, headers)).auditLog
      .nodes;
    expect(records.map((record) => [record.actor.name, record.target?.id, record.outcome, record.tenantId])).toEqual([
      ['admin@switchyard.local', added.id, 'ok', tenant.id],
    ]);
    // The platform admin reads that tenant's log too; its admin may not read the platform admin's.
    const theirs = ok(
      await execute(
        server.url,
        AuditLogDocument,
        { filter: { operation: 'user.create', tenant: tenant.id }, first: 10 },
        server.adminHeaders,
      ),
    ).auditLog.nodes;
    expect(theirs.map((record) => [record.target?.id, record.tenantId])).toEqual([[added.id, tenant.id]]);
    expect(codeOf(await execute(server.url, AuditLogDocument, { filter: { tenant: server.adminTenantId } }, headers))).toBe('FORBIDDEN');

    // A tenant's admin names only their own tenant; an unknown tenant is NOT_FOUND.
    expect(
      codeOf(
        await execute(
          server.url,
          CreateUserDocument,
          { input: { email: uniqueEmail('x'), name: 'X', role: 'VIEWER', tenant: server.adminTenantId } },
          headers,
        ),
      ),
    ).toBe('FORBIDDEN');
    ok(
      await execute(
        server.url,
        CreateUserDocument,
        { input: { email: uniqueEmail('own'), name: 'Own', role: 'VIEWER', tenant: tenant.id } },
        headers,
      ),
    );
    expect(
      codeOf(
        await execute(
          server.url,
          CreateUserDocument,
          { input: { email: uniqueEmail('y'), name: 'Y', role: 'VIEWER', tenant: '00000000-0000-4000-8000-000000000000' } },
          server.adminHeaders,
        ),
      ),
    ).toBe('NOT_FOUND');
  });

  it('suspending a tenant refuses its users and API keys with TENANT_SUSPENDED, tokens and sockets included, until lifted', async () => {
    const { tenant, adminEmail, headers } = await newTenant('suspended-co');
    const key = ok(await execute(server.url, CreateApiKeyDocument, { name: 'integration', permissions: ['WORKFLOW_VIEW'] }, headers))
      .createApiKey.key;
    const client = createWsClient(server.wsUrl, headers);
    try {
      const connected = new Promise<void>((resolve) => client.on('connected', () => resolve()));
      const closed = nextCloseCode(client);
      void subscribe(client, WorkflowChangedDocument)
        .next()
        .catch(() => undefined);
      await connected;

      expect(
        ok(await execute(server.url, UpdateTenantDocument, { id: tenant.id, input: { suspended: true } }, server.adminHeaders)).updateTenant
          .suspended,
      ).toBe(true);
      expect(await closed).toBe(4403);
      for (const credential of [headers, bearer(key)]) {
        const refused = await execute(server.url, MeDocument, undefined, credential);
        expect({ status: refused.status, code: codeOf(refused) }).toEqual({ status: 403, code: 'TENANT_SUSPENDED' });
      }
      // A wrong password is still just wrong; the right one learns of the suspension.
      expect(codeOf(await execute(server.url, LoginDocument, { email: adminEmail, password: 'not-the-password' }))).toBe('UNAUTHENTICATED');
      expect(codeOf(await execute(server.url, LoginDocument, { email: adminEmail, password: PASSWORD }))).toBe('TENANT_SUSPENDED');
      const signIns = await server.orm.em
        .fork()
        .getConnection()
        .execute<Array<{ outcome: string }>>(
          `select outcome from audit_log where tenant_id = ? and operation = 'session.signIn' order by id desc limit 2`,
          [tenant.id],
        );
      expect(signIns.map((row) => row.outcome)).toEqual(['TENANT_SUSPENDED', 'UNAUTHENTICATED']);

      ok(
        await execute(
          server.url,
          UpdateTenantDocument,
          { id: tenant.id, input: { suspended: false, name: 'Back again' } },
          server.adminHeaders,
        ),
      );
      expect(ok(await execute(server.url, MeDocument, undefined, headers)).me.tenant.name).toBe('Back again');
      expect(ok(await execute(server.url, MeDocument, undefined, bearer(key))).me.tenant.id).toBe(tenant.id);
    } finally {
      await client.dispose();
    }
  });

  it("the platform admin's own tenant cannot be suspended, and only the platform admin is one", async () => {
    const refused = await execute(
      server.url,
      UpdateTenantDocument,
      { id: server.adminTenantId, input: { suspended: true } },
      server.adminHeaders,
    );
    expect(codeOf(refused)).toBe('INVALID_STATE');
    // Another admin of the platform's own tenant administers it, but not the tenants.
    const second = await createUserInDatabase(server.orm, 'admin', { tenantId: server.adminTenantId });
    const headers = bearer((await login(server.url, second.email, second.password)).token);
    expect(codeOf(await execute(server.url, TenantsDocument, undefined, headers))).toBe('FORBIDDEN');
  });
});
