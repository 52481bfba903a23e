import {
  claimPatienceMs,
  LISTEN_AFTER_BUSY_MS,
  listensToWakeups,
  ownUtilization,
  loopDelay,
} from '../../../src/engine/runtime/claim-pacing.js';

/**
 * The packing rule: how long a run must have been due before a worker claims it, from what it knows of
 * the others. Alone, or the primary (saturated or not): at once. Another worker with room: after the
 * deferral, at once while the primary is saturated. Another saturated one: twice the deferral while
 * another has room, at once when none has.
 */
describe('claim pacing', () => {
  const DEFER = 20;
  const others = (count: number, withRoom: number, primarySaturated = false) => ({
    others: count,
    othersWithRoom: withRoom,
    primarySaturated,
  });
  const room = { primary: false, saturated: false };
  const saturated = { primary: false, saturated: true };

  it('the primary with room claims any due run; another worker with room only runs left for the deferral', () => {
    expect(claimPatienceMs({ primary: true, saturated: false }, others(1, 1), DEFER)).toBe(0);
    expect(claimPatienceMs(room, others(1, 1), DEFER)).toBe(20);
    expect(claimPatienceMs(room, others(3, 2), DEFER)).toBe(20);
  });

  it('a worker alone claims at once, saturated or not: there is nobody to leave runs to', () => {
    expect(claimPatienceMs(room, others(0, 0), DEFER)).toBe(0);
    expect(claimPatienceMs({ primary: true, saturated: true }, others(0, 0), DEFER)).toBe(0);
  });

  it('the primary never waits, saturated or not: workers that have not seen it saturated would not take its runs either', () => {
    expect(claimPatienceMs({ primary: true, saturated: true }, others(1, 1), DEFER)).toBe(0);
    expect(claimPatienceMs({ primary: true, saturated: true }, others(3, 2), DEFER)).toBe(0);
  });

  it('another saturated worker waits for twice the deferral while another has room: that one takes the overflow first', () => {
    expect(claimPatienceMs(saturated, others(2, 1, true), DEFER)).toBe(40);
    expect(claimPatienceMs(saturated, others(1, 1), DEFER)).toBe(40);
  });

  it('with the primary saturated, a worker with room claims at once', () => {
    expect(claimPatienceMs(room, others(1, 0, true), DEFER)).toBe(0);
  });

  it('with every worker saturated, each claims at once: the runs spread', () => {
    expect(claimPatienceMs({ primary: true, saturated: true }, others(1, 0), DEFER)).toBe(0);
    expect(claimPatienceMs(saturated, others(2, 0, true), DEFER)).toBe(0);
  });

  it('a deferral of 0 turns packing off: every worker claims every due run', () => {
    expect(claimPatienceMs(room, others(1, 1), 0)).toBe(0);
    expect(claimPatienceMs({ primary: true, saturated: true }, others(1, 1), 0)).toBe(0);
  });

  it('reads utilization as a fraction of one core, capped by the CPU time used', () => {
    const read = ownUtilization(0);
    read();
    for (let burnt = process.cpuUsage(); process.cpuUsage(burnt).user < 20_000;) Math.sqrt(Math.random());
    const value = read();
    expect(value).toBeGreaterThan(0);
    expect(value).toBeLessThanOrEqual(1);
  });

  it("reads the loop's mean delay: a loop held for 100 ms reads it late once the late sample is in (a second, on-time sample at most beside it)", async () => {
    const hold = (ms: number) => {
      for (const until = Date.now() + ms; Date.now() < until;) Math.sqrt(Math.random());
    };
    // Two turns of the loop: whichever phase this is, its timers (the sampler's) ran between them.
    const turns = async () => {
      for (let turn = 0; turn < 2; turn += 1) await new Promise(setImmediate);
    };
    const delay = loopDelay(0);
    // The sampler's first tick only starts its clock.
    hold(20);
    await turns();
    delay.read();
    hold(100);
    await turns();
    const late = delay.read();
    delay.stop();
    expect(late).toBeGreaterThan(30);
  });
});

/**
 * Whether a worker listens to wake-ups: always when it claims at once or is saturated; a worker that leaves
 * new runs to the primary goes on listening for LISTEN_AFTER_BUSY_MS after it last ran one, then finds
 * what is left for it at its poll.
 */
describe('listening to wake-ups', () => {
  const ranOneAt = 50_000;
  const at = (now: number, patienceMs = 100, saturated = false) => listensToWakeups({ patienceMs, saturated, lastBusyAt: ranOneAt, now });

  it('listens while it claims at once, or is saturated, however long since it ran a run', () => {
    const muchLater = ranOneAt + 10 * LISTEN_AFTER_BUSY_MS;
    expect(at(muchLater, 0)).toBe(true);
    expect(at(muchLater, 100, true)).toBe(true);
    expect(listensToWakeups({ patienceMs: 0, saturated: false, lastBusyAt: -Infinity, now: 0 })).toBe(true);
  });

  it('a patient worker listens until LISTEN_AFTER_BUSY_MS after its last run, and not from then on', () => {
    expect(at(ranOneAt)).toBe(true);
    expect(at(ranOneAt + LISTEN_AFTER_BUSY_MS - 1)).toBe(true);
    expect(at(ranOneAt + LISTEN_AFTER_BUSY_MS)).toBe(false);
    expect(at(ranOneAt + 3 * LISTEN_AFTER_BUSY_MS)).toBe(false);
    // One that never ran a run does not listen.
    expect(listensToWakeups({ patienceMs: 100, saturated: false, lastBusyAt: -Infinity, now: 0 })).toBe(false);
  });
});
