import { randomUUID } from 'node:crypto';
import { Check, Entity, Enum, Index, ManyToOne, PrimaryKey, Property, Unique, type Opt, type Ref } from '@mikro-orm/core';
import { Customer } from '../customer.entity.js';
import { Tenant } from '../tenant.entity.js';
import { Invoice } from './invoice.entity.js';
import { currencyCheck, moneyType } from './money.js';
import { Order } from './order.entity.js';

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
export class Payment {
  @PrimaryKey({ type: 'uuid' })
  id: string & Opt = randomUUID();

  @ManyToOne(() => Tenant, { ref: true, fieldName: 'tenant_id' })
  tenant!: Ref<Tenant>;

  @ManyToOne(() => Customer, { ref: true, fieldName: 'customer_id' })
  customer!: Ref<Customer>;

  @ManyToOne(() => Order, { ref: true, fieldName: 'order_id', nullable: true, deleteRule: 'restrict' })
  order?: Ref<Order>;

  @ManyToOne(() => Invoice, { ref: true, fieldName: 'invoice_id', nullable: true, deleteRule: 'restrict' })
  invoice?: Ref<Invoice>;

  @Property({ type: moneyType() })
  amount!: number;

  @Property({ type: 'text' })
  currency!: string;

  @Property({ type: 'text' })
  method!: string;

  /** The provider that captured it (`ledger`…) and its reference for the charge. */
  @Property({ type: 'text' })
  provider!: string;

  @Property({ type: 'text' })
  providerReference!: string;

  /** The key the charge was sent to the provider with. */
  @Property({ type: 'text' })
  idempotencyKey!: string;

  @Enum({ items: () => [...PAYMENT_STATUSES], type: 'text' })
  status: PaymentStatus & Opt = 'succeeded';

  @Property({ type: 'datetime', columnType: 'timestamptz' })
  createdAt: Date & Opt = new Date();
}
