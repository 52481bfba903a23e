import { randomUUID } from 'node:crypto';
import os from 'node:os';
import type { JsonObject, JsonValue } from '../entities/json.js';
import type { WorkflowDefinition } from './definition/step-types.js';
import { assertContextMatches } from './definition/input-schema.js';
import { createApprovalDesk, type ApprovalDesk } from './approval-desk.js';
import { containersIn, createDefinitions } from './definitions.js';
import { createEventDelivery } from './event-delivery.js';
import { createFlowControl } from './flow-control.js';
import { silentObserver, systemClock, type Clock, type OperationFacts, type OperationOptions } from './ports.js';
import { createCheckpointWriter } from './runtime/checkpoint-writer.js';
import type { ExecutorDeps } from './runtime/executor.js';
import { startWorker, type Worker, type WorkerOptions } from './runtime/worker.js';
import { createClaimPrimacy } from './store/claim-primacy.js';
import { createStartPath, type StartExecutionInput } from './start-path.js';
import { DEFAULT_ENGINE_CONFIG, type EngineConfig, type EngineDeps } from './engine-deps.js';
import {
  requestCancel,
  requestPause,
  rerunExecution,
  resume,
  retryExecution,
  runToPlan,
  type NewExecution,
} from './store/execution-store.js';
import { simulate, type Simulation } from './simulation/simulate.js';
import { lintDefinition, type Diagnostic } from './simulation/lint.js';
import { previewCommand, type CommandPreview, type PreviewRequest } from './command-preview.js';
import { poolQueryable, type Queryable } from '../infra/queryable.js';
import { createServiceCallStore } from './store/service-calls.js';
import { withTransaction } from './store/transactions.js';
import { createExecutionReads, type ExecutionReads } from './store/execution-reads.js';
import type { SaveWorkflowInput, WorkflowListFilter, WorkflowRecord } from './store/workflow-store.js';
import { wakeOnDomainEvents } from './store/domain-event-wakeups.js';
import { createEventDispatcher, type EventDispatcher, type EventDispatcherOptions } from './triggers/dispatcher.js';
import { createWakeups, DISPATCH_WAKEUP_TOPIC, WORK_WAKEUP_TOPIC } from './wakeups.js';
import { createWorkflowCatalog, type WorkflowCatalog } from './workflow-catalog.js';
import { createEventCatalog, type EventCatalog } from './triggers/event-catalog.js';
import { createScheduleCatalog, type ScheduleCatalog } from './triggers/schedule-catalog.js';
import { createScheduler, type Scheduler, type SchedulerOptions } from './triggers/scheduler.js';
import type { SystemSchedule, SystemScheduleRun } from './triggers/system-schedules.js';

export type {
  WorkflowRecord,
  SaveWorkflowInput,
  WorkflowListFilter,
  WorkflowDefinition,
  Worker,
  WorkerOptions,
  StartExecutionInput,
  WorkflowCatalog,
};
export type { InOperation, OperationFacts, OperationOptions } from './ports.js';
export type {
  ExecutionReads,
  ExecutionRecord,
  ExecutionSummaryRecord,
  ExecutionListField,
  ExecutionListRecord,
  ExecutionListFilter,
  StepKey,
  StepRecord,
  WorkflowVersionRecord,
  WorkflowStatsRecord,
  WorkflowPageFilter,
  TimeWindow,
  Page,
  PageRequest,
  EventPage,
  ProgressSnapshot,
  RecordRef,
  RecordTouchRecord,
} from './store/execution-reads.js';
export { isUuid, MAX_PAGE_SIZE, MAX_EVENT_PAGE_SIZE } from './store/execution-reads.js';
export * from './topics.js';
export { executionFeed, publishExecutionEvents, tenantExecutionsFeed } from './execution-feed.js';
export type { EventCatalog, EventRecord, EventDeliveryRecord, EventPage as DomainEventPage } from './triggers/event-catalog.js';
export type { ScheduleCatalog, ScheduleRecord, ScheduleRunRecord } from './triggers/schedule-catalog.js';
export type { EventDispatcher, EventDispatcherOptions, Scheduler, SchedulerOptions, SystemSchedule, SystemScheduleRun };
export { EXECUTION_COMMANDS, commandRefusal, type ExecutionCommand, type CommandFacts } from './commands.js';
export { failedStepOf } from './reset-plan.js';
export type { Simulation, SimulatedStep } from './simulation/simulate.js';
export { LINT_CODES, type Diagnostic, type LintCode } from './simulation/lint.js';
export {
  STEP_EFFECTS,
  STEP_FATES,
  type CommandPreview,
  type PreviewRequest,
  type StepEffect,
  type StepFate,
  type StepPreview,
} from './command-preview.js';
export { approvalsTopic, APPROVAL_CHANGES, MAX_APPROVAL_PAGE_SIZE } from './approval-desk.js';
export type { ApprovalDesk, ApprovalRecord, ApprovalDecisionRecord, ApprovalNotice, ApprovalChange, Approver } from './approval-desk.js';

export { DEFAULT_ENGINE_CONFIG, type EngineConfig, type EngineDeps } from './engine-deps.js';

/** The engine's public surface. */
export interface Engine {
  readonly workflows: WorkflowCatalog;
  /**
   * Records the run, due for a worker, in one statement; answers once it is durable. The operations
   * below take `options.inTransaction`: a caller's statement (the API's audit record) written in the
   * operation's own transaction, told what it did; the run is announced and woken only after that commit.
   */
  start(input: StartExecutionInput, options?: OperationOptions): Promise<{ executionId: string; created: boolean }>;
  cancel(tenantId: string, executionId: string, options?: OperationOptions): Promise<void>;
  pause(tenantId: string, executionId: string, options?: OperationOptions): Promise<void>;
  resume(tenantId: string, executionId: string, options?: OperationOptions): Promise<void>;
  retry(tenantId: string, executionId: string, fromStep?: string, options?: OperationOptions): Promise<void>;
  rerun(tenantId: string, executionId: string, fromStep: string, context?: JsonObject, options?: OperationOptions): Promise<string>;
  /** What `retry` or `rerun` would do to each step, decided by the same plan; refused as the command would be. Changes nothing. */
  preview(tenantId: string, executionId: string, request: PreviewRequest): Promise<CommandPreview>;
  /**
   * A dry run of a validated definition on `context`: the path, each step's parameters and output, lint
   * diagnostics. Calls leaving the process answer from `mocks` (see simulation/simulate.ts); nothing is
   * read, written or called.
   */
  simulate(input: {
    definition: WorkflowDefinition;
    workflow?: string;
    context: JsonObject;
    mocks: Readonly<Record<string, JsonValue>>;
  }): Promise<{ simulation: Simulation; diagnostics: Diagnostic[] }>;
  /** Approval steps' requests: people's decisions, the requests a person may decide. */
  readonly approvals: ApprovalDesk;
  /**
   * After a commit that suspended a tenant or lifted its suspension (auth/tenants.ts, which held or let
   * go its runs in that transaction): the workers park the held runs, or run those let go, now.
   */
  tenantSuspensionChanged(tenantId: string, suspended: boolean): void;
  /** After a commit that set or cleared a tenant's own concurrency limit: it applies at once here, and in the other processes as they hear of it (see flow-control.ts). */
  tenantConcurrencyLimitChanged(tenantId: string): void;
  /** Stops hearing the other processes (tenant limits' changes); workers, dispatchers and schedulers stop on their own. */
  close(): Promise<void>;
  /** Resumes the waiting steps this event matches; returns how many. The same event id resolves a wait once. */
  deliverEvent(event: { tenantId: string; name: string; payload: JsonObject; id: string }): Promise<number>;
  /** Starts taking work in this process. */
  startWorker(options: WorkerOptions): Promise<Worker>;
  /** The parsed definition of a workflow version (cached: versions never change). */
  definition(workflowId: string, version: number): Promise<WorkflowDefinition>;
  /** Reads of executions, steps, event logs, workflows and their statistics, confined to one tenant. */
  reads(tenantId: string): ExecutionReads;
  /** Domain events: publishing (integrations), reading, and what each started or resumed. */
  readonly events: EventCatalog;
  /** Workflows' cron schedules: listed with their next ticks, paused, resumed. */
  readonly schedules: ScheduleCatalog;
  /** An event dispatcher (`start()` it): delivers domain events to workflow triggers and waiting steps. */
  eventDispatcher(options?: Partial<EventDispatcherOptions>): EventDispatcher;
  /** A scheduler (`start()` it): fires cron schedules and the built-in ones. `clock`: simulated time in tests. */
  scheduler(options?: Partial<SchedulerOptions> & { clock?: Clock; systemSchedules?: readonly SystemSchedule[] }): Scheduler;
}

export function createEngine(deps: EngineDeps): Engine {
  const { orm, publisher, logger, services } = deps;
  const config: EngineConfig = { ...DEFAULT_ENGINE_CONFIG, ...deps.config };
  const clock = deps.clock ?? systemClock;
  const db = poolQueryable(deps.pool);
  // Commits that leave work for the event dispatchers or the workers say so after committing (no NOTIFY: see wakeups.ts).
  const dispatchWakeups = createWakeups(publisher, DISPATCH_WAKEUP_TOPIC, logger);
  wakeOnDomainEvents(orm, dispatchWakeups);
  const workWakeups = createWakeups(publisher, WORK_WAKEUP_TOPIC, logger);
  const observer = deps.observer ?? silentObserver;
  const inTransaction = <T>(work: (tx: Queryable) => Promise<T>): Promise<T> => withTransaction(deps.pool, work);
  const flow = createFlowControl({ tenantLimit: config.tenantConcurrencyLimit, inTransaction, db, wakeWorkers, publisher, logger });
  // Another process's change of a tenant's limit applies here as soon as it is told.
  const tenantLimitNews = deps.wakeups ? flow.listen(deps.wakeups) : undefined;
  const writer = createCheckpointWriter({
    queryable: db,
    publisher,
    logger,
    leaseSeconds: config.leaseSeconds,
    dispatchWakeups,
    workWakeups,
    observer,
    slotFreed: (slot) => flow.freed(slot),
  });

  const definitions = createDefinitions(db);
  let localWorker: Worker | undefined;
  let workersStarted = 0;
  /** An execution became runnable (committed): the workers claim it. */
  function wakeWorkers(): void {
    workWakeups.wake();
    // Without a pub/sub to hear it through, this process's own worker is told directly.
    if (!deps.wakeups) void localWorker?.wake();
  }
  /** An operation's writes, and the caller's statement after them, in one transaction. */
  const operation = <T extends OperationFacts>(options: OperationOptions | undefined, work: (tx: Queryable) => Promise<T>): Promise<T> =>
    inTransaction(async (tx) => {
      const done = await work(tx);
      await options?.inTransaction?.(tx, done);
      return done;
    });
  /** A one-statement command: alone (autocommit), or in a transaction with the caller's statement. */
  const command = <T extends OperationFacts>(options: OperationOptions | undefined, work: (q: Queryable) => Promise<T>): Promise<T> =>
    options?.inTransaction ? operation(options, work) : work(db);
  const { start, publishCreated, publishExecutionEvent } = createStartPath({
    db,
    inTransaction,
    config,
    definitions,
    publisher,
    logger,
    clock,
    localWorker: () => localWorker,
    wakeWorkers,
    ...(deps.tracer ? { tracer: deps.tracer } : {}),
    flow,
  });
  const deliverEvent = createEventDelivery({ db, logger, wakeWorkers });
  const approvals = createApprovalDesk({ db, inTransaction, publisher, logger, clock, wakeWorkers });
  const workflows = createWorkflowCatalog({ db, orm, services, publisher, logger });

  const executor: ExecutorDeps = {
    db,
    serviceCalls: createServiceCallStore({ orm, services, clock }),
    writer,
    services,
    definitions,
    observer,
    ...(deps.tracer ? { tracer: deps.tracer } : {}),
    startChild: async (args) => {
      const { executionId } = await start({
        tenantId: args.tenantId,
        workflow: args.workflow,
        version: args.version,
        context: args.input,
        // The first child's key is the step's alone (as before generations existed); each later one its own.
        idempotencyKey: `${args.parentExecutionId}:${args.parentStepKey}${args.generation > 0 ? `:${args.generation}` : ''}`,
        triggerType: 'sub_workflow',
        triggerSource: args.parentExecutionId,
        parentExecutionId: args.parentExecutionId,
        parentStepKey: args.parentStepKey,
      });
      return executionId;
    },
    approvals,
    flow,
    clock,
    logger,
    workerId: config.workerId ?? `${os.hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`,
    leaseSeconds: config.leaseSeconds,
    inProcessWaitMs: config.inProcessWaitMs,
    defaultStepTimeoutSeconds: config.defaultStepTimeoutSeconds,
    ...(deps.probe ? { probe: deps.probe } : {}),
  };

  return {
    workflows,
    approvals,
    start: (input, options) => start(input, options),
    async cancel(tenantId, id, options) {
      const cancelled = await command(options, (q) => requestCancel(q, tenantId, id));
      // Runs cancelled while queued were ended here, not by a runner: their watchers are told here.
      for (const ended of cancelled.cancelledQueued)
        publishExecutionEvent(tenantId, ended.id, ended.seq, 'execution.cancelled', { status: 'cancelled' });
      wakeWorkers();
    },
    async pause(tenantId, id, options) {
      await command(options, (q) => requestPause(q, tenantId, id));
      wakeWorkers();
    },
    async resume(tenantId, id, options) {
      const resumed = await command(options, (q) => resume(q, tenantId, id));
      // A queued run no longer paused may take a free slot.
      if (resumed.queued)
        flow.queueChanged(
          tenantId,
          resumed.queued.key !== null && resumed.queued.limit !== null
            ? { workflowId: resumed.workflowId, key: resumed.queued.key }
            : undefined,
        );
      wakeWorkers();
    },
    async retry(tenantId, id, fromStep, options) {
      const containersOf = await definitions.containersOf(id, tenantId);
      const retried = await operation(options, (tx) => retryExecution(tx, tenantId, id, fromStep, containersOf, flow.admit));
      publishExecutionEvent(tenantId, id, retried.seq, 'execution.retried', {
        fromStep: retried.fromStep,
        reset: retried.reset,
        ...(retried.queued ? { status: 'queued' } : {}),
      });
      if (!retried.queued) wakeWorkers();
    },
    async rerun(tenantId, id, fromStep, context = {}, options) {
      const containersOf = await definitions.containersOf(id, tenantId);
      const place = async (tx: Queryable, execution: NewExecution): Promise<NewExecution> => {
        const definition = await definitions.load(execution.workflowId, execution.version, tx);
        const slot = await flow.slotOf(tx, {
          tenantId,
          workflowId: execution.workflowId,
          definition,
          context: execution.context,
          topLevel: true,
        });
        const queued = flow.limited(slot) && !(await flow.admit(tx, slot));
        return { ...execution, ...(slot.group ? { concurrency: { key: slot.group.key, limit: slot.group.limit } } : {}), queued };
      };
      const rerun = await operation(options, (tx) => rerunExecution(tx, tenantId, id, fromStep, context, containersOf, place));
      publishCreated(tenantId, rerun.executionId, rerun.version);
      if (rerun.queued) publishExecutionEvent(tenantId, rerun.executionId, 2, 'execution.queued', { status: 'queued' });
      else wakeWorkers();
      return rerun.executionId;
    },
    async preview(tenantId, id, request) {
      const run = await runToPlan(db, tenantId, id, false);
      const definition = await definitions.load(run.workflow_id, run.workflow_version);
      return previewCommand(id, run, definition, request, containersIn(definition), services);
    },
    async simulate(input) {
      // Refused as executeWorkflow would refuse it: no run would start, so there is no path to show.
      assertContextMatches(input.definition.input, input.context, input.workflow ?? 'the workflow');
      const simulation = await simulate({ ...input, services, now: clock.now() });
      return { simulation, diagnostics: [...simulation.diagnostics, ...(await lintDefinition(input.definition, services))] };
    },
    tenantConcurrencyLimitChanged: (tenantId) => flow.tenantLimitChanged(tenantId),
    async close() {
      await (
        await tenantLimitNews
      )?.();
    },
    tenantSuspensionChanged(tenantId, suspended) {
      wakeWorkers();
      // Lifted: its queued runs are no longer held back by the suspension.
      if (!suspended) flow.queueChanged(tenantId, undefined);
    },
    deliverEvent,
    async startWorker(options) {
      workersStarted += 1;
      const worker = await startWorker({
        // A second worker in one process (tests) holds its leases under a name of its own.
        executor: workersStarted === 1 ? executor : { ...executor, workerId: `${executor.workerId}#${workersStarted}` },
        db,
        logger,
        options,
        wakeOthers: workWakeups,
        primacy: createClaimPrimacy(deps.pool, logger),
        ...(deps.wakeups ? { wakeups: deps.wakeups } : {}),
      });
      localWorker ??= worker;
      return {
        ...worker,
        async stop(stopOptions) {
          if (localWorker === worker) localWorker = undefined;
          await worker.stop(stopOptions);
        },
      };
    },
    definition: definitions.load,
    reads: (tenantId) => createExecutionReads(db, tenantId),
    events: createEventCatalog(),
    schedules: createScheduleCatalog({ clock, logger }),
    eventDispatcher(options) {
      return createEventDispatcher({
        pool: deps.pool,
        engine: { start: (input) => start(input), deliverEvent },
        wakeWorkers,
        observer,
        logger,
        clock,
        ...(deps.tracer ? { tracer: deps.tracer } : {}),
        ...(deps.wakeups ? { wakeups: deps.wakeups } : {}),
        ...(options ? { options } : {}),
      });
    },
    scheduler({ clock: schedulerClock, systemSchedules, ...options } = {}) {
      return createScheduler({
        pool: deps.pool,
        engine: { start: (input) => start(input) },
        logger,
        clock: schedulerClock ?? clock,
        observer,
        options,
        systemSchedules: systemSchedules ?? deps.systemSchedules ?? [],
        ...(deps.tracer ? { tracer: deps.tracer } : {}),
      });
    },
  };
}
