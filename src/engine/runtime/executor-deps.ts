import type { JsonObject } from '../../entities/json.js';
import type { Logger } from '../../logger.js';
import type { ServiceRegistry } from '../../services/registry.js';
import type { WorkflowDefinition } from '../definition/step-types.js';
import type { Clock, EngineObserver, RunTracer } from '../ports.js';
import type { Queryable } from '../../infra/queryable.js';
import type { FlowControl } from '../flow-control.js';
import type { ApprovalDesk } from '../approval-desk.js';
import type { ServiceCallStore } from '../store/service-calls.js';
import type { CheckpointWriter } from './checkpoint-writer.js';

/** What the executor runs with, and the leased execution row it starts from. */

export interface ExecutorDeps {
  db: Queryable;
  /** The database side of service calls: EntityManagers, transactions shared with a checkpoint, lineage. */
  serviceCalls: ServiceCallStore;
  writer: CheckpointWriter;
  services: ServiceRegistry;
  definitions: { load(workflowId: string, version: number): Promise<WorkflowDefinition>; nameOf(workflowId: string): Promise<string> };
  /** Told of runs and steps starting and ending (metrics). */
  observer: EngineObserver;
  /** Spans of runs and steps; absent when tracing is off. */
  tracer?: RunTracer;
  /** Starts a child run, idempotently per parent step and generation; returns its id. */
  startChild(args: {
    tenantId: string;
    workflow: string;
    version?: number | undefined;
    input: JsonObject;
    parentExecutionId: string;
    parentStepKey: string;
    generation: number;
  }): Promise<string>;
  /** Approval steps' requests. */
  approvals: Pick<ApprovalDesk, 'load' | 'open' | 'expire'>;
  /** Flow control's sweep, run by the worker with its recovery scan. */
  flow?: Pick<FlowControl, 'sweep'>;
  clock: Clock;
  logger: Logger;
  workerId: string;
  leaseSeconds: number;
  /** Shorter waits (retry backoff, timers) are slept through holding the lease; longer ones park the run. */
  inProcessWaitMs: number;
  /** The limit of one attempt of a service call without its own `timeoutSeconds` (0: none); see attemptTimeoutSeconds. */
  defaultStepTimeoutSeconds: number;
  /**
   * Aborted when this worker is shutting down: runs start no new step, let the steps in flight end,
   * and hand their execution back (HAND_BACK) so that another worker goes on with it at once.
   */
  shutdown?: AbortSignal;
  /**
   * Aborted when a shutting-down worker runs out of time: the steps in flight are abandoned (a local
   * step's transaction rolls back, nothing of theirs is recorded) and the run is handed back as it was.
   */
  preempt?: AbortSignal;
  /**
   * This worker released an execution that becomes runnable at `at`: a timer it parked on, or now when
   * handed back. The worker claims it then (or wakes the others); any worker's poll would find it too.
   */
  released?: (at: Date) => void;
  /** Called at the named points of a step's life; crash tests kill the process there. No-op otherwise. */
  probe?: (point: ProbePoint, where: { executionId: string; step: string }) => void;
}

/**
 * Where a worker can die that matters to the guarantees: before a step runs, inside the transaction
 * of a local-effect step (effects written, not committed), after a checkpoint committed but before
 * its events were published.
 */
export type ProbePoint = 'before-step' | 'in-transaction' | 'after-commit';

export type { LeasedExecution } from '../store/read-rows.js';
