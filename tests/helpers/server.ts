import { loadConfig } from '../../src/config.js';
import { createLogger } from '../../src/logger.js';
import { startSwitchyard, type Switchyard } from '../../src/main.js';

export interface TestServer extends Switchyard {
  readonly url: string;
  readonly wsUrl: string;
}

/** A real Switchyard on an ephemeral loopback port against the given database (and Redis, if given). */
export async function startTestServer(options: { databaseUrl: string; redisUrl?: string; env?: Record<string, string> }): Promise<TestServer> {
  const config = loadConfig({
    HOST: '127.0.0.1',
    PORT: '0',
    NODE_ENV: 'test',
    DATABASE_URL: options.databaseUrl,
    DATABASE_POOL_SIZE: '5',
    SHUTDOWN_GRACE_SECONDS: '1',
    ...(options.redisUrl ? { REDIS_URL: options.redisUrl } : {}),
    ...options.env,
  });
  const switchyard = await startSwitchyard(config, { logger: createLogger(process.env['TEST_LOG_LEVEL'] === 'debug' ? 'debug' : 'silent') });
  const url = switchyard.url;
  if (!url) throw new Error('the test server has no api role');
  return Object.assign(Object.create(null) as object, switchyard, { url, wsUrl: url.replace(/^http/, 'ws') });
}
