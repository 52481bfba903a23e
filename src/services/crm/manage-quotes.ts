import type { EntityManager } from '@mikro-orm/postgresql';
import { z } from 'zod';
import { Customer } from '../../entities/customer.entity.js';
import { Lead } from '../../entities/domain/lead.entity.js';
import { QUOTE_STATUSES, Quote, type QuoteKind, type QuoteStatus } from '../../entities/domain/quote.entity.js';
import { AppError } from '../../errors.js';
import { findPlan } from '../billing/plan-lookup.js';
import { addDays } from '../shared/periods.js';
import { pageSize, parseInput } from '../shared/parse-input.js';
import { currency, idOrCode, label, minorUnits, uuid } from '../shared/schemas.js';
import { findInTenantOrFail } from '../shared/scope.js';
import { recordDomainEvent } from '../domain-events.js';
import type { ServiceCallContext } from '../registry.js';
import { acceptQuote as acceptQuoteMethod } from './accept-quote.js';
import { buildQuote, type QuoteLineDraft } from './quotes.js';

export interface QuoteLineView {
  position: number;
  description: string;
  productCode: string | null;
  planId: string | null;
  quantity: number;
  unitPriceAmount: number;
  amount: number;
}

export interface QuoteView {
  id: string;
  number: string;
  kind: QuoteKind;
  status: QuoteStatus;
  customerId: string;
  leadId: string | null;
  subscriptionId: string | null;
  termMonths: number | null;
  currency: string;
  totalAmount: number;
  validUntil: Date;
  sentAt: Date | null;
  acceptedAt: Date | null;
  acceptedBy: string | null;
  createdAt: Date;
  lines: QuoteLineView[];
}

export async function quoteView(quote: Quote): Promise<QuoteView> {
  const lines = await quote.lines.loadItems();
  return {
    id: quote.id,
    number: quote.number,
    kind: quote.kind,
    status: quote.status,
    customerId: quote.customer.id,
    leadId: quote.lead?.id ?? null,
    subscriptionId: quote.subscription?.id ?? null,
    termMonths: quote.termMonths ?? null,
    currency: quote.currency,
    totalAmount: quote.totalAmount,
    validUntil: quote.validUntil,
    sentAt: quote.sentAt ?? null,
    acceptedAt: quote.acceptedAt ?? null,
    acceptedBy: quote.acceptedBy ?? null,
    createdAt: quote.createdAt,
    lines: lines.map((line) => ({
      position: line.position,
      description: line.description,
      productCode: line.productCode ?? null,
      planId: line.plan?.id ?? null,
      quantity: line.quantity,
      unitPriceAmount: line.unitPriceAmount,
      amount: line.amount,
    })),
  };
}

const lineInput = z
  .object({
    /** A plan's id or code: the line's description, product code and price default to the plan's. */
    planId: idOrCode.nullish(),
    description: label().nullish(),
    productCode: label(80).nullish(),
    quantity: z.int().positive().max(1_000_000).default(1),
    unitPriceAmount: minorUnits.nullish(),
  })
  .refine((line) => line.planId || (line.description && line.unitPriceAmount !== undefined && line.unitPriceAmount !== null), {
    message: 'a line names a plan, or has a description and a unitPriceAmount',
  });

const createQuoteInput = z.object({
  customerId: uuid,
  leadId: uuid.nullish(),
  currency: currency.nullish(),
  validDays: z.int().min(1).max(365).default(30),
  lines: z.array(lineInput).min(1, 'a quote needs at least one line').max(50),
});

/**
 * A `draft` quote for a customer, priced line by line (a plan line takes the plan's name, code and price
 * unless given). Every line is in the quote's currency (default: the first plan's, else USD); a plan priced
 * in another is VALIDATION. The customer must be active.
 */
export async function createQuote(em: EntityManager, tenantId: string, input: unknown): Promise<QuoteView> {
  const data = parseInput(createQuoteInput, input, 'createQuote');
  const customer = await findInTenantOrFail(em, Customer, { id: data.customerId, tenant: tenantId }, `customer ${data.customerId}`);
  if (customer.status !== 'active') throw new AppError('INVALID_STATE', `customer ${customer.id} is ${customer.status}`);
  if (data.leadId) await findInTenantOrFail(em, Lead, { id: data.leadId, tenant: tenantId }, `lead ${data.leadId}`);

  const plans = await Promise.all(
    data.lines.map((line) => (line.planId ? findPlan(em, tenantId, line.planId) : Promise.resolve(undefined))),
  );
  const quoteCurrency = data.currency ?? plans.find((plan) => plan !== undefined)?.currency ?? 'USD';
  const lines: QuoteLineDraft[] = data.lines.map((line, index) => {
    const plan = plans[index];
    if (plan && plan.currency !== quoteCurrency) {
      throw new AppError('VALIDATION', `lines.${index}: plan ${plan.code} is priced in ${plan.currency}, the quote in ${quoteCurrency}`, {
        details: { problems: [`lines.${index}.planId: priced in ${plan.currency}`] },
      });
    }
    const productCode = line.productCode ?? plan?.code;
    return {
      description: line.description ?? plan?.name ?? '',
      ...(productCode ? { productCode } : {}),
      ...(plan ? { planId: plan.id } : {}),
      quantity: line.quantity,
      unitPriceAmount: line.unitPriceAmount ?? plan?.priceAmount ?? 0,
    };
  });
  const now = new Date();
  const quote = buildQuote(em, {
    tenantId,
    customerId: customer.id,
    ...(data.leadId ? { leadId: data.leadId } : {}),
    status: 'draft',
    currency: quoteCurrency,
    validUntil: addDays(now, data.validDays),
    lines,
    now,
  });
  await em.flush();
  return quoteView(quote);
}

/**
 * `draft` → `sent`, recording `quote.sent`. Sending a sent quote returns it; a quote past its validity, or
 * accepted, rejected or expired, is INVALID_STATE.
 */
export async function sendQuote(em: EntityManager, tenantId: string, quoteId: string, source: string): Promise<QuoteView> {
  const { id } = parseInput(z.object({ id: uuid }), { id: quoteId }, 'sendQuote');
  const quote = await findInTenantOrFail(em, Quote, { id, tenant: tenantId }, `quote ${id}`, { lock: true });
  if (quote.status === 'sent') return quoteView(quote);
  if (quote.status !== 'draft')
    throw new AppError('INVALID_STATE', `quote ${quote.number} is ${quote.status}; only a draft can be sent`, {
      details: { status: quote.status },
    });
  const now = new Date();
  if (now > quote.validUntil) throw new AppError('INVALID_STATE', `quote ${quote.number} expired at ${quote.validUntil.toISOString()}`);
  quote.status = 'sent';
  quote.sentAt = now;
  recordDomainEvent(em, {
    tenantId,
    name: 'quote.sent',
    payload: {
      quoteId: quote.id,
      quoteNumber: quote.number,
      customerId: quote.customer.id,
      totalAmount: quote.totalAmount,
      currency: quote.currency,
      validUntil: quote.validUntil.toISOString(),
    },
    source,
  });
  await em.flush();
  return quoteView(quote);
}

/**
 * Accepts a sent quote on behalf of a person, through crm.acceptQuote itself (the rules and the
 * `quote.accepted` event that starts quote_accepted_to_order, or resumes a renewal waiting for it).
 */
export async function acceptQuoteAs(
  em: EntityManager,
  tenantId: string,
  quoteId: string,
  acceptedBy: string,
  requestKey: string,
): Promise<QuoteView> {
  const input = parseInput(acceptQuoteMethod.input, { quoteId, acceptedBy }, 'acceptQuote');
  const ctx: ServiceCallContext = { em, tenantId, idempotencyKey: requestKey, now: new Date(), signal: new AbortController().signal };
  await acceptQuoteMethod.run(ctx, input);
  return quoteView(await findInTenantOrFail(em, Quote, { id: input.quoteId, tenant: tenantId }, `quote ${input.quoteId}`));
}

export async function listQuotes(
  em: EntityManager,
  tenantId: string,
  filter: { status?: QuoteStatus | null; customerId?: string | null; first?: number | null },
): Promise<QuoteView[]> {
  if (filter.status && !QUOTE_STATUSES.includes(filter.status)) throw new AppError('VALIDATION', `unknown quote status ${filter.status}`);
  const customerId = filter.customerId ? parseInput(uuid, filter.customerId, 'customerId') : undefined;
  const quotes = await em.find(
    Quote,
    { tenant: tenantId, ...(filter.status ? { status: filter.status } : {}), ...(customerId ? { customer: customerId } : {}) },
    { orderBy: { createdAt: 'desc', id: 'desc' }, limit: pageSize(filter.first), populate: ['lines'] },
  );
  return Promise.all(quotes.map(quoteView));
}
