import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { ensureDatabase } from '../../src/infra/database.js';
import { startEmbeddedPostgres, type EmbeddedPostgres } from '../../src/infra/embedded-postgres.js';
import { loadConfig } from '../../src/config.js';
import { createLogger } from '../../src/logger.js';
import { startSwitchyard } from '../../src/main.js';
import { createTestDatabase } from '../helpers/database.js';
import { testEnv } from '../helpers/env.js';
import { startTestServer, type TestServer } from '../helpers/server.js';

describe('health and readiness', () => {
  // A PostgreSQL of this file's own, so that stopping it harms no other test.
  let dataDir: string;
  let postgres: EmbeddedPostgres;
  let server: TestServer;

  beforeAll(async () => {
    dataDir = await mkdtemp(path.join(os.tmpdir(), 'switchyard-readyz-'));
    postgres = await startEmbeddedPostgres({ dataDir, settings: { fsync: 'off' } });
    const databaseUrl = await ensureDatabase(postgres.url, 'readyz');
    server = await startTestServer({ databaseUrl, redisUrl: testEnv('redisUrl'), migrate: true });
  });
  afterAll(async () => {
    await server?.stop();
    await postgres?.stop();
    await rm(dataDir, { recursive: true, force: true });
  });

  const get = async (route: string) => {
    const response = await fetch(new URL(route, server.url));
    return { status: response.status, body: (await response.json()) as Record<string, unknown> };
  };

  it('is ready while the database and Redis answer', async () => {
    expect(await get('/healthz')).toEqual({ status: 200, body: { status: 'ok' } });
    // Ready once the worker's job queue runner has connected.
    const deadline = Date.now() + 15_000;
    while ((await get('/readyz')).status !== 200 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 50));
    expect(await get('/readyz')).toEqual({
      status: 200,
      body: { status: 'ready', checks: { database: 'ok', pubsub: 'ok', worker: 'ok', dispatcher: 'ok', scheduler: 'ok' } },
    });
  });

  it('is not ready when the database is down, while the process stays healthy', async () => {
    await postgres.stop();
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
      const deadline = Date.now() + 15_000;
      while ((await get('/readyz')).status !== 200 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 50));
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
