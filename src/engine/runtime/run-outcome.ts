import type { JsonObject, JsonValue, RecordedError } from '../../entities/json.js';
import type { WorkflowDefinition } from '../definition/step-types.js';
import { resolveTemplates, type TemplateScope } from '../definition/templates.js';
import { allSteps } from './decider.js';
import { toRecordedError } from './errors.js';
import type { StepState } from './state.js';

/** How a run ends: its result, or the error that failed it. Pure, like the decider. */

export interface RunEnd {
  status: 'completed' | 'failed' | 'cancelled';
  outcome: { result?: JsonValue; error?: RecordedError };
}

/** A run whose steps are all done: completed with its result, or failed when its `output` cannot be resolved. */
export function completion(definition: WorkflowDefinition, steps: ReadonlyMap<string, StepState>, scope: () => TemplateScope): RunEnd {
  try {
    return { status: 'completed', outcome: { result: runResult(definition, steps, scope) } };
  } catch (error) {
    return { status: 'failed', outcome: { error: toRecordedError(error) } };
  }
}

/** A run cancelled by a request. */
export function cancellation(): RunEnd {
  return { status: 'cancelled', outcome: { error: { code: 'CANCELLED', message: 'the execution was cancelled', retryable: false } } };
}

/** The definition's `output` template, or else every completed step's output by name. */
export function runResult(definition: WorkflowDefinition, steps: ReadonlyMap<string, StepState>, scope: () => TemplateScope): JsonValue {
  if (definition.output !== undefined) return resolveTemplates(definition.output, scope(), { step: '(output)', path: '$.output' });
  const outputs: JsonObject = {};
  for (const step of allSteps(definition.steps)) {
    const recorded = steps.get(step.name);
    if (recorded?.status === 'completed' && recorded.output !== undefined) outputs[step.name] = recorded.output;
  }
  return outputs;
}

/**
 * The run's error: the step that failed it (the latest failure) and the compensations that ran, in order.
 * `retryable` is the failing error's own: an outside system still unavailable (EXTERNAL_UNAVAILABLE), a
 * timeout or a transient failure that exhausted its attempts may well pass when an operator retries the
 * run later — which redoes the compensated steps for real — while a decline, a missing record or a
 * validation error will fail the same way until something is changed.
 */
export function runFailure(error: RecordedError, steps: ReadonlyMap<string, StepState>): RecordedError {
  const failedStep = [...steps.values()]
    .filter((step) => step.status === 'failed')
    .sort((a, b) => (b.completedAt?.getTime() ?? 0) - (a.completedAt?.getTime() ?? 0))[0];
  const compensations = [...steps.values()]
    .filter((step) => step.compensation)
    .sort((a, b) => String(a.compensation?.at).localeCompare(String(b.compensation?.at)))
    .map((step) => ({ step: step.key, status: step.compensation?.status ?? 'completed' }));
  return {
    code: error.code,
    message: failedStep ? `step ${failedStep.key} failed: ${error.message}` : error.message,
    retryable: error.retryable === true,
    ...(failedStep ? { step: failedStep.key } : {}),
    compensations,
  };
}
