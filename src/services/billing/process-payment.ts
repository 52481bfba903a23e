import { z } from 'zod';
import { Order } from '../../entities/domain/order.entity.js';
import { Payment } from '../../entities/domain/payment.entity.js';
import { AppError } from '../../errors.js';
import { positiveMinorUnits, uuid } from '../shared/schemas.js';
import { findInTenantOrFail } from '../shared/scope.js';
import { defineServiceMethod } from '../registry.js';
import { capturePayment, paymentResult } from './capture-payment.js';
import type { PaymentProvider } from './payment-provider.js';

export const paymentMethod = z.string().regex(/^[a-z][a-z0-9_]{1,39}$/, 'a payment method name such as card or bank_transfer');

/**
 * billing.processPayment(orderId, amount, paymentMethod) → {paymentId, orderId, orderStatus, status:
 *   'succeeded', amount, currency, paymentMethod, provider, providerReference, paidAt}
 *
 * Charges the order's open balance through the payment provider. `amount` (integer minor units, in the
 * order's currency) must equal the open balance exactly (VALIDATION otherwise: no partial or over-payment
 * by accident). A decline is PAYMENT_DECLINED and leaves the order unpaid. Natural key: paying a paid order
 * the amount it was paid returns that payment; any other amount on a paid order, or a cancelled order, is
 * INVALID_STATE. The order row is locked, so concurrent payments of one order charge it once.
 */
export function createProcessPaymentMethod(provider: PaymentProvider) {
  return defineServiceMethod({
    service: 'billing',
    method: 'processPayment',
    description: "Charges an order's open balance through the payment provider.",
    effects: 'local',
    input: z.object({ orderId: uuid, amount: positiveMinorUnits, paymentMethod }),
    async run(ctx, input) {
      const order = await findInTenantOrFail(ctx.em, Order, { id: input.orderId, tenant: ctx.tenantId }, `order ${input.orderId}`, {
        lock: true,
      });
      const result = (payment: Payment) => ({ ...paymentResult(payment), orderId: order.id, orderStatus: order.status });

      if (order.status === 'cancelled') throw new AppError('INVALID_STATE', `order ${order.number} is cancelled`);
      if (order.status === 'paid') {
        const paid = await ctx.em.findOne(
          Payment,
          { tenant: ctx.tenantId, order: order.id, status: 'succeeded' },
          { orderBy: { createdAt: 'desc' } },
        );
        if (paid && paid.amount === input.amount) return result(paid);
        throw new AppError('INVALID_STATE', `order ${order.number} is already paid`, { details: { status: order.status } });
      }
      const openBalance = order.totalAmount - order.amountPaid;
      if (input.amount !== openBalance) {
        throw new AppError(
          'VALIDATION',
          `amount ${input.amount} does not equal the open balance ${openBalance} ${order.currency} of order ${order.number}`,
          {
            details: { openBalance, currency: order.currency },
          },
        );
      }

      const payment = await capturePayment(ctx, provider, {
        operation: 'billing.processPayment',
        customer: await order.customer.loadOrFail(),
        target: { order },
        amount: input.amount,
        currency: order.currency,
        paymentMethod: input.paymentMethod,
        description: `order ${order.number}`,
      });
      order.amountPaid += input.amount;
      if (order.amountPaid === order.totalAmount) {
        order.status = 'paid';
        order.paidAt = ctx.now;
      }
      await ctx.em.flush();
      return result(payment);
    },
  });
}
