import { AppError } from '../../errors.js';

/** A length of time in calendar months plus days. */
export interface Period {
  months: number;
  days: number;
}

const NAMED_PERIODS: Record<string, Period> = {
  monthly: { months: 1, days: 0 },
  quarterly: { months: 3, days: 0 },
  semiannual: { months: 6, days: 0 },
  annual: { months: 12, days: 0 },
  annually: { months: 12, days: 0 },
  yearly: { months: 12, days: 0 },
};

const UNIT_PERIODS: Record<string, Period> = {
  day: { months: 0, days: 1 },
  week: { months: 0, days: 7 },
  month: { months: 1, days: 0 },
  year: { months: 12, days: 0 },
};

const MAX_MONTHS = 120;

/**
 * Reads a term or an extension: a number (months), a name (`monthly`, `quarterly`, `annual`…), a
 * phrase (`12 months`, `1 year`, `30 days`) or an ISO 8601 duration of years, months, weeks, days (`P1Y`,
 * `P6M`, `P1M15D`). Anything else, zero or over ten years is VALIDATION.
 */
export function parsePeriod(value: number | string, field: string): Period {
  const period = readPeriod(value);
  if (!period) {
    throw new AppError('VALIDATION', `${field}: ${JSON.stringify(value)} is not a period (months, "annual", "12 months", "P1Y"…)`);
  }
  if (period.months + period.days <= 0 || period.months > MAX_MONTHS || period.days > MAX_MONTHS * 31) {
    throw new AppError('VALIDATION', `${field}: ${JSON.stringify(value)} must be longer than zero and at most ${MAX_MONTHS} months`);
  }
  return period;
}

function readPeriod(value: number | string): Period | undefined {
  if (typeof value === 'number') return Number.isInteger(value) ? { months: value, days: 0 } : undefined;
  const text = value.trim().toLowerCase();
  if (/^\d+$/.test(text)) return { months: Number(text), days: 0 };
  const named = NAMED_PERIODS[text];
  if (named) return named;
  const phrase = /^(\d+)\s*(day|week|month|year)s?$/.exec(text);
  if (phrase) {
    const unit = UNIT_PERIODS[phrase[2] as string] as Period;
    const count = Number(phrase[1]);
    return { months: unit.months * count, days: unit.days * count };
  }
  const iso = /^p(?:(\d+)y)?(?:(\d+)m)?(?:(\d+)w)?(?:(\d+)d)?$/.exec(text);
  if (iso && text !== 'p') {
    const [, years, months, weeks, days] = iso.map((part) => Number(part ?? 0));
    return { months: (years ?? 0) * 12 + (months ?? 0), days: (weeks ?? 0) * 7 + (days ?? 0) };
  }
  return undefined;
}

/** Adds calendar months in UTC, clamping to the month's last day (31 Jan + 1 month = 28/29 Feb). */
export function addMonths(date: Date, months: number): Date {
  const year = date.getUTCFullYear();
  const month = date.getUTCMonth() + months;
  const lastDay = new Date(Date.UTC(year, month + 1, 0)).getUTCDate();
  const result = new Date(date);
  result.setUTCFullYear(year, month, Math.min(date.getUTCDate(), lastDay));
  return result;
}

export function addDays(date: Date, days: number): Date {
  return new Date(date.getTime() + days * 86_400_000);
}

export function addPeriod(date: Date, period: Period): Date {
  return addDays(addMonths(date, period.months), period.days);
}
