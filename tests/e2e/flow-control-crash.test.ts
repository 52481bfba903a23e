import { createTestDatabase, type TestDatabase } from '../helpers/database.js';
import { effectCounts, effectsOf, seeded, spawnWorker, statuses, type CrashWorker } from '../helpers/crash.js';
import { startTestEngine, type TestEngine } from '../helpers/engine.js';
import { eventually } from '../helpers/eventually.js';

/**
 * Concurrency limits under several worker processes that are SIGKILLed while they run: never more runs
 * of a group in progress than its limit (counted by the database at every status change, and seen in
 * the steps' own effects), and no slot lost with a dead worker (every queued run ends). Also: a slot
 * freed by a process that died before handing it on is handed on by the other workers' sweep.
 */
const LIMIT = 2;
const CUSTOMERS = ['acme', 'globex'];
const RUNS_PER_CUSTOMER = 8;
const STEPS = 3;
const KILLS = 3;
/** Which worker dies when: set FLOW_CRASH_SEED to replay a failure (the test's title shows it). */
const SEED = Number(process.env['FLOW_CRASH_SEED'] ?? Math.floor(Math.random() * 1_000_000));

/** After every insert or status change of a limited run: how many runs of its group are in progress. */
const OBSERVE = `
  create table flow_observations (workflow_id uuid, concurrency_key text, holders int, at timestamptz default clock_timestamp());
  create function observe_flow() returns trigger language plpgsql as $$
  begin
    insert into flow_observations (workflow_id, concurrency_key, holders)
    select new.workflow_id, new.concurrency_key, count(*) from executions
    where workflow_id = new.workflow_id and concurrency_key = new.concurrency_key and concurrency_limit is not null
      and status in ('pending', 'running', 'waiting', 'paused');
    return null;
  end $$;
  create trigger observe_flow after insert or update of status on executions
  for each row when (new.concurrency_limit is not null) execute function observe_flow();`;

/** The most runs whose first-to-last effect spans overlap at one instant. */
function maxOverlap(spans: ReadonlyArray<{ first: number; last: number }>): number {
  const edges = spans.flatMap((span) => [
    { at: span.first, delta: 1 },
    { at: span.last, delta: -1 },
  ]);
  // An end at the same instant as a start is counted first: touching spans do not overlap.
  edges.sort((a, b) => a.at - b.at || a.delta - b.delta);
  let now = 0;
  let most = 0;
  for (const edge of edges) {
    now += edge.delta;
    most = Math.max(most, now);
  }
  return most;
}

describe('flow control under worker processes killed with SIGKILL', () => {
  let database: TestDatabase;
  let t: TestEngine;
  const workers: CrashWorker[] = [];

  beforeAll(async () => {
    database = await createTestDatabase();
    // This process only starts runs and reads; the child workers run them (same `test.record` effect).
    t = await startTestEngine(database.url);
    await t.pool.query(OBSERVE);
    await t.save('limited', {
      concurrency: { limit: LIMIT, key: 'customer' },
      steps: Array.from({ length: STEPS }, (_, i) => ({
        name: `s${i + 1}`,
        type: 'service_call',
        service: 'test',
        method: 'record',
        params: { label: `s${i + 1}` },
      })),
    });
    await t.save('gated_one', { concurrency: { limit: 1 }, steps: [{ name: 'gate', type: 'wait', event: { name: 'gate.opened' } }] });
  });
  afterAll(async () => {
    await Promise.all(workers.map((worker) => worker.kill()));
    await t?.stop();
    await database?.drop();
  });

  function spawn(): CrashWorker {
    const worker = spawnWorker(database.url, { stepDelayMs: 30 });
    workers.push(worker);
    return worker;
  }

  it(`never overshoots a limit and loses no slot (FLOW_CRASH_SEED=${SEED})`, async () => {
    const random = seeded(SEED);
    // Every run is started before a worker runs any, so that none can end (and free its slot) while later
    // ones are still being started: those beyond the limit are all queued at start (asserted below).
    const ids: string[] = [];
    for (let i = 0; i < RUNS_PER_CUSTOMER; i += 1) {
      for (const customer of CUSTOMERS) ids.push(await t.start('limited', { customer, n: i }));
    }
    const live = [spawn(), spawn(), spawn()];
    await Promise.all(live.map((worker) => worker.ready));
    const total = ids.length * STEPS;
    for (let kill = 1; kill <= KILLS; kill += 1) {
      // Each kill lands at a seeded point while runs are in flight: after some share of all effects.
      const after = Math.floor(((kill - 1 + random()) / (KILLS + 1)) * total) + 1;
      while ((await effectsOf(t.pool, ids)) < after) await new Promise((resolve) => setTimeout(resolve, 5));
      const victim = live.splice(Math.floor(random() * live.length), 1)[0];
      await victim?.kill();
      const replacement = spawn();
      await replacement.ready;
      live.push(replacement);
    }
    for (const id of ids) await t.waitFor(id, (status) => status === 'completed', 60_000);

    expect([...(await statuses(t.pool, ids)).values()].every((status) => status === 'completed')).toBe(true);
    const counts = await effectCounts(t.pool);
    for (const id of ids)
      for (let step = 1; step <= STEPS; step += 1) expect([`${id}:s${step}`, counts.get(`${id}:s${step}`)]).toEqual([`${id}:s${step}`, 1]);

    // The database's count at every status change never went over the limit, in either group.
    const { rows: observed } = await t.pool.query<{ concurrency_key: string; most: number; changes: number }>(
      'select concurrency_key, max(holders)::int as most, count(*)::int as changes from flow_observations group by 1 order by 1',
    );
    expect(observed.map((row) => [row.concurrency_key, row.most])).toEqual(CUSTOMERS.map((customer) => [customer, LIMIT]));
    // Runs beyond the limit were queued at start (all were started before any worker ran).
    const { rows: queued } = await t.pool.query<{ n: number }>(
      "select count(*)::int as n from execution_events where type = 'execution.queued' and execution_id = any($1::uuid[])",
      [ids],
    );
    expect(queued[0]?.n).toBe(ids.length - LIMIT * CUSTOMERS.length);

    // What the steps did agrees: no more than LIMIT runs of a customer between their first and last effect at once
    // (fewer when the steps happen to be quick: that the limit is reached is the database count's to show, above).
    const { rows: spans } = await t.pool.query<{ customer: string; first: number; last: number }>(
      `select e.context->>'customer' as customer,
              extract(epoch from min(x.created_at)) * 1e6 as first, extract(epoch from max(x.created_at)) * 1e6 as last
       from test_effects x join executions e on e.id::text = split_part(x.idempotency_key, ':', 1)
       where e.id = any($1::uuid[]) group by e.id, 1`,
      [ids],
    );
    for (const customer of CUSTOMERS) {
      const mine = spans
        .filter((span) => span.customer === customer)
        .map((span) => ({ first: Number(span.first), last: Number(span.last) }));
      expect([customer, mine.length]).toEqual([customer, RUNS_PER_CUSTOMER]);
      expect(maxOverlap(mine)).toBeLessThanOrEqual(LIMIT);
    }
    // Nothing holds a slot now: every group is free.
    const { rows: holding } = await t.pool.query<{ n: number }>(
      "select count(*)::int as n from executions where concurrency_limit is not null and status in ('queued', 'pending', 'running', 'waiting', 'paused')",
    );
    expect(holding[0]?.n).toBe(0);
    // Three kills, each costing a lease (2 s) before another worker takes the victim's runs, and three worker starts on a busy machine.
  }, 240_000);

  it('hands on a slot whose holder ended in a process that died before handing it on', async () => {
    const holder = await t.start('gated_one', {});
    await t.waitFor(holder, (status) => status === 'waiting', 30_000);
    const next = await t.start('gated_one', {});
    expect((await statuses(t.pool, [next])).get(next)).toBe('queued');
    // What a worker killed right after committing the holder's end leaves: the slot free, nobody told.
    await t.pool.query(
      "update executions set status = 'completed', completed_at = now(), lease_owner = null, wake_at = null where id = $1",
      [holder],
    );
    await eventually(
      'the queued run started by a sweep',
      async () => (await statuses(t.pool, [next])).get(next),
      (status) => status === 'waiting',
      30_000,
    );
  });
});
