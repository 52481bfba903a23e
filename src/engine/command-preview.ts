import type { JsonObject } from '../entities/json.js';
import type { StepStatus } from '../entities/statuses.js';
import type { ServiceRegistry } from '../services/registry.js';
import { assertNever, type StepDefinition, type StepType, type WorkflowDefinition } from './definition/step-types.js';
import { allSteps } from './runtime/decider.js';
import { planRerun, planRetry, type RecordedStepRow, type ResetPlan } from './reset-plan.js';
import type { RunToPlan } from './store/execution-store.js';

/**
 * previewRetry / previewRerun: what the command would do to each step of the run, told from the plan
 * the command itself carries out (reset-plan.ts), read without a lock and changing nothing.
 */

/**
 * - `replay`: completed; its recorded output is reused, it does not run.
 * - `keep`: recorded as skipped (or, on a retry, failed but not critical) and left so.
 * - `resume`: on a retry, recorded as running or pending and not reset: looked at again where it was.
 * - `run_again`: recorded, forgotten: it runs again when the run reaches it.
 * - `run`: never recorded: it runs for the first time when the run reaches it.
 */
export const STEP_FATES = ['replay', 'keep', 'resume', 'run_again', 'run'] as const;
export type StepFate = (typeof STEP_FATES)[number];

/** What running a step does beyond the run's own record (a service method's `effects`, a child run, people asked). */
export const STEP_EFFECTS = ['none', 'database', 'external', 'sub_workflow', 'approval'] as const;
export type StepEffect = (typeof STEP_EFFECTS)[number];

export interface StepPreview {
  step: string;
  type: StepType;
  recordedStatus: StepStatus | null;
  fate: StepFate;
  /** Its effect was undone by a compensation: running again redoes it. */
  compensated: boolean;
  effect: StepEffect;
  /** A service call's `service.method`. */
  service: string | null;
}

export type PreviewRequest =
  { command: 'retry'; fromStep?: string | undefined } | { command: 'rerun'; fromStep: string; context: JsonObject };

export interface CommandPreview {
  executionId: string;
  command: PreviewRequest['command'];
  fromStep: string;
  /** What the command forgets (a retry records the same list in its `execution.retried` event). */
  reset: string[];
  /** Every step of the definition, in its order (nested steps after their container). */
  steps: StepPreview[];
  /** A rerun: the context the new run starts with (the original's with `context` merged over it). */
  context: JsonObject | null;
}

export function effectOf(step: StepDefinition, services: Pick<ServiceRegistry, 'resolve'>): StepEffect {
  switch (step.type) {
    case 'service_call': {
      const effects = services.resolve(step.service, step.method)?.effects;
      // A method the registry no longer knows is assumed to reach outside: the preview errs on the side of warning.
      if (effects === undefined || effects === 'external') return 'external';
      return effects === 'local' ? 'database' : 'none';
    }
    case 'sub_workflow':
      return 'sub_workflow';
    case 'approval':
      return 'approval';
    case 'transform':
    case 'condition':
    case 'wait':
    case 'parallel':
      return 'none';
    default:
      return assertNever(step, 'step');
  }
}

function fateOf(command: PreviewRequest['command'], plan: ResetPlan, recorded: RecordedStepRow | undefined): StepFate {
  if (!recorded) return 'run';
  if (plan.reset.includes(recorded.key)) return 'run_again';
  switch (command) {
    case 'retry':
      if (recorded.status === 'completed') return 'replay';
      return recorded.status === 'running' || recorded.status === 'pending' ? 'resume' : 'keep';
    case 'rerun':
      // The new run holds only the steps the plan copies; any other recorded step runs again there.
      if (!plan.kept.includes(recorded.key)) return 'run_again';
      return recorded.status === 'completed' ? 'replay' : 'keep';
    default:
      return assertNever(command, 'command');
  }
}

/** The preview of `request` on `run`: refused (INVALID_STATE, BAD_USER_INPUT) exactly as the command would be. */
export function previewCommand(
  executionId: string,
  run: RunToPlan,
  definition: WorkflowDefinition,
  request: PreviewRequest,
  containersOf: (key: string) => string[],
  services: Pick<ServiceRegistry, 'resolve'>,
): CommandPreview {
  const plan =
    request.command === 'retry'
      ? planRetry(executionId, run, run.steps, request.fromStep, containersOf)
      : planRerun(executionId, run, run.steps, request.fromStep, containersOf);
  const recorded = new Map(run.steps.map((step) => [step.key, step]));
  const steps = [...allSteps(definition.steps)].map((step): StepPreview => {
    const row = recorded.get(step.name);
    return {
      step: step.name,
      type: step.type,
      recordedStatus: row?.status ?? null,
      fate: fateOf(request.command, plan, row),
      compensated: row !== undefined && row.compensation !== null,
      effect: effectOf(step, services),
      service: step.type === 'service_call' ? `${step.service}.${step.method}` : null,
    };
  });
  return {
    executionId,
    command: request.command,
    fromStep: plan.fromStep,
    reset: plan.reset,
    steps,
    context: request.command === 'rerun' ? { ...run.context, ...request.context } : null,
  };
}
