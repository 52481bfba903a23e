import type { JsonObject } from '../../entities/json.js';
import { sqlList, UNFINISHED_EXECUTION_STATUSES } from '../../entities/statuses.js';
import type { Queryable } from '../../infra/queryable.js';

/** Steps waiting for an event (`execution_waits`): found by the event's name, resolved by one event. */

export interface OpenWait {
  executionId: string;
  stepKey: string;
  match: string | null;
  /** The run's context, which the wait's match expression may read. */
  context: JsonObject;
}

/**
 * The unresolved waits of a tenant's unfinished runs for an event name (a wait names one event, or
 * several joined by `|`).
 */
export async function openWaitsFor(db: Queryable, tenantId: string, eventName: string): Promise<OpenWait[]> {
  const rows = await db.query<{ execution_id: string; step_key: string; match: string | null; context: JsonObject }>(
    `select w.execution_id, w.step_key, w.match, e.context from execution_waits w join executions e on e.id = w.execution_id
     where w.tenant_id = $1 and (w.event_name = $2 or (strpos(w.event_name, '|') > 0 and $2 = any(string_to_array(w.event_name, '|'))))
       and w.resolved_at is null and e.status in ${sqlList(UNFINISHED_EXECUTION_STATUSES)}`,
    [tenantId, eventName],
  );
  return rows.map((row) => ({ executionId: row.execution_id, stepKey: row.step_key, match: row.match, context: row.context }));
}

/** Resolves an open wait with an event; false when it was already resolved (by another event). */
export async function resolveWait(
  db: Queryable,
  executionId: string,
  stepKey: string,
  event: { id: string; payload: JsonObject },
): Promise<boolean> {
  const rows = await db.query(
    `update execution_waits set resolved_at = now(), resolved_event_id = $3, resolved_payload = $4
     where execution_id = $1 and step_key = $2 and resolved_at is null returning execution_id`,
    [executionId, stepKey, event.id, JSON.stringify(event.payload)],
  );
  return rows.length > 0;
}
