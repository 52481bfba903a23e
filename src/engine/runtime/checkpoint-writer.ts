import type { EngineObserver } from '../ports.js';
import type { Wakeups } from '../wakeups.js';
import type { Logger } from '../../logger.js';
import type { EventPublisher } from '../ports.js';
import type { Queryable } from '../../infra/queryable.js';
import { writeCheckpoints, type Checkpoint, type CheckpointResult, type FreedSlot } from '../store/checkpoints.js';
import { publishExecutionEvents } from '../execution-feed.js';
import type { ExecutionEventMessage } from '../topics.js';
import { LeaseLostError } from './errors.js';
import { createGroupCommit } from './group-commit.js';

// The checkpoint's data and statement are the store's (store/checkpoints.ts); this is when and how it is written.
export type { Checkpoint, CheckpointResult, EventRecord, FreedSlot, WaitRecord } from '../store/checkpoints.js';

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
  function publish(checkpoint: Checkpoint, result: CheckpointResult): void {
    if (checkpoint.waits.length > 0) deps.dispatchWakeups?.wake();
    if (result.parentSignalled) deps.workWakeups?.wake();
    if (result.freed) deps.slotFreed?.(result.freed);
    const first = result.lastEventSeq - checkpoint.events.length + 1;
    const at = new Date().toISOString();
    const messages = checkpoint.events.map((event, index): ExecutionEventMessage => ({
      executionId: checkpoint.executionId,
      tenantId: checkpoint.tenantId,
      seq: first + index,
      type: event.type,
      stepKey: event.stepKey ?? null,
      payload: event.payload,
      at,
    }));
    publishExecutionEvents(deps.publisher, deps.logger, messages);
  }

  const statements = createGroupCommit<Checkpoint, CheckpointResult>({
    maxBatch: deps.maxBatch ?? 32,
    maxConcurrent: deps.maxConcurrentStatements ?? 2,
    async execute(batch) {
      const sent = performance.now();
      const results = await writeCheckpoints(deps.queryable, batch, deps.leaseSeconds);
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
      const result = (await writeCheckpoints(queryable, [checkpoint], deps.leaseSeconds)).get(checkpoint.executionId);
      if (!result) throw new LeaseLostError(checkpoint.executionId);
      return result;
    },
    publish,
    drain: () => statements.drain(),
  };
}
