import type { PositionalColumns } from './positional-rows.js';

/**
 * The columns of a start as INSERT_RUNNABLE_EXECUTIONS reads them (positional-rows.ts): `ord` its place
 * in the batch, then INSERT_EXECUTION's parameters, then the lease (both null for a run due for any
 * worker), whether the version must still be the workflow's current one, and how many events the run's
 * first checkpoint adds when it rides along (runtime/admission.ts; its step rows and events are $2 and $3).
 */
export const RUNNABLE_START_COLUMNS = {
  ord: 'int',
  id: 'uuid',
  tenant_id: 'uuid',
  workflow_id: 'uuid',
  workflow_version: 'int',
  context: 'jsonb',
  trigger_type: 'text',
  trigger_source: 'text',
  idempotency_key: 'text',
  parent_execution_id: 'uuid',
  parent_step_key: 'text',
  created_payload: 'jsonb',
  request_id: 'text',
  trace_parent: 'text',
  priority: 'int',
  concurrency_key: 'text',
  concurrency_limit: 'int',
  lease_owner: 'text',
  lease_seconds: 'float8',
  version_must_be_current: 'boolean',
  first_events: 'int',
} as const satisfies PositionalColumns;
