import { z } from 'zod';
import { CURRENCY_PATTERN } from '../../entities/domain/money.js';

/** Ids of our rows are UUIDs; a malformed one is a VALIDATION error, not a NOT_FOUND. */
export const uuid = z.uuid();

/** Plans, license templates and partners are found by id or by their stable code (`basic-monthly`). */
export const idOrCode = z.string().trim().min(1).max(200);

export const email = z.email().transform((value) => value.toLowerCase());

/** Integer minor units, exact as a JS number. */
export const minorUnits = z.int().min(0);
export const positiveMinorUnits = z.int().positive();

export const currency = z.string().regex(CURRENCY_PATTERN, 'an ISO 4217 code such as USD');

/** A free-text label: trimmed, non-empty, bounded. */
export const label = (max = 200) => z.string().trim().min(1).max(max);

/** A phone number as people write it: digits, spaces and ()./- with an optional leading +, 5 to 32 characters. */
export const phone = z
  .string()
  .trim()
  .regex(/^\+?[0-9 ()./-]{5,32}$/, 'a phone number');

const snakeToCamel = (name: string): string => name.replace(/_([a-z0-9])/g, (_, char: string) => char.toUpperCase());

/**
 * The registry camel-cases top-level params only; nested objects (`customer_data`, `white_label_config`)
 * may arrive in the seeds' snake_case too.
 */
export function camelCasedObject<T extends z.ZodType>(schema: T) {
  return z.preprocess((value) => {
    if (typeof value !== 'object' || value === null || Array.isArray(value)) return value;
    return Object.fromEntries(Object.entries(value).map(([key, inner]) => [snakeToCamel(key), inner]));
  }, schema);
}

export function isUuid(value: string): boolean {
  return uuid.safeParse(value).success;
}
