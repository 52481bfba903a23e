import 'reflect-metadata';
import { MikroORM } from '@mikro-orm/postgresql';
import { inTenantTransaction } from '../../src/auth/tenant-scope.js';
import { loadConfig } from '../../src/config.js';
import { createEngine, type Engine } from '../../src/engine/index.js';
import {
  DEFAULT_SATURATED_AT,
  DEFAULT_SATURATED_DELAY_MS,
  DEFAULT_UTILIZATION_WINDOW_MS,
  ownSaturation,
} from '../../src/engine/runtime/claim-pacing.js';
import { coerceError } from '../../src/errors.js';
import { ormOptions } from '../../src/infra/database.js';
import { createEnginePool } from '../../src/infra/pg-pool.js';
import { createLogger } from '../../src/logger.js';
import { createRedisPubSub } from '../../src/pubsub.js';
import { createOutboxDispatcher } from '../../src/services/outbox/dispatcher.js';
import { createServiceRegistry } from '../../src/services/registry.js';
import { isCommand, type Command, type Reply, type Role } from './protocol.js';
import { BENCH_SERVICES, EVENT_NAME } from './workloads.js';

/**
 * One bench:scale process, forked by the coordinator: an API process or a worker process, put together
 * as src/main.ts puts those roles together (the product's defaults from loadConfig, Redis pub/sub), but
 * with the bench's service registry. An API process has no worker, so the runs it starts go through the
 * job queue; it takes its orders (start runs, publish events) over IPC instead of GraphQL, so the
 * benchmark measures the engine rather than the HTTP stack. A worker process runs the engine's worker,
 * the event dispatcher and the outbox, as the `worker` role does.
 */

const role = process.env['BENCH_ROLE'] as Role;
const tenantId = process.env['BENCH_TENANT_ID'] ?? '';
const config = loadConfig({ ...process.env, SWITCHYARD_ROLES: role });
const databaseUrl = config.database.url ?? '';
const redisUrl = config.redisUrl ?? '';
const logger = createLogger(config.logLevel);

const send = (reply: Reply) => process.send?.(reply);
const closers: Array<() => Promise<unknown>> = [];

const orm = await MikroORM.init(ormOptions(databaseUrl, config.database.poolSize, logger));
closers.push(() => orm.close());
const pubsub = await createRedisPubSub(redisUrl);
closers.push(() => pubsub.close());
const enginePool = createEnginePool({ connectionString: databaseUrl, max: config.database.poolSize }, logger); // as main.ts builds it
closers.push(() => enginePool.end());
// `wakeups`: engines from 208a515 on wake dispatchers through the pub/sub (main.ts passes it so);
// older ones ignore the extra field, so the bench builds against either.
const engineDeps = {
  orm,
  pool: enginePool,
  publisher: pubsub,
  wakeups: pubsub,
  services: createServiceRegistry(BENCH_SERVICES),
  logger,
  config: { leaseSeconds: config.engine.leaseSeconds, runStartsLocally: role === 'worker' && config.engine.runStartsLocally },
};
const engine: Engine = createEngine(engineDeps);

if (role === 'worker') {
  const worker = await engine.startWorker({
    concurrency: config.engine.workerConcurrency,
    recoveryIntervalMs: config.engine.recoveryIntervalSeconds * 1000,
    pollIntervalMs: 1_000,
    packing: { deferMs: config.engine.claimDeferMs, ...packingExperiment() },
  });
  closers.push(() => worker.stop());
  const outbox = createOutboxDispatcher({ orm, logger });
  outbox.start();
  closers.push(() => outbox.stop());
  const dispatcher = engine.eventDispatcher();
  await dispatcher.start();
  closers.push(() => dispatcher.stop());
}

/**
 * Publishes at once, at most: past this, more at once only slows each (the ORM's pool, the event loop)
 * and a backlog waits here, outside any transaction. Each is timed from when it was asked, so the
 * API-side latency the coordinator prints shows that wait.
 */
const PUBLISH_CONCURRENCY = 8;
const publishing = (() => {
  let free = PUBLISH_CONCURRENCY;
  const queue: Array<() => void> = [];
  return {
    acquire: () => (free > 0 ? ((free -= 1), Promise.resolve()) : new Promise<void>((resolve) => queue.push(resolve))),
    release: () => {
      const next = queue.shift();
      if (next) next();
      else free += 1;
    },
  };
})();

/** Runs `count` tasks at once, collecting what succeeded, how long each took, and counting what failed. */
async function each(count: number, task: () => Promise<string>): Promise<Omit<Extract<Reply, { kind: 'done' }>, 'id' | 'kind'>> {
  const ms: number[] = [];
  const timed = async () => {
    const started = performance.now();
    const id = await task();
    ms.push(performance.now() - started);
    return id;
  };
  const results = await Promise.allSettled(Array.from({ length: count }, timed));
  const ids: string[] = [];
  let firstError: string | undefined;
  for (const result of results) {
    if (result.status === 'fulfilled') ids.push(result.value);
    else firstError ??= coerceError(result.reason).message;
  }
  return { ids, ms, errors: count - ids.length, ...(firstError ? { firstError } : {}) };
}

async function handle(command: Command): Promise<void> {
  if (command.kind === 'start') {
    const outcome = await each(command.count, async () => (await engine.start({ tenantId, workflow: command.workflow })).executionId);
    send({ kind: 'done', id: command.id, ...outcome });
    return;
  }
  // As the publishEvent mutation records one: the tenant's transaction, the engine's event catalog.
  const outcome = await each(command.count, async () => {
    await publishing.acquire();
    try {
      const { event } = await inTenantTransaction(orm.em.fork(), tenantId, (em) =>
        engine.events.publish(em, { tenantId, name: EVENT_NAME, payload: { seq: command.id }, source: 'bench:scale' }),
      );
      return event.id;
    } finally {
      publishing.release();
    }
  });
  send({ kind: 'done', id: command.id, ...outcome });
}

let stopping = false;
async function stop(): Promise<void> {
  if (stopping) return;
  stopping = true;
  // Bounded: the coordinator kills what does not stop in time anyway.
  const bound = setTimeout(() => process.exit(0), 3_000);
  for (const close of closers.reverse()) {
    await close().catch((error: unknown) => logger.warn({ err: coerceError(error) }, 'error during shutdown'));
  }
  clearTimeout(bound);
  process.exit(0);
}

process.on('message', (message: unknown) => {
  if (!isCommand(message) || stopping) return;
  handle(message).catch((error: unknown) =>
    send({ kind: 'done', id: message.id, ids: [], ms: [], errors: 1, firstError: coerceError(error).message }),
  );
});
process.on('SIGTERM', () => void stop());
// Ctrl-C reaches the whole process group: the coordinator decides when this process goes.
process.on('SIGINT', () => undefined);
// The coordinator is gone (killed): nobody will stop us otherwise.
process.on('disconnect', () => void stop());
send({ kind: 'ready', role, pid: process.pid });

/**
 * Packing's internal settings, to compare values across runs of the bench (not product settings):
 * SCALE_PACKING_SATURATED_AT (0–1), SCALE_PACKING_DELAY_MS (the loop's mean delay) and
 * SCALE_PACKING_WINDOW_MS (the window both are read over).
 */
function packingExperiment(): { saturated?: () => boolean } {
  const setting = (name: string, fallback: number) => {
    const value = Number(process.env[name] ?? Number.NaN);
    return Number.isFinite(value) ? value : fallback;
  };
  const names = ['SCALE_PACKING_SATURATED_AT', 'SCALE_PACKING_DELAY_MS', 'SCALE_PACKING_WINDOW_MS'];
  if (!names.some((name) => process.env[name] !== undefined)) return {};
  return {
    // One worker a process, for the process's life: its sampler is never stopped.
    saturated: ownSaturation({
      busyAt: setting('SCALE_PACKING_SATURATED_AT', DEFAULT_SATURATED_AT),
      delayMs: setting('SCALE_PACKING_DELAY_MS', DEFAULT_SATURATED_DELAY_MS),
      windowMs: setting('SCALE_PACKING_WINDOW_MS', DEFAULT_UTILIZATION_WINDOW_MS),
    }).saturated,
  };
}
