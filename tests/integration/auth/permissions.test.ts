import 'reflect-metadata';
import { isObjectType } from 'graphql';
import { getMetadataStorage } from 'type-graphql';
import { PERMISSIONS, PUBLIC_OPERATIONS, ROLE_PERMISSIONS } from '../../../src/auth/permissions.js';
import { buildSwitchyardSchema } from '../../../src/resolvers/build-schema.js';
import {
  ApiKeysDocument,
  CreateApiKeyDocument,
  MeDocument,
  RevokeApiKeyDocument,
  WorkflowByNameDocument,
  WorkflowsDocument,
} from '../../generated/graphql.js';
import { NOOP_DEFINITION, bearer, createUser, login } from '../../helpers/auth.js';
import { createTestDatabase, type TestDatabase } from '../../helpers/database.js';
import { execute, type GraphQLResponse } from '../../helpers/graphql.js';
import { startTestServer, type TestServer } from '../../helpers/server.js';

type Outcome = 'ok' | 'FORBIDDEN' | 'UNAUTHENTICATED';
type Caller = 'anonymous' | 'admin' | 'operator' | 'viewer' | 'partner';

/** Written out by hand, not derived from ROLE_PERMISSIONS: the test must be able to disagree with it. */
const MATRIX: Record<string, Record<Caller, Outcome>> = {
  me: { anonymous: 'UNAUTHENTICATED', admin: 'ok', operator: 'ok', viewer: 'ok', partner: 'ok' },
  workflows: { anonymous: 'UNAUTHENTICATED', admin: 'ok', operator: 'ok', viewer: 'ok', partner: 'ok' },
  workflow: { anonymous: 'UNAUTHENTICATED', admin: 'ok', operator: 'ok', viewer: 'ok', partner: 'ok' },
  apiKeys: { anonymous: 'UNAUTHENTICATED', admin: 'ok', operator: 'FORBIDDEN', viewer: 'FORBIDDEN', partner: 'FORBIDDEN' },
  createApiKey: { anonymous: 'UNAUTHENTICATED', admin: 'ok', operator: 'FORBIDDEN', viewer: 'FORBIDDEN', partner: 'FORBIDDEN' },
  revokeApiKey: { anonymous: 'UNAUTHENTICATED', admin: 'ok', operator: 'FORBIDDEN', viewer: 'FORBIDDEN', partner: 'FORBIDDEN' },
};

describe('who may do what', () => {
  let database: TestDatabase;
  let server: TestServer;
  const headers = {} as Record<Caller, Record<string, string>>;
  let victimKeyId: string;

  beforeAll(async () => {
    database = await createTestDatabase();
    server = await startTestServer({ databaseUrl: database.url });
    headers.anonymous = {};
    headers.admin = server.adminHeaders;
    for (const role of ['operator', 'viewer', 'partner'] as const) {
      const user = await createUser(server.orm, role, { tenantId: server.adminTenantId });
      headers[role] = bearer((await login(server.url, user.email, user.password)).token);
    }
    await server.engine.workflows.save({ tenantId: server.adminTenantId, name: 'matrix', definition: NOOP_DEFINITION });
    const created = await execute(
      server.url,
      CreateApiKeyDocument,
      { name: 'victim', permissions: ['WORKFLOW_VIEW'] },
      server.adminHeaders,
    );
    victimKeyId = created.data?.createApiKey.apiKey.id ?? '';
  });
  afterAll(async () => {
    await server?.stop();
    await database?.drop();
  });

  const run = (operation: string, callerHeaders: Record<string, string>): Promise<GraphQLResponse<unknown>> => {
    switch (operation) {
      case 'me':
        return execute(server.url, MeDocument, undefined, callerHeaders);
      case 'workflows':
        return execute(server.url, WorkflowsDocument, undefined, callerHeaders);
      case 'workflow':
        return execute(server.url, WorkflowByNameDocument, { name: 'matrix' }, callerHeaders);
      case 'apiKeys':
        return execute(server.url, ApiKeysDocument, { tenant: null }, callerHeaders);
      case 'createApiKey':
        return execute(server.url, CreateApiKeyDocument, { name: 'from the matrix', permissions: ['WORKFLOW_VIEW'] }, callerHeaders);
      case 'revokeApiKey':
        return execute(server.url, RevokeApiKeyDocument, { id: victimKeyId }, callerHeaders);
      default:
        throw new Error(`no operation ${operation} in the matrix`);
    }
  };

  const keyRows = async () =>
    server.orm.em
      .fork()
      .getConnection()
      .execute<Array<{ id: string; revoked_at: Date | null }>>('select id, revoked_at from api_keys order by id');

  it.each(
    Object.keys(MATRIX).flatMap((operation) =>
      (Object.keys(MATRIX[operation] ?? {}) as Caller[]).map((caller) => [operation, caller] as const),
    ),
  )('%s as %s', async (operation, caller) => {
    const expected = MATRIX[operation]?.[caller];
    const before = await keyRows();
    const response = await run(operation, headers[caller]);
    if (expected === 'ok') {
      expect(response.errors).toBeUndefined();
      return;
    }
    expect({ data: response.data, code: response.errors?.[0]?.extensions?.['code'] }).toEqual({ data: null, code: expected });
    // A refused mutation wrote nothing.
    expect(await keyRows()).toEqual(before);
  });

  it('gives the roles the permissions the issue names', () => {
    const sorted = (role: keyof typeof ROLE_PERMISSIONS) => [...ROLE_PERMISSIONS[role]].sort();
    expect(sorted('admin')).toEqual([...PERMISSIONS].sort());
    expect(sorted('operator')).toEqual(
      [
        'crm:manage',
        'crm:view',
        'event:publish',
        'execution:cancel',
        'execution:pause',
        'execution:retry',
        'execution:view',
        'schedule:manage',
        'workflow:execute',
        'workflow:view',
      ].sort(),
    );
    expect(sorted('viewer')).toEqual(['crm:view', 'execution:view', 'workflow:view']);
    expect(sorted('partner')).toEqual(['execution:view', 'workflow:execute', 'workflow:view']);
  });

  it('guards every root field with @Requires unless it is public (deny by default)', async () => {
    const schema = await buildSwitchyardSchema();
    const storage = getMetadataStorage();
    const declared = [...storage.queries, ...storage.mutations, ...storage.subscriptions];
    const unguarded: string[] = [];
    for (const root of [schema.getQueryType(), schema.getMutationType(), schema.getSubscriptionType()]) {
      if (!root || !isObjectType(root)) continue;
      for (const field of Object.keys(root.getFields())) {
        const metadata = declared.find((candidate) => candidate.schemaName === field);
        if (!PUBLIC_OPERATIONS.has(field) && !metadata?.roles) unguarded.push(`${root.name}.${field}`);
      }
    }
    expect(unguarded).toEqual([]);
  });
});
