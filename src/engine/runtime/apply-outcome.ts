import type { JsonObject, JsonValue, RecordedError } from '../../entities/json.js';
import { assertNever, type StepDefinition } from '../definition/step-types.js';
import type { StepEnd } from '../ports.js';
import type { StepOutcome } from '../steps/types.js';
import type { EventRecord, WaitRecord } from './checkpoint-writer.js';
import { allSteps, childSequences, type ConditionOutput, type ContainerFinish } from './decider.js';
import type { Verdict } from '../definition/verdicts.js';
import { retryDelayMs, retryPolicyFor } from './retry-policy.js';
import type { StepState } from './state.js';
import { withFields } from '../../infra/with-fields.js';

/**
 * What the runtime records when something happens to a step: pure functions from the step's recorded
 * state (and the time) to new step states and their events. The executor applies them to its state and
 * checkpoint buffer; here they can be tested without a database, like the decider.
 */

/** One change to record: the step's new state and, when watchers should hear of it, its event. */
export interface StepChange {
  step: StepState;
  event?: EventRecord;
}

/** What an attempt's outcome comes to. */
export interface AppliedOutcome {
  changes: StepChange[];
  /** The step waits (for a time, an event or a child): the loop does not decide for it until then. */
  blocked?: { until: Date | undefined };
  /** An event wait to register with the checkpoint. */
  wait?: WaitRecord;
  /** Steps of a condition's untaken branch, to record as skipped (unless already recorded). */
  skip: StepDefinition[];
}

export interface OutcomeInput {
  step: StepDefinition;
  /** The step's recorded state (its start is always recorded before it runs). */
  current: StepState;
  outcome: StepOutcome;
  attempt: number;
  /** The step was already running when this worker took the run over (a wait or child being resumed). */
  resuming: boolean;
  now: Date;
}

/** The step completed with `output`. */
export function completed(current: StepState, output: JsonValue, input: JsonValue | undefined, now: Date): Required<StepChange> {
  const { nextAttemptAt: _, error: __, ...rest } = current;
  return {
    step: withFields(rest, { status: 'completed', output, completedAt: now, ...withInput(input) }),
    event: { type: 'step.completed', stepKey: current.key, payload: { output } },
  };
}

function withInput(input: JsonValue | undefined): { input?: JsonValue } {
  return input === undefined ? {} : { input };
}

function changed(a: StepState, b: StepState): boolean {
  return JSON.stringify(a.output) !== JSON.stringify(b.output) || JSON.stringify(a.input) !== JSON.stringify(b.input);
}

function failed(
  step: StepDefinition,
  current: StepState,
  error: RecordedError,
  input: JsonValue | undefined,
  attempt: number,
  now: Date,
): StepChange {
  const retry = retryPolicyFor(step.retry, attempt, error);
  if (retry) {
    const nextAttemptAt = new Date(now.getTime() + retryDelayMs(retry, attempt));
    return {
      step: withFields(current, { status: 'pending', error, nextAttemptAt, ...withInput(input) }),
      event: { type: 'step.retrying', stepKey: step.name, payload: { attempt, error, nextAttemptAt: nextAttemptAt.toISOString() } },
    };
  }
  const { nextAttemptAt: _, ...rest } = current;
  return {
    step: withFields(rest, { status: 'failed', error, completedAt: now, ...withInput(input) }),
    event: { type: 'step.failed', stepKey: step.name, payload: { attempt, error, critical: step.critical !== false } },
  };
}

/** The change with the `when` verdict that let the attempt run added to its event (why it ran). */
export function withVerdict<C extends StepChange>(change: C, when: Verdict | undefined): C {
  // eslint-disable-next-line no-restricted-syntax -- only a step with a `when` guard comes here, and a copy of a generic C has to be written so
  return when && change.event ? { ...change, event: { ...change.event, payload: { ...change.event.payload, when } } } : change;
}

/** What an attempt of `step` came to, as changes to record (the retry decision included). */
export function applyOutcome(input: OutcomeInput): AppliedOutcome {
  const applied = outcomeChanges(input);
  return withFields(applied, { changes: applied.changes.map((change) => withVerdict(change, input.outcome.when)) });
}

function outcomeChanges({ step, current, outcome, attempt, resuming, now }: OutcomeInput): AppliedOutcome {
  switch (outcome.kind) {
    case 'completed':
      // Committed: recorded inside the step's own transaction already.
      return { changes: outcome.committed ? [] : [completed(current, outcome.output, outcome.input, now)], skip: [] };
    case 'skipped': {
      // Why it did not run: the guard's expression and value, in its output and its event.
      const when = outcome.verdict;
      return {
        changes: [
          {
            step: withFields(current, { status: 'skipped', output: { when }, completedAt: now }),
            event: { type: 'step.skipped', stepKey: step.name, payload: { reason: 'when', when } },
          },
        ],
        skip: [],
      };
    }
    case 'started':
      return { changes: [], skip: [] };
    case 'branch': {
      const payload: ConditionOutput = withFields(outcome.verdict, { branch: outcome.branch });
      const untaken = step.type === 'condition' ? (outcome.branch === 'then' ? (step.else ?? []) : (step.then ?? [])) : [];
      return {
        changes: [{ step: withFields(current, { output: payload }), event: { type: 'step.branched', stepKey: step.name, payload } }],
        skip: [...allSteps(untaken)],
      };
    }
    case 'waiting': {
      const output = outcome.output ?? current.output;
      const input = outcome.input ?? current.input;
      const next: StepState = { ...current, ...(output === undefined ? {} : { output }), ...withInput(input) };
      const payload: JsonObject = { ...(outcome.until ? { until: outcome.until.toISOString() } : {}), ...(outcome.output ?? {}) };
      const changes: StepChange[] = !resuming
        ? [{ step: next, event: { type: 'step.waiting', stepKey: step.name, payload } }]
        : changed(current, next)
          ? [{ step: next }]
          : [];
      return {
        changes,
        blocked: { until: outcome.until },
        ...(outcome.wait ? { wait: { stepKey: step.name, ...outcome.wait } } : {}),
        skip: [],
      };
    }
    case 'failed':
      return { changes: [failed(step, current, outcome.error, outcome.input ?? current.input, attempt, now)], skip: [] };
    default:
      return assertNever(outcome, 'step outcome');
  }
}

/** A step the run did not reach, or a branch not taken. */
export function skipped(step: StepDefinition, sequence: number, reason: string, now: Date): Required<StepChange> {
  return {
    step: { key: step.name, name: step.name, type: step.type, sequence, status: 'skipped', attempts: 0, completedAt: now },
    event: { type: 'step.skipped', stepKey: step.name, payload: { reason } },
  };
}

/**
 * A container (parallel, condition) whose children are all done: completed with their outputs (a
 * condition keeps its branch record as output), or failed with the failure that ended it.
 */
export function containerFinished(
  finish: ContainerFinish,
  current: StepState,
  outputOf: (key: string) => JsonValue | undefined,
  now: Date,
): Required<StepChange> {
  if (finish.status === 'completed') {
    const outputs = Object.fromEntries(
      childSequences(finish.step)
        .flat()
        .flatMap((child) => [...allSteps([child])])
        .map((child) => [child.name, outputOf(child.name) ?? null] as const),
    );
    const output = finish.step.type === 'condition' ? (current.output ?? null) : outputs;
    return {
      step: withFields(current, { status: 'completed', output, completedAt: now }),
      event: { type: 'step.completed', stepKey: finish.step.name, payload: { output } },
    };
  }
  const error = finish.error ?? { code: 'STEP_FAILED', message: `${finish.step.name} failed`, retryable: false };
  return {
    step: withFields(current, { status: 'failed', error, completedAt: now }),
    event: { type: 'step.failed', stepKey: finish.step.name, payload: { error, critical: finish.step.critical !== false } },
  };
}

/** The step (re)starts: its attempt counter goes up; a previous attempt's error stays visible until it ends. */
export function started(step: StepDefinition, recorded: StepState | undefined, sequence: number, now: Date): Required<StepChange> {
  const attempt = (recorded?.attempts ?? 0) + 1;
  return {
    step: {
      key: step.name,
      name: step.name,
      type: step.type,
      sequence: recorded?.sequence ?? sequence,
      status: 'running',
      attempts: attempt,
      startedAt: now,
      ...(recorded?.error ? { error: recorded.error } : {}),
    },
    event: { type: 'step.started', stepKey: step.name, payload: { type: step.type, attempt } },
  };
}

/** How an attempt ended, as the observer hears it; undefined while it waits or opened a container. */
export function attemptEnd(outcome: StepOutcome, next: StepState | undefined): StepEnd | undefined {
  if (outcome.kind === 'completed' || outcome.kind === 'skipped') return outcome.kind;
  if (outcome.kind === 'failed') return next?.status === 'pending' ? 'retrying' : 'failed';
  return undefined;
}
