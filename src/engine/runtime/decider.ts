import type { RecordedError } from '../../entities/json.js';
import {
  assertNever,
  type ConditionStep,
  type ParallelStep,
  type ServiceCallStep,
  type StepDefinition,
  type WorkflowDefinition,
} from '../definition/step-types.js';
import type { ExecutionState, StepState } from './state.js';
import type { Verdict } from '../definition/verdicts.js';

/**
 * The decider: given a definition and what has been recorded, what happens next. Pure — no I/O, no
 * clock of its own — so every rule of the engine's control flow is unit-testable.
 *
 * Control flow is structured: a run is a sequence of steps; `condition` runs one of its two nested
 * sequences; `parallel` runs its branches concurrently and joins them. Containers are `running` while
 * their children run and are finished by the decider ("finish"), never by a handler.
 */

export interface DeciderInput {
  definition: WorkflowDefinition;
  state: ExecutionState;
  now: Date;
  /** Steps this worker is running at this moment. */
  inFlight: ReadonlySet<string>;
  /** Steps that were looked at in this pass and must wait (timer, event, child run): when to look again. */
  blocked: ReadonlyMap<string, Date | undefined>;
}

export interface ContainerFinish {
  step: StepDefinition;
  status: 'completed' | 'failed';
  error?: RecordedError;
}

export type Decision =
  /** Start these steps (or resume them: a `running` step nobody is running), and/or finish these containers. */
  | { kind: 'act'; start: StepDefinition[]; finish: ContainerFinish[] }
  /** Nothing to do until a step in flight ends, or `wakeAt`, or a signal. */
  | { kind: 'blocked'; inFlight: boolean; wakeAt?: Date }
  /** The run is done; `ended` when a condition ended it early. `skip`: steps that never ran. */
  | { kind: 'complete'; ended: boolean; skip: StepDefinition[] }
  /** A critical step failed: undo this completed step first (latest completed first). */
  | { kind: 'compensate'; step: ServiceCallStep }
  /** A critical step failed and every compensation has run. */
  | { kind: 'fail'; error: RecordedError }
  | { kind: 'cancel' }
  | { kind: 'pause' };

type SequenceResult =
  | { state: 'done' }
  | { state: 'ended' }
  | { state: 'failed'; error: RecordedError }
  | { state: 'active'; start: StepDefinition[]; finish: ContainerFinish[]; inFlight: boolean; wakeAt?: Date };

/** The nested sequences of a container step. */
export function childSequences(step: StepDefinition): StepDefinition[][] {
  switch (step.type) {
    case 'parallel':
      return step.branches;
    case 'condition':
      return [step.then ?? [], step.else ?? []];
    case 'service_call':
    case 'transform':
    case 'wait':
    case 'sub_workflow':
    case 'approval':
      return [];
    default:
      return assertNever(step, 'step');
  }
}

export function* allSteps(steps: readonly StepDefinition[]): Generator<StepDefinition> {
  for (const step of steps) {
    yield step;
    for (const sequence of childSequences(step)) yield* allSteps(sequence);
  }
}

/** A condition's output: its verdict (expression, value, result) and the branch taken. */
export interface ConditionOutput extends Verdict {
  branch: 'then' | 'else';
}

export function conditionBranch(state: StepState | undefined): 'then' | 'else' | undefined {
  const output = state?.output;
  if (output && typeof output === 'object' && !Array.isArray(output)) {
    const branch = output['branch'];
    if (branch === 'then' || branch === 'else') return branch;
  }
  return undefined;
}

const earlier = (a: Date | undefined, b: Date | undefined) => (a && b ? (a < b ? a : b) : (a ?? b));

function active(partial: Partial<Extract<SequenceResult, { state: 'active' }>>): SequenceResult {
  return { state: 'active', start: [], finish: [], inFlight: false, ...partial };
}

export function decide(input: DeciderInput): Decision {
  const { definition, state } = input;
  if (state.cancelRequested) return { kind: 'cancel' };

  const result = evaluateSequence(definition.steps, input);
  switch (result.state) {
    case 'done':
    case 'ended':
      return { kind: 'complete', ended: result.state === 'ended', skip: neverStarted(definition, state) };
    case 'failed': {
      const step = nextCompensation(definition, state);
      return step ? { kind: 'compensate', step } : { kind: 'fail', error: result.error };
    }
    case 'active': {
      if (state.pauseRequested) {
        // Pause at a step boundary: start nothing new, let what runs finish.
        return result.inFlight || result.finish.length > 0
          ? result.finish.length > 0
            ? { kind: 'act', start: [], finish: result.finish }
            : { kind: 'blocked', inFlight: true }
          : { kind: 'pause' };
      }
      if (result.start.length > 0 || result.finish.length > 0) return { kind: 'act', start: result.start, finish: result.finish };
      return { kind: 'blocked', inFlight: result.inFlight, ...(result.wakeAt ? { wakeAt: result.wakeAt } : {}) };
    }
  }
}

function evaluateSequence(steps: readonly StepDefinition[], input: DeciderInput): SequenceResult {
  for (const step of steps) {
    const recorded = input.state.steps.get(step.name);
    if (!recorded || recorded.status === 'pending') {
      if (recorded?.nextAttemptAt && recorded.nextAttemptAt > input.now) return active({ wakeAt: recorded.nextAttemptAt });
      if (input.inFlight.has(step.name)) return active({ inFlight: true });
      return active({ start: [step] });
    }
    switch (recorded.status) {
      case 'running': {
        const result = evaluateRunning(step, recorded, input);
        if (result) return result;
        continue;
      }
      case 'completed':
        if (step.type === 'condition' && conditionBranch(recorded) === 'else' && step.onFalse === 'end') return { state: 'ended' };
        continue;
      case 'skipped':
        continue;
      case 'failed':
        if (step.critical === false) continue;
        return { state: 'failed', error: recorded.error ?? { code: 'STEP_FAILED', message: `step ${step.name} failed`, retryable: false } };
    }
  }
  return { state: 'done' };
}

/** A `running` step: a container whose children decide, or a leaf in flight, blocked, or to resume. */
function evaluateRunning(step: StepDefinition, recorded: StepState, input: DeciderInput): SequenceResult | undefined {
  if (step.type === 'parallel') return evaluateParallel(step, input);
  if (step.type === 'condition') {
    const branch = conditionBranch(recorded);
    if (branch) return evaluateCondition(step, branch, input);
  }
  if (input.inFlight.has(step.name)) return active({ inFlight: true });
  if (input.blocked.has(step.name)) {
    const wakeAt = input.blocked.get(step.name);
    return active(wakeAt ? { wakeAt } : {});
  }
  // Started but nobody runs it: an attempt interrupted by a crash, or a wait to look at again.
  return active({ start: [step] });
}

function evaluateCondition(step: ConditionStep, branch: 'then' | 'else', input: DeciderInput): SequenceResult {
  const result = evaluateSequence((branch === 'then' ? step.then : step.else) ?? [], input);
  switch (result.state) {
    case 'done':
      if (branch === 'else' && step.onFalse === 'fail') {
        return active({
          finish: [
            { step, status: 'failed', error: { code: 'CONDITION_FALSE', message: `condition ${step.name} was false`, retryable: false } },
          ],
        });
      }
      return active({ finish: [{ step, status: 'completed' }] });
    case 'failed':
      return active({ finish: [{ step, status: 'failed', error: result.error }] });
    case 'ended':
    case 'active':
      return result;
  }
}

function evaluateParallel(step: ParallelStep, input: DeciderInput): SequenceResult {
  const results = step.branches.map((branch) => evaluateSequence(branch, input));
  const actives = results.filter((result): result is Extract<SequenceResult, { state: 'active' }> => result.state === 'active');
  const inFlight = actives.some((result) => result.inFlight);
  const failed = results.find((result): result is Extract<SequenceResult, { state: 'failed' }> => result.state === 'failed');
  if (failed) {
    // Start nothing more in the other branches; join what is in flight, then fail.
    return inFlight ? active({ inFlight: true }) : active({ finish: [{ step, status: 'failed', error: failed.error }] });
  }
  if (results.some((result) => result.state === 'ended')) return inFlight ? active({ inFlight: true }) : { state: 'ended' };
  if (actives.length === 0) return active({ finish: [{ step, status: 'completed' }] });
  const wakeAt = actives.reduce<Date | undefined>((wake, result) => earlier(wake, result.wakeAt), undefined);
  return active({
    start: actives.flatMap((result) => result.start),
    finish: actives.flatMap((result) => result.finish),
    inFlight,
    ...(wakeAt ? { wakeAt } : {}),
  });
}

/** The completed, compensable step that completed last and has not been compensated yet. */
function nextCompensation(definition: WorkflowDefinition, state: ExecutionState): ServiceCallStep | undefined {
  let next: { step: ServiceCallStep; recorded: StepState } | undefined;
  for (const step of allSteps(definition.steps)) {
    if (step.type !== 'service_call' || !step.compensate) continue;
    const recorded = state.steps.get(step.name);
    if (recorded?.status !== 'completed' || recorded.compensation) continue;
    const later =
      !next ||
      (recorded.completedAt?.getTime() ?? 0) > (next.recorded.completedAt?.getTime() ?? 0) ||
      ((recorded.completedAt?.getTime() ?? 0) === (next.recorded.completedAt?.getTime() ?? 0) &&
        recorded.sequence > next.recorded.sequence);
    if (later) next = { step, recorded };
  }
  return next?.step;
}

function neverStarted(definition: WorkflowDefinition, state: ExecutionState): StepDefinition[] {
  return [...allSteps(definition.steps)].filter((step) => !state.steps.has(step.name));
}
