import type { CronTicks } from '../definition/cron.js';
import type { ScheduleCatchUp } from '../definition/step-types.js';

/**
 * What a due schedule does now: pure, so the catch-up rules are tested without a database or a clock.
 *
 * The ticks from `nextFireAt` (the earliest not yet handled) up to `now` fall in two kinds:
 * - on time: within `graceMs` of now — what any running scheduler finds at its next poll. Each fires.
 * - missed: older — they passed while no scheduler ran. With catch-up `skip` none of them runs (they are
 *   recorded as missed, once); with `once` a single run stands for all of them, at the latest.
 * The schedule then moves to the first tick after the last one handled.
 */

export interface TickPlan {
  missed?: { latest: Date; count: number };
  /** Ascending. */
  onTime: Date[];
  next: Date;
}

export interface PlanOptions {
  graceMs: number;
  /** At most this many on-time ticks per pass (a per-second cron with a long grace). */
  maxOnTime: number;
  /** Missed ticks are counted up to this, for the record. */
  maxCounted: number;
}

export const DEFAULT_PLAN_OPTIONS: PlanOptions = { graceMs: 60_000, maxOnTime: 100, maxCounted: 10_000 };

const before = (date: Date) => new Date(date.getTime() - 1);

export function planTicks(cron: CronTicks, nextFireAt: Date, now: Date, options: PlanOptions = DEFAULT_PLAN_OPTIONS): TickPlan {
  const onTimeFrom = new Date(now.getTime() - options.graceMs);
  let missed: TickPlan['missed'];
  if (nextFireAt < onTimeFrom) {
    const latest = cron.atOrBefore(before(onTimeFrom));
    if (latest && latest >= nextFireAt) missed = { latest, count: cron.between(nextFireAt, latest, options.maxCounted).length };
  }
  const onTime = cron.between(nextFireAt < onTimeFrom ? onTimeFrom : nextFireAt, now, options.maxOnTime);
  // Past the cap, the remaining on-time ticks are dropped rather than run late one pass after another.
  return { ...(missed ? { missed } : {}), onTime, next: cron.after(now) };
}

/** The run a catch-up policy makes of missed ticks: one at the latest (`once`), or none (`skip`). */
export function catchUpRun(policy: ScheduleCatchUp, missed: TickPlan['missed']): Date | undefined {
  return missed && policy === 'once' ? missed.latest : undefined;
}
