import { z } from 'zod';
import { Invoice } from '../../entities/domain/invoice.entity.js';
import { Payment } from '../../entities/domain/payment.entity.js';
import { Quote } from '../../entities/domain/quote.entity.js';
import { AppError } from '../../errors.js';
import { documentNumber } from '../shared/identifiers.js';
import { uuid } from '../shared/schemas.js';
import { findInTenantOrFail } from '../shared/scope.js';
import { defineServiceMethod } from '../registry.js';
import { capturePayment, paymentResult } from './capture-payment.js';
import type { PaymentProvider } from './payment-provider.js';

/**
 * billing.processRenewalPayment(customerId, quoteId) → {paymentId, invoiceId, invoiceNumber, quoteId,
 *   subscriptionId, customerId, status: 'succeeded', amount, currency, paymentMethod, provider,
 *   providerReference, paidAt}
 *
 * Pays an accepted renewal quote: raises its invoice (one per quote) and charges the quote's total to the
 * subscription's payment method. The subscription is not extended here: billing.extendSubscription does
 * that, once per paid quote. Natural key: a quote whose invoice is paid returns that payment. A quote that is
 * not a renewal, not accepted, or whose subscription was cancelled since is INVALID_STATE; a decline is
 * PAYMENT_DECLINED and leaves nothing behind (the invoice is raised again by the next attempt).
 */
export function createProcessRenewalPaymentMethod(provider: PaymentProvider) {
  return defineServiceMethod({
    service: 'billing',
    method: 'processRenewalPayment',
    description: 'Invoices and charges an accepted renewal quote.',
    effects: 'local',
    input: z.object({ customerId: uuid, quoteId: uuid }),
    async run(ctx, input) {
      const quote = await findInTenantOrFail(
        ctx.em,
        Quote,
        { id: input.quoteId, tenant: ctx.tenantId, customer: input.customerId },
        `quote ${input.quoteId} of customer ${input.customerId}`,
        { lock: true },
      );
      if (quote.kind !== 'renewal' || !quote.subscription)
        throw new AppError('INVALID_STATE', `quote ${quote.number} is not a renewal quote`);
      const subscription = await quote.subscription.loadOrFail();
      const result = (invoice: Invoice, payment: Payment) => ({
        ...paymentResult(payment),
        invoiceId: invoice.id,
        invoiceNumber: invoice.number,
        quoteId: quote.id,
        subscriptionId: subscription.id,
        customerId: input.customerId,
      });

      let invoice = await ctx.em.findOne(Invoice, { tenant: ctx.tenantId, quote: quote.id });
      if (invoice?.status === 'paid') {
        const paid = await ctx.em.findOneOrFail(Payment, { tenant: ctx.tenantId, invoice: invoice.id, status: 'succeeded' });
        return result(invoice, paid);
      }
      if (quote.status !== 'accepted') {
        throw new AppError('INVALID_STATE', `renewal quote ${quote.number} is ${quote.status}; it must be accepted before it is paid`, {
          details: { status: quote.status },
        });
      }
      if (subscription.status === 'cancelled') throw new AppError('INVALID_STATE', `subscription ${subscription.id} was cancelled`);
      if (quote.totalAmount === 0) throw new AppError('INVALID_STATE', `renewal quote ${quote.number} is free; there is nothing to charge`);

      invoice ??= ctx.em.create(Invoice, {
        tenant: ctx.tenantId,
        number: documentNumber('INV', ctx.now),
        customer: input.customerId,
        subscription,
        quote,
        amount: quote.totalAmount,
        currency: quote.currency,
        issuedAt: ctx.now,
        dueAt: ctx.now,
      });
      const payment = await capturePayment(ctx, provider, {
        operation: 'billing.processRenewalPayment',
        customer: await quote.customer.loadOrFail(),
        target: { invoice },
        amount: invoice.amount,
        currency: invoice.currency,
        paymentMethod: subscription.paymentMethod,
        description: `invoice ${invoice.number} (renewal quote ${quote.number})`,
      });
      invoice.status = 'paid';
      invoice.paidAt = ctx.now;
      await ctx.em.flush();
      return result(invoice, payment);
    },
  });
}
