import type { Customer } from '../../entities/customer.entity.js';
import type { Invoice } from '../../entities/domain/invoice.entity.js';
import type { Order } from '../../entities/domain/order.entity.js';
import { Payment } from '../../entities/domain/payment.entity.js';
import { AppError } from '../../errors.js';
import type { ServiceCallContext } from '../registry.js';
import type { PaymentProvider } from './payment-provider.js';

export type PaymentResult = {
  paymentId: string;
  status: string;
  amount: number;
  currency: string;
  paymentMethod: string;
  provider: string;
  providerReference: string;
  paidAt: string;
};

export function paymentResult(payment: Payment): PaymentResult {
  return {
    paymentId: payment.id,
    status: payment.status,
    amount: payment.amount,
    currency: payment.currency,
    paymentMethod: payment.method,
    provider: payment.provider,
    providerReference: payment.providerReference,
    paidAt: payment.createdAt.toISOString(),
  };
}

/**
 * Charges through the provider and records the captured payment against an order or an invoice. The
 * provider's idempotency key is `<operation>:<call key>`: a retried step (same call key) never charges twice,
 * even with a provider outside our database. A decline is PAYMENT_DECLINED, not retryable: the same
 * request would be declined again.
 */
export async function capturePayment(
  ctx: ServiceCallContext,
  provider: PaymentProvider,
  charge: {
    operation: string;
    customer: Customer;
    target: { order: Order } | { invoice: Invoice };
    amount: number;
    currency: string;
    paymentMethod: string;
    description: string;
  },
): Promise<Payment> {
  const idempotencyKey = `${charge.operation}:${ctx.idempotencyKey}`;
  const result = await provider.charge(
    { em: ctx.em, tenantId: ctx.tenantId, now: ctx.now, signal: ctx.signal },
    {
      idempotencyKey,
      amount: charge.amount,
      currency: charge.currency,
      paymentMethod: charge.paymentMethod,
      description: charge.description,
    },
  );
  if (result.status === 'declined') {
    throw new AppError('PAYMENT_DECLINED', `payment declined by ${provider.name}: ${result.message}`, {
      retryable: false,
      details: { declineCode: result.declineCode, providerReference: result.providerReference },
    });
  }
  const payment = ctx.em.create(Payment, {
    tenant: ctx.tenantId,
    customer: charge.customer,
    ...('order' in charge.target ? { order: charge.target.order } : { invoice: charge.target.invoice }),
    amount: charge.amount,
    currency: charge.currency,
    method: charge.paymentMethod,
    provider: provider.name,
    providerReference: result.providerReference,
    idempotencyKey,
    createdAt: ctx.now,
  });
  await ctx.em.flush();
  return payment;
}
