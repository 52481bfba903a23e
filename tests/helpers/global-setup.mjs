// Jest loads global setup outside its ESM transform, so this file is plain JavaScript and uses the
// compiled sources in dist/ (`npm test` builds them first).
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { connectDatabase, migrate } from '../../dist/src/infra/database.js';
import { startEmbeddedPostgres } from '../../dist/src/infra/embedded-postgres.js';
import { startRedisServer } from '../../dist/src/infra/local-redis.js';
import { createLogger } from '../../dist/src/logger.js';
import { launchSharedChromium } from './chromium.mjs';

async function adminQuery(serverUrl, sql) {
  const client = new pg.Client({ connectionString: serverUrl });
  await client.connect();
  try {
    return await client.query(sql);
  } finally {
    await client.end();
  }
}

/**
 * Starts what the tests need when it is not given: PostgreSQL (DATABASE_URL) and Redis (REDIS_URL),
 * on free loopback ports, and a migrated template database that each test file clones; and the
 * headless Chromium the browser tests share, when the machine has one. The names
 * reach the test files through the environment (tests/helpers/env.ts).
 */
export default async function globalSetup() {
  const teardown = [];
  globalThis.__switchyardTestTeardown = teardown;

  // Chromium starts while PostgreSQL does: one for the whole run, shared by the browser test files.
  const chromium = launchSharedChromium();
  chromium.catch(() => {}); // its failure is thrown where it is awaited, below
  let serverUrl = process.env.DATABASE_URL;
  if (!serverUrl) {
    const dataDir = await mkdtemp(path.join(os.tmpdir(), 'switchyard-test-pg-'));
    const postgres = await startEmbeddedPostgres({
      dataDir,
      // A throwaway cluster: durability buys nothing here.
      settings: { fsync: 'off', synchronous_commit: 'off', full_page_writes: 'off', max_connections: '300' },
    });
    teardown.push(async () => {
      await postgres.stop();
      await rm(dataDir, { recursive: true, force: true });
    });
    serverUrl = postgres.url;
  }

  let redisUrl = process.env.REDIS_URL;
  if (!redisUrl) {
    const redis = await startRedisServer();
    teardown.push(() => redis.stop());
    redisUrl = redis.url;
  }

  const template = `sy_template_${process.pid}`;
  await adminQuery(serverUrl, `drop database if exists "${template}"`);
  await adminQuery(serverUrl, `create database "${template}"`);
  teardown.push(() => adminQuery(serverUrl, `drop database if exists "${template}" with (force)`));
  const templateUrl = new URL(serverUrl);
  templateUrl.pathname = `/${template}`;
  const orm = await connectDatabase(templateUrl.toString(), 2, createLogger('silent'));
  try {
    await migrate(orm, templateUrl.toString());
  } finally {
    await orm.close();
  }

  const browser = await chromium;
  if (browser) {
    teardown.push(() => browser.stop());
    process.env.SWITCHYARD_TEST_BROWSER_WS = browser.endpoint;
  }

  process.env.SWITCHYARD_TEST_POSTGRES_URL = serverUrl;
  process.env.SWITCHYARD_TEST_TEMPLATE_DB = template;
  process.env.SWITCHYARD_TEST_REDIS_URL = redisUrl;
}
