import { createClaimPrimacy } from '../../../src/engine/store/claim-primacy.js';
import { WORK_WAKEUP_TOPIC, type WakeupSource } from '../../../src/engine/wakeups.js';
import type { Worker } from '../../../src/engine/runtime/worker.js';
import { createLogger } from '../../../src/logger.js';
import { eventually } from '../../helpers/eventually.js';
import { useTestEngine, type TestEngine } from '../../helpers/engine.js';

/**
 * Claims are packed onto the primary worker (engine/runtime/claim-pacing.ts): it claims at once; any
 * other worker claims only runs left unclaimed for its patience (the deferral; none while the primary
 * is saturated), and a saturated one waits twice the deferral while another has room. Here the deferral is ten minutes, whether each worker is saturated is injected, each reads the others'
 * state at every claim, no worker polls or scans, and a worker's deferred claims run only when the test
 * runs them (as if their time had come). A run claimed at all was claimed without waiting.
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
    async worker(saturated: () => boolean) {
      const claims = manualSchedule();
      const worker = await t.engine.startWorker({
        concurrency: 10,
        recoveryIntervalMs: HOUR,
        pollIntervalMs: HOUR,
        packing: { deferMs: DEFER, peersMaxAgeMs: 0, saturated, schedule: claims.schedule },
      });
      started.push(worker);
      return Object.assign(worker, {
        /** Hears a wake-up and runs its deferred claim now. */
        claimDeferred: async () => {
          await worker.wake();
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
    const primary = await h.worker(() => false);
    const other = await h.worker(() => false);
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

describe('engine: beside a saturated primary, a worker with room claims at once', () => {
  const t = useTestEngine({ config: { runStartsLocally: false }, worker: false });
  const h = harness(t);
  afterAll(() => h.stop());

  it('nobody waits for a run while the primary is saturated; once the primary has room the other waits again', async () => {
    await t.save('hold', HOLD);
    const saturated = { primary: true, other: false };
    const primary = await h.worker(() => saturated.primary);
    const alone = await h.hold();
    await primary.wake();
    expect(await h.ownerOf(alone)).toBe(primary.workerId);

    const other = await h.worker(() => saturated.other);
    // Saturated, the primary waits for nobody (claim-pacing.test.ts), nor does the other, seeing it
    // saturated: both hear of the run, and whichever claims first takes it at once.
    const overflow = await h.hold();
    await Promise.all([primary.wake(), other.wake()]);
    expect([primary.workerId, other.workerId]).toContain(await h.claimedBy(overflow));

    // The primary has room again, and shows it at its next claim: the other waits (its deferral, ten
    // minutes here, never comes), and the primary takes the run.
    saturated.primary = false;
    await primary.wake();
    const next = await h.hold();
    await other.claimDeferred();
    expect(await h.claimedBy(next)).toBe(primary.workerId);
  });
});

/** Counts the engine's live subscriptions to the work wake-ups (one per worker listening). */
function watchWorkWakeups(live: { count: number }) {
  return (source: WakeupSource): WakeupSource => ({
    async subscribe<T>(topic: string) {
      const iterator = await source.subscribe<T>(topic);
      if (topic !== WORK_WAKEUP_TOPIC) return iterator;
      live.count += 1;
      let ended = false;
      const end = () => {
        if (!ended) live.count -= 1;
        ended = true;
      };
      const watched: AsyncIterableIterator<T> = {
        next: () => iterator.next(),
        return: (value?: unknown) => {
          end();
          return iterator.return ? iterator.return(value) : Promise.resolve({ done: true, value: undefined });
        },
        [Symbol.asyncIterator]: () => watched,
      };
      return watched;
    },
  });
}

describe('engine: a worker that leaves new runs to the primary, and has run none, does not listen to wake-ups', () => {
  const live = { count: 0 };
  const t = useTestEngine({ config: { runStartsLocally: false }, worker: false, deps: { watchWakeups: watchWorkWakeups(live) } });
  const h = harness(t);
  afterAll(() => h.stop());

  it('beside a primary with room it stops listening; while the primary is saturated it listens; then it stops again', async () => {
    const saturated = { primary: false, other: false };
    const primary = await h.worker(() => saturated.primary);
    expect(live.count).toBe(1);
    const other = await h.worker(() => saturated.other);
    const listening = (count: number) =>
      eventually(
        `${count} worker(s) listening`,
        async () => live.count,
        (n) => n === count,
      );
    await listening(1);

    // The primary shows it is saturated at its next claim; the other sees it at its own, and listens.
    saturated.primary = true;
    await primary.wake();
    await other.wake();
    await listening(2);

    saturated.primary = false;
    await primary.wake();
    await other.wake();
    await listening(1);
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

  it('each worker sees the others and whether they are saturated; a worker gone is not counted', async () => {
    const [first, second] = [1, 2].map(() => createClaimPrimacy(t.pool, logger));
    if (!first || !second) throw new Error('two workers');
    await first.contend();
    await second.contend();
    expect(first.held()).toBe(true);
    expect(await second.peers(false, 0)).toEqual({ others: 1, othersWithRoom: 1, primarySaturated: false });

    await first.peers(true, 0);
    expect(await second.peers(false, 0)).toEqual({ others: 1, othersWithRoom: 0, primarySaturated: true });
    expect(await first.peers(true, 0)).toEqual({ others: 1, othersWithRoom: 1, primarySaturated: false });

    // Its session ends as its connection closes, which PostgreSQL may show a moment later.
    await first.release();
    await eventually(
      'the worker gone is not counted',
      () => second.peers(false, 0),
      (peers) => peers.others === 0,
    );
    await second.release();
  });
});
