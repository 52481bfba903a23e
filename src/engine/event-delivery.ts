import type { JsonObject } from '../entities/json.js';
import type { Logger } from '../logger.js';
import { signal } from './store/execution-store.js';
import type { Queryable } from '../infra/queryable.js';
import { waitAccepts } from './triggers/wait-match.js';
import { openWaitsFor, resolveWait } from './store/waits.js';

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
    const waits = await openWaitsFor(db, event.tenantId, event.name);
    let resumed = 0;
    for (const wait of waits) {
      if (!(await waitAccepts(db, wait, event.payload, logger))) continue;
      if (!(await resolveWait(db, wait.executionId, wait.stepKey, event))) continue;
      await signal(db, event.tenantId, wait.executionId);
      resumed += 1;
    }
    if (resumed > 0) wakeWorkers();
    return resumed;
  };
}
