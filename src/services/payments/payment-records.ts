import type { EntityManager } from '@mikro-orm/postgresql';
import { ExchangeRate } from '../../entities/domain/exchange-rate.entity.js';
import type { Invoice } from '../../entities/domain/invoice.entity.js';
import { PaymentIntent, type PaymentIntentStatus } from '../../entities/domain/payment-intent.entity.js';
import { TaxRate } from '../../entities/domain/tax-rate.entity.js';
import { pageSize } from '../shared/parse-input.js';

/** The tax of an invoice raised with one; null for the others. */
export function invoiceTaxView(invoice: Invoice) {
  if (invoice.taxAmount === undefined || invoice.subtotalAmount === undefined) return null;
  return {
    subtotalAmount: invoice.subtotalAmount,
    taxAmount: invoice.taxAmount,
    label: invoice.taxLabel ?? '',
    region: invoice.taxRegion ?? '',
    rateMicros: invoice.taxRateMicros ?? 0,
    priceAmount: invoice.priceAmount ?? invoice.subtotalAmount,
    priceCurrency: invoice.priceCurrency ?? invoice.currency,
    exchangeRateMicros: invoice.exchangeRateMicros ?? '1000000',
  };
}

export async function listPaymentIntents(
  em: EntityManager,
  tenantId: string,
  filter: { customerId?: string | null; status?: PaymentIntentStatus | null; first?: number | null },
) {
  const rows = await em.find(
    PaymentIntent,
    {
      tenant: tenantId,
      ...(filter.customerId ? { customer: filter.customerId } : {}),
      ...(filter.status ? { status: filter.status } : {}),
    },
    { orderBy: { createdAt: 'desc', id: 'desc' }, limit: pageSize(filter.first) },
  );
  return rows.map((row) => ({
    id: row.id,
    customerId: row.customer.id,
    invoiceId: row.invoice.id,
    status: row.status,
    amount: row.amount,
    currency: row.currency,
    method: row.method,
    provider: row.provider,
    providerReference: row.providerReference,
    failureCode: row.failureCode ?? null,
    failureMessage: row.failureMessage ?? null,
    providerEventId: row.providerEventId ?? null,
    createdAt: row.createdAt,
    settledAt: row.settledAt ?? null,
    refundReference: row.refundReference ?? null,
    refundedAt: row.refundedAt ?? null,
  }));
}

export async function listTaxRates(em: EntityManager) {
  return (await em.find(TaxRate, {}, { orderBy: { region: 'asc' } })).map(({ region, kind, label, rateMicros }) => ({
    region,
    kind,
    label,
    rateMicros,
  }));
}

export async function listExchangeRates(em: EntityManager) {
  return (await em.find(ExchangeRate, {}, { orderBy: { base: 'asc', quote: 'asc' } })).map(({ base, quote, rateMicros }) => ({
    base,
    quote,
    rateMicros: String(rateMicros),
  }));
}
