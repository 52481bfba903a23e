import type { JsonValue, RecordedError } from '../entities/json.js';
import type { ExecutionStatus, StepStatus } from '../entities/statuses.js';
import { AppError } from '../errors.js';
import { commandRefusal, type CommandFacts, type ExecutionCommand } from './commands.js';

/**
 * What a retry or a rerun forgets and keeps of a run's recorded steps: pure, and the one place that
 * decides it. The commands (store/execution-store.ts) carry the plan out; the previews
 * (previewRetry, previewRerun) describe it — so a preview cannot say other than what the command does.
 */

export interface RecordedStepRow {
  key: string;
  status: StepStatus;
  sequence: number;
  compensation: JsonValue | null;
}

export interface ResetPlan {
  /** The step the run goes on from. */
  fromStep: string;
  /** Steps forgotten: they run again when the run reaches them. */
  reset: string[];
  /** Rerun: the recorded steps copied into the new run (completed or skipped, not reset). */
  kept: string[];
}

/**
 * The keys of steps to forget so that a run goes on from `fromStep`: that step, the containers around
 * it (they run again to reach it), every compensated step (its effect was undone, so it must be redone)
 * with its containers, and every step started after the earliest of those — it may have used what is
 * redone (a transform of a withdrawn quote's price), so keeping its output would carry stale data on.
 */
export function stepsToReset(steps: readonly RecordedStepRow[], fromStep: string, containersOf: (key: string) => string[]): Set<string> {
  const reset = new Set<string>([fromStep, ...containersOf(fromStep)]);
  for (const step of steps) {
    if (step.compensation === null) continue;
    // A container left completed would never run its branches again.
    reset.add(step.key);
    for (const container of containersOf(step.key)) reset.add(container);
  }
  const earliest = Math.min(...steps.filter((step) => reset.has(step.key)).map((step) => step.sequence));
  for (const step of steps) if (step.sequence >= earliest) reset.add(step.key);
  return reset;
}

/** The step a retry without `fromStep` goes on from: the one the run's error names, else a failed one. */
export function failedStepOf(errorStep: unknown, steps: ReadonlyArray<{ key: string; status: StepStatus }>): string | undefined {
  return typeof errorStep === 'string' ? errorStep : steps.find((step) => step.status === 'failed')?.key;
}

/** INVALID_STATE saying why the run's state refuses the command (`details.status`). */
export function refused(command: ExecutionCommand, id: string, facts: CommandFacts): AppError {
  const reason = commandRefusal(command, facts) ?? `it is ${facts.status}`;
  return new AppError('INVALID_STATE', `cannot ${command} execution ${id}: ${reason}`, { details: { status: facts.status } });
}

function mustBeRecorded(id: string, steps: readonly RecordedStepRow[], fromStep: string): void {
  if (!steps.some((step) => step.key === fromStep))
    throw new AppError('BAD_USER_INPUT', `execution ${id} has no recorded step "${fromStep}"`);
}

/**
 * A retry of run `id` from `fromStep` (default: the step that failed): refused (INVALID_STATE,
 * BAD_USER_INPUT) as the command refuses it, else what it forgets. Every step not reset stays as recorded.
 */
export function planRetry(
  id: string,
  run: { status: ExecutionStatus; error: RecordedError | null },
  steps: readonly RecordedStepRow[],
  fromStep: string | undefined,
  containersOf: (key: string) => string[],
): ResetPlan {
  const failed = failedStepOf(run.error?.['step'], steps);
  // Named, the step to go on from need not be the failed one.
  const facts: CommandFacts = { status: run.status, pauseRequested: false, failedStep: fromStep ?? failed };
  if (commandRefusal('retry', facts) !== undefined) throw refused('retry', id, facts);
  const from = fromStep ?? failed ?? '';
  if (fromStep) mustBeRecorded(id, steps, fromStep);
  const reset = stepsToReset(steps, from, containersOf);
  return { fromStep: from, reset: [...reset], kept: steps.filter((step) => !reset.has(step.key)).map((step) => step.key) };
}

/** A rerun of run `id` from `fromStep`: refused as the command refuses it, else what the new run starts with. */
export function planRerun(
  id: string,
  run: { status: ExecutionStatus },
  steps: readonly RecordedStepRow[],
  fromStep: string,
  containersOf: (key: string) => string[],
): ResetPlan {
  const facts: CommandFacts = { status: run.status, pauseRequested: false, recordedSteps: steps.length };
  if (commandRefusal('rerun', facts) !== undefined) throw refused('rerun', id, facts);
  mustBeRecorded(id, steps, fromStep);
  const reset = stepsToReset(steps, fromStep, containersOf);
  const kept = steps
    .filter((step) => !reset.has(step.key) && (step.status === 'completed' || step.status === 'skipped'))
    .map((step) => step.key);
  return { fromStep, reset: [...reset], kept };
}
