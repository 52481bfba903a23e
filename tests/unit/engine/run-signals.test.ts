import { createLogger } from '../../../src/logger.js';
import { systemClock } from '../../../src/engine/ports.js';
import { RunSignals } from '../../../src/engine/runtime/run-signals.js';
import type { ExecutionState } from '../../../src/engine/runtime/state.js';

/** What the run's loop waits on; its lease is not renewed in these tests. */
function signals(): RunSignals {
  const lease = {
    executionId: 'run-1',
    renew: () => Promise.reject(new Error('not renewed in these tests')),
  };
  const state: ExecutionState = {
    executionId: 'run-1',
    tenantId: 'tenant-1',
    status: 'running',
    context: {},
    steps: new Map(),
    cancelRequested: false,
    pauseRequested: false,
  };
  return new RunSignals(0, { clock: systemClock, logger: createLogger('silent') }, lease, state, new AbortController());
}

/** Whether `promise` has settled once everything already queued has run. */
async function settledNow(promise: Promise<unknown>): Promise<boolean> {
  let settled = false;
  void promise.then(() => (settled = true));
  await new Promise((resolve) => setImmediate(resolve));
  return settled;
}

describe("a run loop's wait", () => {
  it('ends at once when a step settled after the count it was given (during the flush before it)', async () => {
    const run = signals();
    const before = run.stepsSettled;
    run.stepSettled();
    await expect(run.wait(undefined, before)).resolves.toBe(true);
  });

  it('ends when a step settles, not before', async () => {
    const run = signals();
    const waiting = run.wait(undefined);
    expect(await settledNow(waiting)).toBe(false);
    run.stepSettled();
    await expect(waiting).resolves.toBe(true);
  });

  it('ends when woken, and a wake while nobody waits is not kept for the next wait', async () => {
    const run = signals();
    const waiting = run.wait(undefined);
    run.wake();
    await expect(waiting).resolves.toBe(true);
    run.wake();
    const next = run.wait(undefined);
    expect(await settledNow(next)).toBe(false);
    run.stepSettled();
    await expect(next).resolves.toBe(true);
  });

  it('answers false when its time passes first', async () => {
    const run = signals();
    await expect(run.wait(new Date(Date.now() - 1))).resolves.toBe(false);
  });
});
