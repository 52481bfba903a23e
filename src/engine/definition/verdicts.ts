import type { JsonObject, JsonValue } from '../../entities/json.js';
import { isTruthy } from './expressions.js';

/**
 * Why a step went the way it did, as recorded: a `when` guard's or a condition's expression, the value
 * it came to, and (a condition) the branch taken. Kept in the condition's output, in a skipped step's
 * output, and in the payload of the event that ended the attempt the guard let through.
 */
export interface Verdict extends JsonObject {
  expression: string;
  value: JsonValue;
  result: boolean;
}

/** Recorded values stay small: a large one is told by its kind and size. */
const MAX_RECORDED_VALUE = 2_000;

export function verdictOf(expression: string, value: JsonValue | undefined): Verdict {
  const shown = value ?? null;
  const size = JSON.stringify(shown).length;
  const recorded: JsonValue =
    size <= MAX_RECORDED_VALUE ? shown : `(${Array.isArray(shown) ? 'an array' : typeof shown} of ${size} characters in JSON)`;
  return { expression, value: recorded, result: isTruthy(value) };
}

/** The verdict recorded under `key` of a step's output or an event's payload, if one is. */
export function recordedVerdict(holder: JsonValue | null | undefined, key?: string): Verdict | undefined {
  const record = key === undefined ? holder : holder && typeof holder === 'object' && !Array.isArray(holder) ? holder[key] : undefined;
  if (!record || typeof record !== 'object' || Array.isArray(record)) return undefined;
  const { expression, value, result } = record;
  if (typeof expression !== 'string' || typeof result !== 'boolean') return undefined;
  return { expression, value: value ?? null, result };
}
