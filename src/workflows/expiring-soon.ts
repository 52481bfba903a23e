import type { JsonObject } from '../entities/json.js';
import type { Queryable } from '../infra/queryable.js';
import { uuidFromKey } from '../infra/event-ids.js';
import type { SystemSchedule, SystemScheduleRun } from '../engine/index.js';
import { insertEventsIfAbsent, type NewDomainEvent } from '../engine/store/trigger-store.js';

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

/** `traceParent`: the tick's span, kept with each event, so the renewal it starts is in the tick's trace. */
export async function scanExpiringSubscriptions(db: Queryable, { now, traceParent }: SystemScheduleRun): Promise<JsonObject> {
  const subscriptions = await subscriptionsEndingBetween(db, now, new Date(now.getTime() + EXPIRING_SOON_DAYS * DAY_MS));
  const events: NewDomainEvent[] = subscriptions.map((subscription) => {
    const periodEnd = subscription.currentPeriodEnd.toISOString();
    return {
      id: uuidFromKey(expiringSoonEventKey(subscription.id, subscription.currentPeriodEnd)),
      tenantId: subscription.tenantId,
      name: EXPIRING_SOON_EVENT,
      payload: {
        subscriptionId: subscription.id,
        customerId: subscription.customerId,
        planId: subscription.planId,
        periodEnd,
        daysBeforeEnd: EXPIRING_SOON_DAYS,
      },
      source: `system-schedule:${EXPIRING_SOON_EVENT}`,
      occurredAt: now,
      ...(traceParent ? { traceParent } : {}),
    };
  });
  const recorded = await insertEventsIfAbsent(db, events);
  return { subscriptions: subscriptions.length, recorded: recorded.length };
}

/** Daily at 06:00 UTC. */
export const EXPIRING_SOON_SCHEDULE: SystemSchedule = {
  name: EXPIRING_SOON_EVENT,
  cron: '0 6 * * *',
  timezone: 'UTC',
  run: scanExpiringSubscriptions,
};
