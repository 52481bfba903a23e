import { claimPatienceMs, ownUtilization } from '../../../src/engine/runtime/claim-pacing.js';

/**
 * The packing rule: how long a run must have been due before a worker claims it. The primary with room
 * at once, another worker with room after the deferral, a saturated one (the primary too) after twice it.
 */
describe('claim pacing', () => {
  const options = { deferMs: 20, saturatedAt: 0.9 };

  it('the primary with room claims any due run; another worker with room only runs left for the deferral', () => {
    expect(claimPatienceMs({ primary: true, utilization: 0.3 }, options)).toBe(0);
    expect(claimPatienceMs({ primary: false, utilization: 0 }, options)).toBe(20);
    expect(claimPatienceMs({ primary: false, utilization: 0.89 }, options)).toBe(20);
  });

  it('a saturated worker, the primary too, waits for twice the deferral: workers with room take the overflow first', () => {
    expect(claimPatienceMs({ primary: true, utilization: 0.9 }, options)).toBe(40);
    expect(claimPatienceMs({ primary: false, utilization: 1 }, options)).toBe(40);
  });

  it('a deferral of 0 turns packing off: every worker claims every due run', () => {
    expect(claimPatienceMs({ primary: false, utilization: 0 }, { ...options, deferMs: 0 })).toBe(0);
    expect(claimPatienceMs({ primary: true, utilization: 1 }, { ...options, deferMs: 0 })).toBe(0);
  });

  it('reads utilization as a fraction of one core, capped by the CPU time used', () => {
    const read = ownUtilization(0);
    read();
    for (let burnt = process.cpuUsage(); process.cpuUsage(burnt).user < 20_000;) Math.sqrt(Math.random());
    const value = read();
    expect(value).toBeGreaterThan(0);
    expect(value).toBeLessThanOrEqual(1);
  });
});
