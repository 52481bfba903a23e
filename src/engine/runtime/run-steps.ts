import type { StepDefinition } from '../definition/step-types.js';
import type { RunRef } from '../ports.js';
import type { EventWaitState, StepOutcome } from '../steps/types.js';
import { applyOutcome, completed, containerFinished, skipped, started, type StepChange } from './apply-outcome.js';
import type { ContainerFinish } from './decider.js';
import type { ExecutorDeps } from './executor-deps.js';
import { observeStepEnd } from './run-lease.js';
import { needsDurableStart, type CompleteAs, type RunView } from './step-context.js';
import { attemptStep } from './step-attempt.js';
import type { StepState } from './state.js';
import { withFields } from '../../infra/with-fields.js';
import { AttemptAbort } from './attempt-abort.js';
import { LeaseLostError } from './errors.js';

/** The run a RunSteps works for: its view, with the waits its steps register. */
export type StepsRun = RunView & { readonly waits: Map<string, EventWaitState> };

/**
 * A run's steps as they run: each one's start recorded, its attempt run concurrently with the others in
 * flight, and what the attempt came to recorded (the retry decision, the untaken branch, a wait) — in
 * the run's checkpoint buffer, which the loop commits.
 */
export class RunSteps {
  /** Each step in flight, settled when its attempt has been recorded. */
  readonly inFlight = new Map<string, Promise<void>>();
  /** Steps that may not start before a time (a retry's backoff) or a signal (undefined). */
  readonly blocked = new Map<string, Date | undefined>();
  /** The sequence number of the next step recorded for the first time. */
  nextSequence = 1;
  /** Each attempt in flight's own abort (its timeout raises it); the run's abort raises them all. */
  private readonly attemptAborts = new Set<AttemptAbort>();

  constructor(
    private readonly deps: ExecutorDeps,
    private readonly run: StepsRun,
    private readonly ref: RunRef,
    runAbort: AttemptAbort,
    /** Out of time while shutting down: what the steps in flight come to is not recorded. */
    private readonly preempted: () => boolean,
    /** Told each time an attempt has settled (and left `inFlight`). */
    private readonly onSettled: () => void,
  ) {
    // One listener for the run, not one added and removed per attempt, and no AbortSignal (both showed in the profile).
    runAbort.onAbort(() => this.attemptAborts.forEach((abort) => abort.abort()));
  }

  /** Resolves when every step in flight has settled. */
  async settled(): Promise<void> {
    await Promise.allSettled(this.inFlight.values());
  }

  /** Records the start of a step (unless it is resumed); true when it must be durable before it runs. */
  recordStart(step: StepDefinition): boolean {
    const recorded = this.run.state.steps.get(step.name);
    if (recorded?.status === 'running') return false;
    this.apply(started(step, recorded, recorded?.sequence ?? this.nextSequence++, this.deps.clock.now()));
    this.deps.observer.stepStarted(
      withFields(this.ref, { type: step.type, step: step.name, attempt: this.run.state.steps.get(step.name)?.attempts ?? 1 }),
    );
    return needsDurableStart(step, this.deps.services);
  }

  /** Runs the step's attempt in the background; `inFlight` holds it until what it came to is recorded. */
  launch(step: StepDefinition, resuming: boolean): void {
    const attempt = this.run.state.steps.get(step.name)?.attempts ?? 1;
    const abort = new AttemptAbort();
    this.attemptAborts.add(abort);
    const running = (async () => {
      try {
        const completeAs: CompleteAs = (output, input) => completed(this.recordedStep(step.name), output, input, this.deps.clock.now());
        const outcome = await attemptStep(this.deps, this.run, { step, attempt, resuming, completeAs, abort });
        this.settle(step, outcome, attempt, resuming);
      } catch (error) {
        // An attempt's failures are its outcome (step-attempt.ts) and a lost lease stops the run by its own
        // path; anything else is a defect in recording what the attempt came to.
        if (!(error instanceof LeaseLostError))
          this.deps.logger.error({ err: error, executionId: this.run.executionId, step: step.name }, 'recording a step attempt failed');
      } finally {
        this.attemptAborts.delete(abort);
        this.inFlight.delete(step.name);
        this.onSettled();
      }
    })();
    this.inFlight.set(step.name, running);
  }

  /** Records the containers (parallel, condition) whose inner steps are all done as finished. */
  finishContainers(finished: readonly ContainerFinish[]): void {
    const now = this.deps.clock.now();
    for (const finish of finished) {
      const current = this.run.state.steps.get(finish.step.name);
      if (!current) continue;
      this.run.buffer.outcomesPending = true;
      this.apply(containerFinished(finish, current, (key) => this.run.state.steps.get(key)?.output, now));
    }
  }

  recordSkipped(step: StepDefinition, reason: string): void {
    if (this.run.state.steps.has(step.name)) return;
    this.apply(skipped(step, this.nextSequence++, reason, this.deps.clock.now()));
  }

  apply({ step, event }: StepChange): void {
    this.run.buffer.record(step, event);
  }

  private recordedStep(key: string): StepState {
    const current = this.run.state.steps.get(key);
    if (!current) throw new Error(`step ${key} settled without being started`);
    return current;
  }

  /** Records what an attempt came to; the loop checkpoints it (with what it decides next). */
  private settle(step: StepDefinition, outcome: StepOutcome, attempt: number, resuming: boolean): void {
    if (this.preempted()) return;
    const now = this.deps.clock.now();
    const current = this.recordedStep(step.name);
    const applied = applyOutcome({ step, current, outcome, attempt, resuming, now });
    observeStepEnd(this.deps.observer, this.ref, { step, current, outcome, next: applied.changes[0]?.step, now });
    for (const change of applied.changes) this.apply(change);
    for (const untaken of applied.skip) this.recordSkipped(untaken, 'branch not taken');
    if (applied.blocked) this.blocked.set(step.name, applied.blocked.until);
    if (applied.wait) {
      const { stepKey, eventName, expiresAt } = applied.wait;
      this.run.buffer.registerWait(applied.wait);
      this.run.waits.set(stepKey, { eventName, ...(expiresAt ? { expiresAt } : {}) });
    }
    this.run.buffer.outcomesPending = true;
  }
}
