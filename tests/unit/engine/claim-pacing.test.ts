import { claimDelayMs, ownUtilization } from '../../../src/engine/runtime/claim-pacing.js';

/**
 * The packing decision: a busy worker with room in its event loop claims at once, an idle one waits
 * the longest, one holding a few runs waits in proportion, a saturated one waits so others take the
 * overflow.
 */
describe('claim pacing', () => {
  const options = { deferMs: 20, saturatedAt: 0.9, packAt: 10, utilization: 0.3 };

  it('an idle worker waits the whole deferral', () => {
    expect(claimDelayMs(0, options)).toBe(20);
  });

  it('a worker holding runs waits less the more it holds, and not at all from packAt on', () => {
    expect(claimDelayMs(1, options)).toBeCloseTo(18);
    expect(claimDelayMs(5, options)).toBeCloseTo(10);
    expect(claimDelayMs(9, options)).toBeCloseTo(2);
    expect(claimDelayMs(10, options)).toBe(0);
    expect(claimDelayMs(40, options)).toBe(0);
  });

  it('a saturated worker waits the whole deferral however much it holds', () => {
    expect(claimDelayMs(40, { ...options, utilization: 0.9 })).toBe(20);
    expect(claimDelayMs(40, { ...options, utilization: 1 })).toBe(20);
    expect(claimDelayMs(40, { ...options, utilization: 0.89 })).toBe(0);
  });

  it('a deferral of 0 turns packing off: every worker claims at once', () => {
    expect(claimDelayMs(0, { ...options, deferMs: 0 })).toBe(0);
    expect(claimDelayMs(40, { ...options, deferMs: 0, utilization: 1 })).toBe(0);
  });

  it('whichever of two workers holds more claims sooner, at every split', () => {
    const full = { ...options, packAt: 50 };
    for (let held = 1; held < 50; held += 1) expect(claimDelayMs(held, full)).toBeLessThan(claimDelayMs(held - 1, full));
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
