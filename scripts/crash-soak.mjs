// Crash soak (issue 3): 200 cycles (CYCLES) of a worker process killed with SIGKILL — at a random named
// point or at a random moment — while a healthy worker keeps going. At the end every run must be
// completed and every local effect must exist exactly once. Prints the figures.
//   npm run build && node scripts/crash-soak.mjs
import 'reflect-metadata';
import { spawn } from 'node:child_process';
import { randomInt } from 'node:crypto';
import path from 'node:path';
import { MikroORM } from '@mikro-orm/postgresql';
import pg from 'pg';
import { z } from 'zod';
import { benchPostgres } from '../dist/bench/lib/postgres.js';
import { createEngine } from '../dist/src/engine/index.js';
import { Tenant } from '../dist/src/entities/index.js';
import { migrate, ormOptions } from '../dist/src/infra/database.js';
import { createLogger } from '../dist/src/logger.js';
import { createInProcessPubSub } from '../dist/src/pubsub.js';
import { createServiceRegistry, defineServiceMethod } from '../dist/src/services/registry.js';

const CYCLES = Number(process.env.CYCLES ?? 200);
const RUNS_PER_CYCLE = Number(process.env.RUNS_PER_CYCLE ?? 5);
const STEPS = 4;
const POINTS = ['before-step', 'in-transaction', 'after-commit', 'random-moment'];
const WORKER = path.resolve('tests/helpers/crash-worker.mjs');

function spawnWorker(url, crash) {
  const child = spawn(process.execPath, [WORKER], {
    env: {
      PATH: process.env.PATH,
      DATABASE_URL: url,
      LEASE_SECONDS: '2',
      ...(crash ? { CRASH_AT: crash.point, CRASH_ON_HIT: String(crash.hit) } : {}),
    },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const exited = new Promise((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
  const ready = new Promise((resolve) => child.stdout.on('data', (chunk) => chunk.toString().includes('ready') && resolve()));
  return { child, exited, ready };
}

const postgres = await benchPostgres();
const url = await postgres.database('crash_soak');
const orm = await MikroORM.init(ormOptions(url, 4));
await migrate(orm, url);
const pool = new pg.Pool({ connectionString: url, max: 4 });
pool.on('error', () => undefined);
pool.on('connect', (client) => client.on('error', () => undefined));
await pool.query(
  'create table if not exists test_effects (id bigserial primary key, idempotency_key text not null, label text not null, created_at timestamptz not null default clock_timestamp())',
);
const record = defineServiceMethod({
  service: 'test',
  method: 'record',
  description: 'effect',
  effects: 'local',
  input: z.object({ label: z.string() }),
  run: async () => ({}),
});
const engine = createEngine({
  orm,
  pool,
  publisher: createInProcessPubSub(),
  services: createServiceRegistry([record]),
  logger: createLogger('silent'),
});
const em = orm.em.fork();
const tenant = em.create(Tenant, { slug: 'soak', name: 'Soak' });
await em.flush();
await engine.workflows.save({
  tenantId: tenant.id,
  name: 'effects',
  definition: {
    steps: Array.from({ length: STEPS }, (_, i) => ({
      name: `s${i + 1}`,
      type: 'service_call',
      service: 'test',
      method: 'record',
      params: { label: `s${i + 1}` },
    })),
  },
});

const started = performance.now();
const healthy = spawnWorker(url);
await healthy.ready;
const ids = [];
const kills = Object.fromEntries(POINTS.map((point) => [point, 0]));
for (let cycle = 0; cycle < CYCLES; cycle += 1) {
  // The doomed worker is up before the runs start, so it takes its share of them.
  const point = POINTS[randomInt(POINTS.length)];
  const doomed = point === 'random-moment' ? spawnWorker(url) : spawnWorker(url, { point, hit: 1 + randomInt(4) });
  await doomed.ready;
  for (let i = 0; i < RUNS_PER_CYCLE; i += 1) ids.push((await engine.start({ tenantId: tenant.id, workflow: 'effects' })).executionId);
  if (point === 'random-moment') {
    await new Promise((resolve) => setTimeout(resolve, randomInt(5, 150)));
    doomed.child.kill('SIGKILL');
    kills[point] += 1;
  } else {
    // It dies at its crash point if it gets there; if the healthy worker took every run first, stop it.
    const outcome = await Promise.race([doomed.exited, new Promise((resolve) => setTimeout(() => resolve(undefined), 2_000))]);
    if (outcome?.signal === 'SIGKILL') kills[point] += 1;
    else {
      kills.none = (kills.none ?? 0) + 1;
      doomed.child.kill('SIGKILL');
    }
  }
  await doomed.exited;
  if ((cycle + 1) % 20 === 0) process.stdout.write(`cycle ${cycle + 1}/${CYCLES}\n`);
}

// Every run must finish (dead workers' leases expire and recovery hands their runs over).
const deadline = Date.now() + 120_000;
let pending = Infinity;
while (Date.now() < deadline) {
  const { rows } = await pool.query(`select count(*)::int as n from executions where id = any($1::uuid[]) and status <> 'completed'`, [
    ids,
  ]);
  pending = rows[0].n;
  if (pending === 0) break;
  await new Promise((resolve) => setTimeout(resolve, 250));
}
const seconds = (performance.now() - started) / 1000;
const { rows: effects } = await pool.query('select idempotency_key, count(*)::int as n from test_effects group by 1');
const duplicated = effects.filter((row) => row.n > 1).length;
const expected = ids.length * STEPS;
// These workflows never wait: a lease taken more than once means a dead worker's run was taken over.
const { rows: recovered } = await pool.query(`select count(*)::int as n from executions where lease_epoch > 1 and id = any($1::uuid[])`, [
  ids,
]);

healthy.child.kill('SIGKILL');
await healthy.exited;
await pool.end();
await orm.close();
await postgres.stop();

console.log(
  `crash soak: ${CYCLES} cycles in ${seconds.toFixed(0)} s; worker processes killed: ${Object.entries(kills)
    .map(([point, n]) => `${point} ${n}`)
    .join(', ')}`,
);
console.log(`runs: ${ids.length} started, ${ids.length - pending} completed, ${pending} not completed (lost)`);
console.log(
  `local effects: ${effects.length} distinct of ${expected} expected, ${duplicated} duplicated; runs taken over from a killed worker: ${recovered[0].n}`,
);
process.exit(pending === 0 && duplicated === 0 && effects.length === expected ? 0 : 1);
