import type { JsonValue, RecordedError } from '../../entities/json.js';
import type { CompensationRecord, StepState } from '../runtime/state.js';
import type { CompensationRecordView, StepRecord } from './read-models.js';
import type { PositionalType } from './positional-rows.js';
import type { RowOf } from './row-types.js';

/**
 * `execution_steps`: its row as PostgreSQL returns it and as the CHECKPOINT statement reads it back
 * (positional-rows.ts), and the one codec between that row and the engine's step state (a claimed run)
 * or read model (the API).
 */
export type StepRow = RowOf<Omit<StepRecord, 'compensation'>> & { compensation: CompensationRecord | null };

/**
 * The row's columns and their SQL types, in one place: every statement that reads or writes whole step
 * rows (a claimed run's load, the API's step reads, the checkpoint's upsert from JSON) lists them from
 * here, and the compiler keeps the list equal to the row type.
 */
export const STEP_COLUMN_TYPES = {
  execution_id: 'uuid',
  key: 'text',
  name: 'text',
  type: 'text',
  sequence: 'int',
  status: 'text',
  input: 'jsonb',
  output: 'jsonb',
  error: 'jsonb',
  attempts: 'int',
  started_at: 'timestamptz',
  completed_at: 'timestamptz',
  next_attempt_at: 'timestamptz',
  compensation: 'jsonb',
} as const satisfies { [column in keyof StepRow]-?: PositionalType };

const STEP_COLUMN_NAMES = Object.keys(STEP_COLUMN_TYPES);

/** The step row's columns, comma-separated, each after `prefix` (a table alias and its dot, or nothing). */
export function stepColumns(prefix = ''): string {
  return STEP_COLUMN_NAMES.map((column) => `${prefix}${column}`).join(', ');
}

/** The row of `step`, as a checkpoint writes it (its dates become ISO strings in the statement's JSON). */
export function stepRowOf(executionId: string, step: StepState): StepRow {
  return {
    execution_id: executionId,
    key: step.key,
    name: step.name,
    type: step.type,
    sequence: step.sequence,
    status: step.status,
    input: step.input ?? null,
    output: step.output ?? null,
    error: step.error ?? null,
    attempts: step.attempts,
    started_at: step.startedAt ?? null,
    completed_at: step.completedAt ?? null,
    next_attempt_at: step.nextAttemptAt ?? null,
    compensation: step.compensation ?? null,
  };
}

/** The step as a worker goes on with it. */
export function stepStateOf(row: StepRow): StepState {
  return {
    key: row.key,
    name: row.name,
    type: row.type,
    sequence: row.sequence,
    status: row.status,
    attempts: row.attempts,
    ...(row.input === null ? {} : { input: row.input }),
    ...(row.output === null ? {} : { output: row.output }),
    ...(row.error === null ? {} : { error: row.error }),
    ...(row.started_at ? { startedAt: new Date(row.started_at) } : {}),
    ...(row.completed_at ? { completedAt: new Date(row.completed_at) } : {}),
    ...(row.next_attempt_at ? { nextAttemptAt: new Date(row.next_attempt_at) } : {}),
    ...(row.compensation ? { compensation: row.compensation } : {}),
  };
}

/** The step as the API reads it. */
export function stepRecordOf(row: StepRow): StepRecord {
  return {
    executionId: row.execution_id,
    key: row.key,
    name: row.name,
    type: row.type,
    sequence: row.sequence,
    status: row.status,
    input: row.input,
    output: row.output,
    error: row.error,
    attempts: row.attempts,
    startedAt: row.started_at,
    completedAt: row.completed_at,
    nextAttemptAt: row.next_attempt_at,
    compensation: compensationOf(row.compensation),
  };
}

/** Read defensively: a compensation that does not have the recorded shape is shown, not trusted. */
function compensationOf(value: CompensationRecord | JsonValue | null): CompensationRecordView | null {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return null;
  const { status, error, at } = value;
  return {
    status: typeof status === 'string' ? status : 'unknown',
    error: isRecordedError(error) ? error : null,
    at: typeof at === 'string' ? new Date(at) : null,
  };
}

function isRecordedError(value: JsonValue | undefined): value is RecordedError {
  return (
    typeof value === 'object' &&
    value !== null &&
    !Array.isArray(value) &&
    typeof value['code'] === 'string' &&
    typeof value['message'] === 'string'
  );
}
