import type { JsonObject } from '../../entities/json.js';
import type { ExecutionStatus } from '../../entities/statuses.js';
import type { ExecutionEventMessage } from '../topics.js';
import type { ExecutionListField, ExecutionListRecord, ExecutionRecord, ExecutionSummaryRecord } from './read-models.js';
import type { WorkflowRecord } from './workflow-store.js';
import type { RowOf } from './row-types.js';
import { withFields } from '../../infra/with-fields.js';

/** The read models' rows as PostgreSQL returns them, their columns, and their mapping to records. */

/** An `executions` row: the record's fields, its concurrency group as its two columns, and a page's cursor. */
export type ExecutionRow = RowOf<Omit<ExecutionRecord, 'concurrency'>> & {
  concurrency_key: string | null;
  concurrency_limit: number | null;
  cursor_at?: string;
};

/** An execution row as returned with its lease (CLAIM, INSERT_RUNNABLE_EXECUTIONS). */
export type LeasedExecution = Pick<
  ExecutionRow,
  | 'id'
  | 'tenant_id'
  | 'workflow_id'
  | 'workflow_version'
  | 'status'
  | 'context'
  | 'cancel_requested'
  | 'pause_requested'
  | 'last_event_seq'
  | 'trigger_type'
  | 'started_at'
> & {
  lease_epoch: string | number;
  signal_seq: number;
  previous_status: ExecutionStatus;
  wake_at: Date | null;
  /** The W3C trace context and the request id of the start, when it had them. */
  trace_parent: string | null;
  request_id: string | null;
};

/**
 * Each field of an execution summary and the columns it is read from: the one list of the summary's
 * columns, from which a list that shows only some fields reads only theirs (summaryColumnsOf).
 */
const SUMMARY_FIELD_COLUMNS = {
  id: ['id'],
  tenantId: ['tenant_id'],
  workflowId: ['workflow_id'],
  workflowVersion: ['workflow_version'],
  status: ['status'],
  error: ['error'],
  triggerType: ['trigger_type'],
  triggerSource: ['trigger_source'],
  idempotencyKey: ['idempotency_key'],
  parentExecutionId: ['parent_execution_id'],
  parentStepKey: ['parent_step_key'],
  cancelRequested: ['cancel_requested'],
  pauseRequested: ['pause_requested'],
  priority: ['priority'],
  concurrency: ['concurrency_key', 'concurrency_limit'],
  lastEventSeq: ['last_event_seq'],
  createdAt: ['created_at'],
  startedAt: ['started_at'],
  completedAt: ['completed_at'],
  updatedAt: ['updated_at'],
} as const satisfies { [F in keyof ExecutionSummaryRecord]: ReadonlyArray<keyof ExecutionSummaryRow> };

export type ExecutionSummaryField = keyof ExecutionSummaryRecord;

/** The name of an execution's workflow, in the execution's own statement (`e`): one index read a row. */
const WORKFLOW_NAME = '(select w.name from workflows w where w.id = e.workflow_id and w.tenant_id = e.tenant_id) as workflow_name';

const columnList = (fields: Iterable<ExecutionListField>): string => {
  const columns = new Set<string>(SUMMARY_FIELD_COLUMNS.id);
  let workflowName = false;
  for (const field of fields) {
    if (field === 'workflowName') workflowName = true;
    else for (const column of SUMMARY_FIELD_COLUMNS[field]) columns.add(column);
  }
  const list = [...columns].map((column) => `e.${column}`).join(', ');
  return workflowName ? `${list}, ${WORKFLOW_NAME}` : list;
};

/** What a list reads of an execution: all but its context and result (ExecutionSummaryRecord). */
export const EXECUTION_SUMMARY_COLUMNS = columnList(Object.keys(SUMMARY_FIELD_COLUMNS) as ExecutionSummaryField[]);

/**
 * The columns of these fields (and the id): a summary read through them has only these fields set, the
 * others undefined — for a list whose answer shows no more than these.
 */
export function summaryColumnsOf(fields: ReadonlySet<ExecutionListField> | 'all'): string {
  if (fields === 'all') return EXECUTION_SUMMARY_COLUMNS;
  let columns = columnsOfSets.get(fields);
  if (columns === undefined) {
    columns = columnList(fields);
    columnsOfSets.set(fields, columns);
  }
  return columns;
}

/** A caller keeps one set per query it serves (execution-selection.ts): its column list is made once. */
const columnsOfSets = new WeakMap<ReadonlySet<ExecutionListField>, string>();

export const EXECUTION_COLUMNS = `${EXECUTION_SUMMARY_COLUMNS}, e.context, e.result`;

export type ExecutionSummaryRow = Omit<ExecutionRow, 'context' | 'result'>;

/** Microsecond-exact and zone-free, so that a cursor finds its row again. */
export const cursorTime = (column: string) => `to_char(${column} at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')`;

export function toExecution(row: ExecutionRow): ExecutionRecord {
  return withFields(toExecutionSummary(row), { context: row.context, result: row.result });
}

/** A page's row: its summary, and its workflow's name when the statement read it (summaryColumnsOf). */
export function toExecutionListed(row: ExecutionSummaryRow & { workflow_name?: string | null }): ExecutionListRecord {
  const summary: ExecutionListRecord = toExecutionSummary(row);
  if (row.workflow_name !== undefined) summary.workflowName = row.workflow_name;
  return summary;
}

export function toExecutionSummary(row: ExecutionSummaryRow): ExecutionSummaryRecord {
  return {
    id: row.id,
    tenantId: row.tenant_id,
    workflowId: row.workflow_id,
    workflowVersion: row.workflow_version,
    status: row.status,
    error: row.error,
    triggerType: row.trigger_type,
    triggerSource: row.trigger_source,
    idempotencyKey: row.idempotency_key,
    parentExecutionId: row.parent_execution_id,
    parentStepKey: row.parent_step_key,
    cancelRequested: row.cancel_requested,
    pauseRequested: row.pause_requested,
    priority: row.priority,
    concurrency:
      row.concurrency_limit === null
        ? null
        : { key: row.concurrency_key === '' ? null : row.concurrency_key, limit: row.concurrency_limit },
    lastEventSeq: Number(row.last_event_seq),
    createdAt: row.created_at,
    startedAt: row.started_at,
    completedAt: row.completed_at,
    updatedAt: row.updated_at,
  };
}

export interface EventRow {
  execution_id: string;
  seq: number;
  type: string;
  step_key: string | null;
  payload: JsonObject;
  created_at: Date;
}

export function toEvent(tenantId: string, row: EventRow): ExecutionEventMessage {
  return {
    executionId: row.execution_id,
    tenantId,
    seq: Number(row.seq),
    type: row.type,
    stepKey: row.step_key,
    payload: row.payload,
    at: row.created_at.toISOString(),
  };
}

export interface WorkflowRow {
  id: string;
  tenant_id: string;
  name: string;
  description: string;
  current_version: number;
  active: boolean;
  tags: string[];
  created_at: Date;
  updated_at: Date;
  definition: JsonObject;
  label: string | null;
  cursor_name?: string;
}

export function toWorkflow(row: WorkflowRow): WorkflowRecord {
  return {
    id: row.id,
    tenantId: row.tenant_id,
    name: row.name,
    description: row.description,
    version: row.current_version,
    versionLabel: row.label,
    definition: row.definition,
    active: row.active,
    tags: row.tags,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

/**
 * A version's definition as people are shown it (`v` is workflow_versions): in its author's key order, or for
 * a version saved before that order was kept, in the jsonb's. The engine reads `v.definition` itself.
 */
export const AUTHORED_DEFINITION = `coalesce(v.authored_definition, v.definition::json)`;

export const WORKFLOW_COLUMNS = `w.id, w.tenant_id, w.name, w.description, w.current_version, w.active, w.tags, w.created_at, w.updated_at, ${AUTHORED_DEFINITION} as definition, v.label`;
export const WORKFLOW_FROM = `workflows w join workflow_versions v on v.workflow_id = w.id and v.version = w.current_version`;
