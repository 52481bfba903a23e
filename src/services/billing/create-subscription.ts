import { z } from 'zod';
import { Customer } from '../../entities/customer.entity.js';
import type { Plan } from '../../entities/domain/plan.entity.js';
import { Subscription } from '../../entities/domain/subscription.entity.js';
import { SubscriptionEvent } from '../../entities/domain/subscription-event.entity.js';
import { AppError } from '../../errors.js';
import { addMonths } from '../shared/periods.js';
import { idOrCode, uuid } from '../shared/schemas.js';
import { assertActingTenant, findInTenantOrFail } from '../shared/scope.js';
import { defineServiceMethod } from '../registry.js';
import { findPlan } from './plan-lookup.js';
import { cycleMonths } from './renewal-rules.js';

type SubscriptionResult = {
  subscriptionId: string;
  customerId: string;
  planId: string;
  planCode: string;
  status: string;
  billingCycle: string;
  priceAmount: number;
  currency: string;
  currentPeriodStart: string;
  currentPeriodEnd: string;
  /** Whether this call made the subscription (false: it was there already), which is what its undo cancels. */
  created: boolean;
};

function subscriptionResult(subscription: Subscription, plan: Plan, created: boolean): SubscriptionResult {
  return {
    subscriptionId: subscription.id,
    customerId: subscription.customer.id,
    planId: plan.id,
    planCode: plan.code,
    status: subscription.status,
    billingCycle: plan.billingCycle,
    priceAmount: plan.priceAmount,
    currency: plan.currency,
    currentPeriodStart: subscription.currentPeriodStart.toISOString(),
    currentPeriodEnd: subscription.currentPeriodEnd.toISOString(),
    created,
  };
}

/**
 * billing.createSubscription(customerId, planId, tenantId) → {subscriptionId, customerId, planId, planCode,
 *   status: 'active', billingCycle, priceAmount, currency, currentPeriodStart, currentPeriodEnd, created}
 *
 * `planId` is the plan's id or code. The first period starts now and lasts one billing cycle of the plan
 * (calendar months). A customer has at most one active subscription per plan: asking again returns it (the
 * customer row is locked while deciding). No invoice is raised here: new business is billed through its
 * quote and order. An inactive plan or customer is INVALID_STATE.
 */
export const createSubscription = defineServiceMethod({
  service: 'billing',
  method: 'createSubscription',
  description: "Subscribes a customer to a plan for the plan's billing cycle.",
  effects: 'local',
  input: z.object({ customerId: uuid, planId: idOrCode, tenantId: z.string().min(1) }),
  output: z.looseObject({
    subscriptionId: uuid,
    customerId: uuid,
    planId: uuid,
    planCode: z.string(),
    status: z.string(),
    billingCycle: z.string(),
    priceAmount: z.int(),
    currency: z.string(),
    currentPeriodStart: z.iso.datetime(),
    currentPeriodEnd: z.iso.datetime(),
    created: z.boolean(),
  }),
  async run(ctx, input) {
    await assertActingTenant(ctx, input.tenantId);
    const customer = await findInTenantOrFail(
      ctx.em,
      Customer,
      { id: input.customerId, tenant: ctx.tenantId },
      `customer ${input.customerId}`,
      { lock: true },
    );
    const plan = await findPlan(ctx.em, ctx.tenantId, input.planId);

    const existing = await ctx.em.findOne(Subscription, { tenant: ctx.tenantId, customer: customer.id, plan: plan.id, status: 'active' });
    if (existing) return subscriptionResult(existing, plan, false);
    if (customer.status !== 'active') throw new AppError('INVALID_STATE', `customer ${customer.id} is ${customer.status}`);
    if (!plan.active) throw new AppError('INVALID_STATE', `plan ${plan.code} is no longer offered`);

    const subscription = ctx.em.create(Subscription, {
      tenant: ctx.tenantId,
      customer,
      plan,
      currentPeriodStart: ctx.now,
      currentPeriodEnd: addMonths(ctx.now, cycleMonths(plan)),
      createdAt: ctx.now,
    });
    ctx.em.create(SubscriptionEvent, {
      tenant: ctx.tenantId,
      subscription,
      type: 'created',
      periodEndAfter: subscription.currentPeriodEnd,
      data: { planCode: plan.code },
      occurredAt: ctx.now,
    });
    await ctx.em.flush();
    return subscriptionResult(subscription, plan, true);
  },
});
