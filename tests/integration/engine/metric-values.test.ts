import { z } from 'zod';
import type { Clock } from '../../../src/engine/ports.js';
import { createCheckpointWriter } from '../../../src/engine/runtime/checkpoint-writer.js';
import { countLiveRuns } from '../../../src/engine/store/run-counts.js';
import { CLAIM } from '../../../src/engine/store/sql.js';
import { poolQueryable } from '../../../src/infra/queryable.js';
import { createLogger } from '../../../src/logger.js';
import { createMetrics } from '../../../src/observability/metrics.js';
import { defineServiceMethod, type ServiceMethod } from '../../../src/services/registry.js';
import { useTestEngine } from '../../helpers/engine.js';
import { eventually } from '../../helpers/eventually.js';
import { executionsOf, recordEvent, simulatedClock } from '../triggers/support.js';

/**
 * Issue 14: the engine's metrics move as the things they count happen — a takeover of a dead worker's run,
 * a run waiting for a worker, step attempts by type and end, a schedule's tick started late, an event
 * delivered late, checkpoints committed together. A real engine on PostgreSQL reports to prom-client's registry; time is the engine's
 * clock, which the test (or a step) moves on, so durations are known without sleeping. The first two tests
 * need runs no worker has claimed: the worker starts in the second.
 */
describe('metrics: what the engine counts', () => {
  const logger = createLogger('silent');
  const metrics = createMetrics({ logger, defaults: false });
  /** The engine's clock: the wall clock plus what the test (or the `clock.advance` step) added. */
  const later = { ms: 0 };
  const clock: Clock = { now: () => new Date(Date.now() + later.ms) };
  const advance = defineServiceMethod({
    service: 'clock',
    method: 'advance',
    description: "Moves the engine's clock on: a step that takes that long.",
    effects: 'none',
    input: z.object({ seconds: z.number() }),
    run(_ctx, input) {
      later.ms += input.seconds * 1000;
      return Promise.resolve({ advanced: input.seconds });
    },
  }) as ServiceMethod;

  const t = useTestEngine({ config: { leaseSeconds: 5 }, worker: false, deps: { observer: metrics.observer, clock, services: [advance] } });

  /** One sample of `registry`'s metric `name` (`…_bucket`, `…_sum`, `…_count` for a histogram) with these labels; 0 when absent. */
  const sample = async (name: string, labels: Record<string, string | number>, registry = metrics.registry): Promise<number> => {
    const base = name.replace(/_(bucket|sum|count)$/, '');
    const metric = registry.getSingleMetric(base);
    if (!metric) throw new Error(`${base} is not registered`);
    const { values } = await metric.get();
    // A histogram's values name their series (`…_bucket`…); a counter's or gauge's do not.
    const seriesOf = (value: object) => ('metricName' in value && typeof value.metricName === 'string' ? value.metricName : base);
    const found = values.find(
      (value) => seriesOf(value) === name && Object.entries(labels).every(([key, wanted]) => String(value.labels[key]) === String(wanted)),
    );
    return found?.value ?? 0;
  };
  const claim = async (owner: string, limit: number) =>
    poolQueryable(t.pool).query<{ id: string; lease_epoch: string }>(CLAIM, [owner, 5, limit, 0]);

  it('observes checkpoints committed together: one sample per statement, of its size and commit time', async () => {
    await t.save('grouped', { steps: [{ name: 'only', type: 'transform', output: { done: true } }] });
    for (let i = 0; i < 3; i += 1) await t.start('grouped');
    const leased = await claim('checkpoint-test', 3);
    expect(leased).toHaveLength(3);
    // One statement at a time: the first checkpoint goes alone, the two written while it is being written together.
    const own = createMetrics({ logger, defaults: false });
    const writer = createCheckpointWriter({
      queryable: poolQueryable(t.pool),
      publisher: t.pubsub,
      logger,
      leaseSeconds: 5,
      observer: own.observer,
      maxConcurrentStatements: 1,
    });
    const write = (run: (typeof leased)[number]) =>
      writer.write({
        executionId: run.id,
        tenantId: t.tenantId,
        epoch: Number(run.lease_epoch),
        steps: [],
        events: [{ type: 'execution.completed', payload: { status: 'completed' } }],
        waits: [],
        execution: { status: 'completed', terminal: true, result: {} },
      });
    const [first, ...others] = leased;
    const alone = write(first!);
    // A submission is sent when the turn of the event loop it was made in ends (runtime/group-commit.ts).
    await new Promise((resolve) => setImmediate(resolve));
    await Promise.all([alone, ...others.map(write)]);
    expect((await executionsOf(t.pool, t.tenantId, 'grouped')).map((run) => run.status)).toEqual(['completed', 'completed', 'completed']);
    expect(await sample('switchyard_checkpoint_batch_size_count', {}, own.registry)).toBe(2);
    expect(await sample('switchyard_checkpoint_batch_size_sum', {}, own.registry)).toBe(3);
    expect(await sample('switchyard_checkpoint_batch_size_bucket', { le: 1 }, own.registry)).toBe(1);
    expect(await sample('switchyard_checkpoint_batch_size_bucket', { le: 2 }, own.registry)).toBe(2);
    expect(await sample('switchyard_checkpoint_commit_seconds_count', {}, own.registry)).toBe(2);
    expect(await sample('switchyard_checkpoint_commit_seconds_sum', {}, own.registry)).toBeGreaterThan(0);
  });

  it("counts a takeover of a dead worker's run, and how long a due run waited for a worker", async () => {
    await t.save('orphaned', { steps: [{ name: 'only', type: 'transform', output: { done: true } }] });
    await t.save('unattended', { steps: [{ name: 'only', type: 'transform', output: { done: true } }] });
    const orphan = await t.start('orphaned');
    // A worker claims the run and dies: it never renews its lease, which has run out.
    expect((await claim('dead-worker', 1)).map((run) => run.id)).toEqual([orphan]);
    await t.pool.query("update executions set lease_expires_at = now() - interval '1 second' where id = $1", [orphan]);
    const unattended = await t.start('unattended');
    // The gauges read from the database: one run claimed (by the dead worker), one ready for a worker.
    const gauges = createMetrics({ logger, defaults: false, runCounts: () => countLiveRuns(t.pool) });
    expect(await sample('switchyard_runs', { status: 'running' }, gauges.registry)).toBe(1);
    expect(await sample('switchyard_runs', { status: 'pending' }, gauges.registry)).toBe(1);
    expect(await sample('switchyard_runs_ready', {}, gauges.registry)).toBe(1);
    // Half a minute passes before a worker comes.
    later.ms += 30_000;
    await t.startWorker();
    await Promise.all([t.waitFor(orphan), t.waitFor(unattended)]);

    expect(await sample('switchyard_lease_takeovers_total', { workflow: 'orphaned' })).toBe(1);
    expect(await sample('switchyard_lease_takeovers_total', { workflow: 'unattended' })).toBe(0);
    expect(await sample('switchyard_executions_started_total', { workflow: 'unattended', trigger: 'api' })).toBe(1);
    // A run's end is counted just after it commits, which waitFor may see first.
    const finished = () => sample('switchyard_executions_finished_total', { workflow: 'orphaned', status: 'completed' });
    expect(await eventually('the orphan’s end counted', finished, (count) => count > 0)).toBe(1);
    // Due since it was recorded, claimed (by this process's clock) at least 30 s later.
    expect(await sample('switchyard_run_schedule_to_start_seconds_count', { workflow: 'unattended' })).toBe(1);
    expect(await sample('switchyard_run_schedule_to_start_seconds_sum', { workflow: 'unattended' })).toBeGreaterThanOrEqual(30);
    expect(await sample('switchyard_run_schedule_to_start_seconds_bucket', { workflow: 'unattended', le: 10 })).toBe(0);
    // The orphan was due again once the recovery scan released it.
    expect(await sample('switchyard_run_schedule_to_start_seconds_count', { workflow: 'orphaned' })).toBe(1);
    // The engine's own checkpoints are observed too: one sample per statement.
    const statements = await sample('switchyard_checkpoint_batch_size_count', {});
    expect(statements).toBeGreaterThan(0);
    expect(await sample('switchyard_checkpoint_commit_seconds_count', {})).toBe(statements);
  });

  it("observes each step attempt's duration by step type and how it ended", async () => {
    await t.save('timed', {
      steps: [
        { name: 'slow', type: 'service_call', service: 'clock', method: 'advance', params: { seconds: 7 } },
        { name: 'shape', type: 'transform', output: { done: true } },
      ],
    });
    await t.save('retried', {
      steps: [
        {
          name: 'call',
          type: 'service_call',
          service: 'test',
          method: 'flaky',
          params: { failures: 1 },
          retry: { maxAttempts: 2, initialIntervalSeconds: 0.05, jitter: 'none' },
        },
      ],
    });
    expect((await t.run('timed')).execution.status).toBe('completed');
    expect((await t.run('retried')).execution.status).toBe('completed');

    const timed = { workflow: 'timed', step_type: 'service_call', end: 'completed' };
    expect(await sample('switchyard_step_duration_seconds_count', timed)).toBe(1);
    expect(await sample('switchyard_step_duration_seconds_sum', timed)).toBeGreaterThanOrEqual(7);
    expect(await sample('switchyard_step_duration_seconds_bucket', { ...timed, le: 5 })).toBe(0);
    expect(await sample('switchyard_step_duration_seconds_count', { workflow: 'timed', step_type: 'transform', end: 'completed' })).toBe(1);
    // The failed attempt is observed as retrying, the second as completed; both attempts counted.
    expect(
      await sample('switchyard_step_duration_seconds_count', { workflow: 'retried', step_type: 'service_call', end: 'retrying' }),
    ).toBe(1);
    expect(
      await sample('switchyard_step_duration_seconds_count', { workflow: 'retried', step_type: 'service_call', end: 'completed' }),
    ).toBe(1);
    expect(
      await sample('switchyard_step_ends_total', {
        workflow: 'retried',
        step_type: 'service_call',
        end: 'retrying',
        code: 'EXTERNAL_UNAVAILABLE',
      }),
    ).toBe(1);
    expect(await sample('switchyard_step_attempts_total', { workflow: 'retried', step_type: 'service_call' })).toBe(2);
  });

  it("observes how late a schedule's tick started its run", async () => {
    await t.save('nightly_lag', {
      steps: [{ name: 'only', type: 'transform', output: { done: true } }],
      schedules: [{ name: 'nightly', cron: '0 2 * * *' }],
    });
    const schedules = simulatedClock('2030-03-01T00:00:00Z');
    const scheduler = t.engine.scheduler({ clock: schedules, graceMs: 60_000, systemSchedules: [] });
    await scheduler.runOnce();
    // The 02:00 tick, found 2.5 s late.
    schedules.set('2030-03-01T02:00:02.500Z');
    expect(await scheduler.runOnce()).toMatchObject({ started: 1 });
    expect(await sample('switchyard_schedule_lag_seconds_count', { workflow: 'nightly_lag' })).toBe(1);
    expect(await sample('switchyard_schedule_lag_seconds_sum', { workflow: 'nightly_lag' })).toBe(2.5);
    expect(await sample('switchyard_schedule_lag_seconds_bucket', { workflow: 'nightly_lag', le: 1 })).toBe(0);
    expect(await sample('switchyard_schedule_lag_seconds_bucket', { workflow: 'nightly_lag', le: 2.5 })).toBe(1);
  });

  it('observes how long a domain event waited to be delivered', async () => {
    await t.save('on_ping', { triggers: [{ event: 'lag.pinged' }], steps: [{ name: 'only', type: 'transform', output: { done: true } }] });
    await recordEvent(t.orm, { tenantId: t.tenantId, name: 'lag.pinged', payload: {} });
    // No dispatcher ran for 12 s.
    later.ms += 12_000;
    expect(await t.engine.eventDispatcher().runOnce()).toMatchObject({ events: 1, started: 1 });
    expect(await sample('switchyard_event_dispatch_lag_seconds_count', {})).toBe(1);
    expect(await sample('switchyard_event_dispatch_lag_seconds_sum', {})).toBeGreaterThanOrEqual(12);
    expect(await sample('switchyard_event_dispatch_lag_seconds_bucket', { le: 10 })).toBe(0);
  });
});
