import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { MikroORM } from '@mikro-orm/postgresql';
import pg from 'pg';
import { createEngine } from '../../src/engine/index.js';
import { Tenant } from '../../src/entities/index.js';
import { coerceError } from '../../src/errors.js';
import { startEmbeddedPostgres } from '../../src/infra/embedded-postgres.js';
import { startRedisServer } from '../../src/infra/local-redis.js';
import { migrate, ormOptions } from '../../src/infra/database.js';
import { createLogger } from '../../src/logger.js';
import { createInProcessPubSub } from '../../src/pubsub.js';
import { createServiceRegistry } from '../../src/services/registry.js';
import { findPid } from './probes.js';
import { BENCH_SERVICES, EFFECTS_TABLE_SQL, WORKFLOWS } from './workloads.js';

/**
 * The shared infrastructure of bench:scale: one PostgreSQL and one Redis (throwaway ones on loopback
 * unless DATABASE_URL / REDIS_URL are given), and a migrated, seeded template database that every
 * scenario copies, so each starts on equally empty tables.
 */
export interface Infra {
  describe: string;
  redisUrl: string;
  tenantId: string;
  /** The postmaster's pid when the server is ours (its CPU is then measured), else undefined. */
  postgresPid: number | undefined;
  /** redis-server's pid when it is ours. */
  redisPid: number | undefined;
  /** pg_stat_statements is loaded (only in our own server). */
  statements: boolean;
  /** A fresh copy of the template; `drop` it after the scenario. */
  database(name: string): Promise<{ url: string; drop(): Promise<void> }>;
  /** A connection to the server's maintenance database, for the probes. */
  admin: pg.Pool;
}

const TEMPLATE = 'scale_template';
const quiet = (pool: pg.Pool) => {
  pool.on('error', () => undefined);
  pool.on('connect', (client) => client.on('error', () => undefined));
};

function withDatabase(serverUrl: string, name: string): string {
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  return url.toString();
}

/** Stops within `ms` whatever happens (a Redis already killed by Ctrl-C never reports its exit). */
async function bounded(what: Promise<unknown>, ms: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  await Promise.race([
    what.catch((error: unknown) => console.error(`bench:scale: ${coerceError(error).message}`)),
    new Promise((resolve) => (timer = setTimeout(resolve, ms))),
  ]);
  clearTimeout(timer);
}

/** Migrates the template and saves the bench's tenant and workflows through the engine. */
async function seedTemplate(url: string): Promise<string> {
  const orm = await MikroORM.init(ormOptions(url, 2));
  const pool = new pg.Pool({ connectionString: url, max: 4 });
  quiet(pool);
  try {
    await migrate(orm, url);
    await pool.query(EFFECTS_TABLE_SQL);
    const engine = createEngine({
      orm,
      pool,
      publisher: createInProcessPubSub(),
      services: createServiceRegistry(BENCH_SERVICES),
      logger: createLogger('warn'),
    });
    const em = orm.em.fork();
    const tenant = em.create(Tenant, { slug: 'bench', name: 'Bench' });
    await em.flush();
    for (const [name, definition] of Object.entries(WORKFLOWS)) await engine.workflows.save({ tenantId: tenant.id, name, definition });
    return tenant.id;
  } finally {
    await Promise.all([orm.close(), pool.end()]);
  }
}

/** Everything it starts is handed to `onCleanup`, to be undone in reverse order even on failure. */
export async function startInfra(onCleanup: (step: () => Promise<void>) => void): Promise<Infra> {
  let serverUrl = process.env['DATABASE_URL'];
  let postgresPid: number | undefined;
  let describe = 'PostgreSQL from DATABASE_URL';
  if (!serverUrl) {
    const dataDir = await mkdtemp(path.join(os.tmpdir(), 'switchyard-scale-'));
    onCleanup(() => rm(dataDir, { recursive: true, force: true }));
    // bench/lib/postgres.ts's durable settings, plus pg_stat_statements and room for 9 processes' pools.
    const postgres = await startEmbeddedPostgres({
      dataDir,
      settings: {
        max_connections: '600',
        shared_buffers: '256MB',
        shared_preload_libraries: 'pg_stat_statements',
        'pg_stat_statements.track': 'top',
      },
    });
    onCleanup(() => postgres.stop());
    serverUrl = postgres.url;
    const pidFile = await readFile(path.join(dataDir, 'postgres', 'postmaster.pid'), 'utf8');
    postgresPid = Number.parseInt(pidFile.split('\n')[0] ?? '', 10);
    describe = 'embedded PostgreSQL 18 (fsync on, synchronous_commit on), throwaway';
  }
  let redisUrl = process.env['REDIS_URL'];
  let redisPid: number | undefined;
  if (!redisUrl) {
    const redis = await startRedisServer();
    onCleanup(() => bounded(redis.stop(), 3_000));
    redisUrl = redis.url;
    const port = new URL(redis.url).port;
    redisPid = await findPid((cmdline) => cmdline.includes('redis-server') && cmdline.includes(port));
    describe += ', redis-server, throwaway';
  } else describe += ', Redis from REDIS_URL';

  const admin = new pg.Pool({ connectionString: serverUrl, max: 3 });
  quiet(admin);
  onCleanup(() => admin.end());
  const settings = await admin.query<{ synchronous_commit: string; fsync: string }>(
    "select current_setting('synchronous_commit') as synchronous_commit, current_setting('fsync') as fsync",
  );
  if (settings.rows[0]?.synchronous_commit !== 'on' || settings.rows[0]?.fsync !== 'on')
    throw new Error('synchronous_commit or fsync is off: the benchmark would not measure durable commits');
  let statements = false;
  try {
    await admin.query('create extension if not exists pg_stat_statements');
    await admin.query('select 1 from pg_stat_statements limit 1');
    statements = true;
  } catch (error) {
    // Another server may not preload it: database time per run is then not reported.
    console.log(`(pg_stat_statements unavailable: ${coerceError(error).message})`);
  }

  await admin.query(`drop database if exists ${TEMPLATE} with (force)`);
  await admin.query(`create database ${TEMPLATE}`);
  const tenantId = await seedTemplate(withDatabase(serverUrl, TEMPLATE));
  onCleanup(async () => void (await admin.query(`drop database if exists ${TEMPLATE} with (force)`)));

  return {
    describe,
    redisUrl,
    tenantId,
    postgresPid,
    redisPid,
    statements,
    admin,
    async database(name) {
      const quoted = pg.escapeIdentifier(name);
      await admin.query(`drop database if exists ${quoted} with (force)`);
      await admin.query(`create database ${quoted} template ${TEMPLATE}`);
      // Each scenario starts after a checkpoint, not in the middle of one the previous one caused.
      await admin.query('checkpoint');
      return {
        url: withDatabase(serverUrl, name),
        drop: async () => void (await admin.query(`drop database if exists ${quoted} with (force)`)),
      };
    },
  };
}
