import { loadConfig } from '../../src/config.js';
import { createLogger } from '../../src/logger.js';
import { startSwitchyard } from '../../src/main.js';
import { createTestDatabase, type TestDatabase } from '../helpers/database.js';
import { testEnv } from '../helpers/env.js';
import { eventually } from '../helpers/eventually.js';
import { startTestServer, type TestServer } from '../helpers/server.js';
import { startTcpProxy, type TcpProxy } from '../helpers/tcp-proxy.js';

describe('health and readiness', () => {
  // The server reaches PostgreSQL through a proxy of this file's own: closing it takes the database away
  // from this server (cut connections, refused new ones) and harms no other test.
  let database: TestDatabase;
  let proxy: TcpProxy;
  let server: TestServer;

  beforeAll(async () => {
    database = await createTestDatabase();
    proxy = await startTcpProxy(database.url);
    server = await startTestServer({ databaseUrl: proxy.url, redisUrl: testEnv('redisUrl') });
  });
  afterAll(async () => {
    await server?.stop();
    await proxy?.close();
    await database?.drop();
  });

  const get = async (route: string) => {
    const response = await fetch(new URL(route, server.url));
    return { status: response.status, body: (await response.json()) as Record<string, unknown> };
  };

  it('is ready while the database and Redis answer', async () => {
    expect(await get('/healthz')).toEqual({ status: 200, body: { status: 'ok' } });
    // Ready once the worker's job queue runner has connected.
    await eventually(
      '/readyz',
      () => get('/readyz'),
      (response) => response.status === 200,
    );
    expect(await get('/readyz')).toEqual({
      status: 200,
      body: { status: 'ready', checks: { database: 'ok', pubsub: 'ok', worker: 'ok', dispatcher: 'ok', scheduler: 'ok' } },
    });
  });

  it('is not ready when the database is down, while the process stays healthy', async () => {
    await proxy.close();
    expect(await get('/readyz')).toEqual({
      status: 503,
      body: {
        status: 'not ready',
        checks: {
          database: 'unavailable',
          pubsub: 'ok',
          worker: expect.any(String),
          dispatcher: expect.any(String),
          scheduler: expect.any(String),
        },
      },
    });
    expect((await get('/healthz')).status).toBe(200);
  });
});

describe('health and readiness of a process without the api role', () => {
  it('serves /healthz and /readyz on HEALTH_PORT, with each role it runs', async () => {
    const database = await createTestDatabase();
    const config = loadConfig({
      HOST: '127.0.0.1',
      HEALTH_PORT: '0',
      NODE_ENV: 'test',
      SWITCHYARD_ROLES: 'worker,scheduler',
      SWITCHYARD_DEMO_DATA: 'false',
      SWITCHYARD_BUILT_IN_WORKFLOWS: 'none',
      DATABASE_URL: database.url,
      REDIS_URL: testEnv('redisUrl'),
      JWT_SECRET: 'x'.repeat(32),
      SWITCHYARD_ADMIN_PASSWORD: 'a long enough password',
    });
    const switchyard = await startSwitchyard(config, { logger: createLogger('silent') });
    try {
      expect(switchyard.url).toBeUndefined();
      const get = async (route: string) => {
        const response = await fetch(`http://127.0.0.1:${switchyard.healthPort}${route}`);
        return { status: response.status, body: (await response.json()) as Record<string, unknown> };
      };
      expect(await get('/healthz')).toEqual({ status: 200, body: { status: 'ok' } });
      // Ready once its job queue runner has connected.
      await eventually(
        '/readyz',
        () => get('/readyz'),
        (response) => response.status === 200,
      );
      expect(await get('/readyz')).toEqual({
        status: 200,
        body: { status: 'ready', checks: { database: 'ok', pubsub: 'ok', worker: 'ok', dispatcher: 'ok', scheduler: 'ok' } },
      });
    } finally {
      await switchyard.stop();
      await database.drop();
    }
  });
});
