import { verdictOf, type Verdict } from '../definition/verdicts.js';
import type { StepDefinition } from '../definition/step-types.js';
import { STEP_HANDLERS } from '../steps/registry.js';
import type { StepOutcome, StepRunContext } from '../steps/types.js';
import { withVerdict } from './apply-outcome.js';
import { LeaseLostError } from './errors.js';
import type { ExecutorDeps } from './executor-deps.js';
import { withinTimeLimit } from './time-limit.js';
import { evaluateInRun, recordStepError, stepRunContext, type CompleteAs, type RunView } from './step-context.js';
import type { AttemptAbort } from './attempt-abort.js';
import { withFields } from '../../infra/with-fields.js';

/**
 * One attempt of one step: its `when` guard, its handler, its timeout. Whatever the handler throws
 * becomes a failed outcome (a lost lease excepted: the run stops); the run's abort (cancel, a lost
 * lease) and a timeout abort the handler. Traced, the attempt runs inside its span.
 */
export function attemptStep(deps: ExecutorDeps, run: RunView, args: AttemptArgs): Promise<StepOutcome> {
  if (!deps.tracer) return attempt(deps, run, args);
  const step = { executionId: run.executionId, key: args.step.name, type: args.step.type, attempt: args.attempt };
  return deps.tracer.step(step, () => attempt(deps, run, args));
}

/**
 * How long one attempt may take, in seconds: the step's own `timeoutSeconds`, else — for a service call,
 * the one step that waits on something outside — the engine's default (0: none). Undefined: no limit.
 * Any other step either ends at once or parks the run (a wait, an approval, a child run) with its own timeout.
 */
export function attemptTimeoutSeconds(step: StepDefinition, defaultServiceCallSeconds: number): number | undefined {
  if (step.timeoutSeconds) return step.timeoutSeconds;
  return step.type === 'service_call' && defaultServiceCallSeconds > 0 ? defaultServiceCallSeconds : undefined;
}

type AttemptArgs = {
  step: StepDefinition;
  attempt: number;
  resuming: boolean;
  completeAs: CompleteAs;
  /** The attempt's own abort: raised by the run's (cancel, a lost lease), and by its timeout. */
  abort: AttemptAbort;
};

async function attempt(deps: ExecutorDeps, run: RunView, args: AttemptArgs): Promise<StepOutcome> {
  const { step, attempt, resuming, completeAs, abort: stepAbort } = args;
  let when: Verdict | undefined;
  try {
    if (!resuming && step.when !== undefined) {
      when = verdictOf(step.when, await evaluateInRun(run, step.when));
      if (!when.result) return { kind: 'skipped', verdict: when };
    }
    // A completion committed in the step's own transaction records the verdict there.
    const verdict = when;
    const completeWith: CompleteAs = verdict ? (output, input) => withVerdict(completeAs(output, input), verdict) : completeAs;
    const ctx = stepRunContext(deps, run, step.name, attempt, stepAbort, completeWith, resuming);
    deps.probe?.('before-step', { executionId: run.executionId, step: step.name });
    const handler = STEP_HANDLERS[step.type] as { run(step: StepDefinition, ctx: StepRunContext): Promise<StepOutcome> };
    const ran = handler.run(step, ctx);
    const running = verdict ? ran.then((outcome): StepOutcome => withFields(outcome, { when: verdict })) : ran;
    const seconds = attemptTimeoutSeconds(step, deps.defaultStepTimeoutSeconds);
    return await withinTimeLimit(running, seconds, stepAbort, () => ({
      kind: 'failed',
      error: { code: 'TIMEOUT', message: `step ${step.name} timed out after ${seconds} s`, retryable: true },
      ...(when ? { when } : {}),
    }));
  } catch (error) {
    if (error instanceof LeaseLostError) throw error;
    return { kind: 'failed', error: recordStepError(deps, run.executionId, step.name, error) };
  }
}
