import { z } from 'zod';
import { Quote } from '../../entities/domain/quote.entity.js';
import { AppError } from '../../errors.js';
import { label, uuid } from '../shared/schemas.js';
import { findInTenantOrFail } from '../shared/scope.js';
import { recordDomainEvent } from '../domain-events.js';
import { defineServiceMethod } from '../registry.js';

type AcceptedQuote = {
  quoteId: string;
  quoteNumber: string;
  status: 'accepted';
  kind: string;
  customerId: string;
  customerEmail: string;
  leadId: string | null;
  subscriptionId: string | null;
  totalAmount: number;
  currency: string;
  acceptedAt: string;
  acceptedBy: string;
};

function acceptedQuote(quote: Quote, customerEmail: string): AcceptedQuote {
  return {
    quoteId: quote.id,
    quoteNumber: quote.number,
    status: 'accepted',
    kind: quote.kind,
    customerId: quote.customer.id,
    customerEmail,
    leadId: quote.lead?.id ?? null,
    subscriptionId: quote.subscription?.id ?? null,
    totalAmount: quote.totalAmount,
    currency: quote.currency,
    acceptedAt: (quote.acceptedAt as Date).toISOString(),
    acceptedBy: quote.acceptedBy ?? '',
  };
}

/**
 * crm.acceptQuote(quoteId, acceptedBy) → {quoteId, quoteNumber, status, kind, customerId, customerEmail,
 *   leadId, subscriptionId, totalAmount, currency, acceptedAt, acceptedBy}
 *
 * `sent` → `accepted`, recording `quote.accepted` in the same transaction (the event exists if and only
 * if the acceptance commits). A quote past its `validUntil`, or `expired`, `draft`, `rejected`, is
 * INVALID_STATE. Accepting an accepted quote returns the first acceptance (who and when) and records no
 * second event: the `quote_accepted_to_order` workflow, which that event starts, begins by accepting again.
 */
export const acceptQuote = defineServiceMethod({
  service: 'crm',
  method: 'acceptQuote',
  description: 'Marks a sent quote accepted and records quote.accepted.',
  effects: 'local',
  input: z.object({ quoteId: uuid, acceptedBy: label() }),
  output: z.looseObject({
    quoteId: uuid,
    quoteNumber: z.string(),
    status: z.literal('accepted'),
    kind: z.string(),
    customerId: uuid,
    customerEmail: z.string(),
    leadId: uuid.nullable(),
    subscriptionId: uuid.nullable(),
    totalAmount: z.int(),
    currency: z.string(),
    acceptedAt: z.iso.datetime(),
    acceptedBy: z.string(),
  }),
  async run(ctx, input) {
    const quote = await findInTenantOrFail(ctx.em, Quote, { id: input.quoteId, tenant: ctx.tenantId }, `quote ${input.quoteId}`, {
      lock: true,
    });
    const customer = await quote.customer.loadOrFail();

    if (quote.status === 'accepted') return acceptedQuote(quote, customer.email);
    if (quote.status !== 'sent') {
      throw new AppError('INVALID_STATE', `quote ${quote.number} is ${quote.status}; only a sent quote can be accepted`, {
        details: { status: quote.status },
      });
    }
    if (ctx.now > quote.validUntil) {
      throw new AppError('INVALID_STATE', `quote ${quote.number} expired at ${quote.validUntil.toISOString()}`, {
        details: { status: 'expired', validUntil: quote.validUntil.toISOString() },
      });
    }

    quote.status = 'accepted';
    quote.acceptedAt = ctx.now;
    quote.acceptedBy = input.acceptedBy;
    const result = acceptedQuote(quote, customer.email);
    recordDomainEvent(ctx.em, {
      tenantId: ctx.tenantId,
      name: 'quote.accepted',
      payload: result,
      source: `service-call:${ctx.idempotencyKey}`,
    });
    await ctx.em.flush();
    return result;
  },
});
