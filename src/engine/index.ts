import { randomUUID } from 'node:crypto';
import os from 'node:os';
import type { EntityManager, MikroORM } from '@mikro-orm/postgresql';
import type pg from 'pg';
import type { JsonObject, JsonValue } from '../entities/json.js';
import type { TriggerType } from '../entities/statuses.js';
import { AppError } from '../errors.js';
import type { Logger } from '../logger.js';
import type { ServiceRegistry } from '../services/registry.js';
import { parseWorkflowDefinition, validateWorkflowInput } from './definition/parse.js';
import type { StepDefinition, WorkflowDefinition } from './definition/step-types.js';
import { waitAccepts } from './triggers/wait-match.js';
import { systemClock, type Clock, type EventPublisher } from './ports.js';
import { createCheckpointWriter } from './runtime/checkpoint-writer.js';
import { allSteps, childSequences } from './runtime/decider.js';
import type { ExecutorDeps } from './runtime/executor.js';
import { startWorker, type LocalSlot, type Worker, type WorkerOptions } from './runtime/worker.js';
import {
  findWorkflow,
  insertExecution,
  insertLeasedExecution,
  loadDefinition,
  requestCancel,
  requestPause,
  rerunExecution,
  resume,
  retryExecution,
  signal,
  type WorkflowPointer,
} from './store/execution-store.js';
import { poolQueryable } from './store/queryable.js';
import { createExecutionReads, type ExecutionReads } from './store/execution-reads.js';
import {
  setWorkflowActive,
  findWorkflowByName,
  listWorkflows,
  saveWorkflow,
  type SaveWorkflowInput,
  type WorkflowListFilter,
  type WorkflowRecord,
} from './store/workflow-store.js';
import { TOPICS, executionTopic, tenantExecutionsTopic, type ExecutionEventMessage, type WorkflowChangeKind, type WorkflowChangedEvent } from './topics.js';
import { DomainEventCommitSubscriber } from './triggers/dispatch-wakeups.js';
import { createEventDispatcher, type EventDispatcher, type EventDispatcherOptions } from './triggers/dispatcher.js';
import { createWakeups, DISPATCH_WAKEUP_TOPIC, WORK_WAKEUP_TOPIC, type WakeupSource } from './wakeups.js';
import { createEventCatalog, type EventCatalog } from './triggers/event-catalog.js';
import { createScheduleCatalog, type ScheduleCatalog } from './triggers/schedule-catalog.js';
import { createScheduler, type Scheduler, type SchedulerOptions } from './triggers/scheduler.js';
import type { SystemSchedule } from './triggers/system-schedules.js';

export type { WorkflowRecord, SaveWorkflowInput, WorkflowListFilter, WorkflowDefinition, Worker, WorkerOptions };
export type {
  ExecutionReads,
  ExecutionRecord,
  ExecutionListFilter,
  StepRecord,
  WorkflowVersionRecord,
  WorkflowStatsRecord,
  WorkflowPageFilter,
  TimeWindow,
  Page,
  PageRequest,
  EventPage,
  ProgressSnapshot,
} from './store/execution-reads.js';
export { isUuid, MAX_PAGE_SIZE, MAX_EVENT_PAGE_SIZE } from './store/execution-reads.js';
export * from './topics.js';
export type { EventCatalog, EventRecord, EventDeliveryRecord, EventPage as DomainEventPage } from './triggers/event-catalog.js';
export type { ScheduleCatalog, ScheduleRecord, ScheduleRunRecord } from './triggers/schedule-catalog.js';
export type { EventDispatcher, EventDispatcherOptions, Scheduler, SchedulerOptions, SystemSchedule };

export interface EngineConfig {
  /** A worker that stops renewing its lease (crashed, partitioned) loses its executions after this. */
  leaseSeconds: number;
  /** Waits shorter than this are slept through by the worker; longer ones release it. */
  inProcessWaitMs: number;
  /**
   * Runs started in a process whose worker has room are inserted already leased to it and run at once,
   * skipping the queue (should the process die, its lease expires and recovery queues them). Off:
   * every start goes through the job queue.
   */
  runStartsLocally: boolean;
  workerId?: string;
}

export const DEFAULT_ENGINE_CONFIG: EngineConfig = { leaseSeconds: 20, inProcessWaitMs: 2_000, runStartsLocally: true };

export interface EngineDeps {
  orm: MikroORM;
  /** Raw connections for the runtime's hot path (MikroORM keeps its own pool for domain work). */
  pool: pg.Pool;
  publisher: EventPublisher;
  /** Where event dispatchers and workers hear commits' wake-ups (the process's pub/sub); without it they only poll. */
  wakeups?: WakeupSource;
  services: ServiceRegistry;
  logger: Logger;
  clock?: Clock;
  config?: Partial<EngineConfig>;
  /** Fault injection for crash tests (see ProbePoint). */
  probe?: ExecutorDeps['probe'];
}

export interface StartExecutionInput {
  tenantId: string;
  workflow: string;
  /** Default: the workflow's current version. */
  version?: number;
  context?: JsonObject;
  /** The same key (per tenant) always answers the same execution. */
  idempotencyKey?: string;
  triggerType?: TriggerType;
  triggerSource?: string;
}

export interface WorkflowCatalog {
  list(em: EntityManager, filter?: WorkflowListFilter): Promise<WorkflowRecord[]>;
  findByName(em: EntityManager, name: string, tenantId?: string): Promise<WorkflowRecord | undefined>;
  /** Validates the definition (VALIDATION with every issue), then creates the workflow or a new version, then publishes. */
  save(input: SaveWorkflowInput): Promise<WorkflowRecord>;
  /** Validates without saving: the issues, each with its JSON path. */
  validate(tenantId: string, name: string, definition: unknown): Promise<Array<{ path: string; message: string }>>;
  /** Starts no new runs of it from now on (history kept, runs in progress go on); publishes the change. NOT_FOUND when unknown. */
  deactivate(tenantId: string, name: string): Promise<WorkflowRecord>;
  /** Starts new runs of a deactivated workflow again, in every process at once; publishes the change. NOT_FOUND when unknown. */
  activate(tenantId: string, name: string): Promise<WorkflowRecord>;
}

/** The engine's public surface. */
export interface Engine {
  readonly workflows: WorkflowCatalog;
  /** Records the run and queues it in one transaction; answers once it is durable. */
  start(input: StartExecutionInput): Promise<{ executionId: string; created: boolean }>;
  cancel(tenantId: string, executionId: string): Promise<void>;
  pause(tenantId: string, executionId: string): Promise<void>;
  resume(tenantId: string, executionId: string): Promise<void>;
  retry(tenantId: string, executionId: string, fromStep?: string): Promise<void>;
  rerun(tenantId: string, executionId: string, fromStep: string, context?: JsonObject): Promise<string>;
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
  orm.em.getEventManager().registerSubscriber(new DomainEventCommitSubscriber(dispatchWakeups));
  const workWakeups = createWakeups(publisher, WORK_WAKEUP_TOPIC, logger);
  const writer = createCheckpointWriter({ queryable: db, publisher, logger, leaseSeconds: config.leaseSeconds, dispatchWakeups, workWakeups });

  const definitions = new Map<string, Promise<WorkflowDefinition>>();
  function definition(workflowId: string, version: number): Promise<WorkflowDefinition> {
    const key = `${workflowId}:${version}`;
    let cached = definitions.get(key);
    if (!cached) {
      cached = loadDefinition(db, workflowId, version).then((raw) => {
        if (!raw) throw new AppError('NOT_FOUND', `workflow ${workflowId} has no version ${version}`);
        // Stored definitions were validated when saved.
        return raw as unknown as WorkflowDefinition;
      });
      cached.catch(() => definitions.delete(key));
      definitions.set(key, cached);
    }
    return cached;
  }

  async function containersOfIn(executionId: string, tenantId: string): Promise<(key: string) => string[]> {
    const [row] = await db.query<{ workflow_id: string; workflow_version: number }>(
      'select workflow_id, workflow_version from executions where id = $1 and tenant_id = $2',
      [executionId, tenantId],
    );
    if (!row) throw new AppError('NOT_FOUND', `no execution ${executionId}`);
    const parsed = await definition(row.workflow_id, row.workflow_version);
    const parents = new Map<string, string>();
    const index = (steps: readonly StepDefinition[], parent?: string) => {
      for (const step of steps) {
        if (parent) parents.set(step.name, parent);
        for (const sequence of childSequences(step)) index(sequence, step.name);
      }
    };
    index(parsed.steps);
    return (key) => {
      const chain: string[] = [];
      for (let parent = parents.get(key); parent; parent = parents.get(parent)) chain.push(parent);
      return chain;
    };
  }

  // Workflow lookups for starts that run here: the insert itself checks the version is still current,
  // so a stale entry costs a retry, never a run on an outdated version.
  const pointers = new Map<string, WorkflowPointer>();
  let localWorker: Worker | undefined;

  async function start(input: StartExecutionInput & { parentExecutionId?: string; parentStepKey?: string }, fresh = false): Promise<{ executionId: string; created: boolean }> {
    const pointerKey = `${input.tenantId}:${input.workflow}`;
    const slot = config.runStartsLocally ? localWorker?.reserve() : undefined;
    // A cached refusal is never trusted: the workflow may have been reactivated since (by any process).
    const hint = slot && !fresh ? pointers.get(pointerKey) : undefined;
    const cached = hint?.active ? hint : undefined;
    const workflow = cached ?? (await findWorkflow(db, input.tenantId, input.workflow));
    if (!workflow) {
      slot?.release();
      throw new AppError('NOT_FOUND', `no workflow named "${input.workflow}"`);
    }
    pointers.set(pointerKey, workflow);
    try {
      return await startVersion(input, workflow, slot, fresh);
    } catch (error) {
      slot?.release();
      throw error;
    }
  }

  async function startVersion(
    input: StartExecutionInput & { parentExecutionId?: string; parentStepKey?: string },
    workflow: WorkflowPointer,
    slot: LocalSlot | undefined,
    fresh: boolean,
  ): Promise<{ executionId: string; created: boolean }> {
    if (!workflow.active) throw new AppError('INVALID_STATE', `workflow "${input.workflow}" is deactivated`);
    const version = input.version ?? workflow.currentVersion;
    const parsed = await definition(workflow.id, version);
    const context = input.context ?? {};
    if (parsed.input) {
      const problems = validateWorkflowInput(parsed.input, context);
      if (problems.length > 0) {
        throw new AppError('VALIDATION', `the context does not match ${input.workflow}'s input schema: ${problems.join('; ')}`, { details: { problems } });
      }
    }
    const execution = {
      tenantId: input.tenantId,
      workflowId: workflow.id,
      version,
      context,
      triggerType: input.triggerType ?? 'api',
      ...(input.triggerSource ? { triggerSource: input.triggerSource } : {}),
      ...(input.idempotencyKey ? { idempotencyKey: input.idempotencyKey } : {}),
      ...(input.parentExecutionId ? { parentExecutionId: input.parentExecutionId, parentStepKey: input.parentStepKey } : {}),
    };
    if (slot && localWorker) {
      const inserted = await insertLeasedExecution(db, execution, {
        owner: localWorker.workerId,
        seconds: config.leaseSeconds,
        versionMustBeCurrent: input.version === undefined,
      });
      switch (inserted.kind) {
        case 'stale-version':
          slot.release();
          if (fresh) throw new Error(`workflow ${input.workflow} changed version twice during one start`);
          return start(input, true);
        case 'existing':
          slot.release();
          return { executionId: inserted.id, created: false };
        case 'leased':
          publishCreated(input.tenantId, inserted.row.id, version);
          publishExecutionEvent(input.tenantId, inserted.row.id, 2, 'execution.started', { status: 'running' });
          slot.run(inserted.row);
          return { executionId: inserted.row.id, created: true };
      }
    }
    const { id, created } = await insertExecution(db, execution);
    if (created) {
      publishCreated(input.tenantId, id, version);
      wakeWorkers();
    }
    return { executionId: id, created };
  }

  /** An execution became runnable (committed): the workers claim it. */
  function wakeWorkers(): void {
    workWakeups.wake();
    // Without a pub/sub to hear it through, this process's own worker is told directly.
    if (!deps.wakeups) localWorker?.wake();
  }

  function publishCreated(tenantId: string, executionId: string, version: number): void {
    publishExecutionEvent(tenantId, executionId, 1, 'execution.created', { workflowVersion: version });
  }

  /** An execution-level event committed outside a checkpoint: to the run's watchers and the tenant's dashboards. */
  function publishExecutionEvent(tenantId: string, executionId: string, seq: number, type: string, payload: JsonObject): void {
    const message: ExecutionEventMessage = { executionId, tenantId, seq, type, stepKey: null, payload, at: clock.now().toISOString() };
    for (const topic of [executionTopic(executionId), tenantExecutionsTopic(tenantId)]) {
      publisher.publish(topic, message).catch((error: unknown) => logger.warn({ err: error, topic }, 'publish after commit failed'));
    }
  }

  const executor: ExecutorDeps = {
    db,
    orm,
    writer,
    services,
    definitions: { load: definition },
    startChild: async (args) => {
      const { executionId } = await start({
        tenantId: args.tenantId,
        workflow: args.workflow,
        ...(args.version === undefined ? {} : { version: args.version }),
        context: args.input,
        idempotencyKey: `${args.parentExecutionId}:${args.parentStepKey}`,
        triggerType: 'sub_workflow',
        triggerSource: args.parentExecutionId,
        parentExecutionId: args.parentExecutionId,
        parentStepKey: args.parentStepKey,
      });
      return executionId;
    },
    clock,
    logger,
    workerId: config.workerId ?? `${os.hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`,
    leaseSeconds: config.leaseSeconds,
    inProcessWaitMs: config.inProcessWaitMs,
    ...(deps.probe ? { probe: deps.probe } : {}),
  };

  async function validate(tenantId: string, name: string, raw: unknown) {
    const rows = await db.query<{ name: string; definition: JsonObject }>(
      `select w.name, v.definition from workflows w join workflow_versions v on v.workflow_id = w.id and v.version = w.current_version
       where w.tenant_id = $1`,
      [tenantId],
    );
    const subWorkflows = new Map<string, string[]>(
      rows.map((row) => [
        row.name,
        [...allSteps((row.definition as unknown as WorkflowDefinition).steps ?? [])].flatMap((step) => (step.type === 'sub_workflow' ? [step.workflow] : [])),
      ]),
    );
    const result = parseWorkflowDefinition(raw, {
      services,
      selfName: name,
      workflows: { exists: (workflow) => workflow === name || subWorkflows.has(workflow), subWorkflowsOf: (workflow) => subWorkflows.get(workflow) ?? [] },
    });
    return result.ok ? [] : result.issues;
  }

  const workflows: WorkflowCatalog = {
    list: listWorkflows,
    findByName: findWorkflowByName,
    validate,
    async save(input) {
      const issues = await validate(input.tenantId, input.name, input.definition);
      if (issues.length > 0) {
        throw new AppError('VALIDATION', `the definition of ${input.name} has ${issues.length} problem(s): ${issues.map((issue) => `${issue.path}: ${issue.message}`).join('; ')}`, {
          details: { issues },
        });
      }
      const { record, change } = await orm.em.fork().transactional((em) => saveWorkflow(em, input));
      if (change) await publishWorkflowChange(record, change);
      return record;
    },
    deactivate: (tenantId, name) => setActive(tenantId, name, false),
    activate: (tenantId, name) => setActive(tenantId, name, true),
  };

  async function setActive(tenantId: string, name: string, active: boolean): Promise<WorkflowRecord> {
    const { record, change } = await orm.em.fork().transactional((em) => setWorkflowActive(em, tenantId, name, active));
    if (change) await publishWorkflowChange(record, change);
    return record;
  }

  async function publishWorkflowChange(record: WorkflowRecord, change: WorkflowChangeKind): Promise<void> {
    const event: WorkflowChangedEvent = {
      tenantId: record.tenantId,
      workflowId: record.id,
      name: record.name,
      version: record.version,
      change,
      at: record.updatedAt.toISOString(),
    };
    // After commit: a lost notification costs a refresh, never data.
    await publisher.publish(TOPICS.workflowChanged, event).catch((error: unknown) => {
      logger.warn({ err: error, topic: TOPICS.workflowChanged }, 'publish after commit failed');
    });
  }

  async function deliverEvent(event: { tenantId: string; name: string; payload: JsonObject; id: string }): Promise<number> {
    const waits = await db.query<{ execution_id: string; step_key: string; match: string | null; context: JsonObject }>(
      `select w.execution_id, w.step_key, w.match, e.context from execution_waits w join executions e on e.id = w.execution_id
       where w.tenant_id = $1 and w.event_name = $2 and w.resolved_at is null and e.status in ('pending', 'running', 'waiting', 'paused')`,
      [event.tenantId, event.name],
    );
    let resumed = 0;
    for (const wait of waits) {
      const accepted = await waitAccepts(db, { executionId: wait.execution_id, stepKey: wait.step_key, match: wait.match, context: wait.context }, event.payload, logger);
      if (!accepted) continue;
      const resolved = await db.query(
        `update execution_waits set resolved_at = now(), resolved_event_id = $3, resolved_payload = $4
         where execution_id = $1 and step_key = $2 and resolved_at is null returning execution_id`,
        [wait.execution_id, wait.step_key, event.id, JSON.stringify(event.payload)],
      );
      if (resolved.length === 0) continue;
      await signal(db, event.tenantId, wait.execution_id);
      resumed += 1;
    }
    if (resumed > 0) wakeWorkers();
    return resumed;
  }

  return {
    workflows,
    start: (input) => start(input),
    async cancel(tenantId, id) {
      await requestCancel(db, tenantId, id);
      wakeWorkers();
    },
    async pause(tenantId, id) {
      await requestPause(db, tenantId, id);
      wakeWorkers();
    },
    async resume(tenantId, id) {
      await resume(db, tenantId, id);
      wakeWorkers();
    },
    async retry(tenantId, id, fromStep) {
      const retried = await retryExecution(deps.pool, tenantId, id, fromStep, await containersOfIn(id, tenantId));
      publishExecutionEvent(tenantId, id, retried.seq, 'execution.retried', { fromStep: retried.fromStep, reset: retried.reset });
      wakeWorkers();
    },
    async rerun(tenantId, id, fromStep, context = {}) {
      const rerunId = await rerunExecution(deps.pool, tenantId, id, fromStep, context, await containersOfIn(id, tenantId));
      wakeWorkers();
      const [row] = await db.query<{ workflow_version: number }>('select workflow_version from executions where id = $1', [rerunId]);
      publishCreated(tenantId, rerunId, row?.workflow_version ?? 0);
      return rerunId;
    },
    deliverEvent,
    async startWorker(options) {
      const worker = await startWorker({ executor, db, logger, options, wakeOthers: workWakeups, ...(deps.wakeups ? { wakeups: deps.wakeups } : {}) });
      localWorker ??= worker;
      return {
        ...worker,
        async stop() {
          if (localWorker === worker) localWorker = undefined;
          await worker.stop();
        },
      };
    },
    definition,
    reads: (tenantId) => createExecutionReads(db, tenantId),
    events: createEventCatalog(),
    schedules: createScheduleCatalog({ clock, logger }),
    eventDispatcher(options) {
      return createEventDispatcher({
        pool: deps.pool,
        engine: { start: (input) => start(input), deliverEvent },
        wakeWorkers,
        logger,
        clock,
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
        options,
        ...(systemSchedules ? { systemSchedules } : {}),
      });
    },
  };
}
