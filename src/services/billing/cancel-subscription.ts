import { z } from 'zod';
import { Subscription } from '../../entities/domain/subscription.entity.js';
import { SubscriptionEvent } from '../../entities/domain/subscription-event.entity.js';
import { uuid } from '../shared/schemas.js';
import { findInTenantOrFail } from '../shared/scope.js';
import { defineServiceMethod } from '../registry.js';

/**
 * billing.cancelSubscription(subscriptionId, created, reason) → {subscriptionId, status, cancelledAt}
 *
 * The compensation of createSubscription: the subscription a failed onboarding made is `cancelled`, with a
 * `cancelled` event saying why, so it is never renewed nor billed. `created: false` (the onboarding found
 * the subscription already there) cancels nothing: an undo takes back only what its call made. A
 * subscription no longer active is answered as it is.
 */
export const cancelSubscription = defineServiceMethod({
  service: 'billing',
  method: 'cancelSubscription',
  description: 'Cancels a subscription made by a run that failed (compensation of createSubscription; idempotent).',
  effects: 'local',
  input: z.object({
    subscriptionId: uuid,
    created: z.boolean().default(true),
    reason: z.string().trim().min(1).max(500).default('the run that created it failed'),
  }),
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
    if (input.created && subscription.status === 'active') {
      subscription.status = 'cancelled';
      subscription.cancelledAt = ctx.now;
      ctx.em.create(SubscriptionEvent, {
        tenant: ctx.tenantId,
        subscription,
        type: 'cancelled',
        periodEndBefore: subscription.currentPeriodEnd,
        data: { reason: input.reason },
        occurredAt: ctx.now,
      });
      await ctx.em.flush();
    }
    return { subscriptionId: subscription.id, status: subscription.status, cancelledAt: subscription.cancelledAt?.toISOString() ?? null };
  },
});
