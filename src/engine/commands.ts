import { assertNever } from './definition/step-types.js';
import { UNFINISHED_EXECUTION_STATUSES, type ExecutionStatus } from '../entities/statuses.js';

/**
 * What each operator command asks of a run's state: one rule per command, read two ways — as the SQL
 * condition the command's UPDATE carries (`store/command-conditions.ts`, so a command cannot slip past
 * it however many race), and as the reason `availableActions` gives when it is not allowed. Neither
 * keeps a copy of it.
 */

export const EXECUTION_COMMANDS = ['cancel', 'pause', 'resume', 'retry', 'rerun'] as const;
export type ExecutionCommand = (typeof EXECUTION_COMMANDS)[number];

interface CommandRule {
  statuses: readonly ExecutionStatus[];
  /** Refused while a pause is requested already (pause). */
  notWhilePauseRequested?: boolean;
  /** Also accepted in these statuses when a pause is requested and not yet taken (resume withdraws it). */
  orPauseRequestedWhile?: readonly ExecutionStatus[];
  /** What must be recorded: a failed step to go on from (retry without `fromStep`), any step (rerun). */
  needs?: 'failed-step' | 'recorded-step';
}

const FINISHED: readonly ExecutionStatus[] = ['completed', 'failed', 'cancelled'];
/** A queued run may be paused too: it stays queued, passed over when slots free, until resumed. */
const PAUSABLE: readonly ExecutionStatus[] = UNFINISHED_EXECUTION_STATUSES.filter((status) => status !== 'paused');

export const COMMAND_RULES: { readonly [C in ExecutionCommand]: CommandRule } = {
  cancel: { statuses: UNFINISHED_EXECUTION_STATUSES },
  pause: { statuses: PAUSABLE, notWhilePauseRequested: true },
  resume: { statuses: ['paused'], orPauseRequestedWhile: PAUSABLE },
  retry: { statuses: ['failed', 'cancelled'], needs: 'failed-step' },
  rerun: { statuses: FINISHED, needs: 'recorded-step' },
};

/** The facts about a run the rules look at. */
export interface CommandFacts {
  status: ExecutionStatus;
  pauseRequested: boolean;
  /** The step a retry without `fromStep` starts from: the one that failed the run. */
  failedStep?: string | undefined;
  recordedSteps?: number | undefined;
}

/** Why the run's state refuses the command, or undefined when it allows it. */
export function commandRefusal(command: ExecutionCommand, facts: CommandFacts): string | undefined {
  const rule = COMMAND_RULES[command];
  if (facts.pauseRequested && rule.orPauseRequestedWhile?.includes(facts.status)) return undefined;
  if (!rule.statuses.includes(facts.status)) return `it is ${facts.status}`;
  if (rule.notWhilePauseRequested && facts.pauseRequested) return 'a pause is requested already';
  switch (rule.needs) {
    case undefined:
      return undefined;
    case 'failed-step':
      return facts.failedStep === undefined ? 'no step failed: name the step to retry from (fromStep)' : undefined;
    case 'recorded-step':
      return (facts.recordedSteps ?? 0) === 0 ? 'no step was recorded to rerun from' : undefined;
    default:
      return assertNever(rule.needs, 'command need');
  }
}
