import type { JsonObject, RecordedError } from '../../entities/json.js';
import type { ExecutionStatus } from '../../entities/statuses.js';
import { AppError } from '../../errors.js';
import type { CommandFacts, ExecutionCommand } from '../commands.js';
import { commandCondition } from './command-conditions.js';
import { planRerun, planRetry, refused, type RecordedStepRow } from '../reset-plan.js';
import { forgetApprovals } from './approval-store.js';
import type { Queryable } from '../../infra/queryable.js';
import { SIGNAL } from './sql.js';
import { insertExecution, type NewExecution } from './execution-inserts.js';
import { RUNNABLE_EXECUTION_STATUSES, sqlList, UNFINISHED_EXECUTION_STATUSES } from '../../entities/statuses.js';
import type { RunSlot } from './flow-store.js';
import { assertTenantNotSuspended } from './tenant-store.js';
import { withFields } from '../../infra/with-fields.js';

export type { NewExecution } from './execution-inserts.js';

const UNFINISHED = sqlList(UNFINISHED_EXECUTION_STATUSES);
const LIVE = sqlList(RUNNABLE_EXECUTION_STATUSES);

/**
 * The engine's persistence outside the hot path of running steps: operator commands (cancel, pause,
 * resume, retry, rerun); recording new runs is execution-inserts.ts.
 */

export interface WorkflowPointer {
  id: string;
  currentVersion: number;
  active: boolean;
}

export async function findWorkflow(db: Queryable, tenantId: string, name: string): Promise<WorkflowPointer | undefined> {
  const [row] = await db.query<{ id: string; current_version: number; active: boolean }>(
    'select id, current_version, active from workflows where tenant_id = $1 and name = $2',
    [tenantId, name],
  );
  return row && { id: row.id, currentVersion: row.current_version, active: row.active };
}

interface ExecutionStatusRow {
  id: string;
  status: ExecutionStatus;
}

async function currentFacts(db: Queryable, tenantId: string, id: string): Promise<CommandFacts> {
  const [row] = await db.query<ExecutionStatusRow & { pause_requested: boolean }>(
    'select id, status, pause_requested from executions where id = $1 and tenant_id = $2',
    [id, tenantId],
  );
  if (!row) throw new AppError('NOT_FOUND', `no execution ${id}`);
  return { status: row.status, pauseRequested: row.pause_requested };
}

/** The run a command changed and the workflow version it runs. */
export interface CommandedExecution {
  executionId: string;
  workflowId: string;
  version: number;
}

/** Runs a command's UPDATE; when it matches nothing, says why (unknown, or in a status that refuses it). */
async function command<R extends object = object>(
  db: Queryable,
  tenantId: string,
  id: string,
  sql: string,
  verb: ExecutionCommand,
): Promise<CommandedExecution & { row: ExecutionStatusRow & R }> {
  const [row] = await db.query<ExecutionStatusRow & { workflow_id: string; workflow_version: number } & R>(sql, [id, tenantId]);
  if (row) return { executionId: row.id, workflowId: row.workflow_id, version: row.workflow_version, row };
  // A resume makes a run go on: refused in a suspended tenant (its statement read the suspension, locked).
  if (verb === 'resume') await assertTenantNotSuspended(db, tenantId);
  throw refused(verb, id, await currentFacts(db, tenantId, id));
}

/**
 * Commands make the run due now (`wake_at`): a worker claims it and acts, or its holder sees the raised
 * signal. The caller wakes the workers once this committed.
 */

/** The error of a run cancelled while queued (a run that started is cancelled by its runner, see executor.ts). */
const CANCELLED_QUEUED = `'{"code":"CANCELLED","message":"the execution was cancelled while queued, before it started","retryable":false}'::jsonb`;

/**
 * A cancel's SET list (`row`: the updated table's alias and a dot, or ''): the runner of a started run
 * aborts what runs and records it cancelled; a queued run has no runner and ran nothing, so it is
 * cancelled here and now (holding no slot, it frees none).
 */
function cancelSet(row: string): string {
  const queued = `${row}status = 'queued'`;
  return `cancel_requested = true, signal_seq = ${row}signal_seq + 1, updated_at = now(),
  wake_at = case when ${queued} then null else now() end,
  status = case ${row}status when 'paused' then 'waiting' when 'queued' then 'cancelled' else ${row}status end,
  completed_at = case when ${queued} then now() else ${row}completed_at end,
  error = case when ${queued} then ${CANCELLED_QUEUED} else ${row}error end,
  last_event_seq = ${row}last_event_seq + case when ${queued} then 1 else 0 end`;
}

/** A run (or child) cancelled while queued: the event its runner would have logged, to publish once committed. */
export interface CancelledQueued {
  id: string;
  seq: number;
}

/** Asks the runner to cancel: it aborts what runs, and records the run as cancelled. Children follow. */
export async function requestCancel(
  db: Queryable,
  tenantId: string,
  id: string,
): Promise<CommandedExecution & { cancelledQueued: CancelledQueued[] }> {
  const done = await command<{ ended: CancelledQueued[] }>(
    db,
    tenantId,
    id,
    `with changed as (
       update executions set ${cancelSet('')}
       where id = $1 and tenant_id = $2 and ${commandCondition('cancel')}
       returning id, status, workflow_id, workflow_version, last_event_seq, parent_execution_id
     ), children as (
       update executions c set ${cancelSet('c.')}
       from changed where c.parent_execution_id = changed.id and c.status in ${UNFINISHED}
       returning c.id, c.status, c.last_event_seq
     ), ended as (
       select id, last_event_seq from changed where status = 'cancelled'
       union all
       select id, last_event_seq from children where status = 'cancelled'
     ), ended_events as (
       insert into execution_events (execution_id, seq, type, payload, created_at)
       select id, last_event_seq, 'execution.cancelled', jsonb_build_object('status', 'cancelled', 'error', ${CANCELLED_QUEUED}), now() from ended
     ), parent as (
       -- A queued child cancelled on its own: its parent, waiting for it, looks again.
       update executions p set signal_seq = p.signal_seq + 1, wake_at = now(), updated_at = now()
       from changed where changed.status = 'cancelled' and p.id = changed.parent_execution_id and p.status in ${LIVE}
       returning p.id
     )
     select id, status, workflow_id, workflow_version, (select count(*) from children)::int as children, (select count(*) from parent)::int as parents,
            (select coalesce(json_agg(json_build_object('id', id, 'seq', last_event_seq)), '[]'::json) from ended) as ended
     from changed`,
    'cancel',
  );
  return { executionId: done.executionId, workflowId: done.workflowId, version: done.version, cancelledQueued: done.row.ended };
}

/** The run stops at the next step boundary and waits, holding no worker, until resumed. */
export function requestPause(db: Queryable, tenantId: string, id: string): Promise<CommandedExecution> {
  return command(
    db,
    tenantId,
    id,
    `with changed as (
       update executions set pause_requested = true, signal_seq = signal_seq + 1, updated_at = now(),
         wake_at = case when status = 'queued' then null else now() end
       where id = $1 and tenant_id = $2 and ${commandCondition('pause')}
       returning id, status, workflow_id, workflow_version
     )
     select id, status, workflow_id, workflow_version from changed`,
    'pause',
  );
}

/** A resumed run that is still queued may start now if its group has room (`queued`: the caller asks flow control once committed). */
export async function resume(
  db: Queryable,
  tenantId: string,
  id: string,
): Promise<CommandedExecution & { queued?: { key: string | null; limit: number | null } }> {
  const { row, ...commanded } = await command<{ concurrency_key: string | null; concurrency_limit: number | null }>(
    db,
    tenantId,
    id,
    `with changed as (
       update executions set pause_requested = false, signal_seq = signal_seq + 1, updated_at = now(),
         wake_at = case when status = 'queued' then null else now() end,
         status = case when status = 'paused' then 'waiting' else status end
       where id = $1 and tenant_id = $2 and ${commandCondition('resume')}
         -- FOR KEY SHARE, whatever it reads: a suspension being committed is waited for and read, a later one waits for this.
         and (select suspended_at is null from tenants where id = $2 for key share)
       returning id, status, workflow_id, workflow_version, concurrency_key, concurrency_limit
     )
     select id, status, workflow_id, workflow_version, concurrency_key, concurrency_limit from changed`,
    'resume',
  );
  return row.status === 'queued'
    ? withFields(commanded, { queued: { key: row.concurrency_key, limit: row.concurrency_limit } })
    : commanded;
}

/** Wakes an execution so its runner looks again (an event arrived, a child ended). */
export async function signal(db: Queryable, tenantId: string, id: string): Promise<void> {
  await db.query(SIGNAL, [id, tenantId]);
}

/** What a retry or rerun plans from (reset-plan.ts): the run and its recorded steps. */
export interface RunToPlan {
  status: ExecutionStatus;
  error: RecordedError | null;
  context: JsonObject;
  workflow_id: string;
  workflow_version: number;
  steps: RecordedStepRow[];
}

/** The run and its steps, or NOT_FOUND; `lock`: the row stays locked until the transaction ends (a retry). */
export async function runToPlan(db: Queryable, tenantId: string, id: string, lock: boolean): Promise<RunToPlan> {
  const [execution] = await db.query<Omit<RunToPlan, 'steps'>>(
    `select status, error, context, workflow_id, workflow_version from executions where id = $1 and tenant_id = $2${lock ? ' for update' : ''}`,
    [id, tenantId],
  );
  if (!execution) throw new AppError('NOT_FOUND', `no execution ${id}`);
  const steps = await db.query<RecordedStepRow>('select key, status, sequence, compensation from execution_steps where execution_id = $1', [
    id,
  ]);
  return withFields(execution, { steps });
}

/**
 * Retries a failed (or cancelled) run from `fromStep` (default: the step that failed), in the same
 * execution: the steps to redo are forgotten, the run is queued again, attempts start afresh.
 */
export async function retryExecution(
  db: Queryable,
  tenantId: string,
  id: string,
  fromStep: string | undefined,
  containersOf: (key: string) => string[],
  admit: (tx: Queryable, slot: RunSlot) => Promise<boolean>,
): Promise<CommandedExecution & { seq: number; fromStep: string; reset: string[]; queued: boolean }> {
  {
    // The run goes on: refused in a suspended tenant (a locking read: a suspension later waits for this retry and holds it).
    await assertTenantNotSuspended(db, tenantId);
    const execution = await runToPlan(db, tenantId, id, true);
    const { fromStep: from, reset } = planRetry(id, execution, execution.steps, fromStep, containersOf);
    await db.query('delete from execution_steps where execution_id = $1 and key = any($2::text[])', [id, reset]);
    await db.query('delete from execution_waits where execution_id = $1 and step_key = any($2::text[])', [id, reset]);
    await forgetApprovals(db, id, reset);
    // Going on, the run takes a concurrency slot again: without room, it waits queued.
    const [slot] = await db.query<{ key: string | null; limit: number | null; top_level: boolean }>(
      'select concurrency_key as key, concurrency_limit as "limit", parent_execution_id is null as top_level from executions where id = $1',
      [id],
    );
    const group =
      slot && slot.limit !== null && slot.key !== null
        ? { workflowId: execution.workflow_id, key: slot.key, limit: slot.limit }
        : undefined;
    const queued = !(await admit(db, { tenantId, topLevel: slot?.top_level ?? true, ...(group ? { group } : {}) }));
    const [retried] = await db.query<{ last_event_seq: number }>(
      `with changed as (
         update executions set status = case when $3::boolean then 'queued' else 'waiting' end, error = null, result = null, completed_at = null,
           cancel_requested = false, pause_requested = false, wake_at = case when $3::boolean then null else now() end, lease_owner = null,
           lease_expires_at = null, last_event_seq = last_event_seq + 1, updated_at = now()
         where id = $1 returning id, last_event_seq
       ), event as (
         insert into execution_events (execution_id, seq, type, payload, created_at)
         select id, last_event_seq, 'execution.retried', $2, now() from changed
       )
       select last_event_seq from changed`,
      [id, JSON.stringify({ fromStep: from, reset, ...(queued ? { status: 'queued' } : {}) }), queued],
    );
    const seq = retried?.last_event_seq ?? 0;
    return { executionId: id, workflowId: execution.workflow_id, version: execution.workflow_version, seq, fromStep: from, reset, queued };
  }
}

/**
 * A new execution of the same workflow version that replays the original's completed steps before
 * `fromStep` (their outputs are reused, their effects not repeated) and runs the rest with `context`
 * merged over the original's.
 */
export async function rerunExecution(
  db: Queryable,
  tenantId: string,
  id: string,
  fromStep: string,
  context: JsonObject,
  containersOf: (key: string) => string[],
  place: (tx: Queryable, execution: NewExecution) => Promise<NewExecution>,
): Promise<CommandedExecution & { queued: boolean }> {
  {
    const original = await runToPlan(db, tenantId, id, false);
    const { kept: keep } = planRerun(id, original, original.steps, fromStep, containersOf);
    // A new run: it takes a concurrency slot (or waits queued) like any start.
    const placed = await place(db, {
      tenantId,
      workflowId: original.workflow_id,
      version: original.workflow_version,
      context: { ...original.context, ...context },
      triggerType: 'rerun',
      triggerSource: id,
    });
    const { id: rerunId } = await insertExecution(db, placed);
    await db.query(
      `insert into execution_steps (execution_id, key, name, type, sequence, status, input, output, error, attempts, started_at, completed_at)
       select $1, key, name, type, sequence, status, input, output, error, attempts, started_at, completed_at
       from execution_steps where execution_id = $2 and key = any($3::text[])`,
      [rerunId, id, keep],
    );
    return { executionId: rerunId, workflowId: original.workflow_id, version: original.workflow_version, queued: placed.queued === true };
  }
}
