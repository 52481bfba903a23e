import type { Worker } from '../../../src/engine/runtime/worker.js';
import { useTestEngine, type TestEngine } from '../../helpers/engine.js';

/**
 * Claims are packed onto busy workers (engine/runtime/claim-pacing.ts): on a wake-up, a worker holding
 * runs with room in its event loop claims at once, an idle one waits, and a saturated one waits so the
 * others take the overflow. Here a worker that waits, waits ten minutes and no worker polls, so
 * whichever worker holds a run claimed it at once on the wake-up; each worker's event-loop utilization
 * is injected.
 */
const HOUR = 3_600_000;
const WAIT = 600_000;

function harness(t: TestEngine) {
  const started: Worker[] = [];
  return {
    /** A worker with a 10-minute deferral that claims at once from one run held (packAt 1). */
    async worker(utilization: () => number): Promise<Worker> {
      const worker = await t.engine.startWorker({
        concurrency: 10,
        recoveryIntervalMs: HOUR,
        pollIntervalMs: HOUR,
        packing: { deferMs: WAIT, packAt: 1, saturatedAt: 0.9, utilization },
      });
      started.push(worker);
      return worker;
    },
    /** Starts a run that holds its worker (a minute-long step) and says which worker claimed it. */
    async holder(): Promise<{ id: string; owner: () => Promise<string> }> {
      const id = await t.start('hold');
      return {
        id,
        owner: async () => {
          await t.waitFor(id, (status) => status === 'running');
          const { rows } = await t.pool.query<{ lease_owner: string }>('select lease_owner from executions where id = $1', [id]);
          return rows[0]?.lease_owner ?? 'nobody';
        },
      };
    },
    /** The steps in flight are abandoned and their runs handed back. */
    async stop() {
      for (const worker of started.splice(0)) await worker.stop({ preemptAfterMs: 0 });
    },
  };
}

const HOLD = { steps: [{ name: 'hold', type: 'service_call', service: 'test', method: 'sleep', params: { ms: 60_000 } }] };

describe('engine: an idle worker leaves new runs to a busy one', () => {
  const t = useTestEngine({ config: { runStartsLocally: false }, worker: false });
  const h = harness(t);
  afterAll(() => h.stop());

  it('the worker holding a run claims the next at once; the idle one would wait', async () => {
    await t.save('hold', HOLD);
    const first = await h.holder();
    // A worker's first claim is made at once, whatever it holds.
    const busy = await h.worker(() => 0.2);
    expect(await first.owner()).toBe(busy.workerId);
    await h.worker(() => 0.2);
    const second = await h.holder();
    expect(await second.owner()).toBe(busy.workerId);
  });
});

describe('engine: a saturated worker leaves new runs to one with room', () => {
  const t = useTestEngine({ config: { runStartsLocally: false }, worker: false });
  const h = harness(t);
  afterAll(() => h.stop());

  it('the other worker takes the overflow, and the first takes runs again once it has room', async () => {
    await t.save('hold', HOLD);
    const load = { a: 1, b: 0.2 };
    const first = await h.holder();
    const a = await h.worker(() => load.a);
    expect(await first.owner()).toBe(a.workerId);
    // Saturated, `a` leaves this one for the next worker to start.
    const second = await h.holder();
    const b = await h.worker(() => load.b);
    expect(await second.owner()).toBe(b.workerId);
    const third = await h.holder();
    expect(await third.owner()).toBe(b.workerId);
    load.a = 0.2;
    load.b = 1;
    const fourth = await h.holder();
    expect(await fourth.owner()).toBe(a.workerId);
  });
});
