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
 * dispatcher takes it: the events of that name recorded since the step started — or, for a wait with
 * `since: run`, since its run began (an event an earlier step caused may come before the wait's step
 * starts) — are tried, oldest first, and the first that matches resolves the wait and signals the run,
 * exactly as a live delivery.
 *
 * Every interleaving is covered: an event whose dispatch looked at the waits after the wait committed
 * delivered it itself; any other was committed before the lookback became visible, so the lookback
 * sees it. Resolving is conditional on the wait being open, so both paths may try; one wins.
 */

/** A lookback reads its candidates a page at a time, and gives up after this many (logged): a wait looks back minutes, not months. */
const PAGE_SIZE = 500;
const MAX_PAGES = 20;

/** The first event of the wait's name — or of any of its names, `a.b|c.d` — since a time that it accepts, oldest first. */
async function firstAccepted(
  db: Queryable,
  lookback: { tenantId: string; eventName: string; since: Date },
  accepts: (event: DomainEventRow) => Promise<boolean>,
  logger: Logger,
): Promise<DomainEventRow | undefined> {
  const names = lookback.eventName.split('|');
  let after: DomainEventRow | undefined;
  for (let page = 0; page < MAX_PAGES; page += 1) {
    const events = await eventsSince(db, lookback.tenantId, names, lookback.since, after, PAGE_SIZE);
    for (const event of events) if (await accepts(event)) return event;
    if (events.length < PAGE_SIZE) return undefined;
    after = events[events.length - 1];
  }
  logger.warn({ ...lookback, tried: PAGE_SIZE * MAX_PAGES }, 'a wait looked back at too many events; the later ones were not tried');
  return undefined;
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
        const wait = { executionId: lookback.executionId, stepKey: lookback.stepKey, match: lookback.match, context };
        const event = await firstAccepted(
          db,
          { tenantId, eventName, since },
          (found) => waitAccepts(db, wait, found.payload, logger),
          logger,
        );
        if (event && (await resolveWait(db, lookback.executionId, lookback.stepKey, event))) {
          await signal(db, tenantId, lookback.executionId);
          resumed += 1;
          logger.info(
            { executionId: lookback.executionId, step: lookback.stepKey, eventId: event.id },
            'wait resumed by an event recorded before it registered',
          );
        }
      }
      await deleteLookback(db, lookback.executionId, lookback.stepKey);
    }
    return { taken: lookbacks.length, resumed };
  });
}
