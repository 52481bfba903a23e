import type { PositionalColumns } from './positional-rows.js';

/**
 * The columns of a checkpoint's executions, events and event waits as CHECKPOINT reads them (positional-rows.ts); its
 * step rows are step-rows.ts's STEP_COLUMN_TYPES.
 */

/** One per checkpointed execution: its fence, its new status (and result or error when it ended), how many events it adds. */
export const CHECKPOINT_EXECUTION_COLUMNS = {
  execution_id: 'uuid',
  epoch: 'bigint',
  status: 'text',
  result: 'jsonb',
  error: 'jsonb',
  terminal: 'boolean',
  events: 'int',
  lease_seconds: 'int',
} as const satisfies PositionalColumns;

/** One per event: `idx` its place among its execution's events of this checkpoint (from 1). */
export const CHECKPOINT_EVENT_COLUMNS = {
  execution_id: 'uuid',
  idx: 'int',
  type: 'text',
  step_key: 'text',
  payload: 'jsonb',
} as const satisfies PositionalColumns;

/** One per event wait a step registers; `since_run`: its lookback reaches back to the run's start. */
export const CHECKPOINT_WAIT_COLUMNS = {
  execution_id: 'uuid',
  step_key: 'text',
  tenant_id: 'uuid',
  event_name: 'text',
  match: 'text',
  expires_at: 'timestamptz',
  since_run: 'boolean',
} as const satisfies PositionalColumns;
