import { Redis } from 'ioredis';
import { WAIT_MS, eventually } from '../helpers/eventually.js';
import type { ExecutionEventMessage } from '../../src/engine/index.js';
import { executionFeed, executionTopic, tenantExecutionsTopic } from '../../src/engine/index.js';
import { startRedisServer, type RedisServer } from '../../src/infra/local-redis.js';
import { PubSubError, createRedisPubSub, type PubSub } from '../../src/pubsub.js';
import { openProgressStream } from '../../src/resolvers/progress-stream.js';
import {
  CancelExecutionDocument,
  ExecuteWorkflowDocument,
  ExecutionProgressDocument,
  ExecutionsChangedDocument,
} from '../generated/graphql.js';
import { createTestDatabase, type TestDatabase } from '../helpers/database.js';
import { createWsClient, execute, nextWithin, subscribe } from '../helpers/graphql.js';
import { startTestServer, type TestServer } from '../helpers/server.js';
import { DEFINITIONS, ok, untilComplete, waitForExecution } from './api/support.js';

/**
 * Redis stopped and started again under live subscriptions. A redis-server of this file's own, so that
 * stopping it disturbs no other test file. The process must neither die nor stall: every rejection is
 * handled, publishing fails fast, and subscribers catch up from the log as soon as Redis is back.
 */

const pingOk = (pubsub: PubSub) =>
  pubsub.ping().then(
    () => true,
    () => false,
  );

/** Resolves on the next resync, or rejects after `timeoutMs`. */
function nextResync(pubsub: PubSub, timeoutMs = WAIT_MS): Promise<void> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      remove();
      reject(new Error(`no resync within ${timeoutMs} ms`));
    }, timeoutMs);
    const remove = pubsub.onResync(() => {
      clearTimeout(timer);
      remove();
      resolve();
    });
  });
}

/**
 * How a promise settled. Called while Redis is still down (it comes back only later in the test), so
 * settling at all shows the call does not wait for Redis: one that did would hang until the test times out.
 */
async function settled<T>(work: Promise<T>): Promise<{ outcome: PromiseSettledResult<T> }> {
  const [outcome] = await Promise.allSettled([work]);
  return { outcome: outcome as PromiseSettledResult<T> };
}

/** A plain client that looks at the server from outside; quiet through the outage. */
function inspectorOf(server: RedisServer): Redis {
  const client = new Redis(server.url);
  client.on('error', () => undefined);
  return client;
}

/** How many connections are subscribed to a topic (Redis PUBSUB NUMSUB). */
async function subscribers(inspector: Redis, topic: string): Promise<number> {
  const reply = (await inspector.call('pubsub', 'numsub', topic)) as [string, number];
  return reply[1];
}

/**
 * The process itself. Jest hands a test a copy of `process` whose listeners never fire; a function of
 * the outer realm (Jest's timers are Node's own) evaluates `process` there.
 */
const realProcess = new (setTimeout as unknown as { constructor: FunctionConstructor }).constructor('return process')() as NodeJS.Process;

const event = (seq: number, type = 'step.completed'): ExecutionEventMessage => ({
  executionId: 'run-1',
  tenantId: 'tenant-1',
  seq,
  type,
  stepKey: null,
  payload: {},
  at: new Date(0).toISOString(),
});

describe('pub/sub through a Redis outage', () => {
  let redis: RedisServer;
  // What would kill an API process: recorded here, asserted empty after each test.
  const faults: unknown[] = [];
  const onFault = (error: unknown) => faults.push(error);

  beforeAll(async () => {
    redis = await startRedisServer();
    realProcess.on('unhandledRejection', onFault);
    realProcess.on('uncaughtException', onFault);
  });
  afterAll(async () => {
    realProcess.off('unhandledRejection', onFault);
    realProcess.off('uncaughtException', onFault);
    await redis?.stop();
  });
  afterEach(async () => {
    // Every test leaves Redis running for the next.
    await redis.start();
    expect(faults).toEqual([]);
  });

  it('survives subscriptions ending and starting and publishes failing while Redis is down, then delivers again', async () => {
    // Each failed reconnection attempt of either connection, as the pub/sub logs it.
    const refused = { publisher: 0, subscriber: 0 };
    const countRefusals = (fields: unknown) => {
      const role = (fields as { role?: unknown } | undefined)?.role;
      if (role === 'publisher' || role === 'subscriber') refused[role] += 1;
    };
    const pubsub = await createRedisPubSub(redis.url, { logger: { debug: countRefusals, info: () => undefined, warn: () => undefined } });
    const inspector = inspectorOf(redis);
    try {
      const kept = await pubsub.subscribe<{ n: number }>('t.kept');
      const keptTwice = await pubsub.subscribe<{ n: number }>('t.kept');
      const endsDuring = await pubsub.subscribe<{ n: number }>('t.ends');
      await pubsub.publish('t.kept', { n: 1 });
      expect(await nextWithin(kept)).toEqual({ n: 1 });
      expect(await nextWithin(keptTwice)).toEqual({ n: 1 });

      await redis.stop();
      await eventually(
        'ping fails while Redis is down',
        async () => !(await pingOk(pubsub)),
        (holds) => holds,
      );

      // A publish fails fast with a typed error (best-effort: the log has the truth).
      const published = await settled(pubsub.publish('t.kept', { n: 2 }));
      expect(published.outcome).toMatchObject({ status: 'rejected', reason: expect.any(PubSubError) });
      // Subscriptions end (this is what killed the process: an UNSUBSCRIBE rejected unhandled)…
      expect((await settled(endsDuring.return!())).outcome.status).toBe('fulfilled');
      expect((await settled(keptTwice.return!())).outcome.status).toBe('fulfilled');
      // …and start, to go live when Redis is back.
      const startedDuring = await settled(pubsub.subscribe<{ n: number }>('t.new'));
      if (startedDuring.outcome.status !== 'fulfilled') throw startedDuring.outcome.reason;
      const startedAndEnded = await pubsub.subscribe<{ n: number }>('t.gone');
      await startedAndEnded.return!();
      // The fault itself: ioredis retries each connection, and flushes what it holds, several times.
      const before = { ...refused };
      await eventually(
        'both connections refused three more times',
        async () => ({ ...refused }),
        (now) => now.publisher >= before.publisher + 3 && now.subscriber >= before.subscriber + 3,
      );
      expect(await pingOk(pubsub)).toBe(false);

      const resynced = nextResync(pubsub);
      await redis.start();
      await resynced;
      // The publisher has a connection of its own, back on its own schedule.
      await eventually(
        'ping succeeds once Redis is back',
        () => pingOk(pubsub),
        (holds) => holds,
      );

      // Live again, for the subscriptions kept and the one started meanwhile; what was published
      // during the outage is gone (subscribers re-read their log on the resync).
      await pubsub.publish('t.kept', { n: 3 });
      await pubsub.publish('t.new', { n: 4 });
      expect(await nextWithin(kept)).toEqual({ n: 3 });
      expect(await nextWithin(startedDuring.outcome.value)).toEqual({ n: 4 });
      // Nothing leaked: only topics with a subscriber left are subscribed, once.
      const counts = await Promise.all(['t.kept', 't.ends', 't.new', 't.gone'].map((topic) => subscribers(inspector, topic)));
      expect(counts).toEqual([1, 0, 1, 0]);
      await kept.return!();
      await startedDuring.outcome.value.return!();
    } finally {
      inspector.disconnect();
      await pubsub.close();
    }
  });

  it('re-reads the log of a progress stream as soon as Redis is back, not at the idle poll', async () => {
    const pubsub = await createRedisPubSub(redis.url);
    const log: ExecutionEventMessage[] = [event(1, 'execution.started')];
    const topic = executionTopic('run-1');
    const stream = await openProgressStream({
      live: await executionFeed(pubsub, 'run-1'),
      read: async (after, first) => ({
        status: 'running',
        lastEventSeq: log.length,
        events: log.filter((e) => e.seq > after).slice(0, first),
      }),
      after: 0,
      // Only the resync can bring the rest within this test's bounds.
      idlePollMs: 60_000,
      onResync: (listener) => pubsub.onResync(listener),
    });
    try {
      expect((await nextWithin(stream)).seq).toBe(1);
      log.push(event(2));
      await pubsub.publish(topic, [event(2)]);
      expect((await nextWithin(stream)).seq).toBe(2);

      const waiting = nextWithin(stream);
      await redis.stop();
      await eventually(
        'ping fails while Redis is down',
        async () => !(await pingOk(pubsub)),
        (holds) => holds,
      );
      // The run advances and finishes while Redis is down: its events reach the log only.
      log.push(event(3), event(4, 'execution.completed'));
      await expect(pubsub.publish(topic, event(3))).rejects.toBeInstanceOf(PubSubError);
      await redis.start();

      expect((await waiting).seq).toBe(3);
      expect((await nextWithin(stream)).seq).toBe(4);
      expect(await stream.next()).toEqual({ done: true, value: undefined });
    } finally {
      await stream.return?.();
      await pubsub.close();
    }
  });

  describe('through the API', () => {
    let database: TestDatabase;
    let server: TestServer;

    beforeAll(async () => {
      database = await createTestDatabase();
      server = await startTestServer({ databaseUrl: database.url, redisUrl: redis.url });
      await server.engine.workflows.save({
        tenantId: server.adminTenantId,
        name: 'long_wait',
        definition: JSON.parse(JSON.stringify(DEFINITIONS.long_wait)),
      });
    });
    afterAll(async () => {
      await server?.stop();
      await database?.drop();
    });

    const readyz = async () => {
      const response = await fetch(new URL('/readyz', server.url));
      return { status: response.status, body: (await response.json()) as Record<string, unknown> };
    };

    it('brings a progress subscriber to the final event of a run that ended while Redis was down, and ends live-only feeds', async () => {
      const client = createWsClient(server.wsUrl, server.adminHeaders);
      const inspector = inspectorOf(redis);
      try {
        // A dashboard feed, live before the outage (Redis counts its SUBSCRIBE): it sees the run created.
        const changes = subscribe(client, ExecutionsChangedDocument, {});
        const firstChange = nextWithin(changes);
        const feedTopic = tenantExecutionsTopic(server.adminTenantId);
        await eventually(
          'the dashboard feed is live',
          async () => (await subscribers(inspector, feedTopic)) > 0,
          (holds) => holds,
        );
        const id = ok(await execute(server.url, ExecuteWorkflowDocument, { name: 'long_wait' }, server.adminHeaders)).executeWorkflow
          .execution.id;
        expect((await firstChange).data?.executionsChanged).toMatchObject({ executionId: id, type: 'execution.created' });
        const parked = await waitForExecution(server.url, server.adminHeaders, id, (execution) => execution.status === 'WAITING');

        const progress = subscribe(client, ExecutionProgressDocument, { executionId: id, afterSequence: 0 });
        let lastSeen = 0;
        while (lastSeen < parked.lastSequence) lastSeen = (await nextWithin(progress)).data?.executionProgress.sequence ?? lastSeen;
        const rest = untilComplete(progress);

        await redis.stop();
        await eventually(
          '/readyz reports Redis down',
          async () => (await readyz()).status === 503,
          (holds) => holds,
        );
        expect(await readyz()).toMatchObject({
          status: 503,
          body: { status: 'not ready', checks: { database: 'ok', pubsub: 'unavailable' } },
        });
        // The run ends while Redis is down: its last events reach the log, not Redis.
        ok(await execute(server.url, CancelExecutionDocument, { id }, server.adminHeaders));
        await waitForExecution(server.url, server.adminHeaders, id);

        await redis.start();
        await eventually(
          '/readyz reports ready',
          async () => (await readyz()).status === 200,
          (holds) => holds,
        );
        const received = (await rest).map((result) => {
          if (!result.data) throw new Error(`unexpected errors: ${JSON.stringify(result.errors)}`);
          return result.data.executionProgress;
        });
        expect(received.at(-1)).toMatchObject({ type: 'execution.cancelled', execution: { status: 'CANCELLED' } });
        expect(received.map((event) => event.sequence)).toEqual(received.map((_, index) => lastSeen + index + 1));
        // (That the resync, not an idle re-read, brings them is shown above with a 60 s idle poll.)

        // The dashboard feed cannot replay what it missed: it completes, and its client refreshes.
        await untilComplete(changes);
      } finally {
        inspector.disconnect();
        await client.dispose();
      }
    });
  });
});
