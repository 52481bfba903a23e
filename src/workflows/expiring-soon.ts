import type { Queryable } from '../infra/queryable.js';
import { eventScanSchedule, type EventScan } from './event-scan.js';

/**
 * The daily scan that starts renewals: every active subscription whose current period ends within
 * the next 30 days gets one `subscription.expiring_soon` event for that period (which starts
 * `customer_renewal_process` through its trigger). The event's id is derived from
 * `subscription.expiring_soon:<subscription>:<period end>`, so scanning the same subscription on each
 * of those 30 days — or two schedulers scanning at once — records it once; extending the subscription
 * moves the period end, and the next period gets its own event.
 *
 * A business rule, so it lives with the workflows: the composition root hands it to the engine as a
 * system schedule (the engine knows nothing of subscriptions).
 */

export const EXPIRING_SOON_EVENT = 'subscription.expiring_soon';
export const EXPIRING_SOON_DAYS = 30;
const DAY_MS = 24 * 60 * 60 * 1000;

export function expiringSoonEventKey(subscriptionId: string, periodEnd: Date): string {
  return `${EXPIRING_SOON_EVENT}:${subscriptionId}:${periodEnd.toISOString()}`;
}

interface ExpiringSubscription {
  id: string;
  tenantId: string;
  customerId: string;
  planId: string;
  currentPeriodEnd: Date;
}

/** Active subscriptions whose current period ends after `from` and no later than `to`. */
async function subscriptionsEndingBetween(db: Queryable, from: Date, to: Date): Promise<ExpiringSubscription[]> {
  const rows = await db.query<{ id: string; tenant_id: string; customer_id: string; plan_id: string; current_period_end: Date }>(
    `select id, tenant_id, customer_id, plan_id, current_period_end from subscriptions
     where status = 'active' and current_period_end > $1 and current_period_end <= $2
     order by current_period_end, id`,
    [from, to],
  );
  return rows.map((row) => ({
    id: row.id,
    tenantId: row.tenant_id,
    customerId: row.customer_id,
    planId: row.plan_id,
    currentPeriodEnd: new Date(row.current_period_end),
  }));
}

const EXPIRING_SOON_SCAN: EventScan<ExpiringSubscription> = {
  event: EXPIRING_SOON_EVENT,
  cron: '0 6 * * *',
  find: (db, now) => subscriptionsEndingBetween(db, now, new Date(now.getTime() + EXPIRING_SOON_DAYS * DAY_MS)),
  describe: (subscription) => ({
    key: expiringSoonEventKey(subscription.id, subscription.currentPeriodEnd),
    tenantId: subscription.tenantId,
    payload: {
      subscriptionId: subscription.id,
      customerId: subscription.customerId,
      planId: subscription.planId,
      periodEnd: subscription.currentPeriodEnd.toISOString(),
      daysBeforeEnd: EXPIRING_SOON_DAYS,
    },
  }),
};

/** Daily at 06:00 UTC. */
export const EXPIRING_SOON_SCHEDULE = eventScanSchedule(EXPIRING_SOON_SCAN);
