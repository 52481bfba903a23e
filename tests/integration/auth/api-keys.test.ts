import { createHash } from 'node:crypto';
import { ApiKeysDocument, CreateApiKeyDocument, MeDocument, RevokeApiKeyDocument, WorkflowsDocument } from '../../generated/graphql.js';
import { bearer, createUser, login } from '../../helpers/auth.js';
import { createTestDatabase, type TestDatabase } from '../../helpers/database.js';
import { execute } from '../../helpers/graphql.js';
import { startTestServer, type TestServer } from '../../helpers/server.js';

const KEY_FORMAT = /^sy_([0-9a-f]{12})_([A-Za-z0-9_-]{43})$/;

describe('API keys', () => {
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

  const codeOf = (response: { errors?: ReadonlyArray<{ extensions?: Record<string, unknown> }> }) =>
    response.errors?.[0]?.extensions?.['code'];
  const countKeys = async () =>
    Number((await server.orm.em.fork().getConnection().execute<{ n: string }[]>('select count(*) as n from api_keys'))[0]?.n);

  it('are shown once, stored as a hash, and work as Bearer or x-api-key with their own scope', async () => {
    const created = await execute(
      server.url,
      CreateApiKeyDocument,
      { name: 'crm sync', permissions: ['WORKFLOW_VIEW', 'WORKFLOW_EXECUTE'] },
      server.adminHeaders,
    );
    expect(created.errors).toBeUndefined();
    const { key, apiKey } = created.data?.createApiKey ?? { key: '', apiKey: undefined };
    const [, prefix, secret] = KEY_FORMAT.exec(key) ?? [];
    expect(prefix).toBeDefined();
    expect(apiKey).toMatchObject({
      name: 'crm sync',
      prefix: `sy_${prefix}_`,
      permissions: ['WORKFLOW_VIEW', 'WORKFLOW_EXECUTE'],
      tenant: { id: server.adminTenantId },
      revokedAt: null,
    });
    expect(apiKey?.createdBy).toMatch(/^user:/);

    // The database has the SHA-256 of the secret, never the key.
    const [row] = await server.orm.em
      .fork()
      .getConnection()
      .execute<Array<{ secret_hash: string; prefix: string }>>('select * from api_keys where id = ?', [apiKey?.id]);
    expect(row).toMatchObject({
      prefix,
      secret_hash: createHash('sha256')
        .update(secret ?? '')
        .digest('hex'),
    });
    expect(JSON.stringify(row)).not.toContain(secret);

    // Listing never shows the secret again.
    const listed = await execute(server.url, ApiKeysDocument, { tenant: null }, server.adminHeaders);
    expect(listed.data?.apiKeys.map((listedKey) => listedKey.id)).toContain(apiKey?.id);
    expect(JSON.stringify(listed)).not.toContain(secret);

    for (const headers of [bearer(key), { 'x-api-key': key }]) {
      const me = await execute(server.url, MeDocument, undefined, headers);
      expect(me.data?.me).toMatchObject({
        kind: 'API_KEY',
        id: apiKey?.id,
        name: 'crm sync',
        role: null,
        expiresAt: null,
        tenant: { id: server.adminTenantId },
      });
      expect((await execute(server.url, WorkflowsDocument, undefined, headers)).errors).toBeUndefined();
      // Its scope is its permissions, not its creator's.
      const forbidden = await execute(server.url, ApiKeysDocument, { tenant: null }, headers);
      expect(codeOf(forbidden)).toBe('FORBIDDEN');
    }
    const used = await execute(server.url, ApiKeysDocument, { tenant: null }, server.adminHeaders);
    expect(used.data?.apiKeys.find((listedKey) => listedKey.id === apiKey?.id)?.lastUsedAt).not.toBeNull();
  });

  it('stop working the moment they are revoked', async () => {
    const { key, apiKey } =
      (await execute(server.url, CreateApiKeyDocument, { name: 'short-lived', permissions: ['WORKFLOW_VIEW'] }, server.adminHeaders)).data
        ?.createApiKey ?? {};
    expect((await execute(server.url, MeDocument, undefined, bearer(key ?? ''))).data?.me.id).toBe(apiKey?.id);

    const revoked = await execute(server.url, RevokeApiKeyDocument, { id: apiKey?.id ?? '' }, server.adminHeaders);
    expect(revoked.data?.revokeApiKey.revokedAt).not.toBeNull();
    const again = await execute(server.url, RevokeApiKeyDocument, { id: apiKey?.id ?? '' }, server.adminHeaders);
    expect(again.data?.revokeApiKey.revokedAt).toBe(revoked.data?.revokeApiKey.revokedAt);

    const refused = await execute(server.url, MeDocument, undefined, bearer(key ?? ''));
    expect([refused.status, codeOf(refused)]).toEqual([401, 'UNAUTHENTICATED']);
  });

  it('refuses keys that are made up or tampered with', async () => {
    const { key } = (
      await execute(server.url, CreateApiKeyDocument, { name: 'tampered', permissions: ['WORKFLOW_VIEW'] }, server.adminHeaders)
    ).data?.createApiKey ?? { key: '' };
    const tampered = `${key.slice(0, -1)}${key.endsWith('A') ? 'B' : 'A'}`;
    for (const candidate of [tampered, 'sy_000000000000_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA', 'sy_short']) {
      const response = await execute(server.url, MeDocument, undefined, { 'x-api-key': candidate });
      expect([candidate, response.status, codeOf(response)]).toEqual([candidate, 401, 'UNAUTHENTICATED']);
    }
  });

  it('are made by admins only, and never with more than their maker has', async () => {
    const operator = await createUser(server.orm, 'operator', { tenantId: server.adminTenantId });
    const { token } = await login(server.url, operator.email, operator.password);
    const before = await countKeys();
    const byOperator = await execute(server.url, CreateApiKeyDocument, { name: 'mine', permissions: ['WORKFLOW_VIEW'] }, bearer(token));
    expect([byOperator.data, codeOf(byOperator)]).toEqual([null, 'FORBIDDEN']);

    // A key allowed to manage keys still cannot grant what it lacks.
    const manager =
      (
        await execute(
          server.url,
          CreateApiKeyDocument,
          { name: 'manager', permissions: ['APIKEY_MANAGE', 'WORKFLOW_VIEW'] },
          server.adminHeaders,
        )
      ).data?.createApiKey.key ?? '';
    const escalation = await execute(
      server.url,
      CreateApiKeyDocument,
      { name: 'escalated', permissions: ['WORKFLOW_DELETE'] },
      bearer(manager),
    );
    expect(codeOf(escalation)).toBe('FORBIDDEN');
    const allowed = await execute(server.url, CreateApiKeyDocument, { name: 'narrower', permissions: ['WORKFLOW_VIEW'] }, bearer(manager));
    expect(allowed.data?.createApiKey.apiKey.createdBy).toMatch(/^api-key:/);
    expect(await countKeys()).toBe(before + 2);

    const empty = await execute(server.url, CreateApiKeyDocument, { name: 'nothing', permissions: [] }, server.adminHeaders);
    expect(codeOf(empty)).toBe('BAD_USER_INPUT');
  });

  it('stay in their tenant: admins may make one for another tenant, nobody else may reach it', async () => {
    const partner = await createUser(server.orm, 'partner');
    const created = await execute(
      server.url,
      CreateApiKeyDocument,
      { name: 'partner portal', permissions: ['WORKFLOW_VIEW'], tenant: partner.tenantId },
      server.adminHeaders,
    );
    expect(created.data?.createApiKey.apiKey.tenant.id).toBe(partner.tenantId);
    const me = await execute(server.url, MeDocument, undefined, bearer(created.data?.createApiKey.key ?? ''));
    expect(me.data?.me.tenant.id).toBe(partner.tenantId);

    // Not among the admin's own tenant's keys; listed when the admin names the tenant.
    const own = await execute(server.url, ApiKeysDocument, { tenant: null }, server.adminHeaders);
    expect(own.data?.apiKeys.map((key) => key.id)).not.toContain(created.data?.createApiKey.apiKey.id);
    const theirs = await execute(server.url, ApiKeysDocument, { tenant: partner.tenantId }, server.adminHeaders);
    expect(theirs.data?.apiKeys.map((key) => key.id)).toEqual([created.data?.createApiKey.apiKey.id]);

    // A key that manages keys in one tenant reaches no other.
    const manager =
      (await execute(server.url, CreateApiKeyDocument, { name: 'manager 2', permissions: ['APIKEY_MANAGE'] }, server.adminHeaders)).data
        ?.createApiKey.key ?? '';
    const crossList = await execute(server.url, ApiKeysDocument, { tenant: partner.tenantId }, bearer(manager));
    expect(codeOf(crossList)).toBe('FORBIDDEN');
    const crossRevoke = await execute(
      server.url,
      RevokeApiKeyDocument,
      { id: created.data?.createApiKey.apiKey.id ?? '' },
      bearer(manager),
    );
    expect(codeOf(crossRevoke)).toBe('NOT_FOUND');
    const unknownTenant = await execute(
      server.url,
      CreateApiKeyDocument,
      { name: 'x', permissions: ['WORKFLOW_VIEW'], tenant: '00000000-0000-4000-8000-000000000000' },
      server.adminHeaders,
    );
    expect(codeOf(unknownTenant)).toBe('NOT_FOUND');
    const notAnId = await execute(server.url, RevokeApiKeyDocument, { id: 'nope' }, server.adminHeaders);
    expect(codeOf(notAnId)).toBe('BAD_USER_INPUT');
  });
});
