import type { JsonValue, RecordedError } from '../../entities/json.js';
import { assertNever, type StepDefinition, type WorkflowDefinition } from '../definition/step-types.js';
import type { TenantView } from '../definition/templates.js';
import type { RunRef } from '../ports.js';
import type { ChildExecutionState, EventWaitState, StepOutcome } from '../steps/types.js';
import { applyOutcome, completed, containerFinished, skipped, started, type StepChange } from './apply-outcome.js';
import { CheckpointBuffer } from './checkpoint-buffer.js';
import { compensateStep } from './compensation.js';
import type { CheckpointResult } from './checkpoint-writer.js';
import { decide } from './decider.js';
import { leasedState, loadSteps, loadWaitsAndChildren } from './run-loading.js';
import { LeaseLostError, toRecordedError } from './errors.js';
import { announceClaim, announceParked, observeClaim, observeStepEnd, RunLease } from './run-lease.js';
import { runFailure, runResult } from './run-outcome.js';
import { needsDurableStart, templateScope, type CompleteAs, type RunView } from './step-context.js';
import { attemptStep } from './step-attempt.js';
import { inSegment, type ExecutorDeps, type LeasedExecution } from './executor-deps.js';
import { loadTenantView } from '../store/tenant-view.js';
import type { ExecutionState, StepState } from './state.js';

export type { ExecutorDeps, LeasedExecution, ProbePoint } from './executor-deps.js';

/** A step that ends within this is checkpointed once, start and outcome together. */
const FAST_STEP_MS = 20;

/**
 * Runs an execution this worker has just claimed (CLAIM): says it started or resumed, then runs its
 * steps one after another (and branches concurrently), each checkpointed before the next, until the
 * run ends or must wait. Returns quietly when another worker takes the lease over.
 */
export async function runClaimedExecution(deps: ExecutorDeps, leased: LeasedExecution): Promise<void> {
  announceClaim(deps.writer, leased);
  await runLeasedExecution(deps, leased);
}

/** Runs an execution whose lease this process already holds. */
export async function runLeasedExecution(deps: ExecutorDeps, leased: LeasedExecution): Promise<void> {
  const [definition, workflowName] = await Promise.all([
    deps.definitions.load(leased.workflow_id, leased.workflow_version),
    deps.definitions.nameOf(leased.workflow_id),
  ]);
  await inSegment(deps, leased, workflowName, () => new ExecutionRun(deps, leased, definition, workflowName).run());
}

const RUN_ENDED = new DOMException('the run ended', 'AbortError'); // One for every run's end: abort() builds one each time.

class ExecutionRun implements RunView {
  readonly executionId: string;
  readonly tenantId: string;
  readonly state: ExecutionState;
  readonly waits = new Map<string, EventWaitState>();
  readonly children = new Map<string, ChildExecutionState>();
  readonly buffer: CheckpointBuffer;
  /** The run's tenant as its templates and expressions see it (read once per tenant per process). */
  tenant: TenantView | undefined;
  private readonly lease: RunLease;
  private signalSeq: number;
  private nextSequence = 1;
  private readonly inFlight = new Map<string, Promise<void>>();
  private readonly blocked = new Map<string, Date | undefined>();
  private readonly abort = new AbortController();
  private leaseLost = false;
  /** Out of time while shutting down: what the steps in flight come to is not recorded. */
  private preempted = false;
  private signalled = false;
  private wake: () => void = () => undefined;
  /** Nothing to load: only its creation event so far, plus the start (a rerun starts with the steps it replays). */
  private readonly fresh: boolean;
  private readonly startedAt: Date | undefined;
  /** Who this run is, to the observer. */
  private readonly ref: RunRef;

  constructor(
    private readonly deps: ExecutorDeps,
    leased: LeasedExecution,
    private readonly definition: WorkflowDefinition,
    workflowName: string,
  ) {
    this.executionId = leased.id;
    this.tenantId = leased.tenant_id;
    this.signalSeq = leased.signal_seq;
    this.state = leasedState(leased);
    this.lease = new RunLease(deps, leased.id, Number(leased.lease_epoch));
    this.buffer = new CheckpointBuffer(
      { executionId: leased.id, tenantId: leased.tenant_id, epoch: this.lease.epoch, state: this.state },
      deps.writer,
      (result) => this.noteSignal(result),
    );
    this.fresh = leased.previous_status === 'pending' && leased.last_event_seq <= 2 && leased.trigger_type !== 'rerun';
    this.startedAt = leased.started_at ? new Date(leased.started_at) : undefined;
    this.ref = {
      workflow: workflowName,
      executionId: leased.id,
      tenantId: leased.tenant_id,
      ...(leased.request_id ? { requestId: leased.request_id } : {}),
    };
    observeClaim(deps.observer, this.ref, leased, deps.clock.now());
  }

  async run(): Promise<void> {
    const heartbeat = setInterval(() => void this.renewLease(), Math.max(250, (this.deps.leaseSeconds * 1000) / 3));
    const onShutdown = () => this.wake();
    this.deps.shutdown?.addEventListener('abort', onShutdown);
    const onPreempt = () => {
      this.preempted = true;
      this.abort.abort();
      this.wake();
    };
    this.deps.preempt?.addEventListener('abort', onPreempt);
    try {
      this.tenant = await loadTenantView(this.deps.db, this.tenantId);
      if (!this.fresh) await this.load();
      await this.loop();
    } catch (error) {
      if (!(error instanceof LeaseLostError)) {
        await this.lease.expire();
        throw error;
      }
      this.deps.logger.info({ executionId: this.executionId }, 'lease lost; another worker has the execution');
    } finally {
      clearInterval(heartbeat);
      this.deps.shutdown?.removeEventListener('abort', onShutdown);
      this.deps.preempt?.removeEventListener('abort', onPreempt);
      this.abort.abort(RUN_ENDED);
      await Promise.allSettled(this.inFlight.values());
    }
  }

  private async load(): Promise<void> {
    this.nextSequence = await loadSteps(this.deps.db, this.state);
    await loadWaitsAndChildren(this.deps.db, this.definition, this);
  }

  /** Extends the lease; notices signals (cancel, pause, events, children) and a lost lease. */
  private async renewLease(): Promise<boolean> {
    try {
      const news = await this.lease.renew();
      if (!news) {
        this.leaseLost = true;
        this.abort.abort();
        this.wake();
        return false;
      }
      this.state.cancelRequested = news.cancelRequested;
      this.state.pauseRequested = news.pauseRequested;
      if (news.signalSeq !== this.signalSeq) {
        this.signalSeq = news.signalSeq;
        this.signalled = true;
        this.wake();
      }
      return true;
    } catch (error) {
      this.deps.logger.warn({ err: error, executionId: this.executionId }, 'lease renewal failed');
      return true;
    }
  }

  noteSignal(result: CheckpointResult): void {
    if (result.signalSeq !== this.signalSeq) {
      this.signalSeq = result.signalSeq;
      this.signalled = true;
    }
  }

  private get stopping(): boolean {
    return this.deps.shutdown?.aborted === true;
  }

  /** Shutting down: once the steps in flight settle, what is recorded is checkpointed and the execution goes back to the queue. */
  private async handBack(): Promise<void> {
    await Promise.allSettled(this.inFlight.values());
    await this.buffer.flush();
    await this.lease.handBack();
    this.deps.released?.(this.deps.clock.now());
  }

  private async loop(): Promise<void> {
    for (;;) {
      if (this.leaseLost) throw new LeaseLostError(this.executionId);
      if (this.preempted) return await this.handBack();
      if (this.signalled) {
        this.signalled = false;
        if (!(await this.renewLease())) continue;
        this.blocked.clear();
        await loadWaitsAndChildren(this.deps.db, this.definition, this);
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
          const now = this.deps.clock.now();
          for (const finish of decision.finish) {
            const current = this.state.steps.get(finish.step.name);
            if (!current) continue;
            this.buffer.outcomesPending = true;
            this.apply(containerFinished(finish, current, (key) => this.state.steps.get(key)?.output, now));
          }
          // Outcomes so far are checkpointed before anything new runs; a signal (pause, cancel) that
          // checkpoint brings back is looked at before deciding again.
          if (this.buffer.outcomesPending || decision.start.length === 0) {
            await this.buffer.flush();
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
          const resuming = new Set(
            decision.start.filter((step) => this.state.steps.get(step.name)?.status === 'running').map((step) => step.name),
          );
          // A fast step's start rides along with its outcome; one whose effects leave the database (or that starts
          // a child run) is recorded started first, and a signal that commit brings back (a pause) comes before it runs.
          if (decision.start.map((step) => this.recordStart(step)).some(Boolean)) {
            await this.buffer.flush();
            if (this.signalled) continue;
          }
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
            if (this.buffer.hasPending() && (await this.waitForSomething(deadline, running))) continue;
            await this.buffer.flush();
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
            result = runResult(this.definition, this.state.steps, () => templateScope(this));
          } catch (error) {
            await this.finishRun('failed', decision.skip, { error: toRecordedError(error) });
            return;
          }
          await this.finishRun('completed', decision.skip, { result });
          return;
        }
        case 'compensate':
          await compensateStep(this.deps, this, decision.step, this.abort.signal, this.ref);
          continue;
        case 'fail':
          await this.finishRun('failed', [], { error: runFailure(decision.error, this.state.steps) });
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
    const waits: Promise<boolean>[] = running.map((step) =>
      step.then(
        () => true,
        () => true,
      ),
    );
    waits.push(new Promise<boolean>((resolve) => (this.wake = () => resolve(true))));
    let timer: NodeJS.Timeout | undefined;
    if (until)
      waits.push(
        new Promise<boolean>(
          (resolve) => (timer = setTimeout(() => resolve(false), Math.max(0, until.getTime() - this.deps.clock.now().getTime()))),
        ),
      );
    try {
      return await Promise.race(waits);
    } finally {
      clearTimeout(timer);
      this.wake = () => undefined;
    }
  }

  private apply({ step, event }: StepChange): void {
    this.buffer.record(step, event);
  }

  /** Records the start of a step (unless it is resumed); true when it must be durable before it runs. */
  private recordStart(step: StepDefinition): boolean {
    const recorded = this.state.steps.get(step.name);
    if (recorded?.status === 'running') return false;
    this.apply(started(step, recorded, recorded?.sequence ?? this.nextSequence++, this.deps.clock.now()));
    this.deps.observer.stepStarted({
      ...this.ref,
      type: step.type,
      step: step.name,
      attempt: this.state.steps.get(step.name)?.attempts ?? 1,
    });
    return needsDurableStart(step, this.deps.services);
  }

  private launch(step: StepDefinition, resuming: boolean): void {
    const attempt = this.state.steps.get(step.name)?.attempts ?? 1;
    const running = (async () => {
      const completeAs: CompleteAs = (output, input) => completed(this.recordedStep(step.name), output, input, this.deps.clock.now());
      const outcome = await attemptStep(this.deps, this, { step, attempt, resuming, completeAs, runSignal: this.abort.signal });
      this.settle(step, outcome, attempt, resuming);
    })();
    const tracked = running.finally(() => this.inFlight.delete(step.name));
    this.inFlight.set(step.name, tracked);
    tracked.catch(() => undefined); // surfaced by the loop, which awaits it
  }

  private recordedStep(key: string): StepState {
    const current = this.state.steps.get(key);
    if (!current) throw new Error(`step ${key} settled without being started`);
    return current;
  }

  /** Records what an attempt came to; the loop checkpoints it (with what it decides next). */
  private settle(step: StepDefinition, outcome: StepOutcome, attempt: number, resuming: boolean): void {
    if (this.preempted) return;
    const now = this.deps.clock.now();
    const current = this.recordedStep(step.name);
    const applied = applyOutcome({ step, current, outcome, attempt, resuming, now });
    observeStepEnd(this.deps.observer, this.ref, { step, current, outcome, next: applied.changes[0]?.step, now });
    for (const change of applied.changes) this.apply(change);
    for (const untaken of applied.skip) this.recordSkipped(untaken, 'branch not taken');
    if (applied.blocked) this.blocked.set(step.name, applied.blocked.until);
    if (applied.wait) {
      const { stepKey, eventName, expiresAt } = applied.wait;
      this.buffer.registerWait(applied.wait);
      this.waits.set(stepKey, { eventName, ...(expiresAt ? { expiresAt } : {}) });
    }
    this.buffer.outcomesPending = true;
  }

  private recordSkipped(step: StepDefinition, reason: string): void {
    if (this.state.steps.has(step.name)) return;
    this.apply(skipped(step, this.nextSequence++, reason, this.deps.clock.now()));
  }

  private async finishRun(
    status: 'completed' | 'failed' | 'cancelled',
    skip: StepDefinition[],
    outcome: { result?: JsonValue; error?: RecordedError },
  ): Promise<void> {
    for (const step of skip) this.recordSkipped(step, 'not reached');
    await this.buffer.writeEnd(status, outcome);
    const seconds = this.startedAt ? (this.deps.clock.now().getTime() - this.startedAt.getTime()) / 1000 : undefined;
    this.deps.observer.executionFinished({ ...this.ref, status, seconds, code: outcome.error?.code });
  }

  /** Releases the lease until `wakeAt` (or a signal). False when a signal arrived meanwhile: look again. */
  private async park(status: 'waiting' | 'paused', wakeAt: Date | undefined): Promise<boolean> {
    await this.buffer.flush();
    // That checkpoint may have brought news (a child run ended, an event arrived): look before leaving.
    if (this.signalled) return false;
    const parked = await this.lease.park(status, wakeAt, this.signalSeq);
    if (!parked) {
      // Refused: a signal arrived, or the lease is gone (then renewLease marks it lost).
      this.signalled = true;
      return false;
    }
    announceParked(this.deps.writer, this.lease, this.tenantId, {
      status,
      wakeAt,
      lastEventSeq: parked.lastEventSeq,
      signalSeq: this.signalSeq,
    });
    if (wakeAt) this.deps.released?.(wakeAt);
    this.deps.observer.executionParked({ ...this.ref, status, wakeAt });
    return true;
  }
}
