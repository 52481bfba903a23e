import type { z } from 'zod';
import { AppError } from '../../errors.js';

/** GraphQL sends an omitted optional field as null: as far as validation goes, it was not given. */
function withoutNulls(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(withoutNulls);
  if (value === null || typeof value !== 'object' || value instanceof Date) return value;
  return Object.fromEntries(
    Object.entries(value)
      .filter(([, item]) => item !== null)
      .map(([key, item]) => [key, withoutNulls(item)]),
  );
}

/**
 * Validates what a user sent (through GraphQL) against a zod schema: the parsed value, or VALIDATION naming
 * every problem with its field (`details.problems`). Null fields count as omitted (defaults apply).
 */
export function parseInput<T>(schema: z.ZodType<T>, input: unknown, what: string): T {
  const parsed = schema.safeParse(withoutNulls(input));
  if (parsed.success) return parsed.data;
  const problems = parsed.error.issues.map((issue) => `${issue.path.join('.') || '(input)'}: ${issue.message}`);
  throw new AppError('VALIDATION', `${what}: ${problems.join('; ')}`, { details: { problems } });
}

/** How many rows a list answers: 1–200, default 50. */
export function pageSize(first: number | null | undefined): number {
  if (first === null || first === undefined) return 50;
  if (!Number.isInteger(first) || first < 1 || first > 200) {
    throw new AppError('VALIDATION', `first must be between 1 and 200, got ${first}`, {
      details: { problems: ['first: between 1 and 200'] },
    });
  }
  return first;
}
