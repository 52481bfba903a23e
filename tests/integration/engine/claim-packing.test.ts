import { createClaimPrimacy } from '../../../src/engine/store/claim-primacy.js';
import type { Worker } from '../../../src/engine/runtime/worker.js';
import { createLogger } from '../../../src/logger.js';
import { eventually } from '../../helpers/eventually.js';
import { useTestEngine, type TestEngine } from '../../helpers/engine.js';

/**
 * Claims are packed onto the primary worker (engine/runtime/claim-pacing.ts): it claims at once while
 * it has room; any other worker claims only runs left unclaimed for its patience (the deferral, twice
 * it when saturated). Here the deferral is ten minutes, each worker's utilization is injected, no worker
 * polls or scans, and a worker's deferred claims run only when the test runs them (as if their time had
 * come); a run "due for 15 minutes" is one whose due time the test moved back.
 */
const HOUR = 3_600_000;
const DEFER = 600_000;

/** Deferred claims, run by hand. */
function manualSchedule() {
  const waiting = new Set<() => Promise<void>>();
  return {
    schedule(claim: () => Promise<void>) {
      waiting.add(claim);
      return { cancel: () => void waiting.delete(claim) };
    },
    /** Runs the claims waiting and waits for them. */
    async run() {
      const claims = [...waiting];
      waiting.clear();
      await Promise.all(claims.map((claim) => claim()));
    },
  };
}

function harness(t: TestEngine) {
  const started: Worker[] = [];
  const ownerOf = async (id: string) => {
    const { rows } = await t.pool.query<{ lease_owner: string | null }>('select lease_owner from executions where id = $1', [id]);
    return rows[0]?.lease_owner ?? null;
  };
  return {
    ownerOf,
    /** A worker (the first started is the primary) whose deferred claims run when `claims.run()` is called. */
    async worker(utilization: () => number) {
      const claims = manualSchedule();
      const worker = await t.engine.startWorker({
        concurrency: 10,
        recoveryIntervalMs: HOUR,
        pollIntervalMs: HOUR,
        packing: { deferMs: DEFER, saturatedAt: 0.9, utilization, schedule: claims.schedule },
      });
      started.push(worker);
      return Object.assign(worker, {
        /** Hears a wake-up and runs its deferred claim now. */
        claimDeferred: async () => {
          worker.wake();
          await claims.run();
        },
      });
    },
    /** Starts a run that holds its worker (a minute-long step). */
    hold: () => t.start('hold'),
    /** The worker holding the run once one claimed it. */
    claimedBy: (id: string) =>
      eventually(
        `run ${id} claimed`,
        () => ownerOf(id),
        (owner) => owner !== null,
      ),
    /** Makes a run due for 15 minutes, as if nobody had claimed it since. */
    age: (id: string) => t.pool.query(`update executions set wake_at = wake_at - interval '15 minutes' where id = $1`, [id]),
    /** The steps in flight are abandoned and their runs handed back. */
    async stop() {
      for (const worker of started.splice(0)) await worker.stop({ preemptAfterMs: 0 });
    },
  };
}

const HOLD = { steps: [{ name: 'hold', type: 'service_call', service: 'test', method: 'sleep', params: { ms: 60_000 } }] };

describe('engine: an idle second worker takes nothing while the primary has room', () => {
  const t = useTestEngine({ config: { runStartsLocally: false }, worker: false });
  const h = harness(t);
  afterAll(() => h.stop());

  it('every run goes to the primary; the other worker’s claims find none', async () => {
    await t.save('hold', HOLD);
    const primary = await h.worker(() => 0.2);
    const other = await h.worker(() => 0.2);
    for (let i = 0; i < 3; i += 1) {
      const id = await h.hold();
      await other.claimDeferred();
      expect(await h.claimedBy(id)).toBe(primary.workerId);
    }
    const { rows } = await t.pool.query<{ held: string }>('select count(*) as held from executions where lease_owner = $1', [
      other.workerId,
    ]);
    expect(Number(rows[0]?.held)).toBe(0);
  });
});

describe('engine: a saturated primary leaves runs to a worker with room', () => {
  const t = useTestEngine({ config: { runStartsLocally: false }, worker: false });
  const h = harness(t);
  afterAll(() => h.stop());

  it('the other worker takes a run left for the deferral, before the saturated primary does; the primary takes runs again once it has room', async () => {
    await t.save('hold', HOLD);
    const load = { primary: 1, other: 0.2 };
    const primary = await h.worker(() => load.primary);
    const other = await h.worker(() => load.other);

    const overflow = await h.hold();
    // Just due: neither takes it (the saturated primary waits twice the deferral, the other once).
    await other.claimDeferred();
    await primary.claimDeferred();
    expect(await h.ownerOf(overflow)).toBeNull();
    // Due for 15 minutes: more than the other worker's patience, less than the saturated primary's.
    await h.age(overflow);
    await primary.claimDeferred();
    expect(await h.ownerOf(overflow)).toBeNull();
    await other.claimDeferred();
    expect(await h.ownerOf(overflow)).toBe(other.workerId);

    load.primary = 0.2;
    const next = await h.hold();
    expect(await h.claimedBy(next)).toBe(primary.workerId);
  });
});

describe('engine: the primary worker is whoever holds the lock', () => {
  const t = useTestEngine({ worker: false });
  const logger = createLogger('silent');

  it('one holds it; when its session dies or it lets go, another takes it at its next try', async () => {
    const [first, second, third] = [1, 2, 3].map(() => createClaimPrimacy(t.pool, logger));
    if (!first || !second || !third) throw new Error('three contenders');
    await first.contend();
    await second.contend();
    expect([first.held(), second.held()]).toEqual([true, false]);

    await t.pool.query(
      `select pg_terminate_backend(pid) from pg_locks
       where locktype = 'advisory' and granted and database = (select oid from pg_database where datname = current_database())`,
    );
    await eventually(
      'the primary hears its session ended',
      async () => first.held(),
      (held) => !held,
    );
    await second.contend();
    await third.contend();
    expect([second.held(), third.held()]).toEqual([true, false]);

    await second.release();
    await third.contend();
    expect(third.held()).toBe(true);
    await Promise.all([first.release(), third.release()]);
  });
});
