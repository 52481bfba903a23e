import { createTestDatabase, type TestDatabase } from '../helpers/database.js';
import { effectCounts, effectsOf, seeded, spawnWorker, statuses } from '../helpers/crash.js';
import { startTestEngine, type TestEngine } from '../helpers/engine.js';

/**
 * Workers in child processes killed with SIGKILL: at named points, and at random moments. Another
 * worker must finish every run, and no local effect may happen twice.
 */
const STEPS = 4;
const RUNS = 8;
/** How long each of the randomly killed worker's steps takes. */
const STEP_MS = 250;
/** The random moment's seed: set CRASH_SEED to replay a failure (the test's title shows it). */
const SEED = Number(process.env['CRASH_SEED'] ?? Math.floor(Math.random() * 1_000_000));

describe('crash recovery', () => {
  let database: TestDatabase;
  let t: TestEngine;

  beforeAll(async () => {
    database = await createTestDatabase();
    // No worker in this process: it only starts runs and reads the outcome. The child workers register
    // the same `test.record` local effect as tests/helpers/engine.ts.
    t = await startTestEngine(database.url);
    await t.engine.workflows.save({
      tenantId: t.tenantId,
      name: 'effects',
      definition: {
        steps: Array.from({ length: STEPS }, (_, i) => ({
          name: `s${i + 1}`,
          type: 'service_call',
          service: 'test',
          method: 'record',
          params: { label: `s${i + 1}` },
        })),
      } as never,
    });
  });
  afterAll(async () => {
    await t?.stop();
    await database?.drop();
  });

  async function startRuns(): Promise<string[]> {
    const started = await Promise.all(Array.from({ length: RUNS }, () => t.engine.start({ tenantId: t.tenantId, workflow: 'effects' })));
    return started.map((run) => run.executionId);
  }

  async function finishWithHealthyWorker(ids: string[]): Promise<void> {
    const healthy = spawnWorker(database.url);
    try {
      await healthy.ready;
      for (const id of ids) await t.waitFor(id, (status) => status === 'completed', 30_000);
    } finally {
      await healthy.kill();
    }
    const counts = await effectCounts(t.pool);
    for (const id of ids) {
      for (let step = 1; step <= STEPS; step += 1) expect([`${id}:s${step}`, counts.get(`${id}:s${step}`)]).toEqual([`${id}:s${step}`, 1]);
    }
    expect([...(await statuses(t.pool, ids)).values()].every((status) => status === 'completed')).toBe(true);
  }

  it.each([
    ['before-step', 3],
    ['in-transaction', 3],
    ['after-commit', 3],
  ])('a worker killed %s (hit %i) loses nothing and repeats no effect', async (point, hit) => {
    const ids = await startRuns();
    const doomed = spawnWorker(database.url, { crashAt: point, crashOnHit: hit });
    expect(await doomed.exited).toEqual({ code: null, signal: 'SIGKILL' });
    await finishWithHealthyWorker(ids);
  });

  it(`a worker killed at a random moment (CRASH_SEED=${SEED}) loses nothing and repeats no effect`, async () => {
    const ids = await startRuns();
    // The moment: after a random number of effects, between the first and half of them. Each of the
    // doomed worker's steps takes STEP_MS, so at least two rounds of steps (2 × STEP_MS) remain when the
    // test sees the chosen count: room for this process to be late on a loaded machine (at 40 ms a step,
    // a stall of ~100 ms could let every run finish before the kill, which would then prove nothing).
    const killAfter = 1 + Math.floor(seeded(SEED)() * ((RUNS * STEPS) / 2));
    const doomed = spawnWorker(database.url, { stepDelayMs: STEP_MS });
    await doomed.ready;
    // Polled every 5 ms: the kill lands within a step or two after the chosen one, runs still in flight.
    while ((await effectsOf(t.pool, ids)) < killAfter) await new Promise((resolve) => setTimeout(resolve, 5));
    await doomed.kill();
    const atKill = await effectsOf(t.pool, ids);
    expect(atKill).toBeGreaterThanOrEqual(killAfter);
    expect(atKill).toBeLessThan(RUNS * STEPS);
    expect([...(await statuses(t.pool, ids)).values()].filter((status) => status === 'completed').length).toBeLessThan(RUNS);
    await finishWithHealthyWorker(ids);
  });
});
