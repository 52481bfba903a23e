import type { RecordedError } from '../../entities/json.js';
import type { ServiceCallStep } from '../definition/step-types.js';
import type { RunRef } from '../ports.js';
import { callService } from '../steps/service-call.step.js';
import type { StepOutcome } from '../steps/types.js';
import type { StepChange } from './apply-outcome.js';
import type { ExecutorDeps } from './executor-deps.js';
import { stepRunContext, type RunView } from './step-context.js';
import { attemptTimeoutSeconds } from './step-attempt.js';
import { withinTimeLimit } from './time-limit.js';
import { signalSource } from './attempt-abort.js';
import { withFields } from '../../infra/with-fields.js';

/**
 * Undoes one completed step by calling its `compensate` method (key `<execution>:<step>:compensate`),
 * and records how that went on the step (`compensation.completed` / `.failed`). A local compensation
 * commits its record in its own transaction; any other is recorded here and checkpointed. The call has
 * the time limit of the step's attempts (its `timeoutSeconds`, else `SWITCHYARD_STEP_TIMEOUT_SECONDS`):
 * past it, it fails with `TIMEOUT` and the run goes on to the next compensation.
 */
export async function compensateStep(
  deps: ExecutorDeps,
  run: RunView,
  step: ServiceCallStep,
  signal: AbortSignal,
  ref: RunRef,
): Promise<void> {
  const compensation = step.compensate;
  const recorded = run.state.steps.get(step.name);
  if (!compensation || !recorded) return;
  const record = (status: 'completed' | 'failed', error?: RecordedError): Required<StepChange> => ({
    step: withFields(recorded, { compensation: { status, ...(error ? { error } : {}), at: deps.clock.now().toISOString() } }),
    event: {
      type: `compensation.${status}`,
      stepKey: step.name,
      payload: { service: compensation.service, method: compensation.method, ...(error ? { error } : {}) },
    },
  });
  const abort = new AbortController();
  const aborts = signalSource(AbortSignal.any([signal, abort.signal]));
  const ctx = stepRunContext(deps, run, step.name, recorded.attempts, aborts, () => record('completed'));
  const seconds = attemptTimeoutSeconds(step, deps.defaultStepTimeoutSeconds);
  const outcome = await withinTimeLimit(
    callService(compensation, ctx, `${run.executionId}:${step.name}:compensate`, `$.${step.name}.compensate.params`),
    seconds,
    abort,
    (): StepOutcome => ({
      kind: 'failed',
      error: { code: 'TIMEOUT', message: `the compensation of step ${step.name} timed out after ${seconds} s`, retryable: true },
    }),
  );
  const error = outcome.kind === 'failed' ? outcome.error : undefined;
  if (!(outcome.kind === 'completed' && outcome.committed)) {
    const { step: next, event } = outcome.kind === 'completed' ? record('completed') : record('failed', error);
    run.buffer.record(next, event);
    await run.buffer.flush();
  }
  deps.observer.stepCompensated(
    withFields(ref, { step: step.name, status: outcome.kind === 'completed' ? 'completed' : 'failed', code: error?.code }),
  );
}
