import { assertNever, type StepDefinition, type WorkflowDefinition } from '../definition/step-types.js';
import type { TenantView } from '../definition/templates.js';
import type { RunRef } from '../ports.js';
import type { ChildExecutionState, EventWaitState } from '../steps/types.js';
import { CheckpointBuffer } from './checkpoint-buffer.js';
import { compensateStep } from './compensation.js';
import type { CheckpointResult } from './checkpoint-writer.js';
import { decide } from './decider.js';
import { isFresh, leasedState, loadSteps, loadWaitsAndChildren } from './run-loading.js';
import { LeaseLostError } from './errors.js';
import { announceClaim, inSegment, observeClaim, RunLease, runRef } from './run-lease.js';
import { cancellation, completion, runFailure, type RunEnd } from './run-outcome.js';
import { templateScope, type RunView } from './step-context.js';
import { RunSignals } from './run-signals.js';
import { RunSteps } from './run-steps.js';
import { AttemptAbort } from './attempt-abort.js';
import type { ExecutorDeps, LeasedExecution } from './executor-deps.js';
import { loadTenantView } from '../store/tenant-view.js';
import type { ExecutionState } from './state.js';
import { withFields } from '../../infra/with-fields.js';
import { runsBeforeAdmission, type PendingAdmission } from './admission.js';

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

/**
 * Runs an execution whose lease this process holds — or, with `admission`, will hold once the insert
 * that records it commits (admission.ts).
 */
export async function runLeasedExecution(deps: ExecutorDeps, leased: LeasedExecution, admission?: PendingAdmission): Promise<void> {
  const [definition, workflowName] = await Promise.all([
    deps.definitions.load(leased.workflow_id, leased.workflow_version),
    deps.definitions.nameOf(leased.workflow_id),
  ]);
  await inSegment(deps, leased, workflowName, () => new ExecutionRun(deps, leased, definition, workflowName, admission).run());
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
  private readonly signals: RunSignals;
  private readonly steps: RunSteps;
  private readonly abort = new AttemptAbort();
  /** Out of time while shutting down: what the steps in flight come to is not recorded. */
  private preempted = false;
  private readonly fresh: boolean;
  private readonly startedAt: Date | undefined;
  /** Who this run is, to the observer. */
  private readonly ref: RunRef;

  constructor(
    private readonly deps: ExecutorDeps,
    leased: LeasedExecution,
    private readonly definition: WorkflowDefinition,
    workflowName: string,
    private readonly admission?: PendingAdmission,
  ) {
    this.executionId = leased.id;
    this.tenantId = leased.tenant_id;
    this.state = leasedState(leased);
    this.lease = new RunLease(deps, leased);
    this.signals = new RunSignals(leased.signal_seq, deps, this.lease, this.state, this.abort);
    this.buffer = new CheckpointBuffer(
      { executionId: leased.id, tenantId: leased.tenant_id, epoch: this.lease.epoch, state: this.state },
      deps.writer,
      (result) => this.noteSignal(result),
      admission,
    );
    this.fresh = isFresh(leased);
    this.startedAt = leased.started_at ? new Date(leased.started_at) : undefined;
    this.ref = runRef(leased, workflowName);
    this.steps = new RunSteps(
      deps,
      this,
      this.ref,
      this.abort,
      () => this.preempted,
      () => this.signals.stepSettled(),
    );
    // A run not recorded yet counts as started once it is.
    const observe = () => observeClaim(deps.observer, this.ref, leased, deps.clock.now());
    if (admission) admission.admitted.then(observe, () => undefined);
    else observe();
  }

  async run(): Promise<void> {
    const stopHeartbeat = this.heartbeat();
    const onShutdown = () => this.signals.wake();
    this.deps.shutdown?.addEventListener('abort', onShutdown);
    const onPreempt = () => {
      this.preempted = true;
      this.abort.abort();
      this.signals.wake();
    };
    this.deps.preempt?.addEventListener('abort', onPreempt);
    try {
      this.tenant = await loadTenantView(this.deps.db, this.tenantId);
      if (!this.fresh) {
        this.steps.nextSequence = await loadSteps(this.deps.db, this.state);
        await loadWaitsAndChildren(this.deps.db, this.definition, this);
      }
      await this.loop();
    } catch (error) {
      if (!(error instanceof LeaseLostError)) {
        await this.lease.expire();
        throw error;
      }
      if (this.admission?.refused)
        this.deps.logger.debug({ executionId: this.executionId }, 'its start was not recorded here; the run stops');
      else this.deps.logger.info({ executionId: this.executionId }, 'lease lost; another worker has the execution');
    } finally {
      stopHeartbeat();
      this.deps.shutdown?.removeEventListener('abort', onShutdown);
      this.deps.preempt?.removeEventListener('abort', onPreempt);
      this.abort.abort(RUN_ENDED);
      await this.steps.settled();
    }
  }

  /** Renews the lease from the time it exists. */
  private heartbeat(): () => void {
    const admission = this.admission;
    if (!admission?.pending) return this.signals.heartbeat(this.deps.leaseSeconds);
    let stop: (() => void) | undefined;
    let ended = false;
    admission.admitted.then(
      () => {
        if (!ended) stop = this.signals.heartbeat(this.deps.leaseSeconds);
      },
      () => undefined,
    );
    return () => {
      ended = true;
      stop?.();
    };
  }

  /** Resolves once the run is recorded (at once unless its insert is still committing); LeaseLostError if it was not. */
  private async recorded(): Promise<void> {
    if (this.admission?.pending) await this.admission.admitted;
  }

  noteSignal(result: CheckpointResult): void {
    this.signals.note(result);
  }

  private get stopping(): boolean {
    return this.deps.shutdown?.aborted === true;
  }

  /** Shutting down: once the steps in flight settle, what is recorded is checkpointed and the execution goes back to the queue. */
  private async handBack(): Promise<void> {
    await this.steps.settled();
    await this.recorded();
    await this.buffer.flush();
    await this.lease.handBack();
    this.deps.released?.(this.deps.clock.now());
  }

  private async loop(): Promise<void> {
    for (;;) {
      if (this.signals.leaseLost) throw new LeaseLostError(this.executionId);
      if (this.preempted) return await this.handBack();
      if (this.signals.signalled) {
        this.signals.signalled = false;
        if (!(await this.signals.renew())) continue;
        this.steps.blocked.clear();
        await loadWaitsAndChildren(this.deps.db, this.definition, this);
      }
      const decision = decide({
        definition: this.definition,
        state: this.state,
        now: this.deps.clock.now(),
        inFlight: new Set(this.steps.inFlight.keys()),
        blocked: this.steps.blocked,
      });
      switch (decision.kind) {
        case 'act': {
          this.steps.finishContainers(decision.finish);
          // Outcomes so far are checkpointed before anything new runs; a signal (pause, cancel) that
          // checkpoint brings back is looked at before deciding again.
          if (this.buffer.outcomesPending || decision.start.length === 0) {
            await this.buffer.flush();
            if (this.signals.signalled || decision.start.length === 0) continue;
          }
          if (this.stopping) {
            if (this.steps.inFlight.size > 0) await this.signals.wait(undefined);
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
          if (decision.start.map((step) => this.steps.recordStart(step)).some(Boolean)) {
            await this.buffer.flush();
            if (this.signals.signalled) continue;
          }
          if (!decision.start.every((step) => runsBeforeAdmission(step, this.deps.services))) await this.recorded();
          for (const step of decision.start) this.steps.launch(step, resuming.has(step.name));
          continue;
        }
        case 'blocked': {
          if (decision.inFlight) {
            // Counted before flushing: a step that ends during the flush must still wake us.
            const settled = this.signals.stepsSettled;
            // A fast step's start rides along with its outcome: what is pending is committed alone only
            // once the steps have run for a moment (then watchers see them running).
            const deadline = new Date(this.deps.clock.now().getTime() + FAST_STEP_MS);
            if (this.buffer.hasPending() && (await this.signals.wait(deadline, settled))) continue;
            await this.buffer.flush();
            await this.signals.wait(undefined, settled);
            continue;
          }
          await this.recorded();
          const now = this.deps.clock.now();
          // A short timer is slept through holding the lease, unless this worker is shutting down.
          if (!this.stopping && decision.wakeAt && decision.wakeAt.getTime() - now.getTime() <= this.deps.inProcessWaitMs) {
            await this.signals.wait(decision.wakeAt);
            this.steps.blocked.clear();
            continue;
          }
          if (await this.park('waiting', decision.wakeAt)) return;
          continue;
        }
        case 'complete':
          return await this.finishRun(
            completion(this.definition, this.state.steps, () => templateScope(this)),
            decision.skip,
          );
        case 'compensate':
          await this.recorded();
          await compensateStep(this.deps, this, decision.step, this.abort.signal, this.ref);
          continue;
        case 'fail':
          return await this.finishRun({ status: 'failed', outcome: { error: runFailure(decision.error, this.state.steps) } });
        case 'cancel':
          this.abort.abort();
          await this.steps.settled();
          return await this.finishRun(cancellation());
        case 'pause':
          if (await this.park('paused', undefined)) return;
          continue;
        default:
          return assertNever(decision, 'decision');
      }
    }
  }

  /** Ends the run, the steps not reached recorded skipped. */
  private async finishRun({ status, outcome }: RunEnd, skip: StepDefinition[] = []): Promise<void> {
    for (const step of skip) this.steps.recordSkipped(step, 'not reached');
    await this.buffer.writeEnd(status, outcome);
    const seconds = this.startedAt ? (this.deps.clock.now().getTime() - this.startedAt.getTime()) / 1000 : undefined;
    this.deps.observer.executionFinished(withFields(this.ref, { status, seconds, code: outcome.error?.code }));
  }

  /** Releases the lease until `wakeAt` (or a signal). False when a signal arrived meanwhile: look again. */
  private async park(status: 'waiting' | 'paused', wakeAt: Date | undefined): Promise<boolean> {
    await this.buffer.flush();
    await this.recorded();
    // That checkpoint may have brought news (a child run ended, an event arrived): look before leaving.
    if (this.signals.signalled) return false;
    if (!(await this.lease.park(status, wakeAt, this.signals.signalSeq))) {
      // Refused: a signal arrived, or the lease is gone (then the next renewal marks it lost).
      this.signals.signalled = true;
      return false;
    }
    if (wakeAt) this.deps.released?.(wakeAt);
    this.deps.observer.executionParked(withFields(this.ref, { status, wakeAt }));
    return true;
  }
}
