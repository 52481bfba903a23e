import { z } from 'zod';
import { Customer } from '../../entities/customer.entity.js';
import { Invoice } from '../../entities/domain/invoice.entity.js';
import { currency, label, positiveMinorUnits, uuid } from '../shared/schemas.js';
import { documentNumber } from '../shared/identifiers.js';
import { findInTenantOrFail } from '../shared/scope.js';
import { defineServiceMethod } from '../registry.js';
import { convert, taxOf } from './money-math.js';
import { exchangeRateOf, taxRateOf } from './rates.js';

export const region = z
  .string()
  .trim()
  .toUpperCase()
  .regex(/^[A-Z]{2}(-[A-Z0-9]{1,3})?$/, 'an ISO 3166 region such as DE, AU or US-CA');

export function invoiceResult(invoice: Invoice, customer: Customer) {
  return {
    invoiceId: invoice.id,
    invoiceNumber: invoice.number,
    status: invoice.status,
    customerId: customer.id,
    customerName: customer.name,
    customerEmail: customer.email,
    subtotalAmount: invoice.subtotalAmount ?? invoice.amount,
    taxAmount: invoice.taxAmount ?? 0,
    totalAmount: invoice.amount,
    currency: invoice.currency,
    taxLabel: invoice.taxLabel ?? null,
    taxRegion: invoice.taxRegion ?? null,
    taxRateMicros: invoice.taxRateMicros ?? null,
    priceAmount: invoice.priceAmount ?? invoice.subtotalAmount ?? invoice.amount,
    priceCurrency: invoice.priceCurrency ?? invoice.currency,
    exchangeRateMicros: invoice.exchangeRateMicros ?? '1000000',
  };
}

/**
 * billing.createInvoiceDraft(customerId, amount, currency, region, description, invoiceCurrency?) →
 *   {invoiceId, invoiceNumber, status: 'draft', subtotalAmount, taxAmount, totalAmount, currency, taxLabel, …}
 *
 * Raises a draft invoice for a price of `amount` minor units of `currency`, invoiced in `invoiceCurrency`
 * (default the same) at the rates table's rate, with the tax of `region` (VAT, GST or US sales tax from the
 * tax rates table): subtotal converted once, tax on the converted subtotal, each rounded half up to whole
 * minor units, total = subtotal + tax exactly. It stays a draft until the payment is confirmed
 * (billing.settlePaymentIntent); its undo is billing.voidInvoice. Natural key: the step's call key.
 */
export const createInvoiceDraft = defineServiceMethod({
  service: 'billing',
  method: 'createInvoiceDraft',
  description: 'Raises a draft invoice with the tax of a region, converted to the invoice currency.',
  effects: 'local',
  input: z.object({
    customerId: uuid,
    amount: positiveMinorUnits,
    currency,
    region,
    description: label(500),
    invoiceCurrency: currency.optional(),
  }),
  output: z.looseObject({
    invoiceId: uuid,
    invoiceNumber: z.string(),
    status: z.string(),
    customerId: uuid,
    customerName: z.string(),
    customerEmail: z.string(),
    subtotalAmount: z.int(),
    taxAmount: z.int(),
    totalAmount: z.int(),
    currency,
    taxLabel: z.string().nullable(),
  }),
  async run(ctx, input) {
    const customer = await findInTenantOrFail(
      ctx.em,
      Customer,
      { id: input.customerId, tenant: ctx.tenantId },
      `customer ${input.customerId}`,
    );
    const invoiceCurrency = input.invoiceCurrency ?? input.currency;
    const rate = await exchangeRateOf(ctx.em, input.currency, invoiceCurrency);
    const subtotal = convert(input.amount, input.currency, invoiceCurrency, rate);
    const tax = await taxRateOf(ctx.em, input.region);
    const taxAmount = taxOf(subtotal, tax.rateMicros);
    const invoice = ctx.em.create(Invoice, {
      tenant: ctx.tenantId,
      number: documentNumber('INV', ctx.now),
      customer,
      status: 'draft',
      amount: subtotal + taxAmount,
      currency: invoiceCurrency,
      subtotalAmount: subtotal,
      taxAmount,
      taxLabel: tax.label,
      taxRegion: tax.region,
      taxRateMicros: tax.rateMicros,
      description: input.description,
      priceAmount: input.amount,
      priceCurrency: input.currency,
      exchangeRateMicros: rate.toString(),
      issuedAt: ctx.now,
      dueAt: ctx.now,
    });
    await ctx.em.flush();
    return invoiceResult(invoice, customer);
  },
});

/**
 * billing.voidInvoice(invoiceId, reason?) → {invoiceId, status, voided}
 *
 * The undo of createInvoiceDraft: a draft (or open) invoice becomes `void` with the reason. A paid invoice
 * is never voided (`voided: false`): its payment stands. Voiding a void invoice changes nothing.
 */
export const voidInvoice = defineServiceMethod({
  service: 'billing',
  method: 'voidInvoice',
  description: 'Voids a draft or open invoice (never a paid one).',
  effects: 'local',
  input: z.object({ invoiceId: uuid, reason: label(500).optional() }),
  async run(ctx, input) {
    const invoice = await findInTenantOrFail(ctx.em, Invoice, { id: input.invoiceId, tenant: ctx.tenantId }, `invoice ${input.invoiceId}`, {
      lock: true,
    });
    if (invoice.status === 'draft' || invoice.status === 'open') {
      invoice.status = 'void';
      invoice.voidedAt = ctx.now;
      invoice.voidReason = input.reason ?? 'the payment did not complete';
      await ctx.em.flush();
      return { invoiceId: invoice.id, status: invoice.status, voided: true };
    }
    return { invoiceId: invoice.id, status: invoice.status, voided: false };
  },
});
