import { WorkflowChangedDocument } from '../generated/graphql.js';
import { NOOP_DEFINITION } from '../helpers/auth.js';
import { createTestDatabase, type TestDatabase } from '../helpers/database.js';
import { testEnv } from '../helpers/env.js';
import { produceUntilDelivered } from '../helpers/eventually.js';
import { createWsClient, nextWithin, subscribe } from '../helpers/graphql.js';
import { startTestServer, type TestServer } from '../helpers/server.js';

describe('subscriptions across server instances', () => {
  let database: TestDatabase;
  let instanceA: TestServer;
  let instanceB: TestServer;

  beforeAll(async () => {
    database = await createTestDatabase();
    const redisUrl = testEnv('redisUrl');
    [instanceA, instanceB] = await Promise.all([
      startTestServer({ databaseUrl: database.url, redisUrl }),
      startTestServer({ databaseUrl: database.url, redisUrl }),
    ]);
  });
  afterAll(async () => {
    await Promise.all([instanceA?.stop(), instanceB?.stop()]);
    await database?.drop();
  });

  it('delivers to a subscriber on A what B publishes, through Redis', async () => {
    expect(instanceA.port).not.toBe(instanceB.port);
    // Events reach subscribers of their own tenant only: save in the signed-in admin's.
    const tenant = { id: instanceB.adminTenantId };
    const client = createWsClient(instanceA.wsUrl, { authorization: `Bearer ${instanceA.adminToken}` });
    const events = subscribe(client, WorkflowChangedDocument);
    try {
      // The subscription is live once the server has sent SUBSCRIBE to Redis; until the first event
      // arrives we cannot know that moment, so B saves new workflows until A reports one of them.
      const saved: string[] = [];
      const result = await produceUntilDelivered('a change saved on B delivered on A', nextWithin(events), async (round) => {
        const name = `fanout_${round}`;
        await instanceB.engine.workflows.save({ tenantId: tenant.id, name, definition: NOOP_DEFINITION });
        saved.push(name);
      });
      expect(result.errors).toBeUndefined();
      expect(result.data?.workflowChanged).toMatchObject({ change: 'CREATED', version: 1 });
      expect(saved).toContain(result.data?.workflowChanged.name);

      // Now live: the next save on B arrives on A, exactly that one.
      await instanceB.engine.workflows.save({ tenantId: tenant.id, name: 'after_live', definition: NOOP_DEFINITION });
      let next = await nextWithin(events);
      while (next.data?.workflowChanged.name !== 'after_live') next = await nextWithin(events);
      expect(next.data.workflowChanged).toMatchObject({ name: 'after_live', change: 'CREATED' });
    } finally {
      await events.return?.();
      await client.dispose();
    }
  });
});
