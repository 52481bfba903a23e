import 'reflect-metadata';
import { MikroORM } from '@mikro-orm/postgresql';
import type pg from 'pg';
import { z } from 'zod';
import { createEngine, type Engine, type EngineConfig, type EngineDeps, type Worker } from '../../src/engine/index.js';
import type { JsonObject, JsonValue } from '../../src/entities/json.js';
import { isTerminalExecutionStatus, type ExecutionStatus } from '../../src/entities/statuses.js';
import { AppError } from '../../src/errors.js';
import { ormOptions } from '../../src/infra/database.js';
import { createEnginePool } from '../../src/infra/pg-pool.js';
import { createLogger } from '../../src/logger.js';
import { createInProcessPubSub, type PubSub } from '../../src/pubsub.js';
import type { WakeupSource } from '../../src/engine/wakeups.js';
import { createServiceRegistry, defineServiceMethod, type ServiceMethod } from '../../src/services/registry.js';
import { createTestDatabase, type TestDatabase } from './database.js';
import { WAIT_MS, eventually } from './eventually.js';
import { createTenant } from './fixtures.js';

/**
 * Services for engine tests. Local effects are rows in `test_effects`, one per call, keyed by the
 * idempotency key: a key seen twice is a duplicated effect.
 */
export const TEST_EFFECTS_TABLE = `
  create table if not exists test_effects (
    id bigserial primary key,
    idempotency_key text not null,
    label text not null,
    created_at timestamptz not null default clock_timestamp()
  )`;

/** In-memory attempt counters for flaky services, per idempotency key. */
export const attempts = new Map<string, number>();

/** Idempotency keys whose `record` call has held once (`holdFirstMs`). */
const held = new Set<string>();

/** Waits `ms`, or rejects as soon as the step is aborted. */
function abortableSleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    const timer = setTimeout(resolve, ms);
    signal.addEventListener('abort', () => {
      clearTimeout(timer);
      reject(new AppError('TIMEOUT', 'aborted'));
    });
  });
}

export function testServiceMethods(): ServiceMethod[] {
  const methods = [
    defineServiceMethod({
      service: 'test',
      method: 'echo',
      description: 'Returns its params.',
      effects: 'none',
      input: z.record(z.string(), z.unknown()),
      async run(_ctx, input) {
        return input as JsonObject;
      },
    }),
    defineServiceMethod({
      service: 'test',
      method: 'record',
      description: 'A local effect: one row in test_effects.',
      effects: 'local',
      input: z.object({ label: z.string(), failAfterWrite: z.boolean().optional(), holdFirstMs: z.number().int().optional() }),
      async run(ctx, input) {
        await ctx.em
          .getConnection()
          .execute(
            'insert into test_effects (idempotency_key, label) values (?, ?)',
            [ctx.idempotencyKey, input.label],
            'run',
            ctx.em.getTransactionContext(),
          );
        if (input.failAfterWrite) throw new AppError('INVALID_STATE', `record ${input.label} refused after writing`);
        // The first call for a key (in this process) holds its transaction open, as a slow step would.
        if (input.holdFirstMs !== undefined && !held.has(ctx.idempotencyKey)) {
          held.add(ctx.idempotencyKey);
          await abortableSleep(input.holdFirstMs, ctx.signal);
        }
        return { recorded: input.label };
      },
    }),
    defineServiceMethod({
      service: 'test',
      method: 'flaky',
      description: 'Fails `failures` times per idempotency key, then succeeds.',
      effects: 'none',
      input: z.object({ failures: z.number().int(), code: z.string().optional(), retryable: z.boolean().optional() }),
      async run(ctx, input) {
        const made = (attempts.get(ctx.idempotencyKey) ?? 0) + 1;
        attempts.set(ctx.idempotencyKey, made);
        if (made <= input.failures) {
          throw new AppError((input.code ?? 'EXTERNAL_UNAVAILABLE') as 'EXTERNAL_UNAVAILABLE', `attempt ${made} failed`, {
            retryable: input.retryable ?? true,
          });
        }
        return { attempts: made, at: new Date().toISOString() };
      },
    }),
    defineServiceMethod({
      service: 'test',
      method: 'dropConnection',
      description: 'A local effect whose first `times` attempts lose their database connection mid-transaction.',
      effects: 'local',
      input: z.object({ label: z.string(), times: z.number().int() }),
      async run(ctx, input) {
        const made = (attempts.get(ctx.idempotencyKey) ?? 0) + 1;
        attempts.set(ctx.idempotencyKey, made);
        const execute = (sql: string, params: unknown[] = []) =>
          ctx.em.getConnection().execute(sql, params, 'run', ctx.em.getTransactionContext());
        await execute('insert into test_effects (idempotency_key, label) values (?, ?)', [ctx.idempotencyKey, input.label]);
        // What an administrator's pg_terminate_backend or a failover does to the step's connection.
        if (made <= input.times) await execute('select pg_terminate_backend(pg_backend_pid())');
        return { recorded: input.label, attempts: made };
      },
    }),
    defineServiceMethod({
      service: 'test',
      method: 'sleep',
      description: 'Waits, honouring the abort signal.',
      effects: 'none',
      input: z.object({ ms: z.number().int() }),
      async run(ctx, input) {
        await abortableSleep(input.ms, ctx.signal);
        return { slept: input.ms };
      },
    }),
    defineServiceMethod({
      service: 'test',
      method: 'rendezvous',
      description: 'Waits until `parties` calls with the same `at` are all waiting: only steps that overlap can meet.',
      effects: 'none',
      input: z.object({ at: z.string(), parties: z.number().int().min(1), giveUpMs: z.number().int().default(10_000) }),
      async run(ctx, input) {
        const met = await meetAt(`${ctx.idempotencyKey.split(':')[0] ?? ''}:${input.at}`, input.parties, input.giveUpMs, ctx.signal);
        return { met };
      },
    }),
    defineServiceMethod({
      service: 'test',
      method: 'undo',
      description: 'A compensation: records what it undid.',
      effects: 'local',
      input: z.object({ label: z.string() }),
      async run(ctx, input) {
        await ctx.em
          .getConnection()
          .execute(
            'insert into test_effects (idempotency_key, label) values (?, ?)',
            [ctx.idempotencyKey, `undo:${input.label}`],
            'run',
            ctx.em.getTransactionContext(),
          );
        return { undone: input.label };
      },
    }),
  ];
  return methods as ServiceMethod[];
}

export interface TestEngine {
  engine: Engine;
  orm: MikroORM;
  pool: pg.Pool;
  pubsub: PubSub;
  tenantId: string;
  worker?: Worker;
  /** Saves a workflow in the test tenant. */
  save(name: string, definition: object): Promise<unknown>;
  /** Starts a run in the test tenant and waits for it to end. */
  run(name: string, context?: object): Promise<{ executionId: string; execution: ExecutionRow }>;
  /** Starts a run in the test tenant. */
  start(name: string, context?: object): Promise<string>;
  /** `pollIntervalMs`: set it long to prove a run was claimed on a wake-up, not found by a poll. */
  startWorker(options?: Partial<{ concurrency: number; pollIntervalMs: number }>): Promise<Worker>;
  /** Polls until the execution reaches a terminal status (or `until`). */
  waitFor(executionId: string, until?: (status: ExecutionStatus) => boolean, timeoutMs?: number): Promise<ExecutionRow>;
  steps(
    executionId: string,
  ): Promise<
    Array<{ key: string; status: string; attempts: number; output: JsonValue; error: JsonObject | null; compensation: JsonObject | null }>
  >;
  events(executionId: string): Promise<Array<{ seq: number; type: string; step_key: string | null }>>;
  effects(): Promise<Array<{ idempotency_key: string; label: string }>>;
  stop(): Promise<void>;
}

export interface ExecutionRow {
  id: string;
  status: ExecutionStatus;
  result: JsonValue;
  error: JsonObject | null;
}

export type TestEngineDeps = Pick<EngineDeps, 'tracer' | 'observer' | 'clock'> & {
  services?: ServiceMethod[];
  poolMax?: number;
  /** Stands between the engine and the pub/sub it hears wake-ups from (to watch its subscriptions). */
  watchWakeups?: (source: WakeupSource) => WakeupSource;
};

/**
 * `deps`: a tracer and observer (tests of traces with the SDK's in-memory exporter, and of metrics), the
 * engine's clock (to move time on), services beyond the test ones, and a watch on its wake-up subscriptions.
 */
export async function startTestEngine(
  databaseUrl: string,
  config: Partial<EngineConfig> = {},
  deps: TestEngineDeps = {},
): Promise<TestEngine> {
  const { services = [], poolMax = 6, watchWakeups, ...engineDeps } = deps;
  const orm = await MikroORM.init(ormOptions(databaseUrl, 6));
  const logger = createLogger(process.env['TEST_LOG_LEVEL'] === 'debug' ? 'debug' : 'silent');
  // The pools production uses: a connection the database dropped is discarded, not handed out again.
  // A path that waits 10 s for a connection is stuck (see `poolMax`): it fails rather than hangs the file.
  const pool = createEnginePool({ connectionString: databaseUrl, max: poolMax, connectionTimeoutMillis: 10_000 }, logger);
  await pool.query(TEST_EFFECTS_TABLE);
  const pubsub = createInProcessPubSub();
  const engine = createEngine({
    orm,
    pool,
    publisher: pubsub,
    wakeups: watchWakeups ? watchWakeups(pubsub) : pubsub,
    services: createServiceRegistry([...testServiceMethods(), ...services]),
    logger,
    config: { leaseSeconds: 5, inProcessWaitMs: 1_000, ...config },
    ...engineDeps,
  });
  const tenantId = (await createTenant(orm)).id;
  const workers: Worker[] = [];
  const harness: TestEngine = {
    engine,
    orm,
    pool,
    pubsub,
    tenantId,
    save: (name, definition) => engine.workflows.save({ tenantId, name, definition: definition as JsonObject }),
    async start(name, context = {}) {
      return (await engine.start({ tenantId, workflow: name, context: context as JsonObject })).executionId;
    },
    async run(name, context = {}) {
      const executionId = await harness.start(name, context);
      return { executionId, execution: await harness.waitFor(executionId) };
    },
    async startWorker(options = {}) {
      const worker = await engine.startWorker({
        concurrency: options.concurrency ?? 10,
        recoveryIntervalMs: 500,
        pollIntervalMs: options.pollIntervalMs ?? 200,
      });
      workers.push(worker);
      harness.worker = worker;
      return worker;
    },
    async waitFor(executionId, until = isTerminalExecutionStatus, timeoutMs = WAIT_MS) {
      const row = await eventually(
        `execution ${executionId}`,
        async () =>
          (await pool.query<ExecutionRow>('select id, status, result, error from executions where id = $1', [executionId])).rows[0],
        (found) => found !== undefined && until(found.status),
        timeoutMs,
      );
      if (!row) throw new Error(`execution ${executionId} not found`);
      return row;
    },
    async steps(executionId) {
      const { rows } = await pool.query(
        'select key, status, attempts, output, error, compensation from execution_steps where execution_id = $1 order by sequence',
        [executionId],
      );
      return rows;
    },
    async events(executionId) {
      const { rows } = await pool.query('select seq, type, step_key from execution_events where execution_id = $1 order by seq', [
        executionId,
      ]);
      return rows;
    },
    async effects() {
      const { rows } = await pool.query('select idempotency_key, label from test_effects order by id');
      return rows;
    },
    async stop() {
      for (const worker of workers) await worker.stop();
      await pubsub.close();
      await pool.end();
      await orm.close();
    },
  };
  return harness;
}

/**
 * A test engine for the whole file, on a database of its own, with a worker running (unless told not
 * to): set up before the file's tests and torn down after them — before any `afterAll` declared after this
 * call (jest runs them in order). The returned handle forwards to it.
 *
 * `poolMax`: the engine pool's size (1 proves a path never holds one connection while it waits for another);
 * `deps`: as startTestEngine's (an observer, a clock, services beyond the test ones).
 */
export function useTestEngine(
  options: { config?: Partial<EngineConfig>; worker?: boolean; poolMax?: number; deps?: TestEngineDeps } = {},
): TestEngine {
  let database: TestDatabase | undefined;
  let engine: TestEngine | undefined;
  beforeAll(async () => {
    database = await createTestDatabase();
    engine = await startTestEngine(database.url, options.config, {
      ...options.deps,
      ...(options.poolMax === undefined ? {} : { poolMax: options.poolMax }),
    });
    if (options.worker !== false) await engine.startWorker();
  });
  afterAll(async () => {
    await engine?.stop();
    await database?.drop();
  });
  return new Proxy({} as TestEngine, {
    get(_, property) {
      if (!engine) throw new Error('the test engine is used before beforeAll started it');
      return Reflect.get(engine, property);
    },
  });
}

/**
 * Saves a one-step workflow (a transform) in the test tenant and answers its id and current version: for the
 * store-level tests that record runs with the engine's statements themselves.
 */
export async function savedWorkflow(t: TestEngine, name: string): Promise<{ id: string; version: number }> {
  await t.save(name, { steps: [{ name: 'one', type: 'transform', output: { n: 1 } }] });
  const { rows } = await t.pool.query<{ id: string; current_version: number }>(
    'select id, current_version from workflows where tenant_id = $1 and name = $2',
    [t.tenantId, name],
  );
  const [row] = rows;
  if (!row) throw new Error(`workflow ${name} not saved`);
  return { id: row.id, version: row.current_version };
}

const rendezvous = new Map<string, { arrived: number; release: Array<() => void> }>();

/**
 * Resolves once `parties` callers are waiting at `key` (with how many met); fails after `giveUpMs`, so
 * steps that ran one after the other fail the run instead of passing by being quick.
 */
function meetAt(key: string, parties: number, giveUpMs: number, signal: AbortSignal): Promise<number> {
  const point = rendezvous.get(key) ?? { arrived: 0, release: [] };
  rendezvous.set(key, point);
  point.arrived += 1;
  if (point.arrived >= parties) {
    rendezvous.delete(key);
    for (const release of point.release) release();
    return Promise.resolve(point.arrived);
  }
  return new Promise((resolve, reject) => {
    const giveUp = setTimeout(
      () =>
        reject(
          new AppError('INVALID_STATE', `only ${point.arrived} of ${parties} reached ${key}: the steps did not overlap`, {
            retryable: false,
          }),
        ),
      giveUpMs,
    );
    signal.addEventListener('abort', () => clearTimeout(giveUp), { once: true });
    point.release.push(() => {
      clearTimeout(giveUp);
      resolve(parties);
    });
  });
}
