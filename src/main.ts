import 'reflect-metadata';
import { realpathSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import type { MikroORM } from '@mikro-orm/postgresql';
import { createAuthService } from './auth/auth-service.js';
import { clockOf } from './auth/clock.js';
import { setPublicUrl } from './auth/users/account-links.js';
import { loadOrCreateJwtSecret } from './auth/jwt-secret.js';
import { createRateLimiter } from './auth/rate-limit.js';
import { createTenantScope } from './auth/tenant-scope.js';
import { createTokenService } from './auth/tokens.js';
import type { ExpiryAlarm } from './auth/ws-guard.js';
import { seedFirstStart } from './bootstrap/first-start.js';
import { PROCESS_ROLES, type Config } from './config.js';
import { createRequestContextFactory } from './context.js';
import { createEngine, type Engine } from './engine/index.js';
import type { ComponentHealth } from './engine/health.js';
import { createDomainServiceMethods, type DomainServiceDeps } from './services/index.js';
import { createLedgerPaymentProvider } from './services/commercial.js';
import { createOutboxDispatcher } from './services/outbox/dispatcher.js';
import { EXPIRING_SOON_SCHEDULE } from './workflows/expiring-soon.js';
import { STALLED_OPPORTUNITIES_SCHEDULE } from './workflows/stalled-opportunities.js';
import { createServiceRegistry } from './services/registry.js';
import { StartupError, coerceError } from './errors.js';
import { startHealthServer, type ReadinessCheck } from './http/health.js';
import { GRAPHQL_PATH, createHttpServer } from './http/server.js';
import { connectDatabase, ensureDatabase, migrate, pingDatabase } from './infra/database.js';
import { createEnginePool } from './infra/pg-pool.js';
import { startEmbeddedPostgres } from './infra/embedded-postgres.js';
import { createLogger, logFormatFor, type Logger } from './logger.js';
import { createInProcessPubSub, createRedisPubSub, type PubSub } from './pubsub.js';
import { buildSwitchyardSchema } from './resolvers/build-schema.js';
import { createWorkflowStatsHub, type PushTimer } from './resolvers/workflow-stats-feed.js';
import { metricsHandler, startMetricsServer, type MetricsHandler } from './http/metrics-endpoint.js';
import { countLiveRuns } from './engine/store/run-counts.js';
import { countOutboxBacklog } from './services/outbox/backlog.js';
import { createMetrics } from './observability/metrics.js';
import { createRunLog } from './observability/run-log.js';
import { graphqlMetricsPlugin } from './observability/graphql-metrics.js';
import { combineObservers, type Clock } from './engine/ports.js';
import { activeTracing, type Tracing } from './observability/tracing/sdk.js';
import { activeTraceId } from './observability/tracing/trace-context.js';
import { tracedServices } from './observability/tracing/traced-services.js';
import { createWebhookIntake, WEBHOOK_SOURCES } from './webhooks/index.js';
import { createLedgerIntentProvider } from './services/payments/index.js';
import { createStripeIntentProvider } from './services/payments/stripe-intent-provider.js';
import { DEFAULT_DEPLOYMENT_SETTINGS } from './services/deployment/deployment-settings.js';
import {
  createKubernetesHttp,
  createOpenAiCopilot,
  createPostgresSchemas,
  createPowerDns,
  createS3Buckets,
} from './services/activation/index.js';

/** A running Switchyard process: the composition root's product. */
export interface Switchyard {
  /** http://host:port/graphql, when the api role runs. */
  readonly url: string | undefined;
  readonly port: number | undefined;
  /** Where /healthz and /readyz are served without the api role (HEALTH_PORT). */
  readonly healthPort: number | undefined;
  /** Where /metrics is served on a port of its own (METRICS_PORT). */
  readonly metricsPort: number | undefined;
  readonly engine: Engine;
  readonly orm: MikroORM;
  readonly pubsub: PubSub;
  stop(): Promise<void>;
}

export interface StartOptions {
  logger?: Logger;
  /** Spans of runs, steps and service calls: default, the tracing this process started (OTEL_* variables), if any. */
  tracing?: Tracing;
  /** The engine's clock (wait deadlines, timers); tests move it. Default: the system clock. */
  clock?: Clock;
  /** The time `workflowStatsChanged` coalesces its pushes by; tests move it. Default: the system's. */
  statsTimer?: PushTimer;
  /** What closes a websocket when its token expires; tests set it off by hand. Default: timers. */
  tokenExpiryAlarm?: ExpiryAlarm;
  /** How long a progress subscription waits for a live event before it reads the log again; tests shorten it. Default: the stream's. */
  progressIdlePollMs?: number | undefined;
  /** False when the database is known to be migrated already (the tests clone a migrated template). Default: true. */
  migrate?: boolean;
}

type Closer = () => Promise<void>;

/**
 * Builds every piece of infrastructure, in order; on failure, closes what was already open.
 *
 * Stopping: the components that take work (HTTP, worker, dispatcher, scheduler, outbox) are told to
 * stop all at once, so none takes new work while another drains; then the resources they used
 * (pools, pub/sub, the ORM, the embedded database) close in the reverse order of opening.
 */
export async function startSwitchyard(config: Config, options: StartOptions = {}): Promise<Switchyard> {
  const logger = options.logger ?? createLogger(config.logLevel, undefined, logFormatFor(config.logFormat));
  const closers: Closer[] = [];
  const components: Closer[] = [];
  const report = (error: unknown) => logger.error({ err: error }, 'error during shutdown');
  const closeAll = async () => {
    const stopping = components.splice(0);
    await Promise.all(stopping.map((stop) => stop().catch(report)));
    for (const close of closers.splice(0).reverse()) await close().catch(report);
  };
  const appName = (use: string) => `switchyard:${[...config.roles].join('+')}:${use}`;

  try {
    let databaseUrl = config.database.url;
    if (!databaseUrl) {
      const embedded = await startEmbeddedPostgres({ dataDir: config.dataDir, onLog: (line) => logger.debug({ postgres: line }) }).catch(
        (error: unknown) => {
          throw new StartupError(
            'SWITCHYARD_DATA_DIR',
            `SWITCHYARD_DATA_DIR: cannot start the embedded PostgreSQL in ${config.dataDir} (${coerceError(error).message})`,
            { cause: error },
          );
        },
      );
      closers.push(() => embedded.stop());
      databaseUrl = await ensureDatabase(embedded.url, 'switchyard');
      logger.info({ dataDir: config.dataDir, port: embedded.port }, 'embedded PostgreSQL started');
    }

    const orm = await connectDatabase(databaseUrl, config.database.poolSize, logger, appName('orm'));
    closers.push(() => orm.close());
    // The links e-mails carry (an invitation, a reset) open the console here: SWITCHYARD_PUBLIC_URL, else this API once it listens.
    const host = ['0.0.0.0', '::', ''].includes(config.http.host) ? 'localhost' : config.http.host;
    let publicUrl = config.integrations.publicUrl ?? `http://${host}:${config.http.port || 4000}`;
    setPublicUrl(orm, () => publicUrl);
    const applied = options.migrate === false ? [] : await migrate(orm, databaseUrl);
    if (applied.length > 0) logger.info({ migrations: applied }, 'migrations applied');

    const pubsub = config.redisUrl
      ? await createRedisPubSub(config.redisUrl, { logger: logger.child({ component: 'pubsub' }) })
      : createInProcessPubSub();
    // In-process pub/sub reaches this process only: a process with some of the roles shares the work with
    // others, whose runs its subscribers would hear only from the log's idle re-reads (seconds late).
    const missingRoles = PROCESS_ROLES.filter((role) => !config.roles.has(role));
    if (!config.redisUrl && missingRoles.length > 0)
      logger.warn(
        { roles: [...config.roles], missingRoles },
        'REDIS_URL is not set but this process runs only some roles: subscribers here hear runs on other processes only when they re-read the log (every 5 s or more), and workers learn of new runs by polling; give every process the same REDIS_URL',
      );
    closers.push(() => pubsub.close());

    // The runtime's hot path (runs, checkpoints, the run queue) gets raw connections of its own.
    const enginePool = createEnginePool(
      { connectionString: databaseUrl, max: config.database.poolSize, application_name: appName('engine') },
      logger,
    );
    closers.push(() => enginePool.end());
    const metrics = createMetrics({
      runCounts: () => countLiveRuns(enginePool),
      outboxBacklog: () => countOutboxBacklog(enginePool),
      logger,
      tenantLabels: config.metrics.tenantLabels,
    });
    const tracing = options.tracing ?? activeTracing();
    const runLog = createRunLog(logger, tracing ? { traceId: activeTraceId } : {});
    const services = createServiceRegistry(createDomainServiceMethods(domainServiceDeps(config)), {
      checkOutputs: config.nodeEnv !== 'production',
    });
    const engine = createEngine({
      systemSchedules: [EXPIRING_SOON_SCHEDULE, STALLED_OPPORTUNITIES_SCHEDULE],
      observer: tracing
        ? combineObservers(metrics.observer, runLog, tracing.runTracer.observer)
        : combineObservers(metrics.observer, runLog),
      ...(tracing ? { tracer: tracing.runTracer } : {}),
      orm,
      pool: enginePool,
      publisher: pubsub,
      wakeups: pubsub,
      services: tracing ? tracedServices(services) : services,
      logger,
      config: {
        leaseSeconds: config.engine.leaseSeconds,
        defaultStepTimeoutSeconds: config.engine.defaultStepTimeoutSeconds,
        runStartsLocally: config.engine.runStartsLocally,
        tenantConcurrencyLimit: config.engine.tenantConcurrencyLimit,
      },
      ...(options.clock ? { clock: options.clock } : {}),
    });
    components.push(() => engine.close());
    // First start: the default tenant and its admin, then the built-in workflows and (SWITCHYARD_DEMO_DATA) demo data.
    const { admin } = await seedFirstStart({
      orm,
      engine,
      admin: config.auth.admin,
      demo: config.demoData,
      builtIns: config.builtInWorkflows,
      logger,
    });
    if (admin.created) {
      logger.info({ email: admin.email, tenantId: admin.tenantId }, 'first start: default tenant and admin user created');
      // Shown once, on stdout rather than in the log: it is nowhere else.
      if (admin.generatedPassword)
        console.log(`Switchyard admin: ${admin.email} / ${admin.generatedPassword} (set SWITCHYARD_ADMIN_PASSWORD to choose it)`);
    }
    const readiness: ReadinessCheck[] = [
      { name: 'database', check: () => pingDatabase(orm) },
      { name: 'pubsub', check: () => pubsub.ping() },
    ];
    /** Where this deployment's own API answers, for the ledger's signed confirmations (see the outbox). */
    let ownBaseUrl: string | undefined = config.integrations.publicUrl;
    if (config.roles.has('worker')) {
      const worker = await engine.startWorker({
        concurrency: config.engine.workerConcurrency,
        recoveryIntervalMs: config.engine.recoveryIntervalSeconds * 1000,
        pollIntervalMs: 1_000,
        packing: { deferMs: config.engine.claimDeferMs },
      });
      // Steps still running near the end of the grace period are abandoned, so the runs are handed back in time.
      const graceMs = config.http.shutdownGraceSeconds * 1000;
      components.push(() => worker.stop({ preemptAfterMs: Math.max(graceMs / 2, graceMs - 2_000) }));
      readiness.push(componentCheck('worker', worker));
      // E-mails and webhooks leave through the outbox; without SMTP_URL e-mails wait there.
      const smtp = config.integrations.smtp;
      // Imported only when configured: nodemailer is a large module graph.
      const mailer = smtp
        ? (await import('./services/outbox/smtp-mailer.js')).createSmtpMailer({ url: smtp.url, from: smtp.from })
        : undefined;
      // The built-in ledger's payment confirmations are POSTed to this process's own /webhooks/payments once it listens.
      const outbox = createOutboxDispatcher({
        orm,
        ...(mailer ? { mailer } : {}),
        logger,
        onDelivery: (delivery) => metrics.outboxDelivered(delivery),
        ownBaseUrl: () => ownBaseUrl,
      });
      outbox.start();
      components.push(async () => {
        await outbox.stop();
        mailer?.close();
      });
      // Domain events → workflow triggers and waiting steps; any number of dispatchers, each event once.
      const dispatcher = engine.eventDispatcher();
      await dispatcher.start();
      components.push(() => dispatcher.stop());
      readiness.push(componentCheck('dispatcher', dispatcher));
    }
    if (config.roles.has('scheduler')) {
      // Cron schedules, the daily expiring-soon scan and the hourly stalled-opportunities scan; any number of schedulers, each tick once.
      const scheduler = engine.scheduler();
      scheduler.start();
      components.push(() => scheduler.stop());
      readiness.push(componentCheck('scheduler', scheduler));
    }

    // Without the api role, /healthz and /readyz are served on HEALTH_PORT when set.
    // /metrics: on its own port when METRICS_PORT is set; else on the main port, behind METRICS_TOKEN when
    // set, and without a token only outside production.
    let metricsPort: number | undefined;
    let metricsOnMainPort: MetricsHandler | undefined;
    if (config.metrics.port !== undefined) {
      const server = await startMetricsServer({
        port: config.metrics.port,
        host: config.http.host,
        handler: metricsHandler(metrics, logger, config.metrics.token),
      });
      components.push(() => server.stop());
      metricsPort = server.port;
    } else if (config.metrics.token !== undefined || config.nodeEnv !== 'production') {
      metricsOnMainPort = metricsHandler(metrics, logger, config.metrics.token);
    }

    let healthPort: number | undefined;
    if (!config.roles.has('api') && config.http.healthPort !== undefined) {
      const health = await startHealthServer({ port: config.http.healthPort, host: config.http.host, checks: readiness, logger });
      components.push(() => health.stop());
      healthPort = health.port;
    }

    let port: number | undefined;
    if (config.roles.has('api')) {
      const jwtSecret =
        config.auth.jwtSecret === undefined ? await loadOrCreateJwtSecret(config.dataDir) : new TextEncoder().encode(config.auth.jwtSecret);
      const auth = createAuthService({
        orm,
        tokens: createTokenService({ secret: jwtSecret, ttlSeconds: config.auth.jwtTtlSeconds }),
        logger,
      });
      const tenantScope = createTenantScope(orm);
      const workflowStats = createWorkflowStatsHub({
        engine,
        pubsub,
        logger,
        ...(options.statsTimer ? { timer: options.statsTimer } : {}),
      });
      components.push(() => Promise.resolve(workflowStats.close()));
      const createContext = createRequestContextFactory({
        auth,
        pubsub,
        engine,
        logger,
        workflowStats,
        progressIdlePollMs: options.progressIdlePollMs ?? config.progressIdlePollMs,
        forkEm: (viewer) => (viewer ? tenantScope.fork(viewer.tenantId) : orm.em.fork()),
      });
      const http = await createHttpServer({
        schema: await buildSwitchyardSchema(),
        createContext,
        authenticator: auth,
        // Refilled by the ORM's clock (auth/clock.ts), which tests move instead of waiting.
        rateLimiter: createRateLimiter(config.rateLimit, () => clockOf(orm).now().getTime()),
        readiness,
        logger,
        production: config.nodeEnv === 'production',
        shutdownGraceSeconds: config.http.shutdownGraceSeconds,
        // graphql-js where its execution is traced (OpenTelemetry's GraphQL spans wrap graphql-js's execute).
        compiledExecution: !tracing,
        ...(metricsOnMainPort ? { metrics: metricsOnMainPort } : {}),
        plugins: [graphqlMetricsPlugin(metrics.registry)],
        webhooks: createWebhookIntake({ orm, events: engine.events, sources: WEBHOOK_SOURCES, logger }),
        tokenExpiryAlarm: options.tokenExpiryAlarm,
      });
      components.push(() => http.stop());
      metrics.watchWebsockets(() => http.websockets());
      port = await http.listen(config.http.port, config.http.host);
      ownBaseUrl ??= `http://${['0.0.0.0', '::', ''].includes(config.http.host) ? '127.0.0.1' : config.http.host}:${port}`;
      if (config.integrations.publicUrl === undefined) publicUrl = `http://${host}:${port}`;
    }

    return {
      url: port === undefined ? undefined : `http://${host}:${port}${GRAPHQL_PATH}`,
      port,
      healthPort,
      metricsPort,
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

/** A readiness check of a component that reports its own health. */
function componentCheck(name: string, component: { health(): ComponentHealth }): ReadinessCheck {
  return {
    name,
    check: async () => {
      const health = component.health();
      if (!health.ok) throw new Error(health.detail ?? 'unhealthy');
    },
  };
}

/** What the domain services need from outside, from the configuration. */
function domainServiceDeps(config: Config): DomainServiceDeps {
  const { genieacsUrl, netbox, stripe, kubernetes, copilot, publicUrl, tenantDatabaseUrl, s3, powerDns } = config.integrations;
  return {
    paymentProvider: createLedgerPaymentProvider(),
    paymentIntents: stripe ? createStripeIntentProvider({ apiKey: stripe.apiKey, baseUrl: stripe.url }) : createLedgerIntentProvider(),
    genieacs: { url: genieacsUrl },
    ipam: netbox ? { kind: 'netbox', url: netbox.url, token: netbox.token } : { kind: 'builtin' },
    ...(kubernetes ? { kubernetes: createKubernetesHttp(kubernetes), certificateIssuer: kubernetes.certificateIssuer } : {}),
    ...(copilot ? { copilot: createOpenAiCopilot(copilot) } : {}),
    ...(tenantDatabaseUrl ? { databases: createPostgresSchemas({ url: tenantDatabaseUrl }) } : {}),
    ...(s3 ? { buckets: createS3Buckets(s3) } : {}),
    ...(powerDns ? { dns: createPowerDns({ ...powerDns, zone: powerDns.zone ?? DEFAULT_DEPLOYMENT_SETTINGS.tenantDomain }) } : {}),
    publicUrl,
  };
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

// `npm start` (cli.ts) when this file is the program, not when it is imported (tests, benchmarks).
if (isEntryPoint()) await (await import('./cli.js')).runCli(startSwitchyard);
