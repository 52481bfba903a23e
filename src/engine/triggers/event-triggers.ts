import type { JsonObject, JsonValue, RecordedError } from '../../entities/json.js';
import { evaluateExpression, expressionCache, isTruthy } from '../definition/expressions.js';
import type { EventTrigger } from '../definition/step-types.js';
import { toRecordedError } from '../runtime/errors.js';

/**
 * Which of a workflow's triggers an event starts it with, and the run's context. Pure apart from
 * JSONata's evaluation: no database, so it is tested on its own.
 *
 * A workflow starts at most once per event (the idempotency key is `event:<id>:<workflow>`), so when
 * several of its triggers name the event, they act as alternatives: the first whose filter accepts
 * the event decides the context.
 */

export interface TriggerEvent {
  id: string;
  name: string;
  payload: JsonObject;
}

export type TriggerDecision =
  | { kind: 'start'; context: JsonObject; trigger: number; priority: number }
  /** No trigger names the event, or every filter said no. */
  | { kind: 'ignore' }
  /** A filter or context expression failed, or the context is not an object: the event cannot start this workflow. */
  | { kind: 'error'; error: RecordedError; trigger: number };

const compiled = expressionCache(1_000);

/** What filters and context expressions read: `{ event: <payload>, eventId, eventName }`. */
export function triggerInput(event: TriggerEvent): JsonObject {
  return { event: event.payload, eventId: event.id, eventName: event.name };
}

function isObject(value: JsonValue | undefined): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Saved definitions were validated; a malformed entry here is ignored rather than trusted. */
function asTriggers(raw: JsonValue): EventTrigger[] {
  if (!Array.isArray(raw)) return [];
  return raw.filter((item): item is JsonObject & { event: string } => isObject(item) && typeof item['event'] === 'string');
}

export async function decideTrigger(rawTriggers: JsonValue, event: TriggerEvent): Promise<TriggerDecision> {
  const input = triggerInput(event);
  const triggers = asTriggers(rawTriggers);
  for (const [index, trigger] of triggers.entries()) {
    if (trigger.event !== event.name) continue;
    try {
      if (trigger.filter !== undefined && !isTruthy(await evaluateExpression(compiled(trigger.filter), input))) continue;
      const priority = typeof trigger.priority === 'number' ? trigger.priority : 0;
      if (trigger.context === undefined) return { kind: 'start', context: event.payload, trigger: index, priority };
      const context = await evaluateExpression(compiled(trigger.context), input);
      if (!isObject(context)) {
        return {
          kind: 'error',
          trigger: index,
          error: {
            code: 'VALIDATION',
            message: `the trigger's context expression produced ${JSON.stringify(context ?? null)}, not an object`,
            retryable: false,
          },
        };
      }
      return { kind: 'start', context, trigger: index, priority };
    } catch (error) {
      return { kind: 'error', trigger: index, error: toRecordedError(error) };
    }
  }
  return { kind: 'ignore' };
}
