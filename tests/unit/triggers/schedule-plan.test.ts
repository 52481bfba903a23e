import { compileCron } from '../../../src/engine/definition/cron.js';
import { catchUpRun, planTicks } from '../../../src/engine/triggers/schedule-plan.js';

const at = (iso: string) => new Date(iso);
const iso = (dates: Date[]) => dates.map((date) => date.toISOString());
const everyMinute = compileCron('* * * * *');
const options = { graceMs: 60_000, maxOnTime: 100, maxCounted: 10_000 };

describe('compileCron', () => {
  it('computes ticks in the schedule’s time zone, across a daylight-saving change', () => {
    // 09:00 in Berlin is 08:00 UTC in winter and 07:00 UTC from 29 March 2026 (CEST).
    const berlin = compileCron('0 9 * * *', 'Europe/Berlin');
    expect(iso(berlin.upcoming(at('2026-03-27T12:00:00Z'), 3))).toEqual([
      '2026-03-28T08:00:00.000Z',
      '2026-03-29T07:00:00.000Z',
      '2026-03-30T07:00:00.000Z',
    ]);
  });

  it('finds the first tick strictly after, and the last at or before', () => {
    const quarter = compileCron('*/15 * * * *');
    expect(quarter.after(at('2026-01-01T10:15:00Z')).toISOString()).toBe('2026-01-01T10:30:00.000Z');
    expect(quarter.atOrBefore(at('2026-01-01T10:15:00Z'))?.toISOString()).toBe('2026-01-01T10:15:00.000Z');
    expect(quarter.atOrBefore(at('2026-01-01T10:29:59Z'))?.toISOString()).toBe('2026-01-01T10:15:00.000Z');
  });

  it('reads six fields as seconds first', () => {
    expect(iso(compileCron('*/20 * * * * *').upcoming(at('2026-01-01T00:00:00Z'), 3))).toEqual([
      '2026-01-01T00:00:20.000Z',
      '2026-01-01T00:00:40.000Z',
      '2026-01-01T00:01:00.000Z',
    ]);
  });

  it('lists the ticks of a span, both ends included, up to a limit', () => {
    const quarter = compileCron('*/15 * * * *');
    expect(iso(quarter.between(at('2026-01-01T10:00:00Z'), at('2026-01-01T10:45:00Z'), 10))).toEqual([
      '2026-01-01T10:00:00.000Z',
      '2026-01-01T10:15:00.000Z',
      '2026-01-01T10:30:00.000Z',
      '2026-01-01T10:45:00.000Z',
    ]);
    expect(quarter.between(at('2026-01-01T10:00:00Z'), at('2026-01-01T10:45:00Z'), 2)).toHaveLength(2);
    expect(quarter.between(at('2026-01-01T10:01:00Z'), at('2026-01-01T10:14:59Z'), 10)).toEqual([]);
  });

  it('refuses what cron-parser would quietly complete or cannot run', () => {
    expect(() => compileCron('* * * *')).toThrow(expect.objectContaining({ code: 'VALIDATION' }));
    expect(() => compileCron('0 0 30 2 *')).toThrow(expect.objectContaining({ code: 'VALIDATION' }));
    expect(() => compileCron('0 9 * * *', 'Atlantis/Capital')).toThrow(/unknown time zone/);
  });
});

describe('planTicks', () => {
  it('fires the tick that is due, and moves to the next', () => {
    const plan = planTicks(everyMinute, at('2026-01-01T10:00:00Z'), at('2026-01-01T10:00:00.500Z'), options);
    expect(plan).toEqual({ onTime: [at('2026-01-01T10:00:00Z')], next: at('2026-01-01T10:01:00Z') });
  });

  it('fires each of several ticks that passed within the grace period', () => {
    const plan = planTicks(everyMinute, at('2026-01-01T10:00:00Z'), at('2026-01-01T10:00:30Z'), { ...options, graceMs: 120_000 });
    expect(iso(plan.onTime)).toEqual(['2026-01-01T10:00:00.000Z']);
    const later = planTicks(everyMinute, at('2026-01-01T10:00:00Z'), at('2026-01-01T10:01:30Z'), { ...options, graceMs: 120_000 });
    expect(iso(later.onTime)).toEqual(['2026-01-01T10:00:00.000Z', '2026-01-01T10:01:00.000Z']);
    expect(later.missed).toBeUndefined();
  });

  it('sets apart ticks older than the grace period as missed, counting them', () => {
    // Down from 10:00 to 10:10:30: 10:00…10:09 are missed, 10:10 is on time.
    const plan = planTicks(everyMinute, at('2026-01-01T10:00:00Z'), at('2026-01-01T10:10:30Z'), options);
    expect(plan.missed).toEqual({ latest: at('2026-01-01T10:09:00Z'), count: 10 });
    expect(iso(plan.onTime)).toEqual(['2026-01-01T10:10:00.000Z']);
    expect(plan.next).toEqual(at('2026-01-01T10:11:00Z'));
  });

  it('has nothing on time when the only due ticks are old', () => {
    const hourly = compileCron('0 * * * *');
    const plan = planTicks(hourly, at('2026-01-01T10:00:00Z'), at('2026-01-01T13:30:00Z'), options);
    expect(plan).toEqual({ missed: { latest: at('2026-01-01T13:00:00Z'), count: 4 }, onTime: [], next: at('2026-01-01T14:00:00Z') });
  });

  it('caps the on-time ticks of one pass and drops the rest rather than run them late', () => {
    const everySecond = compileCron('* * * * * *');
    const plan = planTicks(everySecond, at('2026-01-01T10:00:00Z'), at('2026-01-01T10:00:09Z'), { ...options, maxOnTime: 3 });
    expect(iso(plan.onTime)).toEqual(['2026-01-01T10:00:00.000Z', '2026-01-01T10:00:01.000Z', '2026-01-01T10:00:02.000Z']);
    expect(plan.next).toEqual(at('2026-01-01T10:00:10Z'));
  });

  it('turns missed ticks into one run at the latest (once) or none (skip)', () => {
    const missed = { latest: at('2026-01-01T10:09:00Z'), count: 10 };
    expect(catchUpRun('once', missed)).toEqual(missed.latest);
    expect(catchUpRun('skip', missed)).toBeUndefined();
    expect(catchUpRun('once', undefined)).toBeUndefined();
  });
});
