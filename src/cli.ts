import { ConfigError, loadConfig, type Config } from './config.js';
import { StartupError, coerceError } from './errors.js';
import { createLogger, logFormatFor } from './logger.js';
// Types only: main.ts loads this file while it is itself still loading (a value import would wait on it forever).
import type { startSwitchyard, Switchyard } from './main.js';
import { activeTracing, startTracing, tracingConfigured } from './observability/tracing/sdk.js';

/** `npm start`: configuration from the environment, one-line errors, clean shutdown on Ctrl-C. */
export async function runCli(start: typeof startSwitchyard): Promise<void> {
  let config: Config;
  try {
    config = loadConfig(process.env);
  } catch (error) {
    failStartup(error);
    return;
  }
  const logger = createLogger(config.logLevel, undefined, logFormatFor(config.logFormat));
  // Traces (OTEL_EXPORTER_OTLP_*): started by the --import preload, so that pg, ioredis, graphql and http
  // are instrumented as they load; started here otherwise, with the runs' and steps' spans only.
  if (tracingConfigured() && !activeTracing()) {
    logger.warn(
      'tracing started without the preload: start with `node --import ./dist/src/observability/tracing/preload.js` for spans of HTTP, GraphQL, pg and ioredis',
    );
  }
  const tracing = await startTracing().catch((error: unknown) => {
    logger.error({ err: error }, 'tracing could not start; going on without it');
    return undefined;
  });
  let switchyard: Switchyard;
  try {
    switchyard = await start(config, { logger });
  } catch (error) {
    if (!(error instanceof StartupError)) logger.debug({ err: error }, 'start-up failed');
    failStartup(error);
    return;
  }
  const where = switchyard.url ? `GraphQL and subscriptions on ${switchyard.url}` : `roles ${[...config.roles].join(', ')}`;
  console.log(`Switchyard is running: ${where}${config.database.url ? '' : ` (embedded PostgreSQL in ${config.dataDir})`}`);

  // A rejection nobody handled (a library's background clean-up failing while the database is away)
  // is logged, not fatal: components report their own health. An uncaught exception may have left
  // state half-changed, so it ends the process non-zero and a supervisor restarts it.
  process.on('unhandledRejection', (error: unknown) => logger.error({ err: error }, 'unhandled rejection'));
  process.on('uncaughtException', (error: unknown) => {
    logger.fatal({ err: error }, 'uncaught exception: exiting');
    process.exit(1);
  });

  let stopping = false;
  const shutdown = (signal: NodeJS.Signals) => {
    if (stopping) {
      console.error(`switchyard: ${signal} again, exiting without waiting`);
      process.exit(1);
    }
    stopping = true;
    console.log(`Switchyard: ${signal} received, shutting down…`);
    // Whatever is still held after the grace period is left to its lease; the process exits regardless.
    setTimeout(() => {
      console.error(`switchyard: still stopping after SHUTDOWN_GRACE_SECONDS=${config.http.shutdownGraceSeconds}; exiting`);
      process.exit(1);
    }, config.http.shutdownGraceSeconds * 1000).unref();
    switchyard
      .stop()
      // The spans still buffered are exported before the process leaves.
      .then(() => tracing?.shutdown().catch(() => undefined))
      .then(
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
  const message =
    error instanceof ConfigError || error instanceof StartupError ? error.message : `failed to start: ${coerceError(error).message}`;
  console.error(`switchyard: ${message.split('\n')[0]}`);
  process.exitCode = 1;
}
