import type { JsonObject } from '../entities/json.js';
import type { TriggerType } from '../entities/statuses.js';
import { AppError } from '../errors.js';
import type { Logger } from '../logger.js';
import { assertContextMatches } from './definition/parse.js';
import { assertNever } from './definition/step-types.js';
import type { Definitions } from './definitions.js';
import { runOrigin } from './run-origin.js';
import type { Clock, EventPublisher, RunTracer, InOperation, OperationFacts, OperationOptions } from './ports.js';
import type { LocalSlot, Worker } from './runtime/worker.js';
import { findWorkflow, type WorkflowPointer } from './store/execution-store.js';
import {
  insertExecution,
  insertRunnableExecution,
  insertRunnableExecutions,
  type RunnableInsert,
  type RunnableStart,
} from './store/execution-inserts.js';
import { createGroupCommit } from './runtime/group-commit.js';
import type { Queryable } from '../infra/queryable.js';
import { publishExecutionEvents } from './execution-feed.js';
import type { ExecutionEventMessage } from './topics.js';
import { priorityCheck } from './definition/concurrency.js';
import type { FlowControl } from './flow-control.js';
import type { PendingAdmission } from './runtime/admission.js';
import { randomUUID } from 'node:crypto';

export interface StartExecutionInput {
  tenantId: string;
  workflow: string;
  /** Default (undefined): the workflow's current version. */
  version?: number | undefined;
  context?: JsonObject;
  /** The same key (per tenant) always answers the same execution. */
  idempotencyKey?: string;
  triggerType?: TriggerType;
  triggerSource?: string;
  /** The API request that asked for the run: kept with it, for its log lines. */
  requestId?: string;
  /** The trace to join instead of the caller's (an event's recorder's, for the runs the event starts). */
  traceParent?: string;
  /** Among runs queued by a concurrency limit, a higher priority starts first (default 0; -1000 to 1000). */
  priority?: number;
}

/** A start from inside the engine may name the parent run and step (a sub-workflow). */
export type StartRequest = StartExecutionInput & { parentExecutionId?: string; parentStepKey?: string };

export interface StartPath {
  /** With `inTransaction`: the run is recorded in one transaction with the caller's statement, and runs once that committed. */
  start(input: StartRequest, options?: OperationOptions): Promise<{ executionId: string; created: boolean }>;
  publishCreated(tenantId: string, executionId: string, version: number): void;
  /** An execution-level event committed outside a checkpoint: to the run's watchers and the tenant's dashboards. */
  publishExecutionEvent(tenantId: string, executionId: string, seq: number, type: string, payload: JsonObject): void;
}

/** A start recorded (committed or not yet): what it made, and what follows its commit or its rollback. */
interface Recorded {
  executionId: string;
  created: boolean;
  facts: OperationFacts;
  /** Once committed: announce the run, run it here or wake the workers. */
  committed(): void;
  /** Rolled back: give the worker's slot back. */
  undone(): void;
}

/**
 * Starting a run: the workflow looked up (active, its version), the context checked against its input
 * schema, the execution recorded — leased to this process's worker when it has room (it runs at once),
 * else due for any worker (woken after the commit).
 */
export function createStartPath(deps: {
  db: Queryable;
  /** `work` in one transaction on one connection of the engine's pool. */
  inTransaction: <T>(work: (db: Queryable) => Promise<T>) => Promise<T>;
  config: { leaseSeconds: number; runStartsLocally: boolean };
  definitions: Definitions;
  publisher: EventPublisher;
  logger: Logger;
  clock: Clock;
  localWorker: () => Worker | undefined;
  wakeWorkers: () => void;
  /** Traced: the caller's trace context is stored with the run. */
  tracer?: RunTracer;
  flow: FlowControl;
}): StartPath {
  const { db, config, definitions, publisher, logger, clock, wakeWorkers } = deps;

  // Workflow lookups: the runnable insert itself checks the version is still current, so a stale entry
  // costs a retry, never a run on an outdated version (a queued run's start looks again).
  const pointers = new Map<string, WorkflowPointer>();
  // Starts outside a caller's transaction that arrive while one is being recorded go together in the next
  // statement: one commit for many runs (runtime/group-commit.ts). One statement at a time: a second one
  // in flight halved the batches, and bench:engine measured more CPU per run and no faster starts.
  const runnableStarts = createGroupCommit<RunnableStart, RunnableInsert>({
    maxBatch: 64,
    maxConcurrent: 1,
    execute: (starts) => insertRunnableExecutions(db, starts),
  });

  async function start(input: StartRequest, options: OperationOptions = {}): Promise<{ executionId: string; created: boolean }> {
    const hook = options.inTransaction;
    // Alone, the insert is one statement (its own transaction); with the caller's statement, one transaction for both.
    const recorded = hook ? await recordWith(hook, input) : await record(db, input, false);
    recorded.committed();
    return { executionId: recorded.executionId, created: recorded.created };
  }

  async function recordWith(hook: InOperation, input: StartRequest): Promise<Recorded> {
    const undo: Array<() => void> = [];
    try {
      return await deps.inTransaction(async (tx) => {
        const made = await record(tx, input, true);
        undo.push(made.undone);
        await hook(tx, made.facts);
        return made;
      });
    } catch (error) {
      // Rolled back (or its commit failed): nothing was started.
      for (const undone of undo) undone();
      throw error;
    }
  }

  /** `inTx`: `q` is a transaction (a limited run's admission holds its lock until the run is recorded). */
  async function record(q: Queryable, input: StartRequest, inTx: boolean, fresh = false): Promise<Recorded> {
    const pointerKey = `${input.tenantId}:${input.workflow}`;
    const slot = config.runStartsLocally ? deps.localWorker()?.reserve() : undefined;
    // A cached refusal is never trusted: the workflow may have been reactivated since (by any process).
    const hint = fresh ? undefined : pointers.get(pointerKey);
    const cached = hint?.active ? hint : undefined;
    try {
      const workflow = cached ?? (await findWorkflow(q, input.tenantId, input.workflow));
      if (!workflow) throw new AppError('NOT_FOUND', `no workflow named "${input.workflow}"`);
      pointers.set(pointerKey, workflow);
      return await recordVersion(q, input, workflow, slot, { inTx, fresh, cached: cached !== undefined });
    } catch (error) {
      slot?.release();
      throw error;
    }
  }

  async function recordVersion(
    q: Queryable,
    input: StartRequest,
    workflow: WorkflowPointer,
    localSlot: LocalSlot | undefined,
    { inTx, fresh, cached }: { inTx: boolean; fresh: boolean; cached: boolean },
  ): Promise<Recorded> {
    if (!workflow.active) throw new AppError('INVALID_STATE', `workflow "${input.workflow}" is deactivated`);
    const priority = input.priority ?? 0;
    if (priorityCheck(priority) !== undefined)
      throw new AppError('BAD_USER_INPUT', `priority ${priorityCheck(priority)}`, { details: { priority } });
    const version = input.version ?? workflow.currentVersion;
    const parsed = await definitions.load(workflow.id, version, q);
    const context = input.context ?? {};
    assertContextMatches(parsed.input, context, input.workflow);
    const claim = await deps.flow.slotOf(q, {
      tenantId: input.tenantId,
      workflowId: workflow.id,
      definition: parsed,
      context,
      topLevel: !input.parentExecutionId,
    });
    const limited = deps.flow.limited(claim);
    if (limited && !inTx) return deps.inTransaction((tx) => recordVersion(tx, input, workflow, localSlot, { inTx: true, fresh, cached }));
    const queued = limited && !(await deps.flow.admit(q, claim));
    // A queued run holds no worker: the local slot goes back.
    if (queued) localSlot?.release();
    // Only the runnable insert checks that a cached version is still current: a queued run looks again.
    if (queued && cached) return record(q, input, inTx, true);
    const slot = queued ? undefined : localSlot;
    const execution = {
      tenantId: input.tenantId,
      workflowId: workflow.id,
      version,
      context,
      triggerType: input.triggerType ?? 'api',
      ...(input.triggerSource ? { triggerSource: input.triggerSource } : {}),
      ...(input.idempotencyKey ? { idempotencyKey: input.idempotencyKey } : {}),
      ...(input.parentExecutionId ? { parentExecutionId: input.parentExecutionId, parentStepKey: input.parentStepKey } : {}),
      ...runOrigin(input, deps.tracer),
      priority,
      ...(claim.group ? { concurrency: { key: claim.group.key, limit: claim.group.limit } } : {}),
      queued,
    };
    const made = (executionId: string, created: boolean, committed: () => void, undone: () => void = () => undefined): Recorded => ({
      executionId,
      created,
      facts: { executionId, workflowId: workflow.id, version },
      committed,
      undone,
    });
    // Once a new run is committed: its watchers hear of it, and the workers when it is due.
    const announce = (executionId: string) => () => {
      publishCreated(input.tenantId, executionId, version);
      if (queued) publishExecutionEvent(input.tenantId, executionId, 2, 'execution.queued', { status: 'queued' });
      else wakeWorkers();
    };
    const localWorker = deps.localWorker();
    if (!queued) {
      const lease = slot && localWorker ? { owner: localWorker.workerId, seconds: config.leaseSeconds } : undefined;
      // Group-committed, a run leased here goes on while its insert commits (runtime/admission.ts).
      const ahead = !inTx && slot && lease ? runAhead(slot, execution) : undefined;
      const start: RunnableStart = {
        execution,
        versionMustBeCurrent: input.version === undefined,
        ...(lease ? { lease } : {}),
        ...(ahead ? { id: ahead.executionId, rider: ahead } : {}),
      };
      let inserted: RunnableInsert;
      try {
        inserted = inTx ? await insertRunnableExecution(q, start) : await runnableStarts.submit(start);
      } catch (error) {
        ahead?.refuse();
        throw error;
      }
      if (inserted.kind !== 'leased') ahead?.refuse();
      switch (inserted.kind) {
        case 'stale-version':
          slot?.release();
          if (fresh) throw new Error(`workflow ${input.workflow} changed version twice during one start`);
          return record(q, input, inTx, true);
        case 'existing':
          slot?.release();
          return made(inserted.id, false, () => undefined);
        case 'suspended':
          // Refused, or recorded held (a child), by the insert below.
          slot?.release();
          break;
        case 'due':
          slot?.release();
          return made(inserted.id, true, announce(inserted.id));
        case 'leased': {
          const row = inserted.row;
          if (!slot) throw new Error(`execution ${row.id} was leased to this worker without a slot`);
          return made(
            row.id,
            true,
            () => {
              // Both events of the insert in one publish per topic, as a checkpoint's are.
              publishExecutionEvents(publisher, logger, [
                createdEvent(input.tenantId, row.id, version),
                executionEvent(input.tenantId, row.id, 2, 'execution.started', { status: 'running' }),
              ]);
              // Its first checkpoint's events, if one rode along, follow the start's.
              if (ahead) ahead.admit();
              else slot.run(row);
            },
            () => slot.release(),
          );
        }
        default:
          return assertNever(inserted, 'runnable insert');
      }
    }
    // In a suspended tenant: TENANT_SUSPENDED, or a child recorded held, which a worker parks before its first step.
    const { id, created } = await insertExecution(q, execution);
    return made(id, created, created ? announce(id) : () => undefined);
  }

  /** Starts the run in `slot` before its insert commits: the row the insert will record, leased here. */
  function runAhead(slot: LocalSlot, execution: RunnableStart['execution']): PendingAdmission {
    const now = clock.now();
    return slot.runAhead({
      id: randomUUID(),
      tenant_id: execution.tenantId,
      workflow_id: execution.workflowId,
      workflow_version: execution.version,
      status: 'running',
      previous_status: 'pending',
      context: execution.context,
      cancel_requested: false,
      pause_requested: false,
      last_event_seq: 2,
      signal_seq: 0,
      lease_epoch: 1,
      trigger_type: execution.triggerType,
      started_at: now,
      wake_at: now,
      trace_parent: execution.traceParent ?? null,
      request_id: execution.requestId ?? null,
    });
  }

  function executionEvent(tenantId: string, executionId: string, seq: number, type: string, payload: JsonObject): ExecutionEventMessage {
    return { executionId, tenantId, seq, type, stepKey: null, payload, at: clock.now().toISOString() };
  }

  const createdEvent = (tenantId: string, executionId: string, version: number) =>
    executionEvent(tenantId, executionId, 1, 'execution.created', { workflowVersion: version });

  function publishCreated(tenantId: string, executionId: string, version: number): void {
    publishExecutionEvents(publisher, logger, [createdEvent(tenantId, executionId, version)]);
  }

  /** An execution-level event committed outside a checkpoint: to the run's watchers and the tenant's dashboards. */
  function publishExecutionEvent(tenantId: string, executionId: string, seq: number, type: string, payload: JsonObject): void {
    publishExecutionEvents(publisher, logger, [executionEvent(tenantId, executionId, seq, type, payload)]);
  }

  return { start, publishCreated, publishExecutionEvent };
}
