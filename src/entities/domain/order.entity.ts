import { randomUUID } from 'node:crypto';
import {
  Check,
  Collection,
  Entity,
  Enum,
  Index,
  ManyToOne,
  OneToMany,
  PrimaryKey,
  Property,
  Unique,
  type Opt,
  type Ref,
} from '@mikro-orm/core';
import { Customer } from '../customer.entity.js';
import { Tenant } from '../tenant.entity.js';
import { currencyCheck, moneyType } from './money.js';
import { OrderLine } from './order-line.entity.js';
import { Quote } from './quote.entity.js';

export const ORDER_STATUSES = ['pending_payment', 'paid', 'cancelled'] as const;
export type OrderStatus = (typeof ORDER_STATUSES)[number];

/** An order, at most one per quote (the unique `quote_id`). Open balance: `totalAmount - amountPaid`. */
@Entity({ tableName: 'orders' })
@Unique({ properties: ['tenant', 'number'] })
@Index({ properties: ['tenant', 'customer'] })
@Check({ name: 'orders_total_amount_check', expression: 'total_amount >= 0' })
@Check({ name: 'orders_amount_paid_check', expression: 'amount_paid >= 0 and amount_paid <= total_amount' })
@Check({ name: 'orders_currency_check', expression: currencyCheck() })
@Check({ name: 'orders_paid_check', expression: `status <> 'paid' or (paid_at is not null and amount_paid = total_amount)` })
export class Order {
  @PrimaryKey({ type: 'uuid' })
  id: string & Opt = randomUUID();

  @ManyToOne(() => Tenant, { ref: true, fieldName: 'tenant_id' })
  tenant!: Ref<Tenant>;

  /** Human-facing, unique per tenant: `O-20261122-7KX2M9`. */
  @Property({ type: 'text' })
  number!: string;

  @ManyToOne(() => Customer, { ref: true, fieldName: 'customer_id' })
  customer!: Ref<Customer>;

  @ManyToOne(() => Quote, { ref: true, fieldName: 'quote_id', nullable: true, unique: true, deleteRule: 'restrict' })
  quote?: Ref<Quote>;

  @Enum({ items: () => [...ORDER_STATUSES], type: 'text' })
  status: OrderStatus & Opt = 'pending_payment';

  @Property({ type: 'text' })
  currency!: string;

  @Property({ type: moneyType() })
  totalAmount!: number;

  @Property({ type: moneyType() })
  amountPaid: number & Opt = 0;

  @OneToMany(() => OrderLine, (line) => line.order, { orderBy: { position: 'asc' } })
  lines = new Collection<OrderLine>(this);

  @Property({ type: 'datetime', columnType: 'timestamptz' })
  createdAt: Date & Opt = new Date();

  @Property({ type: 'datetime', columnType: 'timestamptz', nullable: true })
  paidAt?: Date;
}
