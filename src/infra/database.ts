import { MikroORM, PostgreSqlDriver, type Options } from '@mikro-orm/postgresql';
import pg from 'pg';
import { redactUrl } from '../config.js';
import { ALL_ENTITIES } from '../entities/index.js';
import { StartupError, coerceError, systemErrorCode } from '../errors.js';
import type { Logger } from '../logger.js';

export type Orm = MikroORM;

/** An arbitrary constant: every Switchyard process takes this advisory lock while migrating. */
const MIGRATION_LOCK_ID = 7_358_201_114;

/** `applicationName` shows in pg_stat_activity: which process and role holds a connection. */
export function ormOptions(url: string, poolSize: number, logger?: Logger, applicationName?: string): Options {
  return {
    driver: PostgreSqlDriver,
    clientUrl: url,
    entities: ALL_ENTITIES,
    // Every request, job and subscription event forks its own EntityManager.
    allowGlobalContext: false,
    forceUtcTimezone: true,
    pool: { min: 0, max: poolSize },
    discovery: { warnWhenNoEntities: true },
    // knex (under MikroORM) would console.log pool errors; route them into our log instead.
    driverOptions: {
      ...(applicationName ? { connection: { application_name: applicationName } } : {}),
      log: {
        warn: (message: unknown) => logger?.warn({ knex: message }, 'database driver warning'),
        error: (message: unknown) => logger?.error({ knex: message }, 'database driver error'),
        deprecate: (message: unknown) => logger?.debug({ knex: message }, 'database driver deprecation'),
        debug: (message: unknown) => logger?.trace({ knex: message }, 'database driver debug'),
      },
    },
    debug: logger?.isLevelEnabled('trace') ?? false,
    logger: (message) => logger?.trace(message),
  };
}

/** Connects, or fails with a StartupError that names DATABASE_URL and says why. */
export async function connectDatabase(url: string, poolSize: number, logger: Logger, applicationName?: string): Promise<Orm> {
  await assertReachable(url);
  return MikroORM.init(ormOptions(url, poolSize, logger, applicationName));
}

async function assertReachable(url: string): Promise<void> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 10_000 });
  try {
    await client.connect();
    await client.query('select 1');
  } catch (error) {
    const reason = systemErrorCode(error) ?? coerceError(error).message;
    throw new StartupError('DATABASE_URL', `DATABASE_URL: cannot connect to ${redactUrl(url)} (${reason})`, { cause: error });
  } finally {
    await client.end().catch(() => undefined);
  }
}

/**
 * Applies pending migrations. Several processes may start at once against one database: the
 * advisory lock (held on a session of its own) lets exactly one migrate while the others wait.
 */
export async function migrate(orm: Orm, url: string): Promise<string[]> {
  // Loaded here rather than at the top: the migrator (umzug and its CLI libraries) and the migration
  // classes are a large module graph that only a migrating start needs.
  const [{ Migrator }, { MIGRATIONS }] = await Promise.all([import('@mikro-orm/migrations'), import('../entities/migrations/index.js')]);
  orm.config.set('migrations', {
    ...orm.config.get('migrations'),
    migrationsList: MIGRATIONS,
    transactional: true,
    allOrNothing: true,
    snapshot: false,
    silent: true,
  });
  const migrator = new Migrator(orm.em);
  const lock = new pg.Client({ connectionString: url });
  await lock.connect();
  try {
    await lock.query('select pg_advisory_lock($1)', [MIGRATION_LOCK_ID]);
    const applied = await migrator.up();
    return applied.map((migration) => migration.name);
  } finally {
    await lock.query('select pg_advisory_unlock($1)', [MIGRATION_LOCK_ID]).catch(() => undefined);
    await lock.end().catch(() => undefined);
  }
}

/** For readiness: a trivial query on a pooled connection, bounded in time. */
export async function pingDatabase(orm: Orm, timeoutMs = 2_000): Promise<void> {
  const query = orm.em.fork().getConnection().execute('select 1');
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`database did not answer within ${timeoutMs} ms`)), timeoutMs);
  });
  try {
    await Promise.race([query, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/** Creates `name` on the server of `serverUrl` when missing; returns the URL of that database. */
export async function ensureDatabase(serverUrl: string, name: string): Promise<string> {
  const client = new pg.Client({ connectionString: serverUrl });
  await client.connect();
  try {
    const { rowCount } = await client.query('select 1 from pg_database where datname = $1', [name]);
    if (!rowCount) await client.query(`create database ${pg.escapeIdentifier(name)}`);
  } finally {
    await client.end();
  }
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  return url.toString();
}
