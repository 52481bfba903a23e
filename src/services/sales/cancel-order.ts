import { z } from 'zod';
import { Order } from '../../entities/domain/order.entity.js';
import { uuid } from '../shared/schemas.js';
import { undoStatus } from '../shared/undo-status.js';
import { defineServiceMethod } from '../registry.js';

/**
 * sales.cancelOrder(orderId) → {orderId, orderNumber, status}
 *
 * The compensation of createOrderFromQuote: an order still awaiting payment when its run failed (the
 * charge was declined, the provider stayed unavailable) is `cancelled`, so no one ships or books against
 * it. A paid order is left paid — the money is in, nothing here refunds it — and a cancelled one as it is.
 * A retry of the run takes the order up again (createOrderFromQuote reopens it).
 */
export const cancelOrder = defineServiceMethod({
  service: 'sales',
  method: 'cancelOrder',
  description: 'Cancels an order still awaiting payment whose run failed (compensation of createOrderFromQuote; idempotent).',
  effects: 'local',
  input: z.object({ orderId: uuid }),
  async run(ctx, input) {
    const order = await undoStatus(ctx, Order, input.orderId, 'order', { from: 'pending_payment', to: 'cancelled' });
    return { orderId: order.id, orderNumber: order.number, status: order.status };
  },
});
