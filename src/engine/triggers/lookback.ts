import type pg from 'pg';
import { isTerminalExecutionStatus } from '../../entities/statuses.js';
import type { Logger } from '../../logger.js';
import { signal } from '../store/execution-store.js';
import { withTransaction } from '../store/transactions.js';
import type { Queryable } from '../../infra/queryable.js';
import { claimLookbacks, deleteLookback, eventsSince, type DomainEventRow } from '../store/trigger-store.js';
import { resolveWait } from '../store/waits.js';
import { waitAccepts } from './wait-match.js';

/**
 * The other half of delivering events to waiting steps. The dispatcher hands each event to the waits
 * registered at that moment; a wait registered a moment later — its step started before the event,
 * its row committed after the dispatcher looked — would never hear of it. So the checkpoint that
 * registers a wait also queues a lookback (same statement, see CHECKPOINT in store/sql.ts), and here a
 * dispatcher takes it: the events of that name recorded since the step started are tried, oldest
 * first, and the first that matches resolves the wait and signals the run — exactly as a live delivery.
 *
 * Every interleaving is covered: an event whose dispatch looked at the waits after the wait committed
 * delivered it itself; any other was committed before the lookback became visible, so the lookback
 * sees it. Resolving is conditional on the wait being open, so both paths may try; one wins.
 */

/** Events of one name a single lookback tries at most (a wait looks back seconds, not days). */
const MAX_CANDIDATES = 500;

/** The events of the wait's name — or of any of its names, `a.b|c.d` — since a time, oldest first. */
async function eventsOfAnyName(db: Queryable, tenantId: string, names: string, since: Date): Promise<DomainEventRow[]> {
  const found = await Promise.all(names.split('|').map((name) => eventsSince(db, tenantId, name, since, MAX_CANDIDATES)));
  return found
    .flat()
    .sort((a, b) => a.occurredAt.getTime() - b.occurredAt.getTime() || a.id.localeCompare(b.id))
    .slice(0, MAX_CANDIDATES);
}

/** Takes up to `limit` lookbacks; says how many it took and how many waits they resumed (committed). */
export async function processLookbacks(pool: pg.Pool, limit: number, logger: Logger): Promise<{ taken: number; resumed: number }> {
  return withTransaction(pool, async (db) => {
    const lookbacks = await claimLookbacks(db, limit);
    let resumed = 0;
    for (const lookback of lookbacks) {
      const { tenantId, eventName, since, context, executionStatus } = lookback;
      const open =
        tenantId !== null &&
        eventName !== null &&
        since !== null &&
        context !== null &&
        !lookback.resolved &&
        executionStatus !== null &&
        !isTerminalExecutionStatus(executionStatus);
      if (open) {
        for (const event of await eventsOfAnyName(db, tenantId, eventName, since)) {
          const wait = { executionId: lookback.executionId, stepKey: lookback.stepKey, match: lookback.match, context };
          if (!(await waitAccepts(db, wait, event.payload, logger))) continue;
          if (await resolveWait(db, lookback.executionId, lookback.stepKey, event)) {
            await signal(db, tenantId, lookback.executionId);
            resumed += 1;
            logger.info(
              { executionId: lookback.executionId, step: lookback.stepKey, eventId: event.id },
              'wait resumed by an event recorded before it registered',
            );
          }
          break;
        }
      }
      await deleteLookback(db, lookback.executionId, lookback.stepKey);
    }
    return { taken: lookbacks.length, resumed };
  });
}
