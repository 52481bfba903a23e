import type { JsonObject } from '../entities/json.js';
import type { Logger } from '../logger.js';
import { signal } from './store/execution-store.js';
import type { Queryable } from '../infra/queryable.js';
import { waitAccepts } from './triggers/wait-match.js';
import { sqlList, UNFINISHED_EXECUTION_STATUSES } from '../entities/statuses.js';

export interface DeliveredEvent {
  tenantId: string;
  name: string;
  payload: JsonObject;
  id: string;
}

/**
 * Resumes the waiting steps an event matches (a wait names one event, or several joined by `|`: the first
 * of them that matches resumes it) (each wait once: the same event id resolves it once), and
 * wakes the workers for their runs; returns how many.
 */
export function createEventDelivery(deps: {
  db: Queryable;
  logger: Logger;
  wakeWorkers: () => void;
}): (event: DeliveredEvent) => Promise<number> {
  const { db, logger, wakeWorkers } = deps;
  return async function deliverEvent(event: DeliveredEvent): Promise<number> {
    const waits = await db.query<{ execution_id: string; step_key: string; match: string | null; context: JsonObject }>(
      `select w.execution_id, w.step_key, w.match, e.context from execution_waits w join executions e on e.id = w.execution_id
       where w.tenant_id = $1 and (w.event_name = $2 or (strpos(w.event_name, '|') > 0 and $2 = any(string_to_array(w.event_name, '|'))))
         and w.resolved_at is null and e.status in ${sqlList(UNFINISHED_EXECUTION_STATUSES)}`,
      [event.tenantId, event.name],
    );
    let resumed = 0;
    for (const wait of waits) {
      const accepted = await waitAccepts(
        db,
        { executionId: wait.execution_id, stepKey: wait.step_key, match: wait.match, context: wait.context },
        event.payload,
        logger,
      );
      if (!accepted) continue;
      const resolved = await db.query(
        `update execution_waits set resolved_at = now(), resolved_event_id = $3, resolved_payload = $4
         where execution_id = $1 and step_key = $2 and resolved_at is null returning execution_id`,
        [wait.execution_id, wait.step_key, event.id, JSON.stringify(event.payload)],
      );
      if (resolved.length === 0) continue;
      await signal(db, event.tenantId, wait.execution_id);
      resumed += 1;
    }
    if (resumed > 0) wakeWorkers();
    return resumed;
  };
}
