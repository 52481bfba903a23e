import { randomUUID } from 'node:crypto';
import type { JsonObject } from '../../entities/json.js';
import type { TriggerType } from '../../entities/statuses.js';
import { AppError, coerceError } from '../../errors.js';
import type { Queryable } from '../../infra/queryable.js';
import type { LeasedExecution } from './read-rows.js';
import { positionalRows } from './positional-rows.js';
import { checkpointRowsParams, type Checkpoint } from './checkpoints.js';
import { INSERT_EXECUTION, INSERT_RUNNABLE_EXECUTIONS } from './sql.js';
import { RUNNABLE_START_COLUMNS } from './start-rows.js';
import { tenantSuspended } from './tenant-store.js';
import { withFields } from '../../infra/with-fields.js';

/** Recording a new run (a start, a rerun, a sub_workflow's child): the statements are in sql.ts. */

export interface NewExecution {
  tenantId: string;
  workflowId: string;
  version: number;
  context: JsonObject;
  triggerType: TriggerType;
  triggerSource?: string;
  idempotencyKey?: string;
  parentExecutionId?: string;
  parentStepKey?: string;
  /** The API request that started it, and its W3C trace context (`traceparent`) when traced. */
  requestId?: string;
  traceParent?: string;
  /** Among queued runs, higher first (default 0). */
  priority?: number;
  /** Its concurrency group's key value and limit, when its workflow has one. */
  concurrency?: { key: string; limit: number };
  /** Held back by a concurrency limit: recorded `queued` (INSERT_EXECUTION only). */
  queued?: boolean;
}

/** The payload of a run's first event, `execution.created`. */
const createdPayload = (execution: NewExecution) => ({ workflowVersion: execution.version, triggerType: execution.triggerType });

/** The run's columns as the insert statements take them, by name, in INSERT_EXECUTION's $1…$16 order. */
function executionRecord(id: string, execution: NewExecution) {
  return {
    id,
    tenant_id: execution.tenantId,
    workflow_id: execution.workflowId,
    workflow_version: execution.version,
    context: execution.context,
    trigger_type: execution.triggerType,
    trigger_source: execution.triggerSource ?? null,
    idempotency_key: execution.idempotencyKey ?? null,
    parent_execution_id: execution.parentExecutionId ?? null,
    parent_step_key: execution.parentStepKey ?? null,
    created_payload: createdPayload(execution),
    request_id: execution.requestId ?? null,
    trace_parent: execution.traceParent ?? null,
    priority: execution.priority ?? 0,
    concurrency_key: execution.concurrency?.key ?? null,
    concurrency_limit: execution.concurrency?.limit ?? null,
  };
}

/** INSERT_EXECUTION's $1…$16: the record's values in its order, its jsonb values as JSON text. */
function insertParams(id: string, execution: NewExecution): unknown[] {
  const record = executionRecord(id, execution);
  return Object.values(
    withFields(record, { context: JSON.stringify(record.context), created_payload: JSON.stringify(record.created_payload) }),
  );
}

/**
 * Records the execution, its first event and its job in one statement; idempotent by key. In a
 * suspended tenant a running run's child is recorded held (`held`), any other start is refused with
 * TENANT_SUSPENDED (see INSERT_EXECUTION).
 */
export async function insertExecution(db: Queryable, execution: NewExecution): Promise<{ id: string; created: boolean; held: boolean }> {
  const [row] = await db.query<{ id: string | null; suspended: boolean; slug: string }>(INSERT_EXECUTION, [
    ...insertParams(randomUUID(), execution),
    execution.queued === true,
    execution.parentExecutionId !== undefined,
  ]);
  if (!row) throw new AppError('NOT_FOUND', `no tenant ${execution.tenantId}`);
  if (row.id !== null) return { id: row.id, created: true, held: row.suspended };
  if (row.suspended && execution.parentExecutionId === undefined) throw tenantSuspended(row.slug);
  return withFields(await existingExecution(db, execution), { held: false });
}

export type RunnableInsert =
  | { kind: 'leased'; row: LeasedExecution }
  /** Recorded due for any worker (pending): the workers are woken once it is committed. */
  | { kind: 'due'; id: string }
  | { kind: 'existing'; id: string }
  | { kind: 'stale-version' }
  /** The tenant is suspended: nothing recorded, INSERT_EXECUTION refuses the start or records it held. */
  | { kind: 'suspended' };

/** A run to record runnable at once (INSERT_RUNNABLE_EXECUTIONS). */
export interface RunnableStart {
  /** Chosen by the caller when the run goes on before its insert commits (a new one otherwise). */
  id?: string;
  /** That run's first checkpoint, when it is ready as the statement is sent: it commits with the run. */
  rider?: { take(): Checkpoint | undefined };
  execution: NewExecution;
  /** Only if its version is still the workflow's current one (the caller's lookup was cached). */
  versionMustBeCurrent: boolean;
  /** Leased to `owner`, whose worker runs it here, now; without, due for any worker. */
  lease?: { owner: string; seconds: number };
}

/** INSERT_RUNNABLE_EXECUTIONS's row for one input: the run's columns all null when nothing was recorded. */
type RunnableInsertRow = (LeasedExecution | { [column in keyof LeasedExecution]: null }) & {
  ord: number;
  lease_owner: string | null;
  tenant_suspended: boolean;
};

/** One input row of INSERT_RUNNABLE_EXECUTIONS (start-rows.ts): INSERT_EXECUTION's parameters, and the lease. */
function runnableStartRecord(ord: number, { id, execution, lease, versionMustBeCurrent }: RunnableStart, rider: Checkpoint | undefined) {
  return {
    ord,
    ...executionRecord(id ?? randomUUID(), execution),
    lease_owner: lease?.owner ?? null,
    lease_seconds: lease?.seconds ?? null,
    version_must_be_current: versionMustBeCurrent,
    first_events: rider?.events.length ?? 0,
  };
}

/**
 * Records one run runnable at once: leased (it runs here, now, with no trip through the queue; should
 * this process die, its lease expires and the recovery scan queues it), or due for any worker.
 */
export async function insertRunnableExecution(db: Queryable, start: RunnableStart): Promise<RunnableInsert> {
  const [answer] = await insertRunnableExecutions(db, [start]);
  if (answer instanceof Error) throw answer;
  return answer as RunnableInsert;
}

/**
 * Records a batch of runnable runs (insertRunnableExecution) in one statement and one commit: one
 * answer per start, in order — what was recorded, or the error that start's caller gets. Should the
 * statement fail, nothing of it was recorded and each start is tried alone, so that one start's fault
 * (or a transient error) is only its own.
 */
export async function insertRunnableExecutions(db: Queryable, starts: readonly RunnableStart[]): Promise<Array<RunnableInsert | Error>> {
  let rows: RunnableInsertRow[];
  try {
    const riders = starts.map((start) => start.rider?.take());
    rows = await db.query<RunnableInsertRow>(
      INSERT_RUNNABLE_EXECUTIONS,
      [
        positionalRows(
          RUNNABLE_START_COLUMNS,
          starts.map((start, ord) => runnableStartRecord(ord, start, riders[ord])),
        ),
        ...checkpointRowsParams(riders.filter((rider) => rider !== undefined)),
      ],
      'switchyard_insert_runnable_executions',
    );
  } catch (error) {
    if (starts.length === 1) return [coerceError(error)];
    return Promise.all(starts.map((start) => insertRunnableExecution(db, start).catch(coerceError)));
  }
  const byOrd = new Map(rows.map((row) => [row.ord, row]));
  return Promise.all(
    starts.map((start, ord) => runnableAnswer(db, start.execution, byOrd.get(ord)).catch((error: unknown) => coerceError(error))),
  );
}

async function runnableAnswer(db: Queryable, execution: NewExecution, row: RunnableInsertRow | undefined): Promise<RunnableInsert> {
  if (!row) throw new AppError('NOT_FOUND', `no tenant ${execution.tenantId}`);
  if (row.id !== null) {
    if (row.lease_owner === null) return { kind: 'due', id: row.id };
    const { tenant_suspended: _, ord: __, lease_owner: ___, ...leased } = row;
    return { kind: 'leased', row: leased };
  }
  if (row.tenant_suspended) return { kind: 'suspended' };
  // Nothing inserted and the tenant active: the key's run exists, or the cached version was stale.
  const existing = await findExisting(db, execution);
  return existing ? { kind: 'existing', id: existing.id } : { kind: 'stale-version' };
}

async function existingExecution(db: Queryable, execution: NewExecution): Promise<{ id: string; created: false }> {
  const existing = await findExisting(db, execution);
  if (!existing) throw new Error('idempotent start found neither a new nor an existing execution');
  return { id: existing.id, created: false };
}

/** The run already started with the execution's idempotency key, if any; CONFLICT when it is another workflow's. */
async function findExisting(db: Queryable, execution: NewExecution): Promise<{ id: string } | undefined> {
  if (!execution.idempotencyKey) return undefined;
  const [existing] = await db.query<{ id: string; workflow_id: string }>(
    'select id, workflow_id from executions where tenant_id = $1 and idempotency_key = $2',
    [execution.tenantId, execution.idempotencyKey],
  );
  if (!existing) return undefined;
  if (existing.workflow_id !== execution.workflowId) {
    throw new AppError(
      'CONFLICT',
      `idempotency key "${execution.idempotencyKey}" already started another workflow's execution ${existing.id}`,
    );
  }
  return { id: existing.id };
}
