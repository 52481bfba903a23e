import { randomUUID } from 'node:crypto';
import { Check, Entity, Enum, Index, ManyToOne, PrimaryKey, Property, Unique, type Opt, type Ref } from '@mikro-orm/core';
import { Customer } from '../customer.entity.js';
import { Tenant } from '../tenant.entity.js';
import { currencyCheck, moneyType } from './money.js';
import { Quote } from './quote.entity.js';
import { Subscription } from './subscription.entity.js';

/** `draft`: raised for a payment not yet confirmed (payment_processing); it becomes `paid`, or `void` when the payment fails. */
export const INVOICE_STATUSES = ['draft', 'open', 'paid', 'void'] as const;
export type InvoiceStatus = (typeof INVOICE_STATUSES)[number];

/** A bill to a customer; overdue when open past `dueAt`. At most one per quote (renewals). */
@Entity({ tableName: 'invoices' })
@Unique({ properties: ['tenant', 'number'] })
@Index({ properties: ['tenant', 'customer', 'status'] })
@Check({ name: 'invoices_amount_check', expression: 'amount >= 0' })
@Check({ name: 'invoices_currency_check', expression: currencyCheck() })
@Check({ name: 'invoices_paid_check', expression: `status <> 'paid' or paid_at is not null` })
@Check({
  name: 'invoices_tax_check',
  expression: 'tax_amount is null or (subtotal_amount is not null and amount = subtotal_amount + tax_amount and tax_amount >= 0)',
})
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

  /** Invoices with tax (payment_processing): `amount` = `subtotalAmount` + `taxAmount`, in `currency`. */
  @Property({ type: moneyType(), nullable: true })
  subtotalAmount?: number;

  @Property({ type: moneyType(), nullable: true })
  taxAmount?: number;

  /** The tax rate applied, as its label says it (`VAT 19 %`), its region and rate in millionths. */
  @Property({ type: 'text', nullable: true })
  taxLabel?: string;

  @Property({ type: 'text', nullable: true })
  taxRegion?: string;

  @Property({ type: 'integer', nullable: true })
  taxRateMicros?: number;

  @Property({ type: 'text', nullable: true })
  description?: string;

  /** When priced in another currency: the price, its currency and the rate used (millionths). */
  @Property({ type: moneyType(), nullable: true })
  priceAmount?: number;

  @Property({ type: 'text', nullable: true })
  priceCurrency?: string;

  @Property({ type: 'bigint', nullable: true })
  exchangeRateMicros?: string;

  @Property({ type: 'datetime', columnType: 'timestamptz', nullable: true })
  voidedAt?: Date;

  @Property({ type: 'text', nullable: true })
  voidReason?: string;
}
