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
 *
 * Each mark reads the RSS as it is, then asks the process (through its inspector) for a full collection
 * and reads the RSS and the V8 heap in use again. The target is judged on the figure after the collection:
 * what the process keeps, not how far its collector happened to have got (which swings by ±50 MB either
 * way at these allocation rates).
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

interface Memory {
  /** RSS as found, MB. */
  rss: number;
  /** RSS after a full collection, MB. */
  rssCollected: number;
  /** V8 heap in use after it, MB. */
  heapUsed: number;
}

async function memory(server: SwitchyardProcess): Promise<Memory> {
  const inspector = server.inspector;
  if (!inspector) throw new Error('the soak reads memory through the inspector: start the process with inspect: true');
  const rss = await rssMb(server.pid);
  await inspector.collectGarbage();
  return { rss, rssCollected: await rssMb(server.pid), heapUsed: await inspector.heapUsedMb() };
}

const growth = (from: Memory, to: Memory) =>
  `RSS after a full collection ${fmt(from.rssCollected, 1)} MB at 10 % → ${fmt(to.rssCollected, 1)} MB at the end: ` +
  `${fmt(to.rssCollected - from.rssCollected, 1)} MB (target ≤ +20); V8 heap in use ${fmt(from.heapUsed, 1)} → ${fmt(to.heapUsed, 1)} MB; ` +
  `RSS as found ${fmt(from.rss, 1)} → ${fmt(to.rss, 1)} MB`;

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
): Promise<{ at10: Memory; atEnd: Memory; steps: number; seconds: number }> {
  const runs = Math.ceil(STEPS / STEPS_PER_RUN);
  const waiting = new Set<string>();
  let started = 0;
  let finished = 0;
  let at10: Memory | undefined;
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
    if (at10 === undefined && finished * STEPS_PER_RUN >= STEPS / 10) at10 = await memory(worker);
  }
  const seconds = (performance.now() - began) / 1000;
  const { rows } = await db.query<{ failed: number }>(
    "select count(*)::int as failed from executions where status <> 'completed' and workflow_id = (select id from workflows where name = 'soak_steps')",
  );
  if ((rows[0]?.failed ?? 0) > 0) throw new Error(`${rows[0]?.failed} soak runs did not complete`);
  if (!at10) throw new Error('the worker soak never reached its 10 % mark');
  return { at10, atEnd: await memory(worker), steps: runs * STEPS_PER_RUN, seconds };
}

/** Part 2: the API's RSS while SUBSCRIBERS subscriptions take EVENTS events. */
async function subscriberSoak(
  api: SwitchyardProcess,
  token: string,
): Promise<{ at10: Memory; atEnd: Memory; delivered: number; seconds: number }> {
  const ids: string[] = [];
  for (let i = 0; i < SUBSCRIBERS; i += 1) ids.push(await start(api, token, 'soak_stream'));
  const clients: Client[] = Array.from({ length: SOCKETS }, () =>
    createClient({ url: api.wsUrl, webSocketImpl: WebSocket, connectionParams: { authorization: `Bearer ${token}` }, retryAttempts: 0 }),
  );
  const total = SUBSCRIBERS * EVENTS_PER_RUN;
  let delivered = 0;
  let live = 0;
  let at10: Promise<Memory> | undefined;
  let failure: Error | undefined;
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
              if (at10 === undefined && delivered >= total / 10) at10 = memory(api);
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
  const seconds = (performance.now() - began) / 1000;
  await Promise.all(clients.map(async (client) => client.dispose()));
  if (failure) throw failure;
  if (!at10) throw new Error('the subscriber soak never reached its 10 % mark');
  return { at10: await at10, atEnd: await memory(api), delivered, seconds };
}

async function main(): Promise<void> {
  const postgres = await benchPostgres();
  const redis = await startRedisServer();
  const databaseUrl = await postgres.database('switchyard_bench_soak');
  const db = new pg.Pool({ connectionString: databaseUrl, max: 2 });
  const api = await startSwitchyardProcess({ databaseUrl, redisUrl: redis.url, env: { SWITCHYARD_ROLES: 'api' }, inspect: true });
  const worker = await startSwitchyardProcess({ databaseUrl, redisUrl: redis.url, env: { SWITCHYARD_ROLES: 'worker' }, inspect: true });
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
      `worker: ${steps.steps} steps (${IN_FLIGHT} runs in flight) in ${fmt(steps.seconds, 0)} s; ${growth(steps.at10, steps.atEnd)}`,
    );
    const stream = await subscriberSoak(api, token);
    console.log(
      `API: ${SUBSCRIBERS} subscribers over ${SOCKETS} sockets, ${stream.delivered} events delivered in ${fmt(stream.seconds, 0)} s; ${growth(stream.at10, stream.atEnd)}`,
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
