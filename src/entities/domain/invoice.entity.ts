import { randomUUID } from 'node:crypto';
import { Check, Entity, Enum, Index, ManyToOne, PrimaryKey, Property, Unique, type Opt, type Ref } from '@mikro-orm/core';
import { Customer } from '../customer.entity.js';
import { Tenant } from '../tenant.entity.js';
import { currencyCheck, moneyType } from './money.js';
import { Quote } from './quote.entity.js';
import { Subscription } from './subscription.entity.js';

export const INVOICE_STATUSES = ['open', 'paid', 'void'] as const;
export type InvoiceStatus = (typeof INVOICE_STATUSES)[number];

/** A bill to a customer; overdue when open past `dueAt`. At most one per quote (renewals). */
@Entity({ tableName: 'invoices' })
@Unique({ properties: ['tenant', 'number'] })
@Index({ properties: ['tenant', 'customer', 'status'] })
@Check({ name: 'invoices_amount_check', expression: 'amount >= 0' })
@Check({ name: 'invoices_currency_check', expression: currencyCheck() })
@Check({ name: 'invoices_paid_check', expression: `status <> 'paid' or paid_at is not null` })
export class Invoice {
  @PrimaryKey({ type: 'uuid' })
  id: string & Opt = randomUUID();

  @ManyToOne(() => Tenant, { ref: true, fieldName: 'tenant_id' })
  tenant!: Ref<Tenant>;

  @Property({ type: 'text' })
  number!: string;

  @ManyToOne(() => Customer, { ref: true, fieldName: 'customer_id' })
  customer!: Ref<Customer>;

  @ManyToOne(() => Subscription, { ref: true, fieldName: 'subscription_id', nullable: true, deleteRule: 'restrict' })
  subscription?: Ref<Subscription>;

  @ManyToOne(() => Quote, { ref: true, fieldName: 'quote_id', nullable: true, unique: true, deleteRule: 'restrict' })
  quote?: Ref<Quote>;

  @Enum({ items: () => [...INVOICE_STATUSES], type: 'text' })
  status: InvoiceStatus & Opt = 'open';

  @Property({ type: moneyType() })
  amount!: number;

  @Property({ type: 'text' })
  currency!: string;

  @Property({ type: 'datetime', columnType: 'timestamptz' })
  issuedAt!: Date;

  @Property({ type: 'datetime', columnType: 'timestamptz' })
  dueAt!: Date;

  @Property({ type: 'datetime', columnType: 'timestamptz', nullable: true })
  paidAt?: Date;
}
