import 'reflect-metadata';
import { MikroORM } from '@mikro-orm/postgresql';
import { createEngine, tenantExecutionsFeed } from '../../src/engine/index.js';
import { Tenant } from '../../src/entities/index.js';
import { migrate, ormOptions } from '../../src/infra/database.js';
import { createEnginePool } from '../../src/infra/pg-pool.js';
import { createLogger } from '../../src/logger.js';
import { createInProcessPubSub, createRedisPubSub, type PubSub } from '../../src/pubsub.js';
import { startRedisServer, type RedisServer } from '../../src/infra/local-redis.js';
import { createServiceRegistry, type ServiceMethod } from '../../src/services/registry.js';
import { noop } from '../scale/workloads.js';
import { createMetrics } from '../../src/observability/metrics.js';
import { combineObservers } from '../../src/engine/ports.js';
import { activeTracing } from '../../src/observability/tracing/sdk.js';
import { tracedServices } from '../../src/observability/tracing/traced-services.js';
import { processCpuMs } from '../lib/process-cpu.js';
import { closedLoop, summarise } from '../lib/stats.js';
import { startCluster, type Cluster } from '../scale/cluster.js';
import { N, shapeOf, STEPS, VARIANTS, WARMUP, type Variant, type VariantResult } from './settings.js';

/**
 * One Switchyard run of bench:engine, in a process of its own (forked by bench/engine/index.ts), so that
 * each variant meets a fresh process as production would: `off` loads no tracing SDK at all, `metrics`
 * observes the engine with the Prometheus metrics (process defaults included) scraped every second,
 * `tracing` runs under lib/tracing-preload (node --import: the SDK started before pg loads, spans exported
 * over OTLP to a receiver process). `workers1` and `workers2` run no worker here: bench:scale's worker
 * processes (as the `worker` role runs, Redis pub/sub between them and this one) run what this process
 * starts, and their CPU time counts with this one's. It answers its figures over IPC and exits.
 */
async function benchSwitchyard(url: string, variant: Variant): Promise<VariantResult> {
  const shape = shapeOf(variant);
  const logger = createLogger('silent');
  const orm = await MikroORM.init(ormOptions(url, 4));
  await migrate(orm, url);
  const pool = createEnginePool({ connectionString: url, max: 16 }, logger); // as main.ts builds it
  const redis: RedisServer | undefined = shape.workerProcesses > 0 ? await startRedisServer() : undefined;
  const pubsub: PubSub = redis ? await createRedisPubSub(redis.url) : createInProcessPubSub();
  const metrics = variant === 'metrics' ? createMetrics({ logger }) : undefined;
  const tracing = variant === 'tracing' ? activeTracing() : undefined;
  if (variant === 'tracing' && !tracing) throw new Error('tracing is not running: the tracing run needs lib/tracing-preload');
  const services = createServiceRegistry([noop as ServiceMethod]);
  const observers = [...(metrics ? [metrics.observer] : []), ...(tracing ? [tracing.runTracer.observer] : [])];
  const engine = createEngine({
    orm,
    pool,
    publisher: pubsub,
    services: tracing ? tracedServices(services) : services,
    logger,
    // With worker processes, runs wait in the queue for them and their wake-ups go through Redis.
    ...(redis ? { wakeups: pubsub, config: { runStartsLocally: false } } : {}),
    ...(observers.length > 0 ? { observer: combineObservers(...observers) } : {}),
    ...(tracing ? { tracer: tracing.runTracer } : {}),
  });
  const scrapes = metrics ? setInterval(() => void metrics.render(), 1_000) : undefined;
  const em = orm.em.fork();
  const tenant = em.create(Tenant, { slug: 'bench', name: 'Bench' });
  await em.flush();
  await engine.workflows.save({
    tenantId: tenant.id,
    name: 'six_noops',
    definition: {
      steps: Array.from({ length: STEPS }, (_, i) => ({
        name: `s${i + 1}`,
        type: 'service_call',
        service: 'bench',
        method: 'noop',
        params: { i },
      })),
    },
  });
  const concurrency = shape.inFlight * 2;
  const worker =
    shape.workerProcesses === 0 ? await engine.startWorker({ concurrency, recoveryIntervalMs: 5_000, pollIntervalMs: 1_000 }) : undefined;
  const cluster: Cluster | undefined = redis
    ? await startCluster({
        databaseUrl: url,
        redisUrl: redis.url,
        tenantId: tenant.id,
        apis: 0,
        workers: shape.workerProcesses,
        env: { SWITCHYARD_WORKER_CONCURRENCY: String(concurrency) },
      })
    : undefined;
  /** Each worker process's CPU time so far (ms). */
  const workersCpuMs = () => Promise.all((cluster?.workers ?? []).map((process) => processCpuMs(process.pid)));

  const done = new Map<string, () => void>();
  const early = new Set<string>();
  const events = await tenantExecutionsFeed(pubsub, tenant.id);
  void (async () => {
    for await (const event of events) {
      if (event.type !== 'execution.completed' && event.type !== 'execution.failed') continue;
      const resolve = done.get(event.executionId);
      if (resolve) resolve();
      else early.add(event.executionId);
    }
  })();
  const runOne = async () => {
    const { executionId } = await engine.start({ tenantId: tenant.id, workflow: 'six_noops' });
    if (early.delete(executionId)) return;
    await new Promise<void>((resolve) => done.set(executionId, resolve));
    done.delete(executionId);
  };

  let workersCpuAtStart = Promise.resolve<number[]>([]);
  const { latencies, seconds, cpuMs, machineCpuMs } = await closedLoop(
    N,
    shape.inFlight,
    runOne,
    WARMUP,
    () => (workersCpuAtStart = workersCpuMs()),
  );
  const atStart = await workersCpuAtStart;
  // Each worker process's share shows the packing: a second worker the primary leaves idle spends next to nothing.
  const workersCpuEach = (await workersCpuMs()).map((ms, index) => ms - (atStart[index] ?? 0));
  const workersCpu = workersCpuEach.reduce((sum, ms) => sum + ms, 0);
  const failure = cluster?.failure();
  if (failure) throw new Error(failure);
  const { rows } = await pool.query<{ failed: number; steps: number }>(
    `select (select count(*) from executions where status <> 'completed')::int as failed,
            (select count(*) from execution_steps where status = 'completed')::int as steps`,
  );
  if (rows[0]?.failed !== 0 || rows[0]?.steps !== (N + WARMUP) * STEPS)
    throw new Error(`Switchyard runs incomplete: ${JSON.stringify(rows[0])}`);
  await events.return?.();
  clearInterval(scrapes);
  await worker?.stop();
  await cluster?.stop();
  await Promise.all([pool.end(), orm.close(), pubsub.close()]);
  await redis?.stop();
  return {
    variant,
    name: shape.name,
    steps: STEPS,
    cpuMsPerWorkflow: (cpuMs + workersCpu) / N,
    ...(cluster ? { workersCpuMsPerWorkflow: workersCpuEach.map((ms) => ms / N) } : {}),
    machineCpuMsPerWorkflow: machineCpuMs / N,
    ...summarise(latencies, seconds),
  };
}

/** The receiver's count once every span of the run is exported: each got there. */
async function exported(): Promise<NonNullable<VariantResult['exported']>> {
  const { benchSink } = await import('../lib/tracing-preload.js');
  await activeTracing()?.shutdown();
  const counts = await benchSink().counts();
  benchSink().stop();
  return counts;
}

const variant = VARIANTS.find((each) => each === process.env['BENCH_ENGINE_VARIANT']);
const url = process.env['BENCH_DATABASE_URL'];
if (!variant || !url || !process.send) throw new Error('run by bench/engine/index.ts (BENCH_ENGINE_VARIANT, BENCH_DATABASE_URL, IPC)');
const result = await benchSwitchyard(url, variant);
const answer: VariantResult = variant === 'tracing' ? { ...result, exported: await exported() } : result;
process.send(answer, () => process.exit(0));
