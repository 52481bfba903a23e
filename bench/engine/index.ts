import 'reflect-metadata';
import { MikroORM } from '@mikro-orm/postgresql';
import { DBOS } from '@dbos-inc/dbos-sdk';
import { Logger as QueueLogger, makeWorkerUtils, run as runQueue, runMigrations as runQueueMigrations } from 'graphile-worker';
import pg from 'pg';
import { z } from 'zod';
import { createEngine, tenantExecutionsFeed } from '../../src/engine/index.js';
import { Tenant } from '../../src/entities/index.js';
import { migrate, ormOptions } from '../../src/infra/database.js';
import { createLogger } from '../../src/logger.js';
import { createInProcessPubSub } from '../../src/pubsub.js';
import { createServiceRegistry, defineServiceMethod, type ServiceMethod } from '../../src/services/registry.js';
import { benchPostgres } from '../lib/postgres.js';
import { closedLoop, fmt, summarise, type RunStats } from '../lib/stats.js';
import { createMetrics } from '../../src/observability/metrics.js';
import { combineObservers } from '../../src/engine/ports.js';
import { activeTracing } from '../../src/observability/tracing/sdk.js';
import { tracedServices } from '../../src/observability/tracing/traced-services.js';
import { benchSink } from '../lib/tracing-preload.js';

/**
 * `npm run bench:engine`: a 6-step workflow of no-op steps run N times with IN_FLIGHT at once, through
 * Switchyard, DBOS Transact and a 6-job graphile-worker chain, against one PostgreSQL, plus the
 * one-row-update transaction limit of that server. Every step is a durable commit (synchronous_commit on).
 * `metrics` and `tracing` price Switchyard's Prometheus metrics and OpenTelemetry traces, each A-B-B-A.
 */
const N = Number(process.env['N'] ?? 2_000);
const IN_FLIGHT = Number(process.env['IN_FLIGHT'] ?? 50);
const WARMUP = Math.min(500, Math.ceil(N / 4));
const STEPS = 6;
const silentQueueLogger = new QueueLogger(() => () => undefined);

/** A dropped connection is reported by the query that used it (graphile-worker asks for both handlers). */
function quiet(pool: pg.Pool): void {
  pool.on('error', () => undefined);
  pool.on('connect', (client) => client.on('error', () => undefined));
}

interface Result extends RunStats {
  name: string;
  steps: number;
}

/** The instrumentations (pg…) patch their modules only for the tracing-on runs. */
function instrument(on: boolean): void {
  for (const instrumentation of activeTracing()?.instrumentations ?? []) {
    if (on) instrumentation.enable();
    else instrumentation.disable();
  }
}

/**
 * `metrics`: with the Prometheus metrics observing the engine (and scraped every second), to price them.
 * `tracing`: with OpenTelemetry on (run, step and service-call spans, pg's), exported over OTLP to a
 * receiver in another process (see lib/tracing-preload.ts).
 */
async function benchSwitchyard(url: string, options: { metrics?: boolean; tracing?: boolean } = {}): Promise<Result> {
  const logger = createLogger('silent');
  const orm = await MikroORM.init(ormOptions(url, 4));
  await migrate(orm, url);
  const pool = new pg.Pool({ connectionString: url, max: 16 });
  quiet(pool);
  const noop = defineServiceMethod({
    service: 'bench',
    method: 'noop',
    description: 'Does nothing.',
    effects: 'none',
    input: z.object({ i: z.number() }),
    async run(_ctx, input) {
      return { i: input.i };
    },
  });
  const pubsub = createInProcessPubSub();
  const metrics = options.metrics ? createMetrics({ logger }) : undefined;
  const tracing = options.tracing ? activeTracing() : undefined;
  if (options.tracing && !tracing) throw new Error('tracing is not running: run with the preload (npm run bench:engine)');
  instrument(tracing !== undefined);
  const services = createServiceRegistry([noop as ServiceMethod]);
  const observers = [...(metrics ? [metrics.observer] : []), ...(tracing ? [tracing.runTracer.observer] : [])];
  const engine = createEngine({
    orm,
    pool,
    publisher: pubsub,
    services: tracing ? tracedServices(services) : services,
    logger,
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
  const worker = await engine.startWorker({ concurrency: IN_FLIGHT * 2, recoveryIntervalMs: 5_000, pollIntervalMs: 1_000 });

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

  const { latencies, seconds } = await closedLoop(N, IN_FLIGHT, runOne, WARMUP);
  const { rows } = await pool.query<{ failed: number; steps: number }>(
    `select (select count(*) from executions where status <> 'completed')::int as failed,
            (select count(*) from execution_steps where status = 'completed')::int as steps`,
  );
  if (rows[0]?.failed !== 0 || rows[0]?.steps !== (N + WARMUP) * STEPS)
    throw new Error(`Switchyard runs incomplete: ${JSON.stringify(rows[0])}`);
  await events.return?.();
  clearInterval(scrapes);
  await worker.stop();
  await Promise.all([pool.end(), orm.close(), pubsub.close()]);
  instrument(false);
  return {
    name: metrics ? 'Switchyard + metrics' : tracing ? 'Switchyard + tracing' : 'Switchyard',
    steps: STEPS,
    ...summarise(latencies, seconds),
  };
}

async function benchDbos(url: string): Promise<Result> {
  DBOS.setConfig({ name: 'switchyard-bench', systemDatabaseUrl: url, systemDatabasePoolSize: 20, logLevel: 'error' });
  const noop = DBOS.registerStep(async (i: number) => i, { name: 'noop' });
  const workflow = DBOS.registerWorkflow(
    async () => {
      for (let i = 0; i < STEPS; i += 1) await noop(i);
    },
    { name: 'sixNoops' },
  );
  await DBOS.launch();
  const runOne = async () => {
    const handle = await DBOS.startWorkflow(workflow)();
    await handle.getResult();
  };
  const { latencies, seconds } = await closedLoop(N, IN_FLIGHT, runOne, WARMUP);
  await DBOS.shutdown();
  return { name: 'DBOS Transact', steps: STEPS, ...summarise(latencies, seconds) };
}

async function benchGraphileChain(url: string): Promise<Result> {
  const pool = new pg.Pool({ connectionString: url, max: 16 });
  quiet(pool);
  await runQueueMigrations({ pgPool: pool, logger: silentQueueLogger });
  const finished = new Map<string, () => void>();
  const runner = await runQueue({
    pgPool: pool,
    concurrency: IN_FLIGHT,
    noHandleSignals: true,
    pollInterval: 1_000,
    logger: silentQueueLogger,
    taskList: {
      chain_step: async (payload, helpers) => {
        const { chain, i } = payload as { chain: string; i: number };
        if (i + 1 < STEPS) await helpers.addJob('chain_step', { chain, i: i + 1 });
        else finished.get(chain)?.();
      },
    },
  });
  const utils = await makeWorkerUtils({ pgPool: pool, logger: silentQueueLogger });
  let counter = 0;
  const runOne = async () => {
    const chain = `c${counter++}`;
    const complete = new Promise<void>((resolve) => finished.set(chain, resolve));
    await utils.addJob('chain_step', { chain, i: 0 });
    await complete;
    finished.delete(chain);
  };
  const { latencies, seconds } = await closedLoop(N, IN_FLIGHT, runOne, WARMUP);
  await runner.stop();
  await utils.release();
  await pool.end();
  return { name: 'graphile-worker 6-job chain', steps: STEPS, ...summarise(latencies, seconds) };
}

/** The server's durable-write ceiling: 16 clients each updating their own row, one commit per update. */
async function rawUpdateLimit(url: string): Promise<{ tps: number }> {
  const clients = 16;
  const pool = new pg.Pool({ connectionString: url, max: clients });
  pool.on('error', () => undefined);
  await pool.query('create table if not exists bench_rows (id int primary key, v bigint not null)');
  await pool.query('insert into bench_rows select g, 0 from generate_series(1, $1) g on conflict do nothing', [clients]);
  const durationMs = 5_000;
  let count = 0;
  const deadline = performance.now() + durationMs;
  await Promise.all(
    Array.from({ length: clients }, async (_, id) => {
      const client = await pool.connect();
      try {
        while (performance.now() < deadline) {
          await client.query('update bench_rows set v = v + 1 where id = $1', [id + 1]);
          count += 1;
        }
      } finally {
        client.release();
      }
    }),
  );
  await pool.end();
  return { tps: count / (durationMs / 1000) };
}

/** Two runs of the same thing: their mean throughput and latencies. */
function meanOf(first: Result, second: Result): Result {
  const mean = (x: number, y: number) => (x + y) / 2;
  return {
    ...first,
    perSecond: mean(first.perSecond, second.perSecond),
    p50: mean(first.p50, second.p50),
    p99: mean(first.p99, second.p99),
  };
}

const line = (result: Result) =>
  `${result.name.padEnd(30)} ${fmt(result.perSecond).padStart(9)} wf/s ${fmt(result.perSecond * result.steps).padStart(9)} steps/s   p50 ${fmt(result.p50).padStart(7)} ms   p99 ${fmt(result.p99).padStart(7)} ms`;

async function main(): Promise<void> {
  const postgres = await benchPostgres();
  console.log(`bench:engine — N=${N}, in flight=${IN_FLIGHT}, ${STEPS} no-op steps per workflow, ${postgres.describe}`);
  try {
    const only = process.env['ONLY']?.split(',');
    let untraced: Result | undefined;
    let exported: string | undefined;
    const want = (name: string) => !only || only.includes(name);
    const results: Result[] = [];
    instrument(false);
    if (want('switchyard') && want('metrics')) {
      // Priced in A-B-B-A order on fresh databases: whichever runs later in a process runs faster (warm JIT, caches).
      const [a1, b1, b2, a2] = [
        await benchSwitchyard(await postgres.database('bench_switchyard')),
        await benchSwitchyard(await postgres.database('bench_switchyard_metrics'), { metrics: true }),
        await benchSwitchyard(await postgres.database('bench_switchyard_metrics_2'), { metrics: true }),
        await benchSwitchyard(await postgres.database('bench_switchyard_2')),
      ] as const;
      results.push(meanOf(a1, a2), meanOf(b1, b2));
    } else {
      if (want('switchyard')) results.push(await benchSwitchyard(await postgres.database('bench_switchyard')));
      if (want('metrics')) results.push(await benchSwitchyard(await postgres.database('bench_switchyard_metrics'), { metrics: true }));
    }
    if (want('tracing')) {
      // A-B-B-A again, tracing off and on; the receiver's count says every span got there.
      const [a1, b1, b2, a2] = [
        await benchSwitchyard(await postgres.database('bench_switchyard_untraced')),
        await benchSwitchyard(await postgres.database('bench_switchyard_traced'), { tracing: true }),
        await benchSwitchyard(await postgres.database('bench_switchyard_traced_2'), { tracing: true }),
        await benchSwitchyard(await postgres.database('bench_switchyard_untraced_2')),
      ] as const;
      await activeTracing()?.shutdown();
      const received = await benchSink()?.counts();
      untraced = meanOf(a1, a2);
      results.push(meanOf(b1, b2));
      if (received)
        exported = `${fmt(received.spans / (2 * (N + WARMUP)), 1)} spans per run, ${fmt(received.bytes / 1e6, 1)} MB in ${received.count} exports`;
      benchSink()?.stop();
    }
    if (want('dbos')) results.push(await benchDbos(await postgres.database('bench_dbos')));
    if (want('graphile')) results.push(await benchGraphileChain(await postgres.database('bench_graphile')));
    for (const result of results) console.log(line(result));
    if (want('raw')) {
      const raw = await rawUpdateLimit(await postgres.database('bench_raw'));
      console.log(`${'one-row update, 16 clients'.padEnd(30)} ${fmt(raw.tps).padStart(9)} TPS (durable-write limit)`);
    }
    const switchyard = results.find((result) => result.name === 'Switchyard');
    const dbos = results.find((result) => result.name === 'DBOS Transact');
    if (switchyard && dbos) console.log(`ratio vs DBOS: ${fmt(switchyard.perSecond / dbos.perSecond, 2)}`);
    const metered = results.find((result) => result.name === 'Switchyard + metrics');
    if (switchyard && metered)
      console.log(`metrics cost: ${fmt((1 - metered.perSecond / switchyard.perSecond) * 100, 1)} % of workflows/s`);
    const traced = results.find((result) => result.name === 'Switchyard + tracing');
    if (untraced && traced) {
      console.log(`${line({ ...untraced, name: 'Switchyard (tracing off)' })}`);
      console.log(
        `tracing cost: ${fmt((1 - traced.perSecond / untraced.perSecond) * 100, 1)} % of workflows/s, p99 ${fmt(untraced.p99)} → ${fmt(traced.p99)} ms (OTLP ${process.env['OTEL_EXPORTER_OTLP_PROTOCOL'] ?? 'http/protobuf'} to a local receiver process: ${exported ?? 'nothing received'})`,
      );
    }
  } finally {
    await postgres.stop();
  }
}

await main();
process.exit(0);
