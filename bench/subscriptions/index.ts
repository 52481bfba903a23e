import { createClient, type Client } from 'graphql-ws';
import pg from 'pg';
import WebSocket from 'ws';
import { createCheckpointWriter, type Checkpoint } from '../../src/engine/runtime/checkpoint-writer.js';
import { poolQueryable } from '../../src/infra/queryable.js';
import { startRedisServer } from '../../src/infra/local-redis.js';
import { createLogger } from '../../src/logger.js';
import { createRedisPubSub } from '../../src/pubsub.js';
import { graphql, loginAdmin, startSwitchyardProcess } from '../api/switchyard-process.js';
import { benchPostgres } from '../lib/postgres.js';
import { fmt, percentile } from '../lib/stats.js';

/**
 * `npm run bench:subscriptions`: SUBSCRIBERS graphql-ws clients (a socket each), each following one
 * execution with `executionProgress`, on a Switchyard server in its own process (API role, Redis
 * pub/sub). Steps commit at RATE per second through the engine's own checkpoint writer (the durable
 * CHECKPOINT statement, group-committed, then PUBLISH to Redis), round-robin over the executions. The
 * latency is from the moment the commit is acknowledged (the writer publishes) to the subscriber's
 * receiving the event; every subscriber must receive every event, once and in order.
 */
const SUBSCRIBERS = Number(process.env['SUBSCRIBERS'] ?? 1_000);
const RATE = Number(process.env['RATE'] ?? 1_000);
const SECONDS = Number(process.env['SECONDS'] ?? 20);
const COMMITTER = 'bench-committer';
const QUERY =
  'subscription($id: ID!, $after: Int!) { executionProgress(executionId: $id, afterSequence: $after) { sequence type stepKey } }';

interface Subscriber {
  executionId: string;
  client: Client;
  /** The next sequence number this subscriber expects. */
  expected: number;
  received: number;
  outOfOrder: number;
  completed: boolean;
  /** Steps committed for its execution, and the last sequence number committed. */
  steps: number;
  lastSeq: number;
  busy: boolean;
}

const wait = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function until(what: string, condition: () => boolean, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await wait(20);
  }
}

async function main(): Promise<void> {
  const postgres = await benchPostgres();
  const databaseUrl = await postgres.database('switchyard_bench_subscriptions');
  const redis = process.env['REDIS_URL'] ? undefined : await startRedisServer();
  const redisUrl = process.env['REDIS_URL'] ?? redis?.url ?? '';
  const server = await startSwitchyardProcess({ databaseUrl, redisUrl });
  const pool = new pg.Pool({ connectionString: databaseUrl, max: 8 });
  pool.on('error', () => undefined);
  const publisher = await createRedisPubSub(redisUrl);
  const subscribers: Subscriber[] = [];
  try {
    const { token, tenantId } = await loginAdmin(server);
    const { createWorkflow } = await graphql<{ createWorkflow: { id: string } }>(
      server,
      token,
      'mutation($input: CreateWorkflowInput!) { createWorkflow(input: $input) { id } }',
      {
        input: { name: 'bench_progress', definition: { steps: [{ name: 'only', type: 'transform', output: { ok: true } }] } },
      },
    );

    // Runs already started and leased to the committer below, with their first two events.
    const { rows } = await pool.query<{ id: string }>(
      `with runs as (
         insert into executions (id, tenant_id, workflow_id, workflow_version, status, context, created_at, started_at, updated_at,
                                 last_event_seq, lease_owner, lease_epoch, lease_expires_at)
         select gen_random_uuid(), $1, $2, 1, 'running', '{}', now(), now(), now(), 2, $3, 1, now() + interval '1 day'
         from generate_series(1, $4::int)
         returning id
       ), events as (
         insert into execution_events (execution_id, seq, type, payload, created_at)
         select id, 1, 'execution.created', '{}'::jsonb, now() from runs
         union all select id, 2, 'execution.started', '{"status":"running"}'::jsonb, now() from runs
       )
       select id from runs`,
      [tenantId, createWorkflow.id, COMMITTER, SUBSCRIBERS],
    );

    // Commit times, by execution and sequence number, taken when the writer publishes after commit.
    const committedAt = new Map<string, number>();
    const latencies: number[] = [];
    let measuring = false;
    const writer = createCheckpointWriter({
      queryable: poolQueryable(pool),
      publisher: {
        publish(topic, payload) {
          const message = payload as { executionId: string; seq: number };
          if (topic.startsWith('execution.')) committedAt.set(`${message.executionId}:${message.seq}`, performance.now());
          return publisher.publish(topic, payload);
        },
      },
      logger: createLogger('silent'),
      leaseSeconds: 86_400,
    });

    const authorization = `Bearer ${token}`;
    const subscribe = (subscriber: Subscriber) =>
      subscriber.client.subscribe<{ executionProgress: { sequence: number; type: string } }>(
        { query: QUERY, variables: { id: subscriber.executionId, after: 2 } },
        {
          next(result) {
            const now = performance.now();
            const event = result.data?.executionProgress;
            if (!event) {
              console.error(`subscriber of ${subscriber.executionId}: ${JSON.stringify(result.errors)}`);
              return;
            }
            if (event.sequence !== subscriber.expected) subscriber.outOfOrder += 1;
            subscriber.expected = event.sequence + 1;
            subscriber.received += 1;
            const key = `${subscriber.executionId}:${event.sequence}`;
            const at = committedAt.get(key);
            if (measuring && at !== undefined) latencies.push(now - at);
            committedAt.delete(key);
          },
          error(error) {
            console.error(`subscriber of ${subscriber.executionId} failed: ${String(error)}`);
          },
          complete() {
            subscriber.completed = true;
          },
        },
      );

    for (const row of rows) {
      subscribers.push({
        executionId: row.id,
        client: createClient({
          url: server.wsUrl,
          webSocketImpl: WebSocket,
          connectionParams: { authorization },
          retryAttempts: 0,
          lazy: true,
        }),
        expected: 3,
        received: 0,
        outOfOrder: 0,
        completed: false,
        steps: 0,
        lastSeq: 2,
        busy: false,
      });
    }
    const connectStarted = performance.now();
    for (let i = 0; i < subscribers.length; i += 50) {
      for (const subscriber of subscribers.slice(i, i + 50)) subscribe(subscriber);
      await wait(20);
    }

    const commitStep = async (subscriber: Subscriber, final = false): Promise<void> => {
      subscriber.busy = true;
      const n = (subscriber.steps += 1);
      const now = new Date();
      const checkpoint: Checkpoint = {
        executionId: subscriber.executionId,
        tenantId,
        epoch: 1,
        steps: final
          ? []
          : [
              {
                key: `s${n}`,
                name: `s${n}`,
                type: 'transform',
                sequence: n,
                status: 'completed',
                attempts: 1,
                output: { n },
                startedAt: now,
                completedAt: now,
              },
            ],
        events: final
          ? [{ type: 'execution.completed', payload: { status: 'completed' } }]
          : [{ type: 'step.completed', stepKey: `s${n}`, payload: { output: { n } } }],
        waits: [],
        ...(final ? { execution: { status: 'completed' as const, terminal: true, result: { steps: n - 1 } } } : {}),
      };
      try {
        const result = await writer.write(checkpoint);
        subscriber.lastSeq = result.lastEventSeq;
      } finally {
        subscriber.busy = false;
      }
    };

    /** Commits `total` steps at `rate` per second, round-robin over the executions. */
    const commitAtRate = async (total: number, rate: number, final = false): Promise<{ seconds: number; skipped: number }> => {
      let issued = 0;
      let skipped = 0;
      let next = 0;
      const started = performance.now();
      const pending = new Set<Promise<void>>();
      while (issued < total) {
        const due = Math.min(total, Math.floor(((performance.now() - started) / 1000) * rate) + 1);
        while (issued < due) {
          const subscriber = subscribers[next % subscribers.length];
          next += 1;
          if (!subscriber) break;
          if (subscriber.busy) {
            skipped += 1;
            continue;
          }
          issued += 1;
          const commit: Promise<void> = commitStep(subscriber, final).finally(() => pending.delete(commit));
          pending.add(commit);
        }
        await wait(1);
      }
      await Promise.all(pending);
      return { seconds: (performance.now() - started) / 1000, skipped };
    };

    // Warm-up: one step each; every subscriber must have it (through the log or live) before measuring.
    await commitAtRate(subscribers.length, RATE);
    await until('every subscriber to be live', () => subscribers.every((subscriber) => subscriber.expected > subscriber.lastSeq), 60_000);
    const connectSeconds = (performance.now() - connectStarted) / 1000;

    await server.cpuMs();
    measuring = true;
    const total = RATE * SECONDS;
    const run = await commitAtRate(total, RATE);
    await until('every event to arrive', () => subscribers.every((subscriber) => subscriber.expected > subscriber.lastSeq), 15_000).catch(
      (error: unknown) => console.error(String(error)),
    );
    measuring = false;
    const serverCpu = await server.cpuMs();

    const missing = subscribers.reduce((sum, subscriber) => sum + Math.max(0, subscriber.lastSeq - (subscriber.expected - 1)), 0);
    const outOfOrder = subscribers.reduce((sum, subscriber) => sum + subscriber.outOfOrder, 0);

    // The end of every run: each stream completes after its final event.
    await commitAtRate(subscribers.length, RATE, true);
    await until('every subscription to complete', () => subscribers.every((subscriber) => subscriber.completed), 30_000).catch(
      (error: unknown) => console.error(String(error)),
    );
    const completed = subscribers.filter((subscriber) => subscriber.completed).length;

    const sorted = latencies.sort((a, b) => a - b);
    console.log(
      `\nbench:subscriptions — ${postgres.describe}; Redis ${process.env['REDIS_URL'] ? 'REDIS_URL' : 'throwaway'}; Switchyard in its own process (api role)`,
    );
    console.log(`${subscribers.length} graphql-ws sockets, one executionProgress each (connected and live in ${fmt(connectSeconds, 1)} s)`);
    console.log(
      `${total} steps committed in ${fmt(run.seconds, 1)} s = ${fmt(total / run.seconds, 0)}/s (target rate ${RATE}/s; ${run.skipped} slots skipped on a busy execution)\n`,
    );
    console.log(`events        ${sorted.length} measured, ${missing} missing, ${outOfOrder} out of order or repeated`);
    console.log(
      `latency ms    p50 ${fmt(percentile(sorted, 50), 2)} (target ≤ 2)   p90 ${fmt(percentile(sorted, 90), 2)}   p99 ${fmt(percentile(sorted, 99), 2)} (target ≤ 15)   max ${fmt(sorted.at(-1) ?? Number.NaN, 2)}`,
    );
    console.log(`completed     ${completed} of ${subscribers.length} streams after their final event`);
    console.log(`server CPU    ${fmt(serverCpu / 1000 / run.seconds, 2)} cores`);
    if (missing > 0 || outOfOrder > 0 || completed < subscribers.length) process.exitCode = 1;
  } finally {
    await Promise.all(subscribers.map(async (subscriber) => subscriber.client.dispose()));
    await publisher.close();
    await pool.end();
    await server.stop();
    await redis?.stop();
    await postgres.stop();
  }
}

await main();
