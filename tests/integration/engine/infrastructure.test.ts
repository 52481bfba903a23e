import { adminQuery } from '../../helpers/database.js';
import { useTestEngine } from '../../helpers/engine.js';
import { testEnv } from '../../helpers/env.js';
import { eventually } from '../../helpers/eventually.js';

describe('engine: the database blinks, the worker goes on', () => {
  // Every start goes through the job queue, as it does from an API-only process.
  const t = useTestEngine({ config: { runStartsLocally: false } });

  const terminateAllConnections = async () => {
    const { rows } = await t.pool.query<{ name: string }>('select current_database() as name');
    await adminQuery(testEnv('postgresUrl'), 'select pg_terminate_backend(pid) from pg_stat_activity where datname = $1', [rows[0]!.name]);
  };

  it('retries a step whose connection was killed, though the step has no retry policy, and records its effect once', async () => {
    await t.save('dropped', { steps: [{ name: 'write', type: 'service_call', service: 'test', method: 'dropConnection', params: { label: 'dropped', times: 1 } }] });
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
        async () => Promise.all(Array.from({ length: 20 }, (_, n) => t.start('after-blink', { n: `${prefix}-${n}` }))).catch(() => undefined),
        (started): started is string[] => started !== undefined,
      );
    const completed = async (ids: string[]) =>
      (await t.pool.query<{ n: number }>(`select count(*)::int as n from executions where id = any($1::uuid[]) and status = 'completed'`, [ids]).catch(() => ({ rows: [{ n: 0 }] }))).rows[0]!.n;

    const during = (await startAll('during')) ?? [];
    // Kill everything under load, three times, each after the worker has made progress again.
    for (let blink = 0, seen = 0; blink < 3; blink += 1) {
      await terminateAllConnections();
      seen = await eventually('progress after a blink', () => completed(during), (n) => n > seen || n === during.length, 30_000);
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

  it('releases the queue job a dead worker left locked, within a lease rather than hours', async () => {
    await t.save('orphaned', { steps: [{ name: 'echo', type: 'service_call', service: 'test', method: 'echo', params: {} }] });
    // A job locked by a worker that no longer exists, as a SIGKILLed process leaves it.
    await t.pool.query(`select graphile_worker.add_job('other:task', '{}'::json, job_key := 'other-task')`);
    await t.pool.query(`select graphile_worker.add_job('switchyard:run', json_build_object('executionId', gen_random_uuid()), job_key := 'orphan-test')`);
    await t.pool.query(
      `update graphile_worker._private_jobs set locked_at = now() - interval '1 minute', attempts = 1,
         locked_by = case key when 'orphan-test' then 'dead-worker' else 'dead-worker-other-task' end
       where key in ('orphan-test', 'other-task')`,
    );
    await eventually(
      'jobs still locked by the dead worker',
      async () => (await t.pool.query<{ n: number }>(`select count(*)::int as n from graphile_worker._private_jobs where locked_by = 'dead-worker'`)).rows[0]!.n,
      (n) => n === 0,
    );
    // Another task's job is not ours to touch.
    expect((await t.pool.query(`select 1 from graphile_worker._private_jobs where locked_by = 'dead-worker-other-task'`)).rowCount).toBe(1);
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
    await eventually('the first step starting', async () => (await t.events(executionId)).map((event) => event.type), (types) => types.includes('step.started'));

    await first.stop();
    const stopped = await t.pool.query<{ status: string; lease_owner: string | null }>('select status, lease_owner from executions where id = $1', [executionId]);
    // Handed back, not left for its lease to run out.
    expect(stopped.rows[0]).toMatchObject({ status: 'running', lease_owner: null });
    expect((await t.steps(executionId)).map((step) => [step.key, step.status])).toEqual([['one', 'completed']]);
    // A run started while nobody works is queued, not taken by the stopped worker.
    const queued = await t.start('three-sleeps');
    expect(first.reserve()).toBeUndefined();

    await t.startWorker();
    for (const id of [executionId, queued]) expect((await t.waitFor(id)).status).toBe('completed');
    expect((await t.steps(executionId)).map((step) => step.attempts)).toEqual([1, 1, 1]);
  });
});
