import { CreateApiKeyDocument, MeDocument, RevokeApiKeyDocument, WorkflowChangedDocument } from '../../generated/graphql.js';
import { NOOP_DEFINITION, bearer, createUser, nextCloseCode, signToken } from '../../helpers/auth.js';
import { createTestDatabase, type TestDatabase } from '../../helpers/database.js';
import { eventually, produceUntilDelivered } from '../../helpers/eventually.js';
import { manualExpiryAlarm } from '../../helpers/expiry-alarm.js';
import { createWsClient, execute, nextWithin, subscribe } from '../../helpers/graphql.js';
import { startTestServer, type TestServer } from '../../helpers/server.js';

describe('graphql-ws authentication', () => {
  let database: TestDatabase;
  let server: TestServer;
  /** Closes sockets at their token's expiry when the test sets it off, never by itself. */
  const alarm = manualExpiryAlarm();

  beforeAll(async () => {
    database = await createTestDatabase();
    server = await startTestServer({ databaseUrl: database.url, tokenExpiryAlarm: alarm });
  });
  afterAll(async () => {
    await server?.stop();
    await database?.drop();
  });

  /** A token of the bootstrapped admin that expires at `expiry`. */
  const adminTokenUntil = async (expiry: Date) => {
    const [admin] = await server.orm.em
      .fork()
      .getConnection()
      .execute<Array<{ id: string }>>('select id from users where tenant_id = ?', [server.adminTenantId]);
    return signToken({ sub: admin?.id ?? '', tid: server.adminTenantId }, { expiresAt: expiry });
  };

  /** Subscribes and reports how the socket ends. */
  const closedWhenSubscribing = async (connectionParams: Record<string, unknown> | undefined) => {
    const client = createWsClient(server.wsUrl, connectionParams);
    const closed = nextCloseCode(client);
    const events = subscribe(client, WorkflowChangedDocument);
    await expect(events.next()).rejects.toBeDefined();
    const code = await closed;
    await client.dispose();
    return code;
  };

  it('closes with 4403 a connection_init without a valid credential', async () => {
    const viewer = await createUser(server.orm, 'viewer');
    expect(await closedWhenSubscribing(undefined)).toBe(4403);
    expect(await closedWhenSubscribing({})).toBe(4403);
    expect(await closedWhenSubscribing({ authorization: 'Bearer not-a-token' })).toBe(4403);
    expect(
      await closedWhenSubscribing({
        authorization: `Bearer ${await signToken({ sub: viewer.id, tid: viewer.tenantId }, { secret: 'x'.repeat(40) })}`,
      }),
    ).toBe(4403);
    expect(
      await closedWhenSubscribing({
        authorization: `Bearer ${await signToken({ sub: viewer.id, tid: viewer.tenantId }, { expiresAt: new Date(Date.now() - 1000) })}`,
      }),
    ).toBe(4403);
    expect(await closedWhenSubscribing({ 'x-api-key': 'sy_000000000000_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA' })).toBe(4403);
  });

  it('accepts a token or an API key in the connection_init payload, as Authorization or x-api-key', async () => {
    const key =
      (await execute(server.url, CreateApiKeyDocument, { name: 'ws', permissions: ['WORKFLOW_VIEW'] }, server.adminHeaders)).data
        ?.createApiKey.key ?? '';
    for (const params of [{ Authorization: `Bearer ${server.adminToken}` }, bearer(key), { 'x-api-key': key }]) {
      const client = createWsClient(server.wsUrl, params);
      try {
        const me = subscribe(client, MeDocument);
        const result = await nextWithin(me);
        expect(result.errors).toBeUndefined();
        expect(result.data?.me.tenant.id).toBe(server.adminTenantId);
      } finally {
        await client.dispose();
      }
    }
  });

  it('checks each subscription: a key without workflow:view is FORBIDDEN, a revoked key is closed out', async () => {
    const created = (
      await execute(server.url, CreateApiKeyDocument, { name: 'no view', permissions: ['EVENT_PUBLISH'] }, server.adminHeaders)
    ).data?.createApiKey;
    const client = createWsClient(server.wsUrl, bearer(created?.key ?? ''));
    try {
      const forbidden = await nextWithin(subscribe(client, WorkflowChangedDocument));
      // graphql-js answers a refused subscribe with errors and no data at all.
      expect([forbidden.data ?? null, forbidden.errors?.[0]?.extensions?.['code']]).toEqual([null, 'FORBIDDEN']);

      // Revoked while connected: the next operation finds out and the socket is closed.
      await execute(server.url, RevokeApiKeyDocument, { id: created?.apiKey.id ?? '' }, server.adminHeaders);
      const closed = nextCloseCode(client);
      await expect(subscribe(client, MeDocument).next()).rejects.toBeDefined();
      expect(await closed).toBe(4403);
    } finally {
      await client.dispose();
    }
  });

  it('closes the socket with 4403 when its token expires, and not before', async () => {
    // A JWT's expiry is in whole seconds; the alarm is set for exactly that second.
    const expiry = new Date((Math.floor(Date.now() / 1000) + 3_600) * 1000);
    const token = await adminTokenUntil(expiry);
    const client = createWsClient(server.wsUrl, bearer(token));
    const closed = nextCloseCode(client);
    const events = subscribe(client, WorkflowChangedDocument);
    try {
      // Live and delivering until then (changes are saved until the subscription, set up meanwhile, sees one).
      const first = await produceUntilDelivered('a workflow change delivered over the socket', nextWithin(events), (round) =>
        server.engine.workflows.save({ tenantId: server.adminTenantId, name: `before_expiry_${round}`, definition: NOOP_DEFINITION }),
      );
      expect(first.data?.workflowChanged.name).toMatch(/^before_expiry_/);
      expect(alarm.pending()).toContainEqual(expiry);

      expect(alarm.ring(expiry)).toBe(1);
      expect(await closed).toBe(4403);
    } finally {
      await events.return?.();
      await client.dispose();
    }
  });

  it('cancels the expiry of a socket that closes first', async () => {
    const expiry = new Date((Math.floor(Date.now() / 1000) + 7_200) * 1000);
    const token = await adminTokenUntil(expiry);
    const client = createWsClient(server.wsUrl, bearer(token));
    try {
      expect((await nextWithin(subscribe(client, MeDocument))).errors).toBeUndefined();
      expect(alarm.pending()).toContainEqual(expiry);
    } finally {
      await client.dispose();
    }
    await eventually(
      "the closed socket's expiry alarm",
      () => Promise.resolve(alarm.pending()),
      (pending) => !pending.some((at) => at.getTime() === expiry.getTime()),
    );
  });
});
