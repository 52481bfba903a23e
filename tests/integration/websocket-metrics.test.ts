import { ExecutionProgressDocument } from '../generated/graphql.js';
import { createTestDatabase, type TestDatabase } from '../helpers/database.js';
import { eventually } from '../helpers/eventually.js';
import { createWsClient, nextWithin, subscribe } from '../helpers/graphql.js';
import { startTestServer, type TestServer } from '../helpers/server.js';

/** Issue 14: the gauges of open websocket connections and of the subscriptions running on them. */
describe('websocket metrics', () => {
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

  const gauges = async () => {
    const text = await (await fetch(new URL('/metrics', server.url))).text();
    const value = (name: string) => {
      const line = text.split('\n').find((each) => each.startsWith(`${name} `));
      return line === undefined ? undefined : Number(line.slice(name.length + 1));
    };
    return { connections: value('switchyard_websocket_connections'), subscriptions: value('switchyard_subscriptions') };
  };

  it('counts open connections and subscriptions, and forgets them when they end', async () => {
    expect(await gauges()).toEqual({ connections: 0, subscriptions: 0 });
    const tenantId = server.adminTenantId;
    await server.engine.workflows.save({
      tenantId,
      name: 'watched',
      definition: { steps: [{ name: 'hold', type: 'wait', event: { name: 'watched.released', match: 'true', timeoutSeconds: 600 } }] },
    });
    const { executionId } = await server.engine.start({ tenantId, workflow: 'watched' });

    // Two sockets: the first runs two subscriptions, the second one.
    const clients = [0, 1].map(() => createWsClient(server.wsUrl, { authorization: `Bearer ${server.adminToken}` }));
    const [first, second] = clients as [(typeof clients)[0], (typeof clients)[0]];
    const streams = [first, first, second].map((client) => subscribe(client, ExecutionProgressDocument, { executionId }));
    try {
      // Each subscriber has the run's log so far: its subscription is registered on the server.
      for (const stream of streams) expect((await nextWithin(stream)).data?.executionProgress.executionId).toBe(executionId);
      expect(await gauges()).toEqual({ connections: 2, subscriptions: 3 });

      // One subscription of the first socket completes (the socket stays); the second socket closes.
      await streams[0]?.return?.();
      expect(await eventually('a subscription completed', gauges, (now) => now.subscriptions === 2)).toEqual({
        connections: 2,
        subscriptions: 2,
      });
      await second.dispose();
      expect(await eventually('a socket closed', gauges, (now) => now.connections === 1)).toEqual({ connections: 1, subscriptions: 1 });
    } finally {
      for (const client of clients) await client.dispose();
    }
    expect(await eventually('no socket left', gauges, (now) => now.connections === 0)).toEqual({ connections: 0, subscriptions: 0 });
  });
});
