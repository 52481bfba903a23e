import type { JsonObject, JsonValue, RecordedError } from '../../entities/json.js';
import type { ExecutionStatus } from '../../entities/statuses.js';
import type { Queryable } from '../../infra/queryable.js';
import type { WaitEventsSince } from '../definition/step-types.js';
import type { StepState } from '../runtime/state.js';
import { CHECKPOINT, CHECKPOINT_WITHOUT_WAITS } from './sql.js';
import { CHECKPOINT_EVENT_COLUMNS, CHECKPOINT_EXECUTION_COLUMNS, CHECKPOINT_WAIT_COLUMNS } from './checkpoint-rows.js';
import { positionalRows } from './positional-rows.js';
import { STEP_COLUMN_TYPES, stepRowOf } from './step-rows.js';

/** What one execution commits at once, and the CHECKPOINT statement that writes a batch of them. */

export interface EventRecord {
  type: string;
  stepKey?: string;
  payload: JsonObject;
}

export interface WaitRecord {
  stepKey: string;
  eventName: string;
  match?: string;
  expiresAt?: Date;
  /** How far back its lookback goes (`step` when absent); CHECKPOINT turns `run` into a time. */
  since?: WaitEventsSince;
}

/** Everything one execution commits at once: its step rows, its events, its status. */
export interface Checkpoint {
  executionId: string;
  tenantId: string;
  epoch: number;
  steps: StepState[];
  events: EventRecord[];
  waits: WaitRecord[];
  execution?: { status: ExecutionStatus; terminal: boolean; result?: JsonValue; error?: RecordedError };
}

export interface CheckpointResult {
  lastEventSeq: number;
  signalSeq: number;
  /** The run ended and its parent was signalled: the workers are woken once this is committed. */
  parentSignalled?: boolean;
  /** The run ended, freeing the concurrency slots it held: queued runs may start once this is committed. */
  freed?: FreedSlot;
}

/** The slots an ended run gave back: its concurrency group's (if its workflow is limited) and its tenant's. */
export interface FreedSlot {
  tenantId: string;
  group?: { workflowId: string; key: string };
  /** A top-level run (only those count against the tenant's limit). */
  topLevel: boolean;
}

interface CheckpointRow {
  id: string;
  last_event_seq: number;
  signal_seq: number;
  parents_signalled: number;
  terminal: boolean;
  tenant_id: string;
  workflow_id: string;
  concurrency_key: string | null;
  concurrency_limit: number | null;
  top_level: boolean;
}

function freedSlot(row: CheckpointRow): FreedSlot | undefined {
  if (!row.terminal) return undefined;
  const limited = row.concurrency_limit !== null && row.concurrency_key !== null;
  return {
    tenantId: row.tenant_id,
    topLevel: row.top_level,
    ...(limited ? { group: { workflowId: row.workflow_id, key: row.concurrency_key ?? '' } } : {}),
  };
}

/** The statement's parameters for a batch of checkpoints (at most one per execution): the waits' only when there are any. */
function checkpointParams(batch: readonly Checkpoint[], leaseSeconds: number, withWaits: boolean): string[] {
  const executions = batch.map((cp) => ({
    execution_id: cp.executionId,
    epoch: cp.epoch,
    status: cp.execution?.status ?? null,
    result: cp.execution?.result ?? null,
    error: cp.execution?.error ?? null,
    terminal: cp.execution?.terminal ?? false,
    events: cp.events.length,
    lease_seconds: leaseSeconds,
  }));
  const waits = batch.flatMap((cp) =>
    cp.waits.map((wait) => ({
      execution_id: cp.executionId,
      step_key: wait.stepKey,
      tenant_id: cp.tenantId,
      event_name: wait.eventName,
      match: wait.match ?? null,
      expires_at: wait.expiresAt ?? null,
      since_run: wait.since === 'run',
    })),
  );
  return [
    positionalRows(CHECKPOINT_EXECUTION_COLUMNS, executions),
    ...checkpointRowsParams(batch),
    ...(withWaits ? [positionalRows(CHECKPOINT_WAIT_COLUMNS, waits)] : []),
  ];
}

/** The step rows and the events (`idx` from 1 in each checkpoint) of a batch, as two positional parameters. */
export function checkpointRowsParams(batch: readonly Checkpoint[]): [steps: string, events: string] {
  const steps = batch.flatMap((cp) => cp.steps.map((step) => stepRowOf(cp.executionId, step)));
  const events = batch.flatMap((cp) =>
    cp.events.map((event, index) => ({
      execution_id: cp.executionId,
      idx: index + 1,
      type: event.type,
      step_key: event.stepKey ?? null,
      payload: event.payload,
    })),
  );
  return [positionalRows(STEP_COLUMN_TYPES, steps), positionalRows(CHECKPOINT_EVENT_COLUMNS, events)];
}

/** The two forms of the checkpoint statement, each prepared under its own name. */
const CHECKPOINT_STATEMENTS = {
  withWaits: { text: CHECKPOINT, name: 'switchyard_checkpoint' },
  withoutWaits: { text: CHECKPOINT_WITHOUT_WAITS, name: 'switchyard_checkpoint_without_waits' },
} as const;

/** Writes a batch of checkpoints (at most one per execution) in one statement; an execution fenced out has no result. */
export async function writeCheckpoints(
  queryable: Queryable,
  batch: readonly Checkpoint[],
  leaseSeconds: number,
): Promise<Map<string, CheckpointResult>> {
  // Most batches register no event wait: their statement leaves that part out (sql.ts).
  const withWaits = batch.some((checkpoint) => checkpoint.waits.length > 0);
  const statement = withWaits ? CHECKPOINT_STATEMENTS.withWaits : CHECKPOINT_STATEMENTS.withoutWaits;
  const rows = await queryable.query<CheckpointRow>(statement.text, checkpointParams(batch, leaseSeconds, withWaits), statement.name);
  return new Map(
    rows.map((row) => {
      const freed = freedSlot(row);
      return [
        row.id,
        {
          lastEventSeq: Number(row.last_event_seq),
          signalSeq: Number(row.signal_seq),
          parentSignalled: row.parents_signalled > 0,
          ...(freed ? { freed } : {}),
        },
      ];
    }),
  );
}
