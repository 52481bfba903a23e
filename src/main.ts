import 'reflect-metadata';
import { realpathSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import type { MikroORM } from '@mikro-orm/postgresql';
import { ConfigError, loadConfig, type Config } from './config.js';
import type { RequestContext } from './context.js';
import { createEngine, type Engine } from './engine/index.js';
import { StartupError, coerceError } from './errors.js';
import { GRAPHQL_PATH, createHttpServer } from './http/server.js';
import { connectDatabase, ensureDatabase, migrate, pingDatabase } from './infra/database.js';
import { startEmbeddedPostgres } from './infra/embedded-postgres.js';
import { createLogger, type Logger } from './logger.js';
import { createInProcessPubSub, createRedisPubSub, type PubSub } from './pubsub.js';
import { buildSwitchyardSchema } from './schema/build-schema.js';

/** A running Switchyard process: the composition root's product. */
export interface Switchyard {
  /** http://host:port/graphql, when the api role runs. */
  readonly url: string | undefined;
  readonly port: number | undefined;
  readonly engine: Engine;
  readonly orm: MikroORM;
  readonly pubsub: PubSub;
  stop(): Promise<void>;
}

export interface StartOptions {
  logger?: Logger;
}

type Closer = () => Promise<void>;

/** Builds every piece of infrastructure, in order; on failure, closes what was already open. */
export async function startSwitchyard(config: Config, options: StartOptions = {}): Promise<Switchyard> {
  const logger = options.logger ?? createLogger(config.logLevel);
  const closers: Closer[] = [];
  const closeAll = async () => {
    for (const close of closers.reverse()) {
      await close().catch((error: unknown) => logger.error({ err: error }, 'error during shutdown'));
    }
    closers.length = 0;
  };

  try {
    let databaseUrl = config.database.url;
    if (!databaseUrl) {
      const embedded = await startEmbeddedPostgres({ dataDir: config.dataDir, onLog: (line) => logger.debug({ postgres: line }) }).catch(
        (error: unknown) => {
          throw new StartupError('SWITCHYARD_DATA_DIR', `SWITCHYARD_DATA_DIR: cannot start the embedded PostgreSQL in ${config.dataDir} (${coerceError(error).message})`, { cause: error });
        },
      );
      closers.push(() => embedded.stop());
      databaseUrl = await ensureDatabase(embedded.url, 'switchyard');
      logger.info({ dataDir: config.dataDir, port: embedded.port }, 'embedded PostgreSQL started');
    }

    const orm = await connectDatabase(databaseUrl, config.database.poolSize, logger);
    closers.push(() => orm.close());
    const applied = await migrate(orm, databaseUrl);
    if (applied.length > 0) logger.info({ migrations: applied }, 'migrations applied');

    const pubsub = config.redisUrl ? await createRedisPubSub(config.redisUrl) : createInProcessPubSub();
    closers.push(() => pubsub.close());

    const engine = createEngine({ orm, publisher: pubsub, logger });

    let port: number | undefined;
    if (config.roles.has('api')) {
      const createContext = (requestId: string): RequestContext => ({
        requestId,
        em: orm.em.fork(),
        engine,
        pubsub,
        logger: logger.child({ requestId }),
      });
      const http = await createHttpServer({
        schema: await buildSwitchyardSchema(),
        createContext,
        readiness: [
          { name: 'database', check: () => pingDatabase(orm) },
          { name: 'pubsub', check: () => pubsub.ping() },
        ],
        logger,
        production: config.nodeEnv === 'production',
        shutdownGraceSeconds: config.http.shutdownGraceSeconds,
      });
      closers.push(() => http.stop());
      port = await http.listen(config.http.port, config.http.host);
    }

    const host = ['0.0.0.0', '::', ''].includes(config.http.host) ? 'localhost' : config.http.host;
    return {
      url: port === undefined ? undefined : `http://${host}:${port}${GRAPHQL_PATH}`,
      port,
      engine,
      orm,
      pubsub,
      stop: closeAll,
    };
  } catch (error) {
    await closeAll();
    throw error;
  }
}

/** `npm start`: configuration from the environment, one-line errors, clean shutdown on Ctrl-C. */
async function runCli(): Promise<void> {
  let config: Config;
  try {
    config = loadConfig(process.env);
  } catch (error) {
    failStartup(error);
    return;
  }
  const logger = createLogger(config.logLevel);
  let switchyard: Switchyard;
  try {
    switchyard = await startSwitchyard(config, { logger });
  } catch (error) {
    if (!(error instanceof StartupError)) logger.debug({ err: error }, 'start-up failed');
    failStartup(error);
    return;
  }
  const where = switchyard.url ? `GraphQL and subscriptions on ${switchyard.url}` : `roles ${[...config.roles].join(', ')}`;
  console.log(`Switchyard is running: ${where}${config.database.url ? '' : ` (embedded PostgreSQL in ${config.dataDir})`}`);

  let stopping = false;
  const shutdown = (signal: NodeJS.Signals) => {
    if (stopping) {
      console.error(`switchyard: ${signal} again, exiting without waiting`);
      process.exit(1);
    }
    stopping = true;
    console.log(`Switchyard: ${signal} received, shutting down…`);
    switchyard.stop().then(
      () => process.exit(0),
      (error: unknown) => {
        console.error(`switchyard: shutdown failed: ${coerceError(error).message}`);
        process.exit(1);
      },
    );
  };
  process.on('SIGINT', shutdown);
  process.on('SIGTERM', shutdown);
}

function failStartup(error: unknown): void {
  const message = error instanceof ConfigError || error instanceof StartupError ? error.message : `failed to start: ${coerceError(error).message}`;
  console.error(`switchyard: ${message.split('\n')[0]}`);
  process.exitCode = 1;
}

function isEntryPoint(): boolean {
  const script = process.argv[1];
  if (!script) return false;
  try {
    return pathToFileURL(realpathSync(script)).href === import.meta.url;
  } catch {
    return false;
  }
}

if (isEntryPoint()) await runCli();
