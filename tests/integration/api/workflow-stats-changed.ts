import { StartRunDocument, WorkflowStatsChangedDocument } from '../../generated/graphql.js';
import { createUser, login } from '../../helpers/auth.js';
import { createTestDatabase, type TestDatabase } from '../../helpers/database.js';
import { testEnv } from '../../helpers/env.js';
import { eventually } from '../../helpers/eventually.js';
import { createWsClient, execute, nextWithin, subscribe } from '../../helpers/graphql.js';
import { manualPushTimer } from '../../helpers/push-timer.js';
import { startTestServer, type TestServer } from '../../helpers/server.js';
import { ok } from './support.js';

/**
 * workflowStatsChanged over graphql-ws: the subscriber is on server A, whose pushes are paced by a timer the
 * test moves; the runs start through server B's API and run on either server's worker, so their changes
 * reach A through Redis.
 */
describe('workflowStatsChanged', () => {
  let database: TestDatabase;
  let a: TestServer;
  let b: TestServer;
  const timer = manualPushTimer();

  beforeAll(async () => {
    database = await createTestDatabase();
    const redisUrl = testEnv('redisUrl');
    [a, b] = await Promise.all([
      startTestServer({ databaseUrl: database.url, redisUrl, statsTimer: timer }),
      startTestServer({ databaseUrl: database.url, redisUrl }),
    ]);
  });
  afterAll(async () => {
    await Promise.all([a?.stop(), b?.stop()]);
    await database?.drop();
  });

  /** One run at a time; each waits for its gate, then fails unless its context says ok. */
  const GATED = {
    concurrency: { limit: 1 },
    steps: [
      { name: 'gate', type: 'wait', event: { name: 'gate.opened', match: 'event.run = context.run', timeoutSeconds: 3600 } },
      { name: 'check', type: 'condition', expression: 'context.ok = true', onFalse: 'fail' },
    ],
  };
  const statuses = async () =>
    (
      await a.orm.em
        .fork()
        .getConnection()
        .execute<Array<{ status: string }>>(
          `select e.status from executions e join workflows w on w.id = e.workflow_id where w.name = 'stats_gate' order by e.created_at`,
        )
    ).map((row) => row.status);
  /** Waits until a push is due (a change reached A), then lets the interval pass. */
  const letPushGo = async () => {
    await eventually(
      'a push is due',
      async () => timer.pending(),
      (pending) => pending > 0,
    );
    timer.advance(1_000);
  };

  it('sends the stats at once, then after changes at most once per interval, with running and queued counts, success rate and p95', async () => {
    await b.engine.workflows.save({ tenantId: b.adminTenantId, name: 'stats_gate', definition: GATED as never });
    const client = createWsClient(a.wsUrl, { authorization: `Bearer ${a.adminToken}` });
    const pushes = subscribe(client, WorkflowStatsChangedDocument, { workflow: 'stats_gate' });
    try {
      const first = await nextWithin(pushes);
      expect(first.errors).toBeUndefined();
      expect(first.data?.workflowStatsChanged).toEqual({
        total: 0,
        successful: 0,
        failed: 0,
        cancelled: 0,
        running: 0,
        queued: 0,
        successRate: null,
        averageDurationMs: null,
        p95DurationMs: null,
      });

      for (const [run, passes] of [
        ['a', true],
        ['b', false],
        ['c', true],
      ] as const) {
        ok(await execute(b.url, StartRunDocument, { name: 'stats_gate', context: { run, ok: passes } }, b.adminHeaders));
      }
      await eventually('one run in progress, two queued', statuses, (now) => now.join() === 'waiting,queued,queued');
      // Three runs created, one started and parked: no push until the interval has passed, then one.
      const next = nextWithin(pushes);
      await eventually(
        'a push is due',
        async () => timer.pending(),
        (pending) => pending > 0,
      );
      let pushed = false;
      void next.then(
        () => (pushed = true),
        () => undefined,
      );
      await new Promise((resolve) => setImmediate(resolve));
      expect(pushed).toBe(false);
      timer.advance(1_000);
      expect((await next).data?.workflowStatsChanged).toMatchObject({ total: 3, running: 1, queued: 2, successRate: null });

      for (const [index, run] of ['a', 'b', 'c'].entries()) {
        // Each run parks on its gate once the one before it ended and handed the slot on.
        await eventually(`run ${run} waits at its gate`, statuses, (now) => now[index] === 'waiting');
        expect(await b.engine.deliverEvent({ tenantId: b.adminTenantId, name: 'gate.opened', payload: { run }, id: `gate-${run}` })).toBe(
          1,
        );
      }
      await eventually('every run ended', statuses, (now) => now.join() === 'completed,failed,completed');
      await letPushGo();
      const last = (await nextWithin(pushes)).data?.workflowStatsChanged;
      expect(last).toMatchObject({ total: 3, successful: 2, failed: 1, cancelled: 0, running: 0, queued: 0 });
      expect(last?.successRate).toBeCloseTo(2 / 3);
      expect(last?.p95DurationMs).toEqual(expect.any(Number));
      // The same figures as the query's.
      const queried = await a.engine.reads(a.adminTenantId).workflowByName('stats_gate');
      const [stats] = await a.engine.reads(a.adminTenantId).statsOf([queried?.id ?? ''], {});
      expect(last?.p95DurationMs).toBeCloseTo(stats?.p95DurationMs ?? -1);
    } finally {
      await pushes.return?.();
      await client.dispose();
    }
  });

  it("is confined to the viewer's tenant: another tenant's workflow is not found, and its own of the same name counts its own runs", async () => {
    const other = await createUser(a.orm, 'admin');
    const { token } = await login(a.url, other.email, other.password);
    const client = createWsClient(a.wsUrl, { authorization: `Bearer ${token}` });
    try {
      const refused = await nextWithin(subscribe(client, WorkflowStatsChangedDocument, { workflow: 'stats_gate' }));
      expect(refused.errors?.[0]?.extensions?.['code']).toBe('NOT_FOUND');

      await a.engine.workflows.save({ tenantId: other.tenantId, name: 'stats_gate', definition: GATED as never });
      const own = subscribe(client, WorkflowStatsChangedDocument, { workflow: 'stats_gate' });
      expect((await nextWithin(own)).data?.workflowStatsChanged).toMatchObject({ total: 0, running: 0, queued: 0 });
      await own.return?.();
    } finally {
      await client.dispose();
    }
  });

  it('refuses an unknown workflow with NOT_FOUND', async () => {
    const client = createWsClient(a.wsUrl, { authorization: `Bearer ${a.adminToken}` });
    try {
      const unknown = await nextWithin(subscribe(client, WorkflowStatsChangedDocument, { workflow: 'no_such_workflow' }));
      expect(unknown.errors?.[0]?.extensions?.['code']).toBe('NOT_FOUND');
    } finally {
      await client.dispose();
    }
  });
});
