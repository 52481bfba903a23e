import type { JsonObject, JsonValue, RecordedError } from '../../entities/json.js';
import type { ExecutionStatus } from '../../entities/statuses.js';
import type { EngineObserver } from '../ports.js';
import type { Wakeups } from '../wakeups.js';
import type { Logger } from '../../logger.js';
import type { EventPublisher } from '../ports.js';
import type { Queryable } from '../../infra/queryable.js';
import { CHECKPOINT } from '../store/sql.js';
import { publishExecutionEvents } from '../execution-feed.js';
import type { ExecutionEventMessage } from '../topics.js';
import { LeaseLostError } from './errors.js';
import { createGroupCommit } from './group-commit.js';
import type { StepState } from './state.js';

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
  return { tenantId: row.tenant_id, topLevel: row.top_level, ...(limited ? { group: { workflowId: row.workflow_id, key: row.concurrency_key ?? '' } } : {}) };
}

const iso = (date: Date | undefined) => (date ? date.toISOString() : null);

/** The statement's parameters for a batch of checkpoints (at most one per execution). */
function checkpointParams(batch: readonly Checkpoint[], leaseSeconds: number): string[] {
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
  const steps = batch.flatMap((cp) =>
    cp.steps.map((step) => ({
      execution_id: cp.executionId,
      key: step.key,
      name: step.name,
      type: step.type,
      sequence: step.sequence,
      status: step.status,
      input: step.input ?? null,
      output: step.output ?? null,
      error: step.error ?? null,
      attempts: step.attempts,
      started_at: iso(step.startedAt),
      completed_at: iso(step.completedAt),
      next_attempt_at: iso(step.nextAttemptAt),
      compensation: step.compensation ?? null,
    })),
  );
  const events = batch.flatMap((cp) =>
    cp.events.map((event, index) => ({ execution_id: cp.executionId, idx: index + 1, type: event.type, step_key: event.stepKey ?? null, payload: event.payload })),
  );
  const waits = batch.flatMap((cp) =>
    cp.waits.map((wait) => ({
      execution_id: cp.executionId,
      step_key: wait.stepKey,
      tenant_id: cp.tenantId,
      event_name: wait.eventName,
      match: wait.match ?? null,
      expires_at: iso(wait.expiresAt),
    })),
  );
  return [JSON.stringify(executions), JSON.stringify(steps), JSON.stringify(events), JSON.stringify(waits)];
}

export interface CheckpointWriterDeps {
  queryable: Queryable;
  publisher: EventPublisher;
  logger: Logger;
  leaseSeconds: number;
  /** Told after a checkpoint that registered event waits commits: their lookbacks await a dispatcher. */
  dispatchWakeups?: Wakeups;
  /** Told after a checkpoint that finished a child run commits: its parent is runnable again. */
  workWakeups?: Wakeups;
  /** Told after a checkpoint that ended a run commits (flow control hands its slots on). */
  slotFreed?: (slot: FreedSlot) => void;
  /** Told of every group-committed statement (metrics). */
  observer?: Pick<EngineObserver, 'checkpointCommitted'>;
  /** Upper bound of checkpoints per statement. */
  maxBatch?: number;
  /**
   * Statements in progress at once. More than one lets a batch execute while another waits for its
   * WAL flush; batches still form while all are busy.
   */
  maxConcurrentStatements?: number;
}

export interface CheckpointWriter {
  /** Commits the checkpoint (grouped with others' into one statement); LeaseLostError when fenced out. */
  write(checkpoint: Checkpoint): Promise<CheckpointResult>;
  /** Writes inside the caller's transaction (a local-effect step); publish after that commits. */
  writeInTransaction(queryable: Queryable, checkpoint: Checkpoint): Promise<CheckpointResult>;
  /** Publishes a committed checkpoint's events. */
  publish(checkpoint: Checkpoint, result: CheckpointResult): void;
  /** Resolves when nothing is queued or being written. */
  drain(): Promise<void>;
}

/**
 * Checkpoints are group-committed (see group-commit.ts): many executions' steps in one statement and one
 * WAL flush. Each execution has at most one checkpoint in flight (the executor serialises its own), so
 * concurrent statements never reorder one execution's events.
 */
export function createCheckpointWriter(deps: CheckpointWriterDeps): CheckpointWriter {
  async function execute(queryable: Queryable, batch: readonly Checkpoint[]): Promise<Map<string, CheckpointResult>> {
    const rows = await queryable.query<CheckpointRow>(CHECKPOINT, checkpointParams(batch, deps.leaseSeconds), 'switchyard_checkpoint');
    return new Map(
      rows.map((row) => {
        const freed = freedSlot(row);
        return [row.id, { lastEventSeq: Number(row.last_event_seq), signalSeq: Number(row.signal_seq), parentSignalled: row.parents_signalled > 0, ...(freed ? { freed } : {}) }];
      }),
    );
  }

  function publish(checkpoint: Checkpoint, result: CheckpointResult): void {
    if (checkpoint.waits.length > 0) deps.dispatchWakeups?.wake();
    if (result.parentSignalled) deps.workWakeups?.wake();
    if (result.freed) deps.slotFreed?.(result.freed);
    const first = result.lastEventSeq - checkpoint.events.length + 1;
    const at = new Date().toISOString();
    const messages = checkpoint.events.map(
      (event, index): ExecutionEventMessage => ({
        executionId: checkpoint.executionId,
        tenantId: checkpoint.tenantId,
        seq: first + index,
        type: event.type,
        stepKey: event.stepKey ?? null,
        payload: event.payload,
        at,
      }),
    );
    publishExecutionEvents(deps.publisher, deps.logger, messages);
  }

  const statements = createGroupCommit<Checkpoint, CheckpointResult>({
    maxBatch: deps.maxBatch ?? 32,
    maxConcurrent: deps.maxConcurrentStatements ?? 2,
    async execute(batch) {
      const sent = performance.now();
      const results = await execute(deps.queryable, batch);
      deps.observer?.checkpointCommitted({ checkpoints: batch.length, seconds: (performance.now() - sent) / 1000 });
      return batch.map((checkpoint) => {
        const result = results.get(checkpoint.executionId);
        if (!result) return new LeaseLostError(checkpoint.executionId);
        publish(checkpoint, result);
        return result;
      });
    },
  });

  return {
    write: (checkpoint) => statements.submit(checkpoint),
    async writeInTransaction(queryable, checkpoint) {
      const result = (await execute(queryable, [checkpoint])).get(checkpoint.executionId);
      if (!result) throw new LeaseLostError(checkpoint.executionId);
      return result;
    },
    publish,
    drain: () => statements.drain(),
  };
}
