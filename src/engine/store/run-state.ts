import type { JsonObject, JsonValue, RecordedError } from '../../entities/json.js';
import type { ExecutionStatus } from '../../entities/statuses.js';
import type { StepState } from '../runtime/state.js';
import type { ChildExecutionState, EventWaitState } from '../steps/types.js';
import type { Queryable } from '../../infra/queryable.js';
import { LOAD_CHILDREN, LOAD_STEPS, LOAD_WAITS } from './sql.js';
import { stepStateOf, type StepRow } from './step-rows.js';

/** What a worker reads to go on with a run it claimed: its steps, its event waits, its child runs. */

export async function loadStepStates(db: Queryable, executionId: string): Promise<StepState[]> {
  return (await db.query<StepRow>(LOAD_STEPS, [executionId])).map(stepStateOf);
}

/** The run's event waits, by step. */
export async function loadEventWaits(db: Queryable, executionId: string): Promise<Map<string, EventWaitState>> {
  const rows = await db.query<{
    step_key: string;
    event_name: string;
    expires_at: Date | null;
    resolved_at: Date | null;
    resolved_event_id: string | null;
    resolved_payload: JsonObject | null;
  }>(LOAD_WAITS, [executionId]);
  return new Map(
    rows.map((row) => [
      row.step_key,
      {
        eventName: row.event_name,
        ...(row.expires_at ? { expiresAt: new Date(row.expires_at) } : {}),
        ...(row.resolved_at ? { resolvedAt: new Date(row.resolved_at) } : {}),
        ...(row.resolved_event_id ? { resolvedEventId: row.resolved_event_id } : {}),
        ...(row.resolved_payload ? { resolvedPayload: row.resolved_payload } : {}),
      },
    ]),
  );
}

/** The run's child runs, by the step that started each. */
/** Each step's latest child run (a step that failed with its child and ran again has several). */
export async function loadChildRuns(db: Queryable, executionId: string): Promise<Map<string, ChildExecutionState>> {
  const rows = await db.query<{
    id: string;
    parent_step_key: string;
    status: ExecutionStatus;
    result: JsonValue | null;
    error: RecordedError | null;
  }>(LOAD_CHILDREN, [executionId]);
  const latest = new Map<string, ChildExecutionState>();
  for (const row of rows) {
    latest.set(row.parent_step_key, {
      id: row.id,
      status: row.status,
      startedByStep: (latest.get(row.parent_step_key)?.startedByStep ?? 0) + 1,
      ...(row.result === null ? {} : { result: row.result }),
      ...(row.error === null ? {} : { error: row.error }),
    });
  }
  return latest;
}
