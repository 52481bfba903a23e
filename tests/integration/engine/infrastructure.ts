import type { OperationOptions } from '../../../src/engine/index.js';
import { adminQuery } from '../../helpers/database.js';
import { useTestEngine } from '../../helpers/engine.js';
import { testEnv } from '../../helpers/env.js';
import { eventually } from '../../helpers/eventually.js';

describe('engine: the database blinks, the worker goes on', () => {
  // Every start goes through the run queue, as it does from an API-only process.
  const t = useTestEngine({ config: { runStartsLocally: false } });

  const terminateAllConnections = async () => {
    const { rows } = await t.pool.query<{ name: string }>('select current_database() as name');
    await adminQuery(testEnv('postgresUrl'), 'select pg_terminate_backend(pid) from pg_stat_activity where datname = $1', [rows[0]!.name]);
  };

  it('retries a step whose connection was killed, though the step has no retry policy, and records its effect once', async () => {
    await t.save('dropped', {
      steps: [{ name: 'write', type: 'service_call', service: 'test', method: 'dropConnection', params: { label: 'dropped', times: 1 } }],
    });
    const { executionId, execution } = await t.run('dropped');
    expect(execution.status).toBe('completed');
    expect((await t.steps(executionId))[0]).toMatchObject({ status: 'completed', attempts: 2 });
    expect((await t.events(executionId)).filter((event) => event.type === 'step.retrying')).toHaveLength(1);
    expect((await t.effects()).filter((effect) => effect.label === 'dropped')).toHaveLength(1);
  });

  it('keeps taking queued runs while every database connection of the process is terminated, again and again', async () => {
    await t.save('after-blink', {
      steps: [
        { name: 'write', type: 'service_call', service: 'test', method: 'record', params: { label: '${context.n}' } },
        { name: 'nap', type: 'service_call', service: 'test', method: 'sleep', params: { ms: 50 } },
      ],
    });
    const startAll = (prefix: string) =>
      eventually(
        'starting runs',
        async () =>
          Promise.all(Array.from({ length: 20 }, (_, n) => t.start('after-blink', { n: `${prefix}-${n}` }))).catch(() => undefined),
        (started): started is string[] => started !== undefined,
      );
    const completed = async (ids: string[]) =>
      (
        await t.pool
          .query<{ n: number }>(`select count(*)::int as n from executions where id = any($1::uuid[]) and status = 'completed'`, [ids])
          .catch(() => ({ rows: [{ n: 0 }] }))
      ).rows[0]!.n;

    const during = (await startAll('during')) ?? [];
    // Kill everything under load, three times, each after the worker has made progress again.
    for (let blink = 0, seen = 0; blink < 3; blink += 1) {
      await terminateAllConnections();
      seen = await eventually(
        'progress after a blink',
        () => completed(during),
        (n) => n > seen || n === during.length,
        30_000,
      );
    }
    const after = (await startAll('after')) ?? [];
    for (const id of [...during, ...after]) {
      const { status, error } = await t.waitFor(id, undefined, 30_000);
      expect({ status, error }).toEqual({ status: 'completed', error: null });
    }
    const effects = await t.effects();
    expect(new Set(effects.map((effect) => effect.idempotency_key)).size).toBe(effects.length);
    expect(t.worker!.health().ok).toBe(true);
  }, 90_000);

  it('runs an execution a dead worker held once its lease runs out, not later', async () => {
    await t.save('orphaned', { steps: [{ name: 'echo', type: 'service_call', service: 'test', method: 'echo', params: {} }] });
    // As a SIGKILLed worker leaves it: the run leased, its heartbeat stopped (the lease expired just now).
    const [orphan] = (
      await t.pool.query<{ id: string }>(
        `insert into executions (id, tenant_id, workflow_id, workflow_version, status, context, trigger_type, created_at, updated_at, started_at,
                                 wake_at, last_event_seq, lease_owner, lease_epoch, lease_expires_at)
         select gen_random_uuid(), tenant_id, id, current_version, 'running', '{}', 'api', now(), now(), now(), now(), 0, 'dead-host:1:dead', 1, now()
         from workflows where name = 'orphaned' returning id`,
      )
    ).rows;
    const { status } = await t.waitFor(orphan!.id);
    expect(status).toBe('completed');
    const [row] = (await t.pool.query<{ lease_epoch: string }>('select lease_epoch from executions where id = $1', [orphan!.id])).rows;
    // Taken over: the new holder's epoch fenced the dead one out.
    expect(Number(row!.lease_epoch)).toBe(2);
  });
});

describe('engine: a worker told to stop', () => {
  const t = useTestEngine({ config: { runStartsLocally: false }, worker: false });

  it('takes nothing new, lets the step in flight finish, and hands the run back for another worker at once', async () => {
    await t.save('three-sleeps', {
      steps: ['one', 'two', 'three'].map((name) => ({ name, type: 'service_call', service: 'test', method: 'sleep', params: { ms: 400 } })),
    });
    const first = await t.startWorker({ concurrency: 4 });
    const executionId = await t.start('three-sleeps');
    await eventually(
      'the first step starting',
      async () => (await t.events(executionId)).map((event) => event.type),
      (types) => types.includes('step.started'),
    );

    await first.stop();
    const stopped = await t.pool.query<{ status: string; lease_owner: string | null }>(
      'select status, lease_owner from executions where id = $1',
      [executionId],
    );
    // Handed back, not left for its lease to run out.
    expect(stopped.rows[0]).toMatchObject({ status: 'running', lease_owner: null });
    expect((await t.steps(executionId)).map((step) => [step.key, step.status])).toEqual([['one', 'completed']]);
    // A run started while nobody works waits for a worker, and is not taken by the stopped one.
    const queued = await t.start('three-sleeps');
    expect(first.reserve()).toBeUndefined();

    await t.startWorker();
    for (const id of [executionId, queued]) expect((await t.waitFor(id)).status).toBe('completed');
    expect((await t.steps(executionId)).map((step) => step.attempts)).toEqual([1, 1, 1]);
  });
});

describe('engine: a worker told to stop, out of time', () => {
  // A test engine of its own: no worker of another test may take the run.
  const t = useTestEngine({ config: { runStartsLocally: false }, worker: false });

  it('abandons the step in flight (its transaction rolls back, no failure recorded) and hands the run back', async () => {
    await t.save('held', {
      steps: [{ name: 'write', type: 'service_call', service: 'test', method: 'record', params: { label: 'held', holdFirstMs: 60_000 } }],
    });
    const first = await t.startWorker({ concurrency: 4 });
    const executionId = await t.start('held');
    await eventually(
      'the step holding its transaction',
      async () => (await t.events(executionId)).map((event) => event.type),
      (types) => types.includes('step.started'),
    );

    // Without preemption this stop would wait the step's full minute.
    await first.stop({ preemptAfterMs: 100 });
    const stopped = await t.pool.query<{ status: string; lease_owner: string | null }>(
      'select status, lease_owner from executions where id = $1',
      [executionId],
    );
    expect(stopped.rows[0]).toMatchObject({ status: 'running', lease_owner: null });
    expect(await t.effects()).toEqual([]);
    expect((await t.events(executionId)).map((event) => event.type)).not.toContain('step.failed');

    await t.startWorker();
    expect((await t.waitFor(executionId)).status).toBe('completed');
    expect((await t.effects()).map((effect) => effect.label)).toEqual(['held']);
    expect((await t.events(executionId)).map((event) => event.type)).not.toContain('step.failed');
  });
});

describe('engine: starts in transactions of their own (an audit record with each)', () => {
  const t = useTestEngine({ config: { runStartsLocally: false } });

  it('more concurrent starts than the pool has connections, on a cold definition cache, all go through', async () => {
    await t.save('many-at-once', { steps: [{ name: 'echo', type: 'service_call', service: 'test', method: 'echo', params: {} }] });
    // Each start holds a connection for its transaction; had it asked the pool for another to read the
    // definition, twelve of them on six connections would wait on each other for ever (the test's timeout).
    const hook: OperationOptions = { inTransaction: async (tx) => void (await tx.query('select 1', [])) };
    const started = await Promise.all(
      Array.from({ length: 12 }, () => t.engine.start({ tenantId: t.tenantId, workflow: 'many-at-once' }, hook)),
    );
    for (const { executionId } of started) expect((await t.waitFor(executionId)).status).toBe('completed');
  }, 30_000);
});
