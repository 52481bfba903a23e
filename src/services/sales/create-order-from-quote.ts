import { z } from 'zod';
import { withoutUndefined } from '../../entities/entity-data.js';
import { Order } from '../../entities/domain/order.entity.js';
import { OrderLine } from '../../entities/domain/order-line.entity.js';
import { Quote } from '../../entities/domain/quote.entity.js';
import { AppError } from '../../errors.js';
import { documentNumber } from '../shared/identifiers.js';
import { uuid } from '../shared/schemas.js';
import { assertActingTenant, findInTenantOrFail } from '../shared/scope.js';
import { defineServiceMethod } from '../registry.js';

type OrderResult = {
  orderId: string;
  orderNumber: string;
  quoteId: string;
  customerId: string;
  customerEmail: string;
  status: string;
  totalAmount: number;
  openBalance: number;
  currency: string;
  lines: { description: string; productCode: string | null; quantity: number; unitPriceAmount: number; amount: number }[];
};

async function orderResult(order: Order, quoteId: string): Promise<OrderResult> {
  const customer = await order.customer.loadOrFail();
  const lines = await order.lines.loadItems();
  return {
    orderId: order.id,
    orderNumber: order.number,
    quoteId,
    customerId: customer.id,
    customerEmail: customer.email,
    status: order.status,
    totalAmount: order.totalAmount,
    openBalance: order.totalAmount - order.amountPaid,
    currency: order.currency,
    lines: lines.map((line) => ({
      description: line.description,
      productCode: line.productCode ?? null,
      quantity: line.quantity,
      unitPriceAmount: line.unitPriceAmount,
      amount: line.amount,
    })),
  };
}

/**
 * sales.createOrderFromQuote(quoteId, tenantId) → {orderId, orderNumber, quoteId, customerId, customerEmail,
 *   status: 'pending_payment', totalAmount, openBalance, currency, lines[]}
 *
 * An accepted quote becomes an order with a copy of its lines and the same total and currency, awaiting
 * payment (a zero total is paid as made). One order per quote: the quote row is locked while deciding and `orders.quote_id` is unique, so
 * a second call — sequential or concurrent — returns the first order (reopened, awaiting payment, when a
 * failed run's undo had cancelled it). A quote not accepted is
 * INVALID_STATE; so is a renewal quote, which billing.processRenewalPayment settles (an order for it too
 * would charge the renewal twice).
 */
export const createOrderFromQuote = defineServiceMethod({
  service: 'sales',
  method: 'createOrderFromQuote',
  description: 'Converts an accepted quote into an order, once.',
  effects: 'local',
  input: z.object({ quoteId: uuid, tenantId: z.string().min(1) }),
  output: z.looseObject({
    orderId: uuid,
    orderNumber: z.string(),
    quoteId: uuid,
    customerId: uuid,
    customerEmail: z.string(),
    status: z.string(),
    totalAmount: z.int(),
    openBalance: z.int(),
    currency: z.string(),
    lines: z.array(z.looseObject({ quantity: z.int(), amount: z.int() })),
  }),
  async run(ctx, input) {
    await assertActingTenant(ctx, input.tenantId);
    const quote = await findInTenantOrFail(ctx.em, Quote, { id: input.quoteId, tenant: ctx.tenantId }, `quote ${input.quoteId}`, {
      lock: true,
    });

    const existing = await ctx.em.findOne(Order, { tenant: ctx.tenantId, quote: quote.id });
    // Cancelled by the undo of a failed run (sales.cancelOrder): a retry takes the same order up again.
    if (existing?.status === 'cancelled' && quote.status === 'accepted') {
      existing.status = 'pending_payment';
      await ctx.em.flush();
    }
    if (existing) return orderResult(existing, quote.id);
    if (quote.kind === 'renewal') {
      throw new AppError('INVALID_STATE', `quote ${quote.number} is a renewal quote; billing.processRenewalPayment settles it`, {
        details: { kind: quote.kind },
      });
    }
    if (quote.status !== 'accepted') {
      throw new AppError('INVALID_STATE', `quote ${quote.number} is ${quote.status}; only an accepted quote becomes an order`, {
        details: { status: quote.status },
      });
    }

    const order = ctx.em.create(Order, {
      tenant: ctx.tenantId,
      number: documentNumber('O', ctx.now),
      customer: quote.customer.id,
      quote: quote.id,
      currency: quote.currency,
      totalAmount: quote.totalAmount,
      // Nothing to pay: a free order is settled as it is made.
      ...(quote.totalAmount === 0 ? { status: 'paid' as const, paidAt: ctx.now } : {}),
      createdAt: ctx.now,
    });
    for (const line of await quote.lines.loadItems()) {
      ctx.em.create(
        OrderLine,
        withoutUndefined({
          tenant: ctx.tenantId,
          order,
          position: line.position,
          description: line.description,
          productCode: line.productCode,
          plan: line.plan?.id,
          quantity: line.quantity,
          unitPriceAmount: line.unitPriceAmount,
          amount: line.amount,
        }),
      );
    }
    await ctx.em.flush();
    return orderResult(order, quote.id);
  },
});
