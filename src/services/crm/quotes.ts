import type { EntityManager } from '@mikro-orm/postgresql';
import { withoutUndefined } from '../../entities/entity-data.js';
import type { QuoteKind, QuoteStatus } from '../../entities/domain/quote.entity.js';
import { Quote } from '../../entities/domain/quote.entity.js';
import { QuoteLine } from '../../entities/domain/quote-line.entity.js';
import { AppError } from '../../errors.js';
import { documentNumber } from '../shared/identifiers.js';

export interface QuoteLineDraft {
  description: string;
  productCode?: string;
  planId?: string;
  quantity: number;
  unitPriceAmount: number;
}

export interface QuoteDraft {
  tenantId: string;
  customerId: string;
  leadId?: string | undefined;
  kind?: QuoteKind;
  status: QuoteStatus;
  currency: string;
  validUntil: Date;
  lines: readonly QuoteLineDraft[];
  /** Renewal quotes: what they renew. */
  subscriptionId?: string | undefined;
  termMonths?: number | undefined;
  renewalPeriodEnd?: Date | undefined;
  number?: string;
  now: Date;
}

/** `quantity × unit price` in integer minor units; refuses what a JS number cannot hold exactly. */
export function lineAmount(quantity: number, unitPriceAmount: number): number {
  const amount = quantity * unitPriceAmount;
  if (!Number.isSafeInteger(amount)) throw new AppError('VALIDATION', `line amount ${quantity} × ${unitPriceAmount} is out of range`);
  return amount;
}

/** Creates a quote with its lines and a total that is exactly their sum (not flushed). */
export function buildQuote(em: EntityManager, draft: QuoteDraft): Quote {
  if (draft.lines.length === 0) throw new AppError('VALIDATION', 'a quote needs at least one line');
  const amounts = draft.lines.map((line) => lineAmount(line.quantity, line.unitPriceAmount));
  const totalAmount = amounts.reduce((sum, amount) => sum + amount, 0);
  if (!Number.isSafeInteger(totalAmount)) throw new AppError('VALIDATION', 'quote total is out of range');

  const quote = em.create(
    Quote,
    withoutUndefined({
      tenant: draft.tenantId,
      number: draft.number ?? documentNumber('Q', draft.now),
      customer: draft.customerId,
      lead: draft.leadId,
      kind: draft.kind ?? 'new',
      status: draft.status,
      currency: draft.currency,
      totalAmount,
      validUntil: draft.validUntil,
      sentAt: draft.status === 'sent' ? draft.now : undefined,
      subscription: draft.subscriptionId,
      termMonths: draft.termMonths,
      renewalPeriodEnd: draft.renewalPeriodEnd,
      createdAt: draft.now,
    }),
  );
  draft.lines.forEach((line, index) => {
    em.create(
      QuoteLine,
      withoutUndefined({
        tenant: draft.tenantId,
        quote,
        position: index + 1,
        description: line.description,
        productCode: line.productCode,
        plan: line.planId,
        quantity: line.quantity,
        unitPriceAmount: line.unitPriceAmount,
        amount: amounts[index] as number,
      }),
    );
  });
  return quote;
}
