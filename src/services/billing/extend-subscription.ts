import { z } from 'zod';
import { withoutUndefined } from '../../entities/entity-data.js';
import { Invoice } from '../../entities/domain/invoice.entity.js';
import { Quote } from '../../entities/domain/quote.entity.js';
import { Subscription } from '../../entities/domain/subscription.entity.js';
import { SubscriptionEvent } from '../../entities/domain/subscription-event.entity.js';
import { AppError } from '../../errors.js';
import { addPeriod, parsePeriod } from '../shared/periods.js';
import { uuid } from '../shared/schemas.js';
import { findInTenantOrFail } from '../shared/scope.js';
import { defineServiceMethod } from '../registry.js';

type Extension = {
  subscriptionId: string;
  status: string;
  previousPeriodEnd: string;
  currentPeriodEnd: string;
  eventId: string;
  renewalQuoteId: string | null;
};

function extensionResult(subscription: Subscription, event: SubscriptionEvent): Extension {
  return {
    subscriptionId: subscription.id,
    status: subscription.status,
    previousPeriodEnd: (event.periodEndBefore as Date).toISOString(),
    currentPeriodEnd: (event.periodEndAfter as Date).toISOString(),
    eventId: event.id,
    renewalQuoteId: event.quote?.id ?? null,
  };
}

/**
 * billing.extendSubscription(subscriptionId, extensionPeriod, renewalQuoteId?) → {subscriptionId, status,
 *   previousPeriodEnd, currentPeriodEnd, eventId, renewalQuoteId}
 *
 * Moves the period end by `extensionPeriod` (months, `annual`, `30 days`, `P1M`…) from the current end —
 * not from today, so a renewal in the grace period leaves no gap — and records an `extended` subscription
 * event. An expired subscription extended past now is active again; a cancelled one is INVALID_STATE.
 *
 * `renewalQuoteId` (optional, beyond the seeds' signature) ties the extension to a paid renewal quote: the
 * quote's invoice must be paid (INVALID_STATE), the period must be the quote's term (VALIDATION), and the
 * quote extends the subscription once — a re-run of the renewal workflow returns the first extension
 * instead of granting the months twice. Without it, each call (each idempotency key) extends again.
 */
export const extendSubscription = defineServiceMethod({
  service: 'billing',
  method: 'extendSubscription',
  description: "Moves a subscription's period end and records the extension.",
  effects: 'local',
  input: z.object({ subscriptionId: uuid, extensionPeriod: z.union([z.int(), z.string().min(1)]), renewalQuoteId: uuid.optional() }),
  async run(ctx, input) {
    const subscription = await findInTenantOrFail(
      ctx.em,
      Subscription,
      { id: input.subscriptionId, tenant: ctx.tenantId },
      `subscription ${input.subscriptionId}`,
      {
        lock: true,
      },
    );
    const period = parsePeriod(input.extensionPeriod, 'extensionPeriod');

    let quote: Quote | undefined;
    if (input.renewalQuoteId) {
      quote = await findInTenantOrFail(
        ctx.em,
        Quote,
        { id: input.renewalQuoteId, tenant: ctx.tenantId, subscription: subscription.id, kind: 'renewal' },
        `renewal quote ${input.renewalQuoteId} of subscription ${subscription.id}`,
      );
      const previous = await ctx.em.findOne(SubscriptionEvent, { subscription: subscription.id, quote: quote.id, type: 'extended' });
      if (previous) return extensionResult(subscription, previous);
      const invoice = await ctx.em.findOne(Invoice, { tenant: ctx.tenantId, quote: quote.id });
      if (invoice?.status !== 'paid') throw new AppError('INVALID_STATE', `renewal quote ${quote.number} is not paid`);
      if (period.days !== 0 || period.months !== quote.termMonths) {
        throw new AppError('VALIDATION', `extensionPeriod must be the renewal quote's term of ${quote.termMonths} months`);
      }
    }
    if (subscription.status === 'cancelled') throw new AppError('INVALID_STATE', `subscription ${subscription.id} is cancelled`);

    const previousEnd = subscription.currentPeriodEnd;
    subscription.currentPeriodEnd = addPeriod(previousEnd, period);
    if (subscription.status === 'expired' && subscription.currentPeriodEnd > ctx.now) subscription.status = 'active';
    const event = ctx.em.create(
      SubscriptionEvent,
      withoutUndefined({
        tenant: ctx.tenantId,
        subscription,
        type: 'extended',
        periodEndBefore: previousEnd,
        periodEndAfter: subscription.currentPeriodEnd,
        quote,
        data: { extensionPeriod: input.extensionPeriod, months: period.months, days: period.days },
        occurredAt: ctx.now,
      }),
    );
    await ctx.em.flush();
    return extensionResult(subscription, event);
  },
});
