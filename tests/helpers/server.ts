import type { ExpiryAlarm } from '../../src/auth/ws-guard.js';
import { loadConfig } from '../../src/config.js';
import type { Clock } from '../../src/engine/ports.js';
import { createLogger } from '../../src/logger.js';
import type { PushTimer } from '../../src/resolvers/workflow-stats-feed.js';
import { startSwitchyard, type Switchyard } from '../../src/main.js';
import { createTestDatabase, type TestDatabase } from './database.js';
import { TEST_ADMIN_EMAIL, TEST_ADMIN_PASSWORD, TEST_JWT_SECRET, bearer, login } from './auth.js';

export interface TestServer extends Switchyard {
  readonly url: string;
  readonly wsUrl: string;
  /** The bootstrapped admin's token (role admin, tenant `default`), and headers that carry it. */
  readonly adminToken: string;
  readonly adminHeaders: Record<string, string>;
  readonly adminTenantId: string;
}

export interface TestServerOptions {
  databaseUrl: string;
  redisUrl?: string;
  env?: Record<string, string>;
  clock?: Clock;
  statsTimer?: PushTimer;
  tokenExpiryAlarm?: ExpiryAlarm;
  progressIdlePollMs?: number | undefined;
  migrate?: boolean;
}

/** A real Switchyard on an ephemeral loopback port against the given database (and Redis, if given). */
export async function startTestServer(options: TestServerOptions): Promise<TestServer> {
  const config = loadConfig({
    HOST: '127.0.0.1',
    PORT: '0',
    NODE_ENV: 'test',
    // Tests build the data they need; e2e tests of the built-in workflows turn demo data on.
    SWITCHYARD_DEMO_DATA: 'false',
    SWITCHYARD_BUILT_IN_WORKFLOWS: 'none',
    DATABASE_URL: options.databaseUrl,
    DATABASE_POOL_SIZE: '5',
    SHUTDOWN_GRACE_SECONDS: '1',
    JWT_SECRET: TEST_JWT_SECRET,
    SWITCHYARD_ADMIN_EMAIL: TEST_ADMIN_EMAIL,
    SWITCHYARD_ADMIN_PASSWORD: TEST_ADMIN_PASSWORD,
    // Tests make requests in bursts; the rate-limit test sets its own.
    RATE_LIMIT_PER_MINUTE: '100000',
    RATE_LIMIT_BURST: '10000',
    ...(options.redisUrl ? { REDIS_URL: options.redisUrl } : {}),
    ...options.env,
  });
  const switchyard = await startSwitchyard(config, {
    logger: createLogger(process.env['TEST_LOG_LEVEL'] === 'debug' ? 'debug' : 'silent'),
    ...(options.clock ? { clock: options.clock } : {}),
    ...(options.statsTimer ? { statsTimer: options.statsTimer } : {}),
    ...(options.tokenExpiryAlarm ? { tokenExpiryAlarm: options.tokenExpiryAlarm } : {}),
    progressIdlePollMs: options.progressIdlePollMs,
    // Databases from createTestDatabase are clones of a template the global setup migrated once.
    migrate: options.migrate ?? false,
  });
  const url = switchyard.url;
  if (!url) throw new Error('the test server has no api role');
  const admin = await login(url, TEST_ADMIN_EMAIL, TEST_ADMIN_PASSWORD).catch(async (error: unknown) => {
    await switchyard.stop();
    throw error;
  });
  return Object.assign(Object.create(null) as object, switchyard, {
    url,
    wsUrl: url.replace(/^http/, 'ws'),
    adminToken: admin.token,
    adminHeaders: bearer(admin.token),
    adminTenantId: admin.tenantId,
  });
}

/**
 * A test server for the whole file, on a database of its own: set up before the file's tests (before
 * any `beforeAll` declared after this call) and torn down after them — before any `afterAll` declared
 * after this call (jest runs them in order), so close what uses its database in one declared before. The
 * returned handle forwards to it; `database` is its database.
 */
export function useTestServer(options: Omit<TestServerOptions, 'databaseUrl'> = {}): TestServer & { readonly database: TestDatabase } {
  let database: TestDatabase | undefined;
  let server: TestServer | undefined;
  beforeAll(async () => {
    database = await createTestDatabase();
    server = await startTestServer({ ...options, databaseUrl: database.url });
  });
  afterAll(async () => {
    await server?.stop();
    await database?.drop();
  });
  return new Proxy({} as TestServer & { readonly database: TestDatabase }, {
    get(_, property) {
      if (!server || !database) throw new Error('the test server is used before beforeAll started it');
      return property === 'database' ? database : Reflect.get(server, property);
    },
  });
}
