import { Check, Entity, Enum, Index, ManyToOne, Unique, type Opt, type Ref } from '@mikro-orm/core';
import { Invoice } from './invoice.entity.js';
import { currencyCheck } from './money.js';
import { Order } from './order.entity.js';
import { ProviderTransaction } from './provider-transaction.js';

export const PAYMENT_STATUSES = ['succeeded', 'refunded'] as const;
export type PaymentStatus = (typeof PAYMENT_STATUSES)[number];

/**
 * A captured payment of an order or of an invoice (exactly one). Declined attempts leave no row: the
 * decline fails the step and its transaction; the step's recorded error is the trace.
 */
@Entity({ tableName: 'payments' })
@Unique({ properties: ['tenant', 'idempotencyKey'] })
@Index({ properties: ['order'] })
@Index({ properties: ['invoice'] })
@Index({ properties: ['tenant', 'customer'] })
@Check({ name: 'payments_amount_check', expression: 'amount > 0' })
@Check({ name: 'payments_currency_check', expression: currencyCheck() })
@Check({ name: 'payments_target_check', expression: 'num_nonnulls(order_id, invoice_id) = 1' })
export class Payment extends ProviderTransaction {
  @ManyToOne(() => Order, { ref: true, fieldName: 'order_id', nullable: true, deleteRule: 'restrict' })
  order?: Ref<Order>;

  @ManyToOne(() => Invoice, { ref: true, fieldName: 'invoice_id', nullable: true, deleteRule: 'restrict' })
  invoice?: Ref<Invoice>;

  @Enum({ items: () => [...PAYMENT_STATUSES], type: 'text' })
  status: PaymentStatus & Opt = 'succeeded';
}
