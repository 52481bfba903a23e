import { z } from 'zod';
import { Quote } from '../../entities/domain/quote.entity.js';
import { Subscription } from '../../entities/domain/subscription.entity.js';
import { AppError } from '../../errors.js';
import { assessRenewal, cycleMonths, hasOverdueInvoice, priceForMonths } from '../billing/renewal-rules.js';
import { addDays, addMonths, parsePeriod } from '../shared/periods.js';
import { uuid } from '../shared/schemas.js';
import { findInTenantOrFail } from '../shared/scope.js';
import { defineServiceMethod } from '../registry.js';
import { buildQuote } from './quotes.js';

/** How long a renewal offer stands. */
export const RENEWAL_QUOTE_VALIDITY_DAYS = 30;

type RenewalQuote = {
  quoteId: string;
  quoteNumber: string;
  status: string;
  customerId: string;
  subscriptionId: string;
  termMonths: number;
  renewalPeriodStart: string;
  renewalPeriodEnd: string;
  totalAmount: number;
  currency: string;
  validUntil: string;
};

function renewalQuoteResult(quote: Quote, subscription: Subscription): RenewalQuote {
  const start = quote.renewalPeriodEnd as Date;
  const months = quote.termMonths as number;
  return {
    quoteId: quote.id,
    quoteNumber: quote.number,
    status: quote.status,
    customerId: quote.customer.id,
    subscriptionId: subscription.id,
    termMonths: months,
    renewalPeriodStart: start.toISOString(),
    renewalPeriodEnd: addMonths(start, months).toISOString(),
    totalAmount: quote.totalAmount,
    currency: quote.currency,
    validUntil: quote.validUntil.toISOString(),
  };
}

/**
 * crm.createRenewalQuote(customerId, subscriptionId, renewalTerm?) → {quoteId, quoteNumber, status: 'sent',
 *   customerId, subscriptionId, termMonths, renewalPeriodStart, renewalPeriodEnd, totalAmount, currency, validUntil}
 *
 * A `sent` renewal quote, valid 30 days, for `renewalTerm` (months, `annual`, `12 months`, `P1Y`…;
 * default: one billing cycle) from the current period end, priced at the plan's current price per cycle ×
 * the number of cycles. The term must be whole cycles of the plan (VALIDATION otherwise) so the price is
 * exact. A subscription that cannot be renewed (cancelled, past grace, overdue invoice) is INVALID_STATE.
 * Natural key: while a renewal quote for the same period and term is open (sent and valid, or accepted),
 * it is returned instead of a second one.
 */
export const createRenewalQuote = defineServiceMethod({
  service: 'crm',
  method: 'createRenewalQuote',
  description: "Creates a renewal quote priced from the subscription's plan and the term.",
  effects: 'local',
  input: z.object({ customerId: uuid, subscriptionId: uuid, renewalTerm: z.union([z.int(), z.string().min(1)]).optional() }),
  output: z.looseObject({
    quoteId: uuid,
    quoteNumber: z.string(),
    status: z.string(),
    customerId: uuid,
    subscriptionId: uuid,
    termMonths: z.int().min(1),
    renewalPeriodStart: z.iso.datetime(),
    renewalPeriodEnd: z.iso.datetime(),
    totalAmount: z.int(),
    currency: z.string(),
    validUntil: z.iso.datetime(),
  }),
  async run(ctx, input) {
    const subscription = await findInTenantOrFail(
      ctx.em,
      Subscription,
      { id: input.subscriptionId, tenant: ctx.tenantId, customer: input.customerId },
      `subscription ${input.subscriptionId} of customer ${input.customerId}`,
      { lock: true },
    );
    const plan = await subscription.plan.loadOrFail();

    const assessment = assessRenewal(subscription, plan, await hasOverdueInvoice(ctx.em, ctx.tenantId, input.customerId, ctx.now), ctx.now);
    if (!assessment.eligible) {
      throw new AppError('INVALID_STATE', `subscription ${subscription.id} cannot be renewed: ${assessment.reason}`, {
        details: { reason: assessment.reason },
      });
    }

    const term = input.renewalTerm === undefined ? { months: cycleMonths(plan), days: 0 } : parsePeriod(input.renewalTerm, 'renewalTerm');
    const totalAmount = term.days === 0 ? priceForMonths(plan, term.months) : undefined;
    if (totalAmount === undefined) {
      throw new AppError(
        'VALIDATION',
        `renewalTerm must be whole ${plan.billingCycle} cycles of plan ${plan.code} (${cycleMonths(plan)} months each)`,
      );
    }

    const open = await ctx.em.findOne(
      Quote,
      {
        tenant: ctx.tenantId,
        subscription: subscription.id,
        kind: 'renewal',
        termMonths: term.months,
        renewalPeriodEnd: subscription.currentPeriodEnd,
        $or: [{ status: 'accepted' }, { status: 'sent', validUntil: { $gte: ctx.now } }],
      },
      { orderBy: { createdAt: 'desc' } },
    );
    if (open) return renewalQuoteResult(open, subscription);

    const periodEnd = addMonths(subscription.currentPeriodEnd, term.months);
    const quote = buildQuote(ctx.em, {
      tenantId: ctx.tenantId,
      customerId: input.customerId,
      kind: 'renewal',
      status: 'sent',
      currency: plan.currency,
      validUntil: addDays(ctx.now, RENEWAL_QUOTE_VALIDITY_DAYS),
      subscriptionId: subscription.id,
      termMonths: term.months,
      renewalPeriodEnd: subscription.currentPeriodEnd,
      lines: [
        {
          description: `Renewal of ${plan.name}, ${subscription.currentPeriodEnd.toISOString().slice(0, 10)} to ${periodEnd.toISOString().slice(0, 10)}`,
          productCode: plan.code,
          planId: plan.id,
          quantity: term.months / cycleMonths(plan),
          unitPriceAmount: plan.priceAmount,
        },
      ],
      now: ctx.now,
    });
    await ctx.em.flush();
    return renewalQuoteResult(quote, subscription);
  },
});
