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
import { Lead } from './lead.entity.js';
import { currencyCheck, moneyType } from './money.js';
import { QuoteLine } from './quote-line.entity.js';
import { Subscription } from './subscription.entity.js';

export const QUOTE_STATUSES = ['draft', 'sent', 'accepted', 'rejected', 'expired'] as const;
export type QuoteStatus = (typeof QUOTE_STATUSES)[number];

/** `new`: becomes an order; `renewal`: extends a subscription and is paid by billing. */
export const QUOTE_KINDS = ['new', 'renewal'] as const;
export type QuoteKind = (typeof QUOTE_KINDS)[number];

/** A priced offer to a customer. `totalAmount` is the sum of its lines, in `currency`. */
@Entity({ tableName: 'quotes' })
@Unique({ properties: ['tenant', 'number'] })
@Index({ properties: ['tenant', 'customer'] })
@Index({ properties: ['subscription'] })
@Check({ name: 'quotes_total_amount_check', expression: 'total_amount >= 0' })
@Check({ name: 'quotes_currency_check', expression: currencyCheck() })
@Check({
  name: 'quotes_renewal_check',
  expression: `kind <> 'renewal' or (subscription_id is not null and term_months is not null and renewal_period_end is not null)`,
})
@Check({ name: 'quotes_accepted_check', expression: `status <> 'accepted' or accepted_at is not null` })
export class Quote {
  @PrimaryKey({ type: 'uuid' })
  id: string & Opt = randomUUID();

  @ManyToOne(() => Tenant, { ref: true, fieldName: 'tenant_id' })
  tenant!: Ref<Tenant>;

  /** Human-facing, unique per tenant: `Q-20261122-7KX2M9`. */
  @Property({ type: 'text' })
  number!: string;

  @ManyToOne(() => Customer, { ref: true, fieldName: 'customer_id' })
  customer!: Ref<Customer>;

  /** The lead the quote was made for, when it came from one. */
  @ManyToOne(() => Lead, { ref: true, fieldName: 'lead_id', nullable: true })
  lead?: Ref<Lead>;

  @Enum({ items: () => [...QUOTE_KINDS], type: 'text' })
  kind: QuoteKind & Opt = 'new';

  @Enum({ items: () => [...QUOTE_STATUSES], type: 'text' })
  status: QuoteStatus & Opt = 'draft';

  @Property({ type: 'text' })
  currency!: string;

  @Property({ type: moneyType() })
  totalAmount!: number;

  /** Acceptance after this instant is refused. */
  @Property({ type: 'datetime', columnType: 'timestamptz' })
  validUntil!: Date;

  @Property({ type: 'datetime', columnType: 'timestamptz', nullable: true })
  sentAt?: Date;

  @Property({ type: 'datetime', columnType: 'timestamptz', nullable: true })
  acceptedAt?: Date;

  /** Who accepted: a user id, an e-mail or a name, as given. */
  @Property({ type: 'text', nullable: true })
  acceptedBy?: string;

  /** Renewal quotes: the subscription they renew, for how many months, from which period end. */
  @ManyToOne(() => Subscription, { ref: true, fieldName: 'subscription_id', nullable: true, deleteRule: 'restrict' })
  subscription?: Ref<Subscription>;

  @Property({ type: 'integer', nullable: true })
  termMonths?: number;

  @Property({ type: 'datetime', columnType: 'timestamptz', nullable: true })
  renewalPeriodEnd?: Date;

  @OneToMany(() => QuoteLine, (line) => line.quote, { orderBy: { position: 'asc' } })
  lines = new Collection<QuoteLine>(this);

  @Property({ type: 'datetime', columnType: 'timestamptz' })
  createdAt: Date & Opt = new Date();
}
