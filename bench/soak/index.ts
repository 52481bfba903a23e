import { readFile } from 'node:fs/promises';
import { createClient, type Client } from 'graphql-ws';
import pg from 'pg';
import WebSocket from 'ws';
import { startRedisServer } from '../../src/infra/local-redis.js';
import { graphql, loginAdmin, startSwitchyardProcess, type SwitchyardProcess } from '../api/switchyard-process.js';
import { benchPostgres } from '../lib/postgres.js';
import { fmt } from '../lib/stats.js';

/**
 * `npm run bench:soak`: does memory stay flat over a long run? An API process and a worker process
 * (real, separate, on one PostgreSQL and one Redis), each process's RSS read from /proc.
 *
 * 1. The worker runs STEPS steps (runs of a ten-step workflow, IN_FLIGHT at a time, started through
 *    the API): its RSS at the 10 % mark (after warm-up) and at the end.
 * 2. The API serves SUBSCRIBERS graphql-ws subscriptions (executionProgress, one run each, over
 *    SOCKETS sockets) while their runs — parked on an event until every subscriber is live — take
 *    EVENTS events in all: its RSS at 10 % of the events delivered and at the end.
 * Target (issue 15): each ≤ +20 MB from the 10 % mark to the end. Figures, never assertions.
 */
const STEPS = Number(process.env['STEPS'] ?? 100_000);
const IN_FLIGHT = Number(process.env['IN_FLIGHT'] ?? 50);
const SUBSCRIBERS = Number(process.env['SUBSCRIBERS'] ?? 1_000);
const SOCKETS = Number(process.env['SOCKETS'] ?? 10);
const EVENTS = Number(process.env['EVENTS'] ?? 100_000);
const STEPS_PER_RUN = 10;
const GO_EVENT = 'soak.go';
/** Each run of the subscribers' workflow: created, started, the wait's and each transform's start and end, completed. */
const STREAMED_STEPS = Math.max(1, Math.round(EVENTS / SUBSCRIBERS / 2) - 3);
const EVENTS_PER_RUN = 2 * (STREAMED_STEPS + 1) + 4;

const transforms = (count: number) => Array.from({ length: count }, (_, i) => ({ name: `t${i + 1}`, type: 'transform', output: { i } }));
const WORKFLOWS = {
  soak_steps: { steps: transforms(STEPS_PER_RUN) },
  soak_stream: { steps: [{ name: 'go', type: 'wait', event: { name: GO_EVENT } }, ...transforms(STREAMED_STEPS)] },
};

async function rssMb(pid: number): Promise<number> {
  const status = await readFile(`/proc/${pid}/status`, 'utf8');
  const kb = Number(/VmRSS:\s+(\d+)\s+kB/.exec(status)?.[1] ?? Number.NaN);
  return kb / 1024;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function start(api: SwitchyardProcess, token: string, workflow: string): Promise<string> {
  const data = await graphql<{ executeWorkflow: { execution: { id: string } } }>(
    api,
    token,
    'mutation($name: String!) { executeWorkflow(name: $name) { execution { id } } }',
    { name: workflow },
  );
  return data.executeWorkflow.execution.id;
}

/** Part 1: the worker's RSS over STEPS steps, IN_FLIGHT runs at a time (completion polled from the database). */
async function workerSoak(
  api: SwitchyardProcess,
  worker: SwitchyardProcess,
  token: string,
  db: pg.Pool,
): Promise<{ at10: number; atEnd: number; steps: number; seconds: number }> {
  const runs = Math.ceil(STEPS / STEPS_PER_RUN);
  const waiting = new Set<string>();
  let started = 0;
  let finished = 0;
  let at10: number | undefined;
  const began = performance.now();
  while (finished < runs) {
    while (waiting.size < IN_FLIGHT && started < runs) {
      started += 1;
      waiting.add(await start(api, token, 'soak_steps'));
    }
    await sleep(100);
    const { rows } = await db.query<{ id: string }>(
      "select id from executions where id = any($1::uuid[]) and status in ('completed', 'failed', 'cancelled')",
      [[...waiting]],
    );
    for (const row of rows) waiting.delete(row.id);
    finished += rows.length;
    if (at10 === undefined && finished * STEPS_PER_RUN >= STEPS / 10) at10 = await rssMb(worker.pid);
  }
  const seconds = (performance.now() - began) / 1000;
  const { rows } = await db.query<{ failed: number }>(
    "select count(*)::int as failed from executions where status <> 'completed' and workflow_id = (select id from workflows where name = 'soak_steps')",
  );
  if ((rows[0]?.failed ?? 0) > 0) throw new Error(`${rows[0]?.failed} soak runs did not complete`);
  return { at10: at10 ?? Number.NaN, atEnd: await rssMb(worker.pid), steps: runs * STEPS_PER_RUN, seconds };
}

/** Part 2: the API's RSS while SUBSCRIBERS subscriptions take EVENTS events. */
async function subscriberSoak(
  api: SwitchyardProcess,
  token: string,
): Promise<{ at10: number; atEnd: number; delivered: number; seconds: number }> {
  const ids: string[] = [];
  for (let i = 0; i < SUBSCRIBERS; i += 1) ids.push(await start(api, token, 'soak_stream'));
  const clients: Client[] = Array.from({ length: SOCKETS }, () =>
    createClient({ url: api.wsUrl, webSocketImpl: WebSocket, connectionParams: { authorization: `Bearer ${token}` }, retryAttempts: 0 }),
  );
  const total = SUBSCRIBERS * EVENTS_PER_RUN;
  let delivered = 0;
  let live = 0;
  let at10: number | undefined;
  let failure: Error | undefined;
  const sampling: Promise<void>[] = [];
  const done = ids.map(
    (id, index) =>
      new Promise<void>((resolve) => {
        let first = true;
        clients[index % SOCKETS]!.subscribe(
          {
            query: 'subscription($id: ID!) { executionProgress(executionId: $id, afterSequence: 0) { sequence type } }',
            variables: { id },
          },
          {
            next: () => {
              if (first) {
                first = false;
                live += 1;
              }
              delivered += 1;
              if (at10 === undefined && delivered >= total / 10) {
                at10 = Number.NaN;
                sampling.push(rssMb(api.pid).then((mb) => void (at10 = mb)));
              }
            },
            error: (error) => {
              failure ??= error instanceof Error ? error : new Error(JSON.stringify(error));
              resolve();
            },
            complete: resolve,
          },
        );
      }),
  );
  // Every subscriber has its run's first events (the log's replay) before the runs go on.
  for (let waited = 0; live < SUBSCRIBERS; waited += 100) {
    if (waited > 120_000) throw new Error(`only ${live} of ${SUBSCRIBERS} subscriptions went live`);
    await sleep(100);
  }
  const began = performance.now();
  await graphql(api, token, 'mutation($name: String!) { publishEvent(name: $name, payload: {}) { created } }', { name: GO_EVENT });
  await Promise.all(done);
  await Promise.all(sampling);
  const seconds = (performance.now() - began) / 1000;
  await Promise.all(clients.map(async (client) => client.dispose()));
  if (failure) throw failure;
  return { at10: at10 ?? Number.NaN, atEnd: await rssMb(api.pid), delivered, seconds };
}

async function main(): Promise<void> {
  const postgres = await benchPostgres();
  const redis = await startRedisServer();
  const databaseUrl = await postgres.database('switchyard_bench_soak');
  const db = new pg.Pool({ connectionString: databaseUrl, max: 2 });
  const api = await startSwitchyardProcess({ databaseUrl, redisUrl: redis.url, env: { SWITCHYARD_ROLES: 'api' } });
  const worker = await startSwitchyardProcess({ databaseUrl, redisUrl: redis.url, env: { SWITCHYARD_ROLES: 'worker' } });
  try {
    const { token } = await loginAdmin(api);
    for (const [name, definition] of Object.entries(WORKFLOWS)) {
      await graphql(api, token, 'mutation($input: CreateWorkflowInput!) { createWorkflow(input: $input) { id } }', {
        input: { name, definition },
      });
    }
    console.log(`\nbench:soak — ${postgres.describe}, Redis; an API process and a worker process`);
    const steps = await workerSoak(api, worker, token, db);
    console.log(
      `worker: ${steps.steps} steps (${IN_FLIGHT} runs in flight) in ${fmt(steps.seconds, 0)} s; RSS ${fmt(steps.at10, 1)} MB at 10 % → ${fmt(steps.atEnd, 1)} MB at the end: ` +
        `${fmt(steps.atEnd - steps.at10, 1)} MB (target ≤ +20)`,
    );
    const stream = await subscriberSoak(api, token);
    console.log(
      `API: ${SUBSCRIBERS} subscribers over ${SOCKETS} sockets, ${stream.delivered} events delivered in ${fmt(stream.seconds, 0)} s; RSS ${fmt(stream.at10, 1)} MB at 10 % → ${fmt(stream.atEnd, 1)} MB at the end: ` +
        `${fmt(stream.atEnd - stream.at10, 1)} MB (target ≤ +20)`,
    );
  } finally {
    await worker.stop();
    await api.stop();
    await db.end();
    await redis.stop();
    await postgres.stop();
  }
}

await main();
