import { z } from 'zod';
import { lockTenant, setTenantSuspension } from '../../../src/auth/tenants.js';
import { AppError } from '../../../src/errors.js';
import { defineServiceMethod } from '../../../src/services/registry.js';
import { useTestEngine } from '../../helpers/engine.js';
import { eventually } from '../../helpers/eventually.js';

/** Gates the test opens: `arrived` once something reached it, `open()` lets it through. */
function gate() {
  let arrive: () => void = () => undefined;
  let open: () => void = () => undefined;
  const arrived = new Promise<void>((resolve) => (arrive = resolve));
  const opened = new Promise<void>((resolve) => (open = resolve));
  return { arrived, opened, arrive, open };
}

/** The parent's first step waits at this gate: its sub_workflow step starts the child only when the test says. */
let parentGate = gate();
const waitAtGate = defineServiceMethod({
  service: 'race',
  method: 'gate',
  description: 'Waits until the test opens the gate.',
  effects: 'none',
  input: z.object({}),
  async run() {
    parentGate.arrive();
    await parentGate.opened;
    return { through: true };
  },
});

/**
 * A run recorded at the moment its tenant is suspended: started by a request authenticated a moment
 * before, or by a sub_workflow step already in flight, or made to go on by a retry or resume. The
 * suspension locks the tenant's row FOR UPDATE; every start reads the suspension FOR KEY SHARE in the
 * statement that records it. Whichever comes second waits for the other's commit (each test stalls one
 * side inside its transaction and sees the other waiting on the lock in pg_stat_activity), so: a start
 * after the suspension is refused with TENANT_SUSPENDED, a running run's child is recorded held and
 * never starts a step, and a start before it is held with the tenant's other runs.
 */
describe('a run started while its tenant is being suspended', () => {
  const t = useTestEngine({ deps: { services: [waitAtGate] } });

  beforeAll(async () => {
    await t.save('an_hour', { steps: [{ name: 'hour', type: 'wait', seconds: 3_600 }] });
    await t.save('quick', { steps: [{ name: 'hello', type: 'service_call', service: 'test', method: 'echo', params: { hi: true } }] });
    await t.save('parent', {
      steps: [
        { name: 'gate', type: 'service_call', service: 'race', method: 'gate', params: {} },
        { name: 'call', type: 'sub_workflow', workflow: 'quick', input: {} },
      ],
    });
    await t.save('failing', {
      steps: [{ name: 'refused', type: 'service_call', service: 'test', method: 'record', params: { label: 'x', failAfterWrite: true } }],
    });
  });

  const query = async <T extends object>(text: string, params: unknown[] = []): Promise<T[]> => (await t.pool.query<T>(text, params)).rows;

  /**
   * The suspension service in a transaction of its own (as updateTenant runs it), stalled (`stall`) once
   * it locked the tenant's row — the first thing it does — until the test opens it; resolves once committed.
   */
  async function suspend(suspended: boolean, stall?: ReturnType<typeof gate>): Promise<void> {
    await t.orm.em.fork().transactional(async (em) => {
      const tenant = await lockTenant(em, t.tenantId);
      if (!tenant) throw new Error('no test tenant');
      stall?.arrive();
      await stall?.opened;
      await setTenantSuspension(em, tenant, suspended, new Date());
    });
    t.engine.tenantSuspensionChanged(t.tenantId, suspended);
  }
  /** Resolves once a statement matching `pattern` waits for a lock another transaction holds. */
  const waitingOnLock = (what: string, pattern: string) =>
    eventually(
      what,
      () =>
        query<{ n: number }>(`select count(*)::int as n from pg_stat_activity where wait_event_type = 'Lock' and query ilike $1`, [
          pattern,
        ]),
      (rows) => (rows[0]?.n ?? 0) > 0,
    );
  const heldRuns = async () =>
    (await query<{ execution_id: string }>('select execution_id from tenant_held_runs where tenant_id = $1', [t.tenantId])).map(
      (row) => row.execution_id,
    );
  const runOf = async (id: string) =>
    (await query<{ status: string; pause_requested: boolean }>('select status, pause_requested from executions where id = $1', [id]))[0];
  const stepEvents = async (id: string) =>
    query<{ type: string }>(`select type from execution_events where execution_id = $1 and type like 'step.%'`, [id]);
  const codeOf = async (promise: Promise<unknown>) =>
    promise.then(
      () => 'ok',
      (error: unknown) => (error instanceof AppError ? error.code : String(error)),
    );
  /**
   * The statement that records a run, waiting for the suspension's lock of the tenant: one start's
   * (`where id = $2 for key share`) or a group-committed batch's (`where id in (…) for key share`).
   */
  const START_WAITS = '%from tenants where id %for key share%';

  afterEach(async () => {
    parentGate.open();
    await suspend(false);
  });

  it('a start that comes while the suspension is uncommitted waits for it, then is refused with TENANT_SUSPENDED', async () => {
    const stall = gate();
    const suspension = suspend(true, stall);
    await stall.arrived;
    const before = (await query<{ n: number }>('select count(*)::int as n from executions'))[0]?.n;

    const late = codeOf(t.engine.start({ tenantId: t.tenantId, workflow: 'an_hour', context: {} }));
    await waitingOnLock('the start waiting for the suspension', START_WAITS);
    stall.open();
    await suspension;

    expect(await late).toBe('TENANT_SUSPENDED');
    expect((await query<{ n: number }>('select count(*)::int as n from executions'))[0]?.n).toBe(before);
  });

  it("a running run's child started while the suspension is uncommitted is recorded held, starts no step, and runs once lifted", async () => {
    parentGate = gate();
    const parent = await t.start('parent');
    await parentGate.arrived;
    const stall = gate();
    const suspension = suspend(true, stall);
    await stall.arrived;

    // The parent's sub_workflow step records its child now, while the suspension is not yet committed.
    parentGate.open();
    await waitingOnLock("the child's start waiting for the suspension", START_WAITS);
    stall.open();
    await suspension;

    const [child] = await eventually(
      'the child recorded',
      () => query<{ id: string }>('select id from executions where parent_execution_id = $1', [parent]),
      (rows) => rows.length === 1,
    );
    const childId = child?.id ?? '';
    expect((await heldRuns()).sort()).toEqual([parent, childId].sort());
    expect(
      await eventually(
        'the child parked paused',
        () => runOf(childId),
        (run) => run?.status === 'paused',
      ),
    ).toMatchObject({ pause_requested: true });
    expect(await stepEvents(childId)).toEqual([]);

    await suspend(false);
    expect(await t.waitFor(childId)).toMatchObject({ status: 'completed' });
    expect(await t.waitFor(parent)).toMatchObject({ status: 'completed' });
    expect(await heldRuns()).toEqual([]);
  });

  it('a suspension that comes while a start is uncommitted waits for it, then holds the new run with the others (parked at its step boundary)', async () => {
    const recorded = gate();
    // The start records its run in a transaction kept open (as an audited API start does with its audit row).
    const starting = t.engine.start(
      { tenantId: t.tenantId, workflow: 'an_hour', context: {} },
      {
        inTransaction: async () => {
          recorded.arrive();
          await recorded.opened;
        },
      },
    );
    await recorded.arrived;
    const suspension = suspend(true);
    await waitingOnLock('the suspension waiting for the start', '%from "tenants"%for update%');
    recorded.open();
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

  it('in a suspended tenant a resume, a retry and a rerun are refused with TENANT_SUSPENDED, and the held run stays held', async () => {
    const waiting = await t.start('an_hour');
    await eventually(
      'the run waiting on its timer',
      () => runOf(waiting),
      (run) => run?.status === 'waiting',
    );
    const { executionId: failed } = await t.run('failing');
    await suspend(true);
    await eventually(
      'the held run parked paused',
      () => runOf(waiting),
      (run) => run?.status === 'paused',
    );

    expect(await codeOf(t.engine.resume(t.tenantId, waiting))).toBe('TENANT_SUSPENDED');
    expect(await codeOf(t.engine.retry(t.tenantId, failed, undefined))).toBe('TENANT_SUSPENDED');
    expect(await codeOf(t.engine.rerun(t.tenantId, failed, 'refused'))).toBe('TENANT_SUSPENDED');
    expect(await runOf(waiting)).toEqual({ status: 'paused', pause_requested: true });
    expect(await runOf(failed)).toMatchObject({ status: 'failed' });

    await suspend(false);
    await eventually(
      'the held run back on its timer',
      () => runOf(waiting),
      (run) => run?.status === 'waiting',
    );
  });
});
