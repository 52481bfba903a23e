import { inTenantTransaction } from '../../../src/auth/tenant-scope.js';
import type { Scheduler } from '../../../src/engine/index.js';
import { uuidFromKey } from '../../../src/infra/event-ids.js';
import { createScheduleCatalog } from '../../../src/engine/triggers/schedule-catalog.js';
import { createLogger } from '../../../src/logger.js';
import { EXPIRING_SOON_SCHEDULE, expiringSoonEventKey } from '../../../src/workflows/expiring-soon.js';
import { customerRenewalProcess } from '../../../src/workflows/customer-renewal-process.js';
import { commercialFixtures } from '../../helpers/commercial-fixtures.js';
import { useTestEngine } from '../../helpers/engine.js';
import { executionsOf, simulatedClock, type SimulatedClock } from './support.js';

/** Every scheduler here runs on a simulated clock: time moves only when the test moves it. */
describe('triggers: cron schedules fire once per tick', () => {
  const t = useTestEngine();

  const saved: string[] = [];
  const save = (name: string, definition: object) => {
    saved.push(name);
    return t.engine.workflows.save({ tenantId: t.tenantId, name, definition: definition as never });
  };
  // Each test's schedules stop with it: the next test's clock must not find them due.
  afterEach(async () => {
    for (const name of saved.splice(0)) await t.engine.workflows.deactivate(t.tenantId, name).catch(() => undefined);
  });
  const noop = [{ name: 'noop', type: 'transform', output: { done: true } }];
  /** Workflow schedules only (the expiring-soon scan has tests of its own); ticks more than 1 s late count as missed. */
  const scheduler = (clock: SimulatedClock): Scheduler => t.engine.scheduler({ clock, graceMs: 1_000, systemSchedules: [] });
  const runsOf = async (workflow: string) =>
    (
      await t.pool.query<{ schedule: string; tick_at: Date; status: string; ticks: number; execution_id: string | null }>(
        `select s.name as schedule, r.tick_at, r.status, r.ticks, r.execution_id from schedule_runs r
         join workflow_schedules s on s.id = r.schedule_id join workflows w on w.id = s.workflow_id
         where w.name = $1 order by r.tick_at, s.name`,
        [workflow],
      )
    ).rows.map((row) => ({ ...row, tick_at: row.tick_at.toISOString() }));
  const scheduleRows = async (workflow: string) =>
    (
      await t.pool.query<{ name: string; cron: string; next_fire_at: Date; paused: boolean }>(
        `select s.name, s.cron, s.next_fire_at, s.paused from workflow_schedules s join workflows w on w.id = s.workflow_id where w.name = $1 order by s.name`,
        [workflow],
      )
    ).rows.map((row) => ({ ...row, next_fire_at: row.next_fire_at.toISOString() }));

  it('makes one run per tick with two schedulers on the same clock', async () => {
    await save('every_minute', { steps: noop, schedules: [{ name: 'tick', cron: '* * * * *', input: { source: 'cron' } }] });
    const clock = simulatedClock('2030-01-01T00:00:30Z');
    const [a, b] = [scheduler(clock), scheduler(clock)];
    await Promise.all([a.runOnce(), b.runOnce()]);
    expect(await executionsOf(t.pool, t.tenantId, 'every_minute')).toEqual([]);

    let started = 0;
    for (const minute of [1, 2, 3, 4, 5]) {
      clock.set(`2030-01-01T00:0${minute}:00.300Z`);
      const reports = await Promise.all([a.runOnce(), b.runOnce(), a.runOnce()]);
      started += reports.reduce((sum, report) => sum + report.started, 0);
    }
    expect(started).toBe(5);
    const runs = await executionsOf(t.pool, t.tenantId, 'every_minute');
    const { id: workflowId } = (await t.engine.workflows.findByName(t.orm.em.fork(), 'every_minute', t.tenantId)) ?? { id: '' };
    expect(runs.map((run) => run.idempotency_key)).toEqual(
      [1, 2, 3, 4, 5].map((minute) => `schedule:${workflowId}:tick:2030-01-01T00:0${minute}:00.000Z`),
    );
    expect(runs.every((run) => run.trigger_type === 'schedule' && run.context['source'] === 'cron')).toBe(true);
    expect((await runsOf('every_minute')).map((run) => [run.tick_at, run.status])).toEqual(
      [1, 2, 3, 4, 5].map((minute) => [`2030-01-01T00:0${minute}:00.000Z`, 'started']),
    );
  });

  it('follows the catch-up policy for ticks missed while no scheduler ran: skip them, or run once for all', async () => {
    await save('catch_skip', { steps: noop, schedules: [{ name: 's', cron: '* * * * *', catchUp: 'skip' }] });
    await save('catch_once', { steps: noop, schedules: [{ name: 's', cron: '* * * * *', catchUp: 'once' }] });
    const clock = simulatedClock('2030-02-01T00:00:10Z');
    const s = scheduler(clock);
    await s.runOnce();

    // Nothing runs from 00:00:10 to 00:10:30: ticks 00:01 … 00:10 pass unseen.
    clock.set('2030-02-01T00:10:30Z');
    await s.runOnce();
    expect(await executionsOf(t.pool, t.tenantId, 'catch_skip')).toEqual([]);
    expect(await runsOf('catch_skip')).toEqual([
      { schedule: 's', tick_at: '2030-02-01T00:10:00.000Z', status: 'missed', ticks: 10, execution_id: null },
    ]);
    const [caughtUp] = await executionsOf(t.pool, t.tenantId, 'catch_once');
    expect(await executionsOf(t.pool, t.tenantId, 'catch_once')).toHaveLength(1);
    expect(caughtUp?.idempotency_key).toMatch(/:s:2030-02-01T00:10:00.000Z$/);
    expect(await runsOf('catch_once')).toEqual([
      { schedule: 's', tick_at: '2030-02-01T00:10:00.000Z', status: 'started', ticks: 10, execution_id: caughtUp?.id },
    ]);

    // Back to normal: the next tick runs under both policies.
    clock.set('2030-02-01T00:11:00.500Z');
    await s.runOnce();
    expect(await executionsOf(t.pool, t.tenantId, 'catch_skip')).toHaveLength(1);
    expect(await executionsOf(t.pool, t.tenantId, 'catch_once')).toHaveLength(2);
  });

  it('skips a tick while the previous run of the schedule still goes (overlap: skip), and records the skip', async () => {
    await save('batch_job', {
      steps: [
        { name: 'released', type: 'wait', event: { name: 'batch.released' } },
        { name: 'done', type: 'transform', output: { done: true } },
      ],
      schedules: [{ name: 'nightly', cron: '0 2 * * *', overlap: 'skip' }],
    });
    const clock = simulatedClock('2030-03-01T00:00:00Z');
    const s = scheduler(clock);
    await s.runOnce();

    clock.set('2030-03-01T02:00:00.100Z');
    await s.runOnce();
    const [first] = await executionsOf(t.pool, t.tenantId, 'batch_job');
    if (!first) throw new Error('the first tick started nothing');
    await t.waitFor(first.id, (status) => status === 'waiting');

    clock.set('2030-03-02T02:00:00.100Z');
    await s.runOnce();
    expect(await executionsOf(t.pool, t.tenantId, 'batch_job')).toHaveLength(1);

    expect(await t.engine.deliverEvent({ tenantId: t.tenantId, name: 'batch.released', payload: {}, id: 'release-1' })).toBe(1);
    expect(await t.waitFor(first.id)).toMatchObject({ status: 'completed' });

    clock.set('2030-03-03T02:00:00.100Z');
    await s.runOnce();
    const runs = await executionsOf(t.pool, t.tenantId, 'batch_job');
    expect(runs).toHaveLength(2);
    expect((await runsOf('batch_job')).map((run) => [run.tick_at, run.status, run.execution_id])).toEqual([
      ['2030-03-01T02:00:00.000Z', 'started', first.id],
      ['2030-03-02T02:00:00.000Z', 'skipped', first.id],
      ['2030-03-03T02:00:00.000Z', 'started', runs[1]?.id],
    ]);
    await t.engine.cancel(t.tenantId, runs[1]?.id ?? '');
  });

  it("starts a schedule's runs with its priority: among runs queued by a concurrency limit, a higher one starts first", async () => {
    await save('prioritized_batch', {
      concurrency: { limit: 1 },
      steps: [{ name: 'go', type: 'wait', event: { name: 'batch.go', match: 'event.run = context.run' } }],
      schedules: [
        { name: 'routine', cron: '0 1 * * *', input: { run: 'routine' } },
        { name: 'urgent', cron: '0 2 * * *', input: { run: 'urgent' }, priority: 10 },
      ],
    });
    const clock = simulatedClock('2030-04-01T00:30:00Z');
    const s = scheduler(clock);
    await s.runOnce();
    expect(
      await t.pool.query(
        `select s.name, s.priority from workflow_schedules s join workflows w on w.id = s.workflow_id where w.name = $1 order by s.name`,
        ['prioritized_batch'],
      ),
    ).toMatchObject({
      rows: [
        { name: 'routine', priority: 0 },
        { name: 'urgent', priority: 10 },
      ],
    });
    const blocker = await t.start('prioritized_batch', { run: 'blocker' });
    await t.waitFor(blocker, (status) => status === 'waiting');

    // The routine run is queued an hour before the urgent one; the urgent one still goes first.
    clock.set('2030-04-01T01:00:00.100Z');
    await s.runOnce();
    clock.set('2030-04-01T02:00:00.100Z');
    await s.runOnce();
    const queued = await executionsOf(t.pool, t.tenantId, 'prioritized_batch');
    expect(queued.map((run) => [run.trigger_source, run.status])).toEqual([
      [null, 'waiting'],
      ['routine@2030-04-01T01:00:00.000Z', 'queued'],
      ['urgent@2030-04-01T02:00:00.000Z', 'queued'],
    ]);
    const [, routine, urgent] = queued;
    if (!routine || !urgent) throw new Error('the schedules started nothing');
    expect((await t.pool.query<{ priority: number }>('select priority from executions where id = $1', [urgent.id])).rows).toEqual([
      { priority: 10 },
    ]);

    expect(await t.engine.deliverEvent({ tenantId: t.tenantId, name: 'batch.go', payload: { run: 'blocker' }, id: 'go-blocker' })).toBe(1);
    await t.waitFor(urgent.id, (status) => status === 'waiting');
    expect((await t.waitFor(routine.id, () => true)).status).toBe('queued');
    for (const run of [routine, urgent]) await t.engine.cancel(t.tenantId, run.id);
  });

  it('follows the definition: new, changed and removed schedules; pause and resume; zones', async () => {
    await save('resync', {
      steps: noop,
      schedules: [
        { name: 'hourly', cron: '0 * * * *' },
        { name: 'half_past', cron: '30 * * * *' },
        { name: 'berlin_morning', cron: '0 9 * * *', timezone: 'Europe/Berlin' },
      ],
    });
    const clock = simulatedClock('2030-07-01T10:10:00Z');
    const s = scheduler(clock);
    await s.runOnce();
    expect(await scheduleRows('resync')).toEqual([
      { name: 'berlin_morning', cron: '0 9 * * *', next_fire_at: '2030-07-02T07:00:00.000Z', paused: false },
      { name: 'half_past', cron: '30 * * * *', next_fire_at: '2030-07-01T10:30:00.000Z', paused: false },
      { name: 'hourly', cron: '0 * * * *', next_fire_at: '2030-07-01T11:00:00.000Z', paused: false },
    ]);

    await save('resync', {
      steps: noop,
      schedules: [
        { name: 'hourly', cron: '15 * * * *' },
        { name: 'berlin_morning', cron: '0 9 * * *', timezone: 'Europe/Berlin', input: { changed: true } },
        { name: 'quarter_to', cron: '45 * * * *' },
      ],
    });
    clock.set('2030-07-01T10:12:00Z');
    await s.runOnce();
    expect(await scheduleRows('resync')).toEqual([
      { name: 'berlin_morning', cron: '0 9 * * *', next_fire_at: '2030-07-02T07:00:00.000Z', paused: false },
      { name: 'hourly', cron: '15 * * * *', next_fire_at: '2030-07-01T10:15:00.000Z', paused: false },
      { name: 'quarter_to', cron: '45 * * * *', next_fire_at: '2030-07-01T10:45:00.000Z', paused: false },
    ]);

    // The API's catalog, on the same simulated clock as the scheduler.
    const catalog = createScheduleCatalog({ clock, logger: createLogger('silent') });
    const inTenant = <T>(work: Parameters<typeof inTenantTransaction<T>>[2]) => inTenantTransaction(t.orm.em.fork(), t.tenantId, work);
    const paused = await inTenant((em) => catalog.pause(em, t.tenantId, 'resync', 'quarter_to'));
    expect(catalog.nextFireAt(paused)).toBeNull();
    clock.set('2030-07-01T10:45:00.200Z');
    await s.runOnce();
    expect((await runsOf('resync')).map((run) => run.schedule)).toEqual(['hourly']);

    // Resumed at 11:20: the 10:45 tick that passed while paused is not caught up.
    clock.set('2030-07-01T11:20:00Z');
    const resumed = await inTenant((em) => catalog.resume(em, t.tenantId, 'resync', 'quarter_to'));
    expect(catalog.nextFireAt(resumed)?.toISOString()).toBe('2030-07-01T11:45:00.000Z');
    expect(catalog.upcoming({ ...resumed, nextFireAt: catalog.nextFireAt(resumed) }, 3).map((date) => date.toISOString())).toEqual([
      '2030-07-01T11:45:00.000Z',
      '2030-07-01T12:45:00.000Z',
      '2030-07-01T13:45:00.000Z',
    ]);
    await expect(inTenant((em) => catalog.pause(em, t.tenantId, 'resync', 'nope'))).rejects.toMatchObject({ code: 'NOT_FOUND' });
    await expect(inTenant((em) => catalog.list(em, t.tenantId, 'no_such_workflow'))).rejects.toMatchObject({ code: 'NOT_FOUND' });

    // A deactivated workflow's schedules do not fire.
    await t.engine.workflows.deactivate(t.tenantId, 'resync');
    clock.set('2030-07-01T12:15:00.200Z');
    const before = (await runsOf('resync')).length;
    await s.runOnce();
    expect(await runsOf('resync')).toHaveLength(before);
  });
});

describe('triggers: the daily expiring-soon scan', () => {
  const t = useTestEngine({ worker: false });

  const expiringEvents = async () =>
    (
      await t.pool.query<{ id: string; payload: { subscriptionId: string; periodEnd: string } }>(
        `select id, payload from domain_events where name = 'subscription.expiring_soon' order by occurred_at, id`,
      )
    ).rows;

  it('emits subscription.expiring_soon once per subscription period, 30 days before its end, which starts the renewal', async () => {
    const fixtures = commercialFixtures(t.orm);
    const customer = await fixtures.customer(t.tenantId);
    const plan = await fixtures.plan(t.tenantId);
    const soon = await fixtures.subscription(t.tenantId, customer.id, plan.id, {
      start: new Date('2030-12-20T00:00:00Z'),
      end: new Date('2031-01-20T00:00:00Z'),
    });
    const later = await fixtures.subscription(t.tenantId, (await fixtures.customer(t.tenantId)).id, plan.id, {
      start: new Date('2030-12-01T00:00:00Z'),
      end: new Date('2031-03-01T00:00:00Z'),
    });
    await fixtures.subscription(t.tenantId, (await fixtures.customer(t.tenantId)).id, plan.id, {
      start: new Date('2030-12-15T00:00:00Z'),
      end: new Date('2031-01-15T00:00:00Z'),
      status: 'cancelled',
    });
    // The built-in renewal's trigger and input schema, with a step that needs no services.
    const renewal = customerRenewalProcess({ tenantId: t.tenantId }).definition;
    await t.engine.workflows.save({
      tenantId: t.tenantId,
      name: 'customer_renewal_process',
      definition: {
        input: renewal.input,
        triggers: renewal.triggers,
        steps: [{ name: 'noted', type: 'transform', expression: 'context' }],
      } as never,
    });

    const clock = simulatedClock('2031-01-01T05:00:00Z');
    const scan = { clock, systemSchedules: [EXPIRING_SOON_SCHEDULE] };
    const [a, b] = [t.engine.scheduler(scan), t.engine.scheduler(scan)];
    await a.runOnce();
    expect(await expiringEvents()).toEqual([]);

    // Daily at 06:00 UTC. Day 1: the subscription ending in 19 days.
    clock.set('2031-01-01T06:00:00.500Z');
    expect((await a.runOnce()).system).toEqual(['subscription.expiring_soon']);
    expect(await expiringEvents()).toEqual([
      {
        id: uuidFromKey(expiringSoonEventKey(soon.id, new Date('2031-01-20T00:00:00Z'))),
        payload: expect.objectContaining({ subscriptionId: soon.id, periodEnd: '2031-01-20T00:00:00.000Z' }),
      },
    ]);

    // The next days, and two schedulers at once: nothing new for that period.
    for (const day of ['02', '03', '04']) {
      clock.set(`2031-01-${day}T06:00:00.500Z`);
      const reports = await Promise.all([a.runOnce(), b.runOnce()]);
      expect(reports.flatMap((report) => report.system)).toEqual(['subscription.expiring_soon']);
    }
    expect(await expiringEvents()).toHaveLength(1);

    // 30 days before 1 March: the other subscription.
    clock.set('2031-01-30T06:00:00.500Z');
    await b.runOnce();
    expect((await expiringEvents()).map((event) => event.payload.subscriptionId)).toEqual([soon.id, later.id]);

    // Renewed for a year: its next period gets its own event, once — the scan runs once after days of nobody running it.
    await t.pool.query(`update subscriptions set current_period_end = '2032-01-20T00:00:00Z' where id = $1`, [soon.id]);
    clock.set('2031-12-25T09:00:00Z');
    expect((await a.runOnce()).system).toEqual(['subscription.expiring_soon']);
    await a.runOnce();
    const events = await expiringEvents();
    expect(events.map((event) => [event.payload.subscriptionId, event.payload.periodEnd])).toEqual([
      [soon.id, '2031-01-20T00:00:00.000Z'],
      [later.id, '2031-03-01T00:00:00.000Z'],
      [soon.id, '2032-01-20T00:00:00.000Z'],
    ]);

    // Each starts customer_renewal_process with the customer and subscription.
    expect(await t.engine.eventDispatcher().runOnce()).toMatchObject({ events: 3, started: 3, failed: 0 });
    // Started together (the dispatcher starts a batch's runs at once), so in no particular order.
    const runs = await executionsOf(t.pool, t.tenantId, 'customer_renewal_process');
    expect(runs).toHaveLength(3);
    expect(runs.map((run) => run.context)).toEqual(
      expect.arrayContaining([
        { customer_id: customer.id, subscription_id: soon.id },
        { customer_id: expect.any(String), subscription_id: later.id },
      ]),
    );
    expect(runs.filter((run) => run.context['subscription_id'] === soon.id)).toHaveLength(2);
  });
});
