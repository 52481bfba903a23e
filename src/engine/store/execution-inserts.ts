import { randomUUID } from 'node:crypto';
import type { JsonObject } from '../../entities/json.js';
import type { TriggerType } from '../../entities/statuses.js';
import { AppError } from '../../errors.js';
import type { Queryable } from '../../infra/queryable.js';
import type { LeasedExecution } from './read-rows.js';
import { INSERT_EXECUTION, INSERT_LEASED_EXECUTION } from './sql.js';
import { tenantSuspended } from './tenant-store.js';

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

function insertParams(id: string, execution: NewExecution): unknown[] {
  return [
    id,
    execution.tenantId,
    execution.workflowId,
    execution.version,
    JSON.stringify(execution.context),
    execution.triggerType,
    execution.triggerSource ?? null,
    execution.idempotencyKey ?? null,
    execution.parentExecutionId ?? null,
    execution.parentStepKey ?? null,
    JSON.stringify({ workflowVersion: execution.version, triggerType: execution.triggerType }),
    execution.requestId ?? null,
    execution.traceParent ?? null,
    execution.priority ?? 0,
    execution.concurrency?.key ?? null,
    execution.concurrency?.limit ?? null,
  ];
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
  return { ...(await existingExecution(db, execution)), held: false };
}

export type LeasedInsert =
  | { kind: 'leased'; row: LeasedExecution }
  | { kind: 'existing'; id: string }
  | { kind: 'stale-version' }
  /** The tenant is suspended: nothing recorded, INSERT_EXECUTION refuses the start or records it held. */
  | { kind: 'suspended' };

/** INSERT_LEASED_EXECUTION's one row: the run's columns all null when nothing was recorded. */
type LeasedInsertRow = (LeasedExecution | { [column in keyof LeasedExecution]: null }) & { tenant_suspended: boolean };

/**
 * Records the execution already leased to `owner` (it runs here, now), with no queue job: should this
 * process die, its lease expires and the recovery scan queues it.
 * `versionMustBeCurrent`: insert only if `execution.version` is still the workflow's current one.
 */
export async function insertLeasedExecution(
  db: Queryable,
  execution: NewExecution,
  lease: { owner: string; seconds: number; versionMustBeCurrent: boolean },
): Promise<LeasedInsert> {
  const [row] = await db.query<LeasedInsertRow>(
    INSERT_LEASED_EXECUTION,
    [...insertParams(randomUUID(), execution), lease.owner, lease.seconds, lease.versionMustBeCurrent],
    'switchyard_insert_leased_execution',
  );
  if (!row) throw new AppError('NOT_FOUND', `no tenant ${execution.tenantId}`);
  if (row.id !== null) {
    const { tenant_suspended: _, ...leased } = row;
    return { kind: 'leased', row: leased };
  }
  if (row.tenant_suspended) return { kind: 'suspended' };
  if (!execution.idempotencyKey) return { kind: 'stale-version' };
  const [found] = await db.query<{ id: string }>('select id from executions where tenant_id = $1 and idempotency_key = $2', [
    execution.tenantId,
    execution.idempotencyKey,
  ]);
  if (!found) return { kind: 'stale-version' };
  return { kind: 'existing', id: (await existingExecution(db, execution)).id };
}

async function existingExecution(db: Queryable, execution: NewExecution): Promise<{ id: string; created: false }> {
  const [existing] = await db.query<{ id: string; workflow_id: string }>(
    'select id, workflow_id from executions where tenant_id = $1 and idempotency_key = $2',
    [execution.tenantId, execution.idempotencyKey ?? null],
  );
  if (!existing) throw new Error('idempotent start found neither a new nor an existing execution');
  if (existing.workflow_id !== execution.workflowId) {
    throw new AppError(
      'CONFLICT',
      `idempotency key "${execution.idempotencyKey}" already started another workflow's execution ${existing.id}`,
    );
  }
  return { id: existing.id, created: false };
}
