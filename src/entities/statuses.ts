/**
 * The statuses an execution and its steps move through (the seeds' sets). Each knows whether it is
 * terminal; the database enforces the same sets with CHECK constraints (see the migrations).
 */
/**
 * The seeds' execution statuses plus three the engine needs: `waiting` (parked on a timer, an event or a
 * sub-workflow, holding no worker), `paused` (parked by an operator until resumed) and `queued` (held
 * back by a concurrency limit until a slot frees: see engine/flow-control.ts).
 */
export const EXECUTION_STATUSES = {
  queued: { terminal: false },
  pending: { terminal: false },
  running: { terminal: false },
  waiting: { terminal: false },
  paused: { terminal: false },
  completed: { terminal: true },
  failed: { terminal: true },
  cancelled: { terminal: true },
} as const;
export type ExecutionStatus = keyof typeof EXECUTION_STATUSES;

export const STEP_STATUSES = {
  pending: { terminal: false },
  running: { terminal: false },
  completed: { terminal: true },
  failed: { terminal: true },
  skipped: { terminal: true },
} as const;
export type StepStatus = keyof typeof STEP_STATUSES;

export const TRIGGER_TYPES = ['api', 'event', 'schedule', 'sub_workflow', 'rerun'] as const;
export type TriggerType = (typeof TRIGGER_TYPES)[number];

export const USER_ROLES = ['admin', 'operator', 'viewer', 'partner'] as const;
export type UserRole = (typeof USER_ROLES)[number];

export function isTerminalStepStatus(status: StepStatus): boolean {
  return STEP_STATUSES[status].terminal;
}

export function isTerminalExecutionStatus(status: ExecutionStatus): boolean {
  return EXECUTION_STATUSES[status].terminal;
}

/** The statuses of a run not yet ended, from the table above. */
export const UNFINISHED_EXECUTION_STATUSES = (Object.keys(EXECUTION_STATUSES) as ExecutionStatus[]).filter(
  (status) => !EXECUTION_STATUSES[status].terminal,
);
/** The statuses a worker may run (a paused run waits for a resume, a queued one for a concurrency slot). */
export const RUNNABLE_EXECUTION_STATUSES: readonly ExecutionStatus[] = UNFINISHED_EXECUTION_STATUSES.filter(
  (status) => status !== 'paused' && status !== 'queued',
);
/**
 * The statuses of a run in progress, which holds a concurrency slot: every unfinished one but `queued`.
 * A run parked on a wait, an approval or a pause keeps its slot.
 */
export const SLOT_HOLDING_EXECUTION_STATUSES: readonly ExecutionStatus[] = UNFINISHED_EXECUTION_STATUSES.filter(
  (status) => status !== 'queued',
);

/** `('a', 'b')` for SQL, from our own constant lists (never from input). */
export function sqlList(values: readonly string[]): string {
  return `(${values.map((value) => `'${value}'`).join(', ')})`;
}
