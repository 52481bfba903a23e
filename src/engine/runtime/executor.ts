import type { EntityManager, MikroORM } from '@mikro-orm/postgresql';
import type { JsonObject, JsonValue, RecordedError } from '../../entities/json.js';
import type { ExecutionStatus } from '../../entities/statuses.js';
import type { Logger } from '../../logger.js';
import type { ServiceRegistry } from '../../services/registry.js';
import { compileExpression, evaluateExpression, expressionInput, isTruthy, type CompiledExpression } from '../definition/expressions.js';
import { assertNever, type ServiceCallStep, type StepDefinition, type WorkflowDefinition } from '../definition/step-types.js';
import { resolveTemplates, runContext, type TemplateScope, type TenantView } from '../definition/templates.js';
import type { Clock } from '../ports.js';
import { STEP_HANDLERS } from '../steps/registry.js';
import { callService } from '../steps/service-call.step.js';
import type { ChildExecutionState, EventWaitState, StepOutcome, StepRunContext } from '../steps/types.js';
import type { Queryable } from '../store/queryable.js';
import { freshEntityManager, inSharedTransaction } from '../store/transactions.js';
import { EXPIRE_LEASE, HAND_BACK, LOAD_CHILDREN, LOAD_STEPS, LOAD_WAITS, PARK, RENEW_LEASE } from '../store/sql.js';
import type { Checkpoint, CheckpointResult, CheckpointWriter, EventRecord, WaitRecord } from './checkpoint-writer.js';
import { allSteps, childSequences, decide, type ContainerFinish } from './decider.js';
import { LeaseLostError, toRecordedError } from './errors.js';
import { retryDelayMs, retryPolicyFor } from './retry-policy.js';
import { loadTenantView } from './tenant-view.js';
import type { ExecutionState, StepState } from './state.js';

export interface ExecutorDeps {
  db: Queryable;
  orm: MikroORM;
  writer: CheckpointWriter;
  services: ServiceRegistry;
  definitions: { load(workflowId: string, version: number): Promise<WorkflowDefinition> };
  /** Starts a child run, idempotently by `idempotencyKey`; returns its id. */
  startChild(args: { tenantId: string; workflow: string; version?: number; input: JsonObject; parentExecutionId: string; parentStepKey: string }): Promise<string>;
  clock: Clock;
  logger: Logger;
  workerId: string;
  leaseSeconds: number;
  /** Shorter waits (retry backoff, timers) are slept through holding the lease; longer ones park the run. */
  inProcessWaitMs: number;
  /**
   * Aborted when this worker is shutting down: runs start no new step, let the steps in flight end,
   * and hand their execution back (HAND_BACK) so that another worker goes on with it at once.
   */
  shutdown?: AbortSignal;
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

/** An execution row as returned with its lease (CLAIM, INSERT_LEASED_EXECUTION). */
export interface LeasedExecution {
  id: string;
  tenant_id: string;
  workflow_id: string;
  workflow_version: number;
  status: ExecutionStatus;
  context: JsonObject;
  lease_epoch: string | number;
  signal_seq: number;
  cancel_requested: boolean;
  pause_requested: boolean;
  last_event_seq: number;
  trigger_type: string;
  previous_status: ExecutionStatus;
}

interface StepRow {
  key: string;
  name: string;
  type: string;
  sequence: number;
  status: StepState['status'];
  input: JsonValue | null;
  output: JsonValue | null;
  error: RecordedError | null;
  attempts: number;
  started_at: Date | null;
  completed_at: Date | null;
  next_attempt_at: Date | null;
  compensation: StepState['compensation'] | null;
}

/** A step that ends within this is checkpointed once, start and outcome together. */
const FAST_STEP_MS = 20;

const compiledExpressions = new Map<string, CompiledExpression>();
function compiled(source: string): CompiledExpression {
  let expression = compiledExpressions.get(source);
  if (!expression) {
    expression = compileExpression(source);
    if (compiledExpressions.size > 10_000) compiledExpressions.clear();
    compiledExpressions.set(source, expression);
  }
  return expression;
}

function stepFromRow(row: StepRow): StepState {
  return {
    key: row.key,
    name: row.name,
    type: row.type,
    sequence: row.sequence,
    status: row.status,
    attempts: row.attempts,
    ...(row.input === null ? {} : { input: row.input }),
    ...(row.output === null ? {} : { output: row.output }),
    ...(row.error === null ? {} : { error: row.error }),
    ...(row.started_at ? { startedAt: new Date(row.started_at) } : {}),
    ...(row.completed_at ? { completedAt: new Date(row.completed_at) } : {}),
    ...(row.next_attempt_at ? { nextAttemptAt: new Date(row.next_attempt_at) } : {}),
    ...(row.compensation ? { compensation: row.compensation } : {}),
  };
}

/** Steps whose start is committed before they run: their effects leave the database, or they start a child run. */
function needsDurableStart(step: StepDefinition, services: ServiceRegistry): boolean {
  if (step.type === 'sub_workflow') return true;
  return step.type === 'service_call' && services.resolve(step.service, step.method)?.effects === 'external';
}

/**
 * Runs an execution this worker has just claimed (CLAIM): says it started or resumed, then runs its
 * steps one after another (and branches concurrently), each checkpointed before the next, until the
 * run ends or must wait. Returns quietly when another worker takes the lease over.
 */
export async function runClaimedExecution(deps: ExecutorDeps, leased: LeasedExecution): Promise<void> {
  if (leased.previous_status !== 'running') {
    const type = leased.previous_status === 'pending' ? 'execution.started' : 'execution.resumed';
    deps.writer.publish(
      { executionId: leased.id, tenantId: leased.tenant_id, epoch: Number(leased.lease_epoch), steps: [], waits: [], events: [{ type, payload: { status: 'running' } }] },
      { lastEventSeq: leased.last_event_seq, signalSeq: leased.signal_seq },
    );
  }
  await runLeasedExecution(deps, leased);
}

/** Runs an execution whose lease this process already holds. */
export async function runLeasedExecution(deps: ExecutorDeps, leased: LeasedExecution): Promise<void> {
  const definition = await deps.definitions.load(leased.workflow_id, leased.workflow_version);
  await new ExecutionRun(deps, leased, definition).run();
}

class ExecutionRun {
  private readonly executionId: string;
  private readonly tenantId: string;
  private readonly epoch: number;
  private readonly state: ExecutionState;
  private signalSeq: number;
  private nextSequence = 1;
  private readonly inFlight = new Map<string, Promise<void>>();
  private readonly blocked = new Map<string, Date | undefined>();
  private readonly waits = new Map<string, EventWaitState>();
  private readonly children = new Map<string, ChildExecutionState>();
  private pending: { steps: Map<string, StepState>; events: EventRecord[]; waits: WaitRecord[] } = { steps: new Map(), events: [], waits: [] };
  private lock: Promise<unknown> = Promise.resolve();
  private readonly abort = new AbortController();
  private leaseLost = false;
  private signalled = false;
  /** Outcomes recorded but not yet checkpointed (starts alone do not count). */
  private outcomesPending = false;
  private wake: () => void = () => undefined;

  constructor(
    private readonly deps: ExecutorDeps,
    leased: LeasedExecution,
    private readonly definition: WorkflowDefinition,
  ) {
    this.executionId = leased.id;
    this.tenantId = leased.tenant_id;
    this.epoch = Number(leased.lease_epoch);
    this.signalSeq = leased.signal_seq;
    this.state = {
      executionId: leased.id,
      tenantId: leased.tenant_id,
      status: leased.status,
      context: leased.context,
      steps: new Map(),
      cancelRequested: leased.cancel_requested,
      pauseRequested: leased.pause_requested,
    };
    // A fresh run (only its creation event so far, plus the start) has nothing else to load; a rerun
    // starts with the steps it replays.
    this.fresh = leased.previous_status === 'pending' && leased.last_event_seq <= 2 && leased.trigger_type !== 'rerun';
  }

  private readonly fresh: boolean;
  /** The run's tenant as its templates and expressions see it (read once per tenant per process). */
  private tenant: TenantView | undefined;

  async run(): Promise<void> {
    const heartbeat = setInterval(() => void this.renewLease(), Math.max(250, (this.deps.leaseSeconds * 1000) / 3));
    const onShutdown = () => this.wake();
    this.deps.shutdown?.addEventListener('abort', onShutdown);
    try {
      this.tenant = await loadTenantView(this.deps.db, this.tenantId);
      if (!this.fresh) await this.load();
      await this.loop();
    } catch (error) {
      if (!(error instanceof LeaseLostError)) {
        await this.expireLease();
        throw error;
      }
      this.deps.logger.info({ executionId: this.executionId }, 'lease lost; another worker has the execution');
    } finally {
      clearInterval(heartbeat);
      this.deps.shutdown?.removeEventListener('abort', onShutdown);
      this.abort.abort();
      await Promise.allSettled(this.inFlight.values());
    }
  }

  // ── loading ────────────────────────────────────────────────────────────────────────────────────

  private async load(): Promise<void> {
    const rows = await this.deps.db.query<StepRow>(LOAD_STEPS, [this.executionId]);
    for (const row of rows) {
      this.state.steps.set(row.key, stepFromRow(row));
      this.nextSequence = Math.max(this.nextSequence, row.sequence + 1);
    }
    await this.loadWaitsAndChildren();
  }

  private async loadWaitsAndChildren(): Promise<void> {
    const running = [...allSteps(this.definition.steps)].filter((step) => this.state.steps.get(step.name)?.status === 'running');
    if (running.some((step) => step.type === 'wait' && step.event)) {
      const rows = await this.deps.db.query<{
        step_key: string;
        event_name: string;
        expires_at: Date | null;
        resolved_at: Date | null;
        resolved_event_id: string | null;
        resolved_payload: JsonObject | null;
      }>(LOAD_WAITS, [this.executionId]);
      for (const row of rows) {
        this.waits.set(row.step_key, {
          eventName: row.event_name,
          ...(row.expires_at ? { expiresAt: new Date(row.expires_at) } : {}),
          ...(row.resolved_at ? { resolvedAt: new Date(row.resolved_at) } : {}),
          ...(row.resolved_event_id ? { resolvedEventId: row.resolved_event_id } : {}),
          ...(row.resolved_payload ? { resolvedPayload: row.resolved_payload } : {}),
        });
      }
    }
    if (running.some((step) => step.type === 'sub_workflow')) {
      const rows = await this.deps.db.query<{ id: string; parent_step_key: string; status: ExecutionStatus; result: JsonValue | null; error: RecordedError | null }>(
        LOAD_CHILDREN,
        [this.executionId],
      );
      for (const row of rows) {
        this.children.set(row.parent_step_key, {
          id: row.id,
          status: row.status,
          ...(row.result === null ? {} : { result: row.result }),
          ...(row.error === null ? {} : { error: row.error }),
        });
      }
    }
  }

  /** Extends the lease; notices signals (cancel, pause, events, children) and a lost lease. */
  private async renewLease(): Promise<boolean> {
    try {
      const [row] = await this.deps.db.query<{ signal_seq: number; cancel_requested: boolean; pause_requested: boolean }>(RENEW_LEASE, [
        this.executionId,
        this.epoch,
        this.deps.leaseSeconds,
      ]);
      if (!row) {
        this.leaseLost = true;
        this.abort.abort();
        this.wake();
        return false;
      }
      this.state.cancelRequested = row.cancel_requested;
      this.state.pauseRequested = row.pause_requested;
      if (row.signal_seq !== this.signalSeq) {
        this.signalSeq = row.signal_seq;
        this.signalled = true;
        this.wake();
      }
      return true;
    } catch (error) {
      this.deps.logger.warn({ err: error, executionId: this.executionId }, 'lease renewal failed');
      return true;
    }
  }

  private noteSignal(result: CheckpointResult): void {
    if (result.signalSeq !== this.signalSeq) {
      this.signalSeq = result.signalSeq;
      this.signalled = true;
    }
  }

  /**
   * The run failed here (the database went away mid-checkpoint, a defect): give up the lease now so
   * the recovery scan queues the execution for any worker at its next pass, not a lease later. When
   * the database is still away, the lease simply runs out.
   */
  private async expireLease(): Promise<void> {
    await this.deps.db.query(EXPIRE_LEASE, [this.executionId, this.epoch]).catch((error: unknown) => {
      this.deps.logger.debug({ err: error, executionId: this.executionId }, 'could not expire the lease of a failed run; it will run out');
    });
  }

  private get stopping(): boolean {
    return this.deps.shutdown?.aborted === true;
  }

  /** Shutting down: what is recorded is checkpointed, then the execution goes back to the queue. */
  private async handBack(): Promise<void> {
    await this.flush();
    await this.deps.db.query(HAND_BACK, [this.executionId, this.epoch]);
    this.deps.released?.(this.deps.clock.now());
    this.deps.logger.info({ executionId: this.executionId }, 'handed the execution back: this worker is shutting down');
  }

  // ── the loop ───────────────────────────────────────────────────────────────────────────────────

  private async loop(): Promise<void> {
    for (;;) {
      if (this.leaseLost) throw new LeaseLostError(this.executionId);
      if (this.signalled) {
        this.signalled = false;
        if (!(await this.renewLease())) continue;
        this.blocked.clear();
        await this.loadWaitsAndChildren();
      }
      const decision = decide({
        definition: this.definition,
        state: this.state,
        now: this.deps.clock.now(),
        inFlight: new Set(this.inFlight.keys()),
        blocked: this.blocked,
      });
      switch (decision.kind) {
        case 'act': {
          for (const finish of decision.finish) this.finishContainer(finish);
          // Outcomes so far are checkpointed before anything new runs; a signal (pause, cancel) that
          // checkpoint brings back is looked at before deciding again.
          if (this.outcomesPending || decision.start.length === 0) {
            await this.flush();
            if (this.signalled || decision.start.length === 0) continue;
          }
          if (this.stopping) {
            if (this.inFlight.size > 0) await this.waitForSomething(undefined);
            else {
              await this.handBack();
              return;
            }
            continue;
          }
          const resuming = new Set(decision.start.filter((step) => this.state.steps.get(step.name)?.status === 'running').map((step) => step.name));
          // A fast step's start rides along with its own outcome; one whose effects leave the
          // database (or that starts a child run) is recorded as started before it runs.
          if (decision.start.map((step) => this.recordStart(step)).some(Boolean)) await this.flush();
          for (const step of decision.start) this.launch(step, resuming.has(step.name));
          continue;
        }
        case 'blocked': {
          if (decision.inFlight) {
            // Captured before flushing: a step that ends during the flush must still wake us.
            const running = [...this.inFlight.values()];
            // A fast step's start rides along with its outcome: what is pending is committed alone only
            // once the steps have run for a moment (then watchers see them running).
            const deadline = new Date(this.deps.clock.now().getTime() + FAST_STEP_MS);
            if (this.hasPending() && (await this.waitForSomething(deadline, running))) continue;
            await this.flush();
            await this.waitForSomething(undefined, running);
            continue;
          }
          const now = this.deps.clock.now();
          // A short timer is slept through holding the lease, unless this worker is shutting down.
          if (!this.stopping && decision.wakeAt && decision.wakeAt.getTime() - now.getTime() <= this.deps.inProcessWaitMs) {
            await this.waitForSomething(decision.wakeAt);
            this.blocked.clear();
            continue;
          }
          if (await this.park('waiting', decision.wakeAt)) return;
          continue;
        }
        case 'complete': {
          let result: JsonValue;
          try {
            result = this.result();
          } catch (error) {
            await this.finishRun('failed', decision.skip, { error: toRecordedError(error) });
            return;
          }
          await this.finishRun('completed', decision.skip, { result });
          return;
        }
        case 'compensate':
          await this.compensate(decision.step);
          continue;
        case 'fail':
          await this.finishRun('failed', [], { error: this.failure(decision.error) });
          return;
        case 'cancel':
          this.abort.abort();
          await Promise.allSettled(this.inFlight.values());
          await this.finishRun('cancelled', [], { error: { code: 'CANCELLED', message: 'the execution was cancelled', retryable: false } });
          return;
        case 'pause':
          if (await this.park('paused', undefined)) return;
          continue;
        default:
          return assertNever(decision, 'decision');
      }
    }
  }

  /** Resolves when a step in flight settles, a signal arrives, or `until` passes: false for `until`. */
  private async waitForSomething(until: Date | undefined, running: Promise<unknown>[] = [...this.inFlight.values()]): Promise<boolean> {
    const waits: Promise<boolean>[] = running.map((step) => step.then(() => true, () => true));
    waits.push(new Promise<boolean>((resolve) => (this.wake = () => resolve(true))));
    let timer: NodeJS.Timeout | undefined;
    if (until) waits.push(new Promise<boolean>((resolve) => (timer = setTimeout(() => resolve(false), Math.max(0, until.getTime() - this.deps.clock.now().getTime())))));
    try {
      return await Promise.race(waits);
    } finally {
      clearTimeout(timer);
      this.wake = () => undefined;
    }
  }

  // ── running steps ──────────────────────────────────────────────────────────────────────────────

  /** Records the start of a step (unless it is resumed); true when it must be durable before it runs. */
  private recordStart(step: StepDefinition): boolean {
    const recorded = this.state.steps.get(step.name);
    if (recorded?.status === 'running') return false;
    const attempt = (recorded?.attempts ?? 0) + 1;
    this.record(
      {
        key: step.name,
        name: step.name,
        type: step.type,
        sequence: recorded?.sequence ?? this.nextSequence++,
        status: 'running',
        attempts: attempt,
        startedAt: this.deps.clock.now(),
        ...(recorded?.error ? { error: recorded.error } : {}),
      },
      { type: 'step.started', stepKey: step.name, payload: { type: step.type, attempt } },
    );
    return needsDurableStart(step, this.deps.services);
  }

  private launch(step: StepDefinition, resuming: boolean): void {
    const attempt = this.state.steps.get(step.name)?.attempts ?? 1;
    const running = (async () => {
      const outcome = await this.attempt(step, attempt, resuming);
      this.settle(step, outcome, attempt, resuming);
    })();
    const tracked = running.finally(() => this.inFlight.delete(step.name));
    this.inFlight.set(step.name, tracked);
    tracked.catch(() => undefined); // surfaced by the loop, which awaits it
  }

  private async attempt(step: StepDefinition, attempt: number, resuming: boolean): Promise<StepOutcome> {
    const stepAbort = new AbortController();
    const onAbort = () => stepAbort.abort();
    this.abort.signal.addEventListener('abort', onAbort);
    let timer: NodeJS.Timeout | undefined;
    try {
      if (!resuming && step.when !== undefined) {
        const proceed = isTruthy(await this.evaluate(step.when));
        if (!proceed) return { kind: 'skipped' };
      }
      const ctx = this.context(step.name, attempt, stepAbort.signal, (output, input) => this.completion(step.name, output, input));
      this.deps.probe?.('before-step', { executionId: this.executionId, step: step.name });
      const handler = STEP_HANDLERS[step.type] as { run(step: StepDefinition, ctx: StepRunContext): Promise<StepOutcome> };
      const running = handler.run(step, ctx);
      if (!step.timeoutSeconds) return await running;
      const seconds = step.timeoutSeconds;
      const timeout = new Promise<StepOutcome>((resolve) => {
        timer = setTimeout(() => {
          stepAbort.abort();
          resolve({ kind: 'failed', error: { code: 'TIMEOUT', message: `step ${step.name} timed out after ${seconds} s`, retryable: true } });
        }, seconds * 1000);
      });
      return await Promise.race([running, timeout]);
    } catch (error) {
      if (error instanceof LeaseLostError) throw error;
      return { kind: 'failed', error: this.recordError(step.name, error) };
    } finally {
      clearTimeout(timer);
      this.abort.signal.removeEventListener('abort', onAbort);
    }
  }

  /** Records what an attempt came to; the loop checkpoints it (with what it decides next). */
  private settle(step: StepDefinition, outcome: StepOutcome, attempt: number, resuming: boolean): void {
    const current = this.state.steps.get(step.name);
    if (!current) throw new Error(`step ${step.name} settled without being started`);
    const now = this.deps.clock.now();
    switch (outcome.kind) {
      case 'completed':
        if (!outcome.committed) {
          const { step: completed, event } = this.completion(step.name, outcome.output, outcome.input);
          this.record(completed, event);
        }
        break;
      case 'skipped':
        this.record({ ...current, status: 'skipped', completedAt: now }, { type: 'step.skipped', stepKey: step.name, payload: { reason: 'when' } });
        break;
      case 'started':
        break;
      case 'branch': {
        this.record({ ...current, output: { result: outcome.result, branch: outcome.branch } }, {
          type: 'step.branched',
          stepKey: step.name,
          payload: { result: outcome.result, branch: outcome.branch },
        });
        if (step.type === 'condition') {
          const untaken = outcome.branch === 'then' ? (step.else ?? []) : (step.then ?? []);
          for (const skipped of allSteps(untaken)) this.recordSkipped(skipped, 'branch not taken');
        }
        break;
      }
      case 'waiting': {
        this.blocked.set(step.name, outcome.until);
        const output = outcome.output ?? current.output;
        const input = outcome.input ?? current.input;
        const next: StepState = { ...current, ...(output === undefined ? {} : { output }), ...(input === undefined ? {} : { input }) };
        if (outcome.wait) {
          this.pending.waits.push({ stepKey: step.name, ...outcome.wait });
          this.waits.set(step.name, { eventName: outcome.wait.eventName, ...(outcome.wait.expiresAt ? { expiresAt: outcome.wait.expiresAt } : {}) });
        }
        if (!resuming) {
          this.record(next, { type: 'step.waiting', stepKey: step.name, payload: { ...(outcome.until ? { until: outcome.until.toISOString() } : {}), ...(outcome.output ?? {}) } });
        } else if (this.changed(current, next)) {
          this.record(next);
        }
        break;
      }
      case 'failed': {
        const retry = retryPolicyFor(step.retry, attempt, outcome.error);
        const input = outcome.input ?? current.input;
        if (retry) {
          const nextAttemptAt = new Date(now.getTime() + retryDelayMs(retry, attempt));
          this.record(
            { ...current, status: 'pending', error: outcome.error, nextAttemptAt, ...(input === undefined ? {} : { input }) },
            { type: 'step.retrying', stepKey: step.name, payload: { attempt, error: outcome.error, nextAttemptAt: nextAttemptAt.toISOString() } },
          );
        } else {
          const { nextAttemptAt: _, ...rest } = current;
          this.record(
            { ...rest, status: 'failed', error: outcome.error, completedAt: now, ...(input === undefined ? {} : { input }) },
            { type: 'step.failed', stepKey: step.name, payload: { attempt, error: outcome.error, critical: step.critical !== false } },
          );
        }
        break;
      }
    }
    this.outcomesPending = true;
  }

  private changed(a: StepState, b: StepState): boolean {
    return JSON.stringify(a.output) !== JSON.stringify(b.output) || JSON.stringify(a.input) !== JSON.stringify(b.input);
  }

  private completion(key: string, output: JsonValue, input: JsonValue | undefined): { step: StepState; event: EventRecord } {
    const current = this.state.steps.get(key);
    if (!current) throw new Error(`step ${key} completed without being started`);
    const { nextAttemptAt: _, error: __, ...rest } = current;
    return {
      step: { ...rest, status: 'completed', output, completedAt: this.deps.clock.now(), ...(input === undefined ? {} : { input }) },
      event: { type: 'step.completed', stepKey: key, payload: { output } },
    };
  }

  private recordSkipped(step: StepDefinition, reason: string): void {
    if (this.state.steps.has(step.name)) return;
    this.record(
      { key: step.name, name: step.name, type: step.type, sequence: this.nextSequence++, status: 'skipped', attempts: 0, completedAt: this.deps.clock.now() },
      { type: 'step.skipped', stepKey: step.name, payload: { reason } },
    );
  }

  private finishContainer(finish: ContainerFinish): void {
    const current = this.state.steps.get(finish.step.name);
    if (!current) return;
    this.outcomesPending = true;
    const now = this.deps.clock.now();
    if (finish.status === 'completed') {
      const outputs = Object.fromEntries(
        childSequences(finish.step)
          .flat()
          .flatMap((child) => [...allSteps([child])])
          .map((child) => [child.name, this.state.steps.get(child.name)?.output ?? null] as const),
      );
      const output = finish.step.type === 'condition' ? (current.output ?? null) : outputs;
      this.record({ ...current, status: 'completed', output, completedAt: now }, { type: 'step.completed', stepKey: finish.step.name, payload: { output } });
    } else {
      const error = finish.error ?? { code: 'STEP_FAILED', message: `${finish.step.name} failed`, retryable: false };
      this.record({ ...current, status: 'failed', error, completedAt: now }, {
        type: 'step.failed',
        stepKey: finish.step.name,
        payload: { error, critical: finish.step.critical !== false },
      });
    }
  }

  private async compensate(step: ServiceCallStep): Promise<void> {
    const compensation = step.compensate;
    const recorded = this.state.steps.get(step.name);
    if (!compensation || !recorded) return;
    const record = (status: 'completed' | 'failed', error?: RecordedError): { step: StepState; event: EventRecord } => ({
      step: { ...recorded, compensation: { status, ...(error ? { error } : {}), at: this.deps.clock.now().toISOString() } },
      event: { type: `compensation.${status}`, stepKey: step.name, payload: { service: compensation.service, method: compensation.method, ...(error ? { error } : {}) } },
    });
    const ctx = this.context(step.name, recorded.attempts, this.abort.signal, () => record('completed'));
    const outcome = await callService(compensation, ctx, `${this.executionId}:${step.name}:compensate`, `$.${step.name}.compensate.params`);
    if (outcome.kind === 'completed' && outcome.committed) return;
    const { step: next, event } = outcome.kind === 'completed' ? record('completed') : record('failed', outcome.kind === 'failed' ? outcome.error : undefined);
    this.record(next, event);
    await this.flush();
  }

  // ── the handlers' view of the run ──────────────────────────────────────────────────────────────

  private scope(): TemplateScope {
    const completed = [...this.state.steps.values()]
      .filter((step) => step.status === 'completed' || step.status === 'running' || step.status === 'failed' || step.status === 'skipped')
      .sort((a, b) => (a.completedAt?.getTime() ?? Infinity) - (b.completedAt?.getTime() ?? Infinity) || a.sequence - b.sequence);
    const steps: TemplateScope['steps'] = {};
    for (const step of completed) steps[step.key] = step.output === undefined ? { status: step.status } : { status: step.status, output: step.output };
    return { context: runContext(this.state.context, this.tenant), steps, ...(this.tenant ? { tenant: this.tenant } : {}) };
  }

  private evaluate(expression: string, extra: JsonObject = {}): Promise<JsonValue | undefined> {
    return evaluateExpression(compiled(expression), { ...expressionInput(this.scope()), ...extra });
  }

  private context(
    key: string,
    attempt: number,
    signal: AbortSignal,
    completeAs: (output: JsonValue, input: JsonValue | undefined) => { step: StepState; event: EventRecord },
  ): StepRunContext {
    return {
      executionId: this.executionId,
      tenantId: this.tenantId,
      recorded: this.state.steps.get(key),
      attempt,
      now: this.deps.clock.now(),
      signal,
      resolve: (value, path) => resolveTemplates(value, this.scope(), { step: key, path }),
      evaluate: (expression, extra) => this.evaluate(expression, extra),
      services: this.deps.services,
      forkEntityManager: () => freshEntityManager(this.deps.orm),
      runInStepTransaction: (call, input) => this.runInStepTransaction(signal, call, input, completeAs),
      startChildExecution: (args) =>
        this.deps.startChild({ ...args, tenantId: this.tenantId, parentExecutionId: this.executionId, parentStepKey: key }),
      childExecution: () => this.children.get(key),
      eventWait: () => this.waits.get(key),
      recordError: (error) => this.recordError(key, error),
    };
  }

  private async runInStepTransaction(
    signal: AbortSignal,
    call: (em: EntityManager) => Promise<JsonValue>,
    input: JsonValue,
    completeAs: (output: JsonValue, input: JsonValue | undefined) => { step: StepState; event: EventRecord },
  ): Promise<StepOutcome> {
    let committed: { checkpoint: Checkpoint; result: CheckpointResult; output: JsonValue } | undefined;
    await inSharedTransaction(this.deps.orm, async (em, db) => {
      const output = await call(em);
      // A step that timed out or was cancelled must not commit late.
      if (signal.aborted) throw new Error('the step was aborted before its transaction committed');
      await this.exclusive(async () => {
        const { step, event } = completeAs(output, input);
        this.pending.steps.set(step.key, step);
        this.pending.events.push(event);
        const checkpoint = this.takePending();
        const result = await this.deps.writer.writeInTransaction(db, checkpoint);
        this.deps.probe?.('in-transaction', { executionId: this.executionId, step: step.key });
        this.state.steps.set(step.key, step);
        committed = { checkpoint, result, output };
      });
    });
    if (!committed) throw new Error('the step transaction ended without a checkpoint');
    this.deps.probe?.('after-commit', { executionId: this.executionId, step: committed.checkpoint.steps.at(-1)?.key ?? '' });
    this.deps.writer.publish(committed.checkpoint, committed.result);
    this.noteSignal(committed.result);
    return { kind: 'completed', output: committed.output, input, committed: true };
  }

  private recordError(key: string, error: unknown): RecordedError {
    const recorded = toRecordedError(error);
    if (recorded.code === 'INTERNAL_SERVER_ERROR' || recorded.code === 'TRANSIENT') {
      this.deps.logger.error({ err: error, executionId: this.executionId, step: key }, 'step failed with an unexpected error');
    }
    return recorded;
  }

  // ── checkpoints ────────────────────────────────────────────────────────────────────────────────

  /** Updates the in-memory state and queues the change for the next checkpoint. */
  private record(step: StepState, event?: EventRecord): void {
    this.state.steps.set(step.key, step);
    this.pending.steps.set(step.key, step);
    if (event) this.pending.events.push(event);
  }

  private takePending(): Checkpoint {
    this.outcomesPending = false;
    const { steps, events, waits } = this.pending;
    this.pending = { steps: new Map(), events: [], waits: [] };
    return { executionId: this.executionId, tenantId: this.tenantId, epoch: this.epoch, steps: [...steps.values()], events, waits };
  }

  /** One checkpoint of this execution at a time: its events keep their order. */
  private exclusive<T>(fn: () => Promise<T>): Promise<T> {
    const next = this.lock.then(fn, fn);
    this.lock = next.catch(() => undefined);
    return next;
  }

  private hasPending(): boolean {
    return this.pending.steps.size > 0 || this.pending.events.length > 0 || this.pending.waits.length > 0;
  }

  private flush(): Promise<void> {
    return this.exclusive(async () => {
      if (!this.hasPending()) return;
      const result = await this.deps.writer.write(this.takePending());
      this.noteSignal(result);
    });
  }

  private async finishRun(
    status: 'completed' | 'failed' | 'cancelled',
    skip: StepDefinition[],
    outcome: { result?: JsonValue; error?: RecordedError },
  ): Promise<void> {
    for (const step of skip) this.recordSkipped(step, 'not reached');
    await this.exclusive(async () => {
      const checkpoint = this.takePending();
      checkpoint.execution = { status, terminal: true, ...outcome };
      checkpoint.events.push({ type: `execution.${status}`, payload: { status, ...(outcome.error ? { error: outcome.error } : {}) } });
      await this.deps.writer.write(checkpoint);
    });
  }

  /** Releases the lease until `wakeAt` (or a signal). False when a signal arrived meanwhile: look again. */
  private async park(status: 'waiting' | 'paused', wakeAt: Date | undefined): Promise<boolean> {
    await this.flush();
    // That checkpoint may have brought news (a child run ended, an event arrived): look before leaving.
    if (this.signalled) return false;
    const rows = await this.deps.db.query<{ id: string; last_event_seq: number }>(PARK, [
      this.executionId,
      this.epoch,
      status,
      wakeAt?.toISOString() ?? null,
      this.signalSeq,
      `execution.${status}`,
      JSON.stringify({ status, ...(wakeAt ? { wakeAt: wakeAt.toISOString() } : {}) }),
    ]);
    const [parked] = rows;
    if (parked) {
      this.deps.writer.publish(
        {
          executionId: this.executionId,
          tenantId: this.tenantId,
          epoch: this.epoch,
          steps: [],
          waits: [],
          events: [{ type: `execution.${status}`, payload: { status, ...(wakeAt ? { wakeAt: wakeAt.toISOString() } : {}) } }],
        },
        { lastEventSeq: parked.last_event_seq, signalSeq: this.signalSeq },
      );
      if (wakeAt) this.deps.released?.(wakeAt);
      return true;
    }
    // Refused: a signal arrived, or the lease is gone (then renewLease marks it lost).
    this.signalled = true;
    return false;
  }

  // ── results ────────────────────────────────────────────────────────────────────────────────────

  private result(): JsonValue {
    if (this.definition.output !== undefined) return resolveTemplates(this.definition.output, this.scope(), { step: '(output)', path: '$.output' });
    const outputs: JsonObject = {};
    for (const step of allSteps(this.definition.steps)) {
      const recorded = this.state.steps.get(step.name);
      if (recorded?.status === 'completed' && recorded.output !== undefined) outputs[step.name] = recorded.output;
    }
    return outputs;
  }

  private failure(error: RecordedError): RecordedError {
    const failedStep = [...this.state.steps.values()]
      .filter((step) => step.status === 'failed')
      .sort((a, b) => (b.completedAt?.getTime() ?? 0) - (a.completedAt?.getTime() ?? 0))[0];
    const compensations = [...this.state.steps.values()]
      .filter((step) => step.compensation)
      .sort((a, b) => String(a.compensation?.at).localeCompare(String(b.compensation?.at)))
      .map((step) => ({ step: step.key, status: step.compensation?.status ?? 'completed' }));
    return {
      code: error.code,
      message: failedStep ? `step ${failedStep.key} failed: ${error.message}` : error.message,
      retryable: false,
      ...(failedStep ? { step: failedStep.key } : {}),
      compensations,
    };
  }
}
