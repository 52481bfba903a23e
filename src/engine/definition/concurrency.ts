import type { JsonObject, JsonValue } from '../../entities/json.js';
import { AppError } from '../../errors.js';
import { isRawObject } from './collect.js';
import { compileExpression, evaluateExpression } from './expressions.js';
import { checkFields, integerBetween, type Check, type Fields } from './shape.js';
import { MAX_PRIORITY, MIN_PRIORITY, type DefinitionIssue } from './step-types.js';
import { checkJsonata } from './triggers.js';

/**
 * A definition's flow control: `concurrency: { limit, key? }` — at most `limit` runs of the workflow in
 * progress at once, per value of `key` (JSONata over the run's context) or for the whole workflow — and
 * the bounds of a run's `priority`. The runtime side is engine/flow-control.ts.
 */

export interface ConcurrencyControl {
  limit: number;
  /**
   * JSONata over the run's context as the other expressions see it (its fields at the top level, and
   * `context`), e.g. `customerId`: runs with the same value share the limit.
   */
  key?: string;
}

export const MAX_CONCURRENCY_LIMIT = 10_000;
/** A key value longer than this is refused at start (it names a group, not data). */
export const MAX_CONCURRENCY_KEY_LENGTH = 200;

export const priorityCheck: Check = integerBetween(MIN_PRIORITY, MAX_PRIORITY);

const CONCURRENCY_FIELDS: Fields = {
  limit: { check: integerBetween(1, MAX_CONCURRENCY_LIMIT), required: true },
  key: {
    check: (value) => (typeof value === 'string' && value.trim() !== '' ? undefined : 'must be a JSONata expression (a non-empty string)'),
    nested: checkJsonata,
  },
};

/** `$.concurrency`: `{ limit, key? }`. */
export function checkConcurrency(value: unknown, issues: DefinitionIssue[]): void {
  if (!isRawObject(value)) {
    issues.push({
      path: '$.concurrency',
      message: 'must be an object { limit, key? }: at most `limit` runs in progress at once, per value of `key` if given',
    });
    return;
  }
  checkFields(value, '$.concurrency', CONCURRENCY_FIELDS, 'concurrency', issues);
}

/**
 * The group a run joins: the key's value as text ('' without a key). A key must name a group: a string
 * or a number; anything else (nothing, an object, a list, an empty string) refuses the start.
 */
export async function concurrencyKeyOf(concurrency: ConcurrencyControl, context: JsonObject): Promise<string> {
  if (concurrency.key === undefined) return '';
  const value = await evaluateExpression(compileExpression(concurrency.key), { ...context, context });
  const key = keyText(value);
  if (key === undefined) {
    throw new AppError(
      'VALIDATION',
      `the concurrency key ${JSON.stringify(concurrency.key)} gave ${value === undefined ? 'nothing' : JSON.stringify(value)} for this context: it must give a non-empty string or a number`,
      { details: { key: concurrency.key } },
    );
  }
  if (key.length > MAX_CONCURRENCY_KEY_LENGTH) {
    throw new AppError(
      'VALIDATION',
      `the concurrency key ${JSON.stringify(concurrency.key)} gave a value of ${key.length} characters (at most ${MAX_CONCURRENCY_KEY_LENGTH})`,
      {
        details: { key: concurrency.key },
      },
    );
  }
  return key;
}

function keyText(value: JsonValue | undefined): string | undefined {
  if (typeof value === 'string') return value === '' ? undefined : value;
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  return undefined;
}
