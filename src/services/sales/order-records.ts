import type { EntityManager } from '@mikro-orm/postgresql';
import { Order } from '../../entities/domain/order.entity.js';
import { pageSize, parseInput } from '../shared/parse-input.js';
import { uuid } from '../shared/schemas.js';

export interface OrderView {
  id: string;
  number: string;
  customerId: string;
  quoteId: string | null;
  status: string;
  currency: string;
  totalAmount: number;
  amountPaid: number;
  openBalance: number;
  createdAt: Date;
  paidAt: Date | null;
  lines: {
    position: number;
    description: string;
    productCode: string | null;
    planId: string | null;
    quantity: number;
    unitPriceAmount: number;
    amount: number;
  }[];
}

export async function listOrders(
  em: EntityManager,
  tenantId: string,
  filter: { customerId?: string | null; first?: number | null },
): Promise<OrderView[]> {
  const customer = filter.customerId ? { customer: parseInput(uuid, filter.customerId, 'customerId') } : {};
  const rows = await em.find(
    Order,
    { tenant: tenantId, ...customer },
    { orderBy: { createdAt: 'desc', id: 'desc' }, limit: pageSize(filter.first), populate: ['lines'] },
  );
  return rows.map((row) => ({
    id: row.id,
    number: row.number,
    customerId: row.customer.id,
    quoteId: row.quote?.id ?? null,
    status: row.status,
    currency: row.currency,
    totalAmount: row.totalAmount,
    amountPaid: row.amountPaid,
    openBalance: row.totalAmount - row.amountPaid,
    createdAt: row.createdAt,
    paidAt: row.paidAt ?? null,
    lines: row.lines.getItems().map((line) => ({
      position: line.position,
      description: line.description,
      productCode: line.productCode ?? null,
      planId: line.plan?.id ?? null,
      quantity: line.quantity,
      unitPriceAmount: line.unitPriceAmount,
      amount: line.amount,
    })),
  }));
}
