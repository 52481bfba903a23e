import { createHash } from 'node:crypto';
import { z } from 'zod';
import { Customer } from '../../entities/customer.entity.js';
import { StoredDocument } from '../../entities/domain/document.entity.js';
import { Invoice } from '../../entities/domain/invoice.entity.js';
import { PaymentIntent } from '../../entities/domain/payment-intent.entity.js';
import { Tenant } from '../../entities/tenant.entity.js';
import { AppError } from '../../errors.js';
import { uuid } from '../shared/schemas.js';
import { findInTenantOrFail } from '../shared/scope.js';
import { defineServiceMethod } from '../registry.js';
import { renderInvoicePdf } from './invoice-pdf.js';

const documentResult = (document: StoredDocument) => ({
  documentId: document.id,
  filename: document.filename,
  contentType: document.contentType,
  size: document.size,
  sha256: document.sha256,
});

/**
 * billing.renderInvoicePdf(invoiceId) → {documentId, filename, contentType, size, sha256}
 *
 * Renders a paid invoice (lines, tax, total; the rate when it was priced in another currency) as a PDF and
 * keeps it in `documents`, one per invoice: rendering it again returns that document. A void invoice is
 * INVALID_STATE.
 */
export const renderInvoiceDocument = defineServiceMethod({
  service: 'billing',
  method: 'renderInvoicePdf',
  description: 'Renders an invoice as a PDF document (one per invoice).',
  effects: 'local',
  input: z.object({ invoiceId: uuid }),
  output: z.looseObject({ documentId: uuid, filename: z.string(), contentType: z.string(), sha256: z.string() }),
  async run(ctx, input) {
    const invoice = await findInTenantOrFail(ctx.em, Invoice, { id: input.invoiceId, tenant: ctx.tenantId }, `invoice ${input.invoiceId}`, {
      lock: true,
    });
    const existing = await ctx.em.findOne(StoredDocument, { tenant: ctx.tenantId, invoice: invoice.id });
    if (existing) return documentResult(existing);
    if (invoice.status === 'void')
      throw new AppError('INVALID_STATE', `invoice ${invoice.number} is void`, { details: { status: invoice.status } });

    const customer = await findInTenantOrFail(
      ctx.em,
      Customer,
      { id: invoice.customer.id, tenant: ctx.tenantId },
      `customer ${invoice.customer.id}`,
    );
    const tenant = await ctx.em.findOneOrFail(Tenant, { id: ctx.tenantId });
    const intent = await ctx.em.findOne(PaymentIntent, { tenant: ctx.tenantId, invoice: invoice.id, status: 'succeeded' });
    const converted =
      invoice.priceCurrency &&
      invoice.priceCurrency !== invoice.currency &&
      invoice.priceAmount !== undefined &&
      invoice.exchangeRateMicros;
    const content = await renderInvoicePdf({
      number: invoice.number,
      issuedAt: invoice.issuedAt,
      paidAt: invoice.paidAt ?? null,
      seller: tenant.name,
      customer: { name: customer.name, email: customer.email, company: customer.company ?? null },
      description: invoice.description ?? `Invoice ${invoice.number}`,
      currency: invoice.currency,
      subtotalAmount: invoice.subtotalAmount ?? invoice.amount,
      taxAmount: invoice.taxAmount ?? 0,
      totalAmount: invoice.amount,
      taxLabel: invoice.taxLabel ?? 'Tax',
      taxRegion: invoice.taxRegion ?? '—',
      price: converted
        ? { amount: invoice.priceAmount ?? 0, currency: invoice.priceCurrency ?? '', rateMicros: invoice.exchangeRateMicros ?? '' }
        : null,
      paymentReference: intent?.providerReference ?? null,
    });
    const document = ctx.em.create(StoredDocument, {
      tenant: ctx.tenantId,
      invoice: invoice.id,
      filename: `invoice-${invoice.number}.pdf`,
      contentType: 'application/pdf',
      content,
      size: content.length,
      sha256: createHash('sha256').update(content).digest('hex'),
      createdAt: ctx.now,
    });
    await ctx.em.flush();
    return documentResult(document);
  },
});
