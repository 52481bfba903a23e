import type { WorkflowDefinition } from '../definition/step-types.js';
import type { Queryable } from '../../infra/queryable.js';
import type { ChildExecutionState, EventWaitState } from '../steps/types.js';
import type { LeasedExecution } from '../store/read-rows.js';
import { loadChildRuns, loadEventWaits, loadStepStates } from '../store/run-state.js';
import { allSteps } from './decider.js';
import type { ExecutionState } from './state.js';

/** What a claimed run starts from, and what it reads of its past when it was not fresh. */

/** The run's state as its lease brought it, before its steps are read. */
export function leasedState(leased: LeasedExecution): ExecutionState {
  return {
    executionId: leased.id,
    tenantId: leased.tenant_id,
    status: leased.status,
    context: leased.context,
    steps: new Map(),
    cancelRequested: leased.cancel_requested,
    pauseRequested: leased.pause_requested,
  };
}

/** Nothing to load: only its creation event so far, plus the start (a rerun starts with the steps it replays). */
export function isFresh(leased: LeasedExecution): boolean {
  return leased.previous_status === 'pending' && leased.last_event_seq <= 2 && leased.trigger_type !== 'rerun';
}

/** Reads the run's recorded steps into `state`; returns the sequence the next new step gets. */
export async function loadSteps(db: Queryable, state: ExecutionState): Promise<number> {
  let next = 1;
  for (const step of await loadStepStates(db, state.executionId)) {
    state.steps.set(step.key, step);
    next = Math.max(next, step.sequence + 1);
  }
  return next;
}

/** Reads the event waits and child runs the run's steps need, when any step needs them. */
export async function loadWaitsAndChildren(
  db: Queryable,
  definition: WorkflowDefinition,
  run: { state: ExecutionState; waits: Map<string, EventWaitState>; children: Map<string, ChildExecutionState> },
): Promise<void> {
  const { state, waits, children } = run;
  const running = [...allSteps(definition.steps)].filter((step) => state.steps.get(step.name)?.status === 'running');
  if (running.some((step) => step.type === 'wait' && step.event)) {
    for (const [key, wait] of await loadEventWaits(db, state.executionId)) waits.set(key, wait);
  }
  // Not only running ones: a sub_workflow step run again after its child failed counts the children it started.
  if ([...allSteps(definition.steps)].some((step) => step.type === 'sub_workflow' && state.steps.get(step.name)?.status !== 'completed')) {
    for (const [key, child] of await loadChildRuns(db, state.executionId)) children.set(key, child);
  }
}
