import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { ensureDatabase } from '../../src/infra/database.js';
import { startEmbeddedPostgres, type EmbeddedPostgres } from '../../src/infra/embedded-postgres.js';
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
    server = await startTestServer({ databaseUrl, redisUrl: testEnv('redisUrl') });
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
    expect(await get('/readyz')).toEqual({ status: 200, body: { status: 'ready', checks: { database: 'ok', pubsub: 'ok', worker: 'ok' } } });
  });

  it('is not ready when the database is down, while the process stays healthy', async () => {
    await postgres.stop();
    expect(await get('/readyz')).toEqual({ status: 503, body: { status: 'not ready', checks: { database: 'unavailable', pubsub: 'ok', worker: expect.any(String) } } });
    expect((await get('/healthz')).status).toBe(200);
  });
});
