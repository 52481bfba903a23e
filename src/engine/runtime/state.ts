import type { JsonObject, JsonValue, RecordedError } from '../../entities/json.js';
import type { ExecutionStatus, StepStatus } from '../../entities/statuses.js';

/** What the engine recorded about one step of one execution. */
export interface StepState {
  key: string;
  name: string;
  type: string;
  /** Order in which steps were first started in this execution. */
  sequence: number;
  status: StepStatus;
  attempts: number;
  input?: JsonValue;
  output?: JsonValue;
  error?: RecordedError;
  startedAt?: Date;
  completedAt?: Date;
  /** A failed attempt to be retried at this time (status is `pending` meanwhile). */
  nextAttemptAt?: Date;
  compensation?: CompensationRecord;
}

export interface CompensationRecord {
  [key: string]: JsonValue | undefined;
  status: 'completed' | 'failed';
  error?: RecordedError;
  at: string;
}

/** Everything the decider looks at. Steps not yet started have no entry. */
export interface ExecutionState {
  executionId: string;
  tenantId: string;
  status: ExecutionStatus;
  context: JsonObject;
  steps: Map<string, StepState>;
  cancelRequested: boolean;
  pauseRequested: boolean;
}

/** The step outputs in completion order, for templates' merged context and expressions. */
export function completedOutputs(state: ExecutionState): Array<[string, JsonValue | undefined]> {
  return [...state.steps.values()]
    .filter((step) => step.status === 'completed')
    .sort((a, b) => (a.completedAt?.getTime() ?? 0) - (b.completedAt?.getTime() ?? 0) || a.sequence - b.sequence)
    .map((step) => [step.key, step.output]);
}
