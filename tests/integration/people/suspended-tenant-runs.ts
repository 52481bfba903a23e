import { CreateTenantDocument, UpdateTenantDocument } from '../../generated/graphql.js';
import { createTestDatabase, type TestDatabase } from '../../helpers/database.js';
import { eventually } from '../../helpers/eventually.js';
import { execute } from '../../helpers/graphql.js';
import { startTestServer, type TestServer } from '../../helpers/server.js';
import { recordEvent, simulatedClock } from '../triggers/support.js';
import { ok, uniqueEmail } from './support.js';

interface Delivery {
  status: string;
  execution_id: string | null;
  error: { code?: string; message?: string } | null;
}

interface RunRow {
  status: string;
  pause_requested: boolean;
  wake_at: string | null;
}

/**
 * A suspended tenant's users and keys are refused at the door; here, what starts runs without them:
 * its event triggers and its schedules. Their starts are refused with TENANT_SUSPENDED, recorded on the
 * event's delivery and the tick's run; once the suspension is lifted, the next ones start. And runs
 * already going: each is paused at its next step boundary (no new step starts, a waiting run is parked
 * paused, so neither its timer nor an event resumes it), and lifting the suspension resumes exactly
 * those — a run someone had paused before stays paused.
 */
describe("a suspended tenant's runs: triggered, scheduled and already going", () => {
  let database: TestDatabase;
  let server: TestServer;
  let tenantId: string;

  beforeAll(async () => {
    database = await createTestDatabase();
    server = await startTestServer({ databaseUrl: database.url });
    tenantId = ok(
      await execute(
        server.url,
        CreateTenantDocument,
        { input: { slug: 'paused-co', name: 'Paused Co', adminEmail: uniqueEmail('paused') } },
        server.adminHeaders,
      ),
    ).createTenant.id;
    await server.engine.workflows.save({
      tenantId,
      name: 'on_order',
      definition: {
        triggers: [{ event: 'order.placed', context: '{ "order": event.order }' }],
        schedules: [{ name: 'new_year', cron: '0 0 1 1 *', timezone: 'UTC' }],
        steps: [{ name: 'noted', type: 'transform', output: { done: true } }],
      },
    });
    await server.engine.workflows.save({
      tenantId,
      name: 'awaits_go',
      definition: {
        steps: [
          { name: 'go', type: 'wait', event: { name: 'order.go', match: 'event.order = context.order', timeoutSeconds: 86_400 } },
          { name: 'after', type: 'transform', output: { went: true } },
        ],
      },
    });
    await server.engine.workflows.save({
      tenantId,
      name: 'an_hour',
      definition: { steps: [{ name: 'hour', type: 'wait', seconds: 3_600 }] },
    });
  });
  afterAll(async () => {
    await server?.stop();
    await database?.drop();
  });

  const suspend = async (suspended: boolean) =>
    ok(await execute(server.url, UpdateTenantDocument, { id: tenantId, input: { suspended } }, server.adminHeaders));
  const query = async <T extends object>(text: string, params: unknown[]): Promise<T[]> =>
    await server.orm.em.fork().getConnection().execute<T[]>(text, params);
  const runOf = async (id: string): Promise<RunRow> =>
    (await query<RunRow>('select status, pause_requested, wake_at from executions where id = ?', [id]))[0]!;
  const until = (id: string, status: string) =>
    eventually(
      `run ${id} ${status}`,
      () => runOf(id),
      (run) => run.status === status,
    );
  const start = async (workflow: string, order: string) =>
    (await server.engine.start({ tenantId, workflow, context: { order } })).executionId;
  /** The delivery of an event to on_order, once the (background) dispatcher has made it. */
  const deliveryOf = async (eventId: string): Promise<Delivery> => {
    const rows = await eventually(
      `the delivery of ${eventId}`,
      () => query<Delivery>('select status, execution_id, error from event_deliveries where event_id = ?', [eventId]),
      (found) => found.length > 0,
    );
    return rows[0]!;
  };

  it('an event starts no run while the tenant is suspended, with the reason on its delivery; after the suspension is lifted, the next one does', async () => {
    await suspend(true);
    const refused = await deliveryOf(await recordEvent(server.orm, { tenantId, name: 'order.placed', payload: { order: 'o-1' } }));
    expect(refused).toMatchObject({ status: 'failed', execution_id: null, error: { code: 'TENANT_SUSPENDED' } });
    expect(refused.error?.message).toMatch(/paused-co is suspended/);
    expect(await query('select id from executions where tenant_id = ?', [tenantId])).toEqual([]);

    await suspend(false);
    const started = await deliveryOf(await recordEvent(server.orm, { tenantId, name: 'order.placed', payload: { order: 'o-2' } }));
    expect(started).toMatchObject({ status: 'started', error: null });
    expect(started.execution_id).toEqual(expect.any(String));
  });

  it('a schedule starts no run while the tenant is suspended, recording the tick as failed; after the suspension is lifted, the next tick does', async () => {
    // A yearly schedule, driven by a scheduler on a simulated clock (the server's own follows wall time, a year away).
    const year = new Date().getUTCFullYear() + 1;
    const clock = simulatedClock(`${year - 1}-12-31T23:59:00Z`);
    const scheduler = server.engine.scheduler({ clock, graceMs: 1_000, systemSchedules: [] });
    await scheduler.runOnce();

    await suspend(true);
    clock.set(`${year}-01-01T00:00:00.300Z`);
    expect(await scheduler.runOnce()).toMatchObject({ started: 0, failed: 1 });
    await suspend(false);
    clock.set(`${year + 1}-01-01T00:00:00.300Z`);
    expect(await scheduler.runOnce()).toMatchObject({ started: 1, failed: 0 });

    const runs = await query<{ tick_at: string; status: string; error: { code?: string } | null; execution_id: string | null }>(
      'select tick_at, status, error, execution_id from schedule_runs where tenant_id = ? order by tick_at',
      [tenantId],
    );
    expect(
      runs.map((run) => [new Date(run.tick_at).toISOString(), run.status, run.error?.code ?? null, run.execution_id !== null]),
    ).toEqual([
      [`${year}-01-01T00:00:00.000Z`, 'failed', 'TENANT_SUSPENDED', false],
      [`${year + 1}-01-01T00:00:00.000Z`, 'started', null, true],
    ]);
  });

  it('pauses a waiting run, which an event then does not resume; lifting the suspension resumes it with that event', async () => {
    const id = await start('awaits_go', 'o-1');
    await until(id, 'waiting');

    await suspend(true);
    expect(await until(id, 'paused')).toMatchObject({ status: 'paused', pause_requested: true, wake_at: null });
    expect(await query('select execution_id from tenant_held_runs where tenant_id = ?', [tenantId])).toEqual([{ execution_id: id }]);

    // The event resolves the wait (it is not lost), but a paused run is not woken by it.
    await recordEvent(server.orm, { tenantId, name: 'order.go', payload: { order: 'o-1' } });
    await eventually(
      'the wait resolved',
      () => query<{ resolved_at: Date | null }>('select resolved_at from execution_waits where execution_id = ?', [id]),
      (rows) => rows[0]?.resolved_at != null,
    );
    expect((await runOf(id)).status).toBe('paused');
    expect(await query(`select key from execution_steps where execution_id = ? and key = 'after'`, [id])).toEqual([]);

    await suspend(false);
    expect(await until(id, 'completed')).toMatchObject({ pause_requested: false });
    expect(await query(`select status from execution_steps where execution_id = ? and key = 'after'`, [id])).toEqual([
      { status: 'completed' },
    ]);
    expect(await query('select execution_id from tenant_held_runs where tenant_id = ?', [tenantId])).toEqual([]);
    const events = await query<{ type: string }>('select type from execution_events where execution_id = ? order by seq', [id]);
    expect(events.map((event) => event.type)).toEqual(
      expect.arrayContaining(['execution.paused', 'execution.resumed', 'execution.completed']),
    );
  });

  it("parks a timer's run paused (no wake-up while suspended) and, lifted, puts it back to wait for its timer", async () => {
    const id = await start('an_hour', 'o-2');
    const waiting = await until(id, 'waiting');
    expect(waiting.wake_at).not.toBeNull();

    await suspend(true);
    expect(await until(id, 'paused')).toMatchObject({ wake_at: null });
    await suspend(false);
    // Lifting wakes the run at once (wake_at now); a worker then parks it again on its own timer.
    const timer = new Date(waiting.wake_at ?? 0).getTime();
    const again = await eventually(
      `run ${id} waiting on its timer`,
      () => runOf(id),
      (run) => run.status === 'waiting' && !run.pause_requested && new Date(run.wake_at ?? 0).getTime() === timer,
    );
    expect(again).toMatchObject({ status: 'waiting', pause_requested: false });
  });

  it('leaves paused a run someone had paused before the suspension', async () => {
    const id = await start('an_hour', 'o-3');
    await until(id, 'waiting');
    await server.engine.pause(tenantId, id);
    await until(id, 'paused');

    await suspend(true);
    expect(await query('select execution_id from tenant_held_runs where execution_id = ?', [id])).toEqual([]);
    await suspend(false);
    // The other runs held with it are resumed; this one is still paused by its own pause.
    expect(await runOf(id)).toMatchObject({ status: 'paused', pause_requested: true });
  });
});
