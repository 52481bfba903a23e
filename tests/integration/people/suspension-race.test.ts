import pg from 'pg';
import { CreateTenantDocument, UpdateTenantDocument } from '../../generated/graphql.js';
import { createTestDatabase, type TestDatabase } from '../../helpers/database.js';
import { eventually } from '../../helpers/eventually.js';
import { execute } from '../../helpers/graphql.js';
import { startTestServer, type TestServer } from '../../helpers/server.js';
import { ok, uniqueEmail } from './support.js';

/**
 * A run recorded at the moment its tenant is suspended: started by a request authenticated just
 * before, or by a sub_workflow step already in flight. Whichever commits first, the run ends up held
 * with the tenant's others, and one recorded after the suspension never starts a step. Each test stalls
 * one side inside its transaction and checks the other is made to wait for it (pg_stat_activity shows
 * the lock wait), then lets go.
 */
describe('a run started while its tenant is being suspended is held with the others', () => {
  let database: TestDatabase;
  let server: TestServer;
  let tenantId: string;
  let blocker: pg.Client;

  beforeAll(async () => {
    database = await createTestDatabase();
    server = await startTestServer({ databaseUrl: database.url });
    tenantId = ok(
      await execute(
        server.url,
        CreateTenantDocument,
        { input: { slug: 'racing-co', name: 'Racing Co', adminEmail: uniqueEmail('racing') } },
        server.adminHeaders,
      ),
    ).createTenant.id;
    await server.engine.workflows.save({
      tenantId,
      name: 'an_hour',
      definition: { steps: [{ name: 'hour', type: 'wait', seconds: 3_600 }] },
    });
    blocker = new pg.Client({ connectionString: database.url });
    await blocker.connect();
  });
  afterAll(async () => {
    await blocker?.end();
    await server?.stop();
    await database?.drop();
  });

  const query = async <T extends object>(text: string, params: unknown[] = []): Promise<T[]> =>
    server.orm.em.fork().getConnection().execute<T[]>(text, params);
  const suspend = async (suspended: boolean) =>
    ok(await execute(server.url, UpdateTenantDocument, { id: tenantId, input: { suspended } }, server.adminHeaders));
  const start = async () => (await server.engine.start({ tenantId, workflow: 'an_hour', context: {} })).executionId;
  /** Resolves once a statement matching `pattern` is waiting for a lock another transaction holds. */
  const waitingOnLock = (what: string, pattern: string) =>
    eventually(
      what,
      () =>
        query<{ n: number }>(`select count(*)::int as n from pg_stat_activity where wait_event_type = 'Lock' and query ilike ?`, [pattern]),
      (rows) => (rows[0]?.n ?? 0) > 0,
    );
  const heldRuns = async () =>
    (
      await query<{ execution_id: string }>('select execution_id from tenant_held_runs where tenant_id = ? order by execution_id', [
        tenantId,
      ])
    ).map((row) => row.execution_id);
  const runOf = async (id: string) =>
    (await query<{ status: string; pause_requested: boolean }>('select status, pause_requested from executions where id = ?', [id]))[0];
  const stepEvents = async (id: string) =>
    query<{ type: string }>(`select type from execution_events where execution_id = ? and type like 'step.%'`, [id]);

  afterEach(async () => {
    await blocker.query('rollback').catch(() => undefined);
    await suspend(false);
  });

  it('a start that reaches the tenant while the suspension is uncommitted waits for it, then is held before its first step', async () => {
    // A run already going, whose row the test locks: the suspension then stalls inside its transaction,
    // after taking the tenant's row and before holding the runs.
    const going = await start();
    await eventually(
      'the first run waiting on its timer',
      () => runOf(going),
      (run) => run?.status === 'waiting',
    );
    await blocker.query('begin');
    await blocker.query('select id from executions where id = $1 for update', [going]);
    const suspension = suspend(true);
    await waitingOnLock('the suspension stalled on the locked run', '%tenant_held_runs%');

    const late = start();
    await waitingOnLock('the start waiting for the suspension', '%insert into executions%');
    await blocker.query('commit');
    const [lateId] = await Promise.all([late, suspension]);

    expect(await heldRuns()).toEqual([going, lateId].sort());
    expect(
      await eventually(
        'the late run parked paused',
        () => runOf(lateId),
        (run) => run?.status === 'paused',
      ),
    ).toMatchObject({ pause_requested: true });
    expect(await stepEvents(lateId)).toEqual([]);

    await suspend(false);
    expect(
      await eventually(
        'the late run waiting on its timer',
        () => runOf(lateId),
        (run) => run?.status === 'waiting',
      ),
    ).toMatchObject({ pause_requested: false });
    expect(await heldRuns()).toEqual([]);
  });

  it('a suspension that reaches the tenant while a start is uncommitted waits for it, then holds the new run too', async () => {
    let commitStart: () => void = () => undefined;
    let recorded: () => void = () => undefined;
    const insertDone = new Promise<void>((resolve) => (recorded = resolve));
    const gate = new Promise<void>((resolve) => (commitStart = resolve));
    // The start records its run in a transaction the test keeps open (as an audited API start or a
    // sub_workflow step does with its own statements).
    const starting = server.engine.start(
      { tenantId, workflow: 'an_hour', context: {} },
      {
        inTransaction: async () => {
          recorded();
          await gate;
        },
      },
    );
    await insertDone;
    const suspension = suspend(true);
    await waitingOnLock('the suspension waiting for the start', '%tenants%');
    commitStart();
    const [{ executionId }] = await Promise.all([starting, suspension]);

    expect(await heldRuns()).toContain(executionId);
    expect(
      await eventually(
        'the new run parked paused',
        () => runOf(executionId),
        (run) => run?.status === 'paused',
      ),
    ).toMatchObject({ pause_requested: true });
  });
});
