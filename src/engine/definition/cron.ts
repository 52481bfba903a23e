import { CronExpressionParser } from 'cron-parser';
import { AppError, coerceError } from '../../errors.js';

/**
 * Cron schedules through cron-parser (v5): five fields (minute … day of week) or six (with seconds
 * first), or one of the macros below, in an IANA time zone. Ticks are computed in that zone, so
 * `0 9 * * *` in Europe/Berlin is 09:00 local time on both sides of a daylight-saving change.
 */

export const DEFAULT_TIMEZONE = 'UTC';

const MACROS = ['@yearly', '@annually', '@monthly', '@weekly', '@daily', '@hourly'] as const;

/** What is wrong with a time zone name, or undefined when it is one the runtime knows (IANA: `Europe/Berlin`, `UTC`). */
export function timezoneProblem(timezone: string): string | undefined {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: timezone });
    return undefined;
  } catch {
    return `unknown time zone ${JSON.stringify(timezone)}: use an IANA name such as "UTC" or "Europe/Berlin"`;
  }
}

function fieldCountProblem(expression: string): string | undefined {
  const trimmed = expression.trim();
  if (trimmed.startsWith('@')) {
    return (MACROS as readonly string[]).includes(trimmed)
      ? undefined
      : `unknown cron macro ${JSON.stringify(trimmed)}: expected one of ${MACROS.join(', ')}`;
  }
  const fields = trimmed === '' ? 0 : trimmed.split(/\s+/).length;
  // cron-parser fills in missing fields with `*` (`* * * *` would run every minute): refuse that.
  return fields === 5 || fields === 6
    ? undefined
    : `a cron expression has 5 fields (minute hour day-of-month month day-of-week) or 6 (seconds first), got ${fields}`;
}

/** A parsed schedule: its ticks in its time zone. */
export interface CronTicks {
  readonly expression: string;
  readonly timezone: string;
  /** The first tick strictly after `date`. */
  after(date: Date): Date;
  /** The last tick at or before `date`, if any tick is that early. */
  atOrBefore(date: Date): Date | undefined;
  /** The next `count` ticks strictly after `date`. */
  upcoming(date: Date, count: number): Date[];
  /** The ticks from `from` through `to` (both included), at most `limit` of them. */
  between(from: Date, to: Date, limit: number): Date[];
}

function parse(expression: string, timezone: string, currentDate: Date) {
  return CronExpressionParser.parse(expression.trim(), { currentDate, tz: timezone });
}

/** Parses and checks a cron expression in a time zone; AppError('VALIDATION') saying what is wrong. */
export function compileCron(expression: string, timezone: string = DEFAULT_TIMEZONE): CronTicks {
  const problem = fieldCountProblem(expression) ?? timezoneProblem(timezone);
  if (problem) throw new AppError('VALIDATION', problem);
  try {
    // Some impossible expressions (the 31st of a 30-day month) parse, and fail only when a tick is sought.
    parse(expression, timezone, new Date()).next();
  } catch (error) {
    throw new AppError('VALIDATION', `invalid cron expression ${JSON.stringify(expression)}: ${coerceError(error).message}`);
  }
  return {
    expression,
    timezone,
    after: (date) => parse(expression, timezone, date).next().toDate(),
    atOrBefore(date) {
      // prev() is strictly before its start: start one millisecond later to include `date` itself.
      const cron = parse(expression, timezone, new Date(date.getTime() + 1));
      return cron.hasPrev() ? cron.prev().toDate() : undefined;
    },
    upcoming: (date, count) =>
      parse(expression, timezone, date)
        .take(count)
        .map((tick) => tick.toDate()),
    between(from, to, limit) {
      // One parsed expression iterated: parsing per tick would make long spans slow.
      const cron = parse(expression, timezone, new Date(from.getTime() - 1));
      const ticks: Date[] = [];
      while (ticks.length < limit) {
        const tick = cron.next().toDate();
        if (tick > to) break;
        ticks.push(tick);
      }
      return ticks;
    },
  };
}

/** What is wrong with a cron expression in a time zone, or undefined. */
export function cronProblem(expression: string, timezone: string = DEFAULT_TIMEZONE): string | undefined {
  try {
    compileCron(expression, timezone);
    return undefined;
  } catch (error) {
    if (error instanceof AppError) return error.message;
    throw error;
  }
}
