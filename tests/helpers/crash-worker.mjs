// A worker process for crash tests: runs the engine's worker against DATABASE_URL and, when told to,
// kills itself with SIGKILL at a named point (CRASH_AT, on its CRASH_ON_HIT-th occurrence); STEP_DELAY_MS
// slows each step so that a test can kill it while runs are certainly in flight. Plain
// JavaScript on the compiled sources in dist/, so the test can spawn it as a real process.
import 'reflect-metadata';
import { MikroORM } from '@mikro-orm/postgresql';
import pg from 'pg';
import { z } from 'zod';
import { createEngine } from '../../dist/src/engine/index.js';
import { ormOptions } from '../../dist/src/infra/database.js';
import { createLogger } from '../../dist/src/logger.js';
import { createInProcessPubSub } from '../../dist/src/pubsub.js';
import { createServiceRegistry, defineServiceMethod } from '../../dist/src/services/registry.js';

const env = process.env;
const crashAt = env.CRASH_AT;
const crashOnHit = Number(env.CRASH_ON_HIT ?? '1');
const stepDelayMs = Number(env.STEP_DELAY_MS ?? '0');
let hits = 0;
const probe = crashAt
  ? (point) => {
      if (point === crashAt && ++hits >= crashOnHit) process.kill(process.pid, 'SIGKILL');
    }
  : undefined;

/** A local effect: one row per call in test_effects, keyed by the idempotency key. */
const record = defineServiceMethod({
  service: 'test',
  method: 'record',
  description: 'Records one effect row.',
  effects: 'local',
  input: z.object({ label: z.string() }),
  async run(ctx, input) {
    if (stepDelayMs > 0) await new Promise((resolve) => setTimeout(resolve, stepDelayMs));
    await ctx.em
      .getConnection()
      .execute(
        'insert into test_effects (idempotency_key, label) values (?, ?)',
        [ctx.idempotencyKey, input.label],
        'run',
        ctx.em.getTransactionContext(),
      );
    return { recorded: input.label };
  },
});

const orm = await MikroORM.init(ormOptions(env.DATABASE_URL, 4));
const pool = new pg.Pool({ connectionString: env.DATABASE_URL, max: 6 });
pool.on('error', () => undefined);
pool.on('connect', (client) => client.on('error', () => undefined));
const engine = createEngine({
  orm,
  pool,
  publisher: createInProcessPubSub(),
  services: createServiceRegistry([record]),
  logger: createLogger(env.LOG_LEVEL ?? 'silent'),
  config: {
    leaseSeconds: Number(env.LEASE_SECONDS ?? '2'),
    ...(env.TENANT_CONCURRENCY_LIMIT ? { tenantConcurrencyLimit: Number(env.TENANT_CONCURRENCY_LIMIT) } : {}),
  },
  ...(probe ? { probe } : {}),
});
await engine.startWorker({ concurrency: Number(env.CONCURRENCY ?? '8'), recoveryIntervalMs: 300, pollIntervalMs: 200 });
console.log('ready');
