import { coalesce } from '../../../src/resolvers/workflow-stats-feed.js';
import { manualPushTimer } from '../../helpers/push-timer.js';

/** Lets the promise callbacks queued so far run (flushes start on a promise chain). */
const settled = () => new Promise((resolve) => setImmediate(resolve));

/** workflowStatsChanged's pacing: at most one flush per interval, none lost, never two at once. */
describe('coalesce', () => {
  const setup = (flush?: () => Promise<void>) => {
    const timer = manualPushTimer();
    const flushedAt: number[] = [];
    const pushes = coalesce(1_000, timer, flush ?? (async () => void flushedAt.push(timer.now())));
    return { timer, flushedAt, pushes };
  };

  it('holds pokes within the interval after the first snapshot and flushes them once at its end', async () => {
    const { timer, flushedAt, pushes } = setup();
    for (let poke = 0; poke < 50; poke += 1) pushes.poke();
    timer.advance(999);
    await settled();
    expect(flushedAt).toEqual([]);
    timer.advance(1);
    await settled();
    expect(flushedAt).toEqual([1_000]);
    expect(timer.pending()).toBe(0);
  });

  it('flushes at once after a quiet interval, then paces a burst to one flush per interval', async () => {
    const { timer, flushedAt, pushes } = setup();
    timer.advance(5_000);
    pushes.poke();
    await settled();
    expect(flushedAt).toEqual([5_000]);
    timer.advance(200);
    pushes.poke();
    pushes.poke();
    timer.advance(799);
    await settled();
    expect(flushedAt).toEqual([5_000]);
    timer.advance(1);
    await settled();
    expect(flushedAt).toEqual([5_000, 6_000]);
    // A poke right after a flush waits a whole interval again.
    pushes.poke();
    timer.advance(1_000);
    await settled();
    expect(flushedAt).toEqual([5_000, 6_000, 7_000]);
  });

  it('never runs two flushes at once, and a poke during a slow flush is not lost', async () => {
    let finish: (() => void) | undefined;
    let running = 0;
    let most = 0;
    let flushes = 0;
    const { timer, pushes } = setup(async () => {
      running += 1;
      flushes += 1;
      most = Math.max(most, running);
      await new Promise<void>((resolve) => (finish = resolve));
      running -= 1;
    });
    timer.advance(1_000);
    pushes.poke();
    await settled();
    expect(flushes).toBe(1);
    // Changes while the slow flush runs: one more flush, after it.
    pushes.poke();
    timer.advance(1_000);
    await settled();
    expect(flushes).toBe(1);
    finish?.();
    await settled();
    expect(flushes).toBe(2);
    finish?.();
    expect(most).toBe(1);
  });

  it('does nothing once stopped', async () => {
    const { timer, flushedAt, pushes } = setup();
    pushes.poke();
    pushes.stop();
    pushes.poke();
    timer.advance(10_000);
    await settled();
    expect(flushedAt).toEqual([]);
    expect(timer.pending()).toBe(0);
  });
});
