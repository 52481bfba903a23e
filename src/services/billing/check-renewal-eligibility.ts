import { z } from 'zod';
import { Subscription } from '../../entities/domain/subscription.entity.js';
import { uuid } from '../shared/schemas.js';
import { findInTenantOrFail } from '../shared/scope.js';
import { defineServiceMethod } from '../registry.js';
import { assessRenewal, cycleMonths, hasOverdueInvoice } from './renewal-rules.js';

/**
 * billing.checkRenewalEligibility(customerId, subscriptionId) → {eligible, reason, renewalPrice, currency,
 *   renewalTermMonths, currentPeriodEnd, graceEndsAt}
 *
 * A read. `reason`: `active` | `grace_period` (eligible) or `cancelled` | `expired` | `overdue_invoice`.
 * `renewalPrice` is one billing cycle at the plan's current price, in minor units of `currency` (given
 * whether or not eligible, so a notice can quote it). A subscription that is not this customer's is
 * NOT_FOUND.
 */
export const checkRenewalEligibility = defineServiceMethod({
  service: 'billing',
  method: 'checkRenewalEligibility',
  description: 'Says whether a subscription can be renewed, why, and at what price.',
  effects: 'none',
  input: z.object({ customerId: uuid, subscriptionId: uuid }),
  output: z.looseObject({
    eligible: z.boolean(),
    reason: z.string(),
    renewalPrice: z.int(),
    currency: z.string(),
    renewalTermMonths: z.int().min(1),
    currentPeriodEnd: z.iso.datetime(),
    graceEndsAt: z.iso.datetime(),
  }),
  async run(ctx, input) {
    const subscription = await findInTenantOrFail(
      ctx.em,
      Subscription,
      { id: input.subscriptionId, tenant: ctx.tenantId, customer: input.customerId },
      `subscription ${input.subscriptionId} of customer ${input.customerId}`,
    );
    const plan = await subscription.plan.loadOrFail();
    const assessment = assessRenewal(subscription, plan, await hasOverdueInvoice(ctx.em, ctx.tenantId, input.customerId, ctx.now), ctx.now);
    return {
      eligible: assessment.eligible,
      reason: assessment.reason,
      renewalPrice: plan.priceAmount,
      currency: plan.currency,
      renewalTermMonths: cycleMonths(plan),
      currentPeriodEnd: subscription.currentPeriodEnd.toISOString(),
      graceEndsAt: assessment.graceEndsAt.toISOString(),
    };
  },
});
