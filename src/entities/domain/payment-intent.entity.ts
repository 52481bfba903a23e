import { randomUUID } from 'node:crypto';
import { Check, Entity, Enum, Index, ManyToOne, PrimaryKey, Property, Unique, type Opt, type Ref } from '@mikro-orm/core';
import { Customer } from '../customer.entity.js';
import { Tenant } from '../tenant.entity.js';
import { Invoice } from './invoice.entity.js';
import { currencyCheck, moneyType } from './money.js';

/**
 * `processing` (the provider has it; its webhook will say how it ended) → `succeeded` | `failed`, or
 * `canceled` (we gave up on it: the confirmation did not come in time, or a later step failed).
 */
export const PAYMENT_INTENT_STATUSES = ['processing', 'succeeded', 'failed', 'canceled'] as const;
export type PaymentIntentStatus = (typeof PAYMENT_INTENT_STATUSES)[number];

/**
 * The transaction of an asynchronous payment: an intent created with a provider (the ledger in its
 * asynchronous mode, or a card processor), settled by the provider's signed webhook. One per
 * idempotency key (`billing.createPaymentIntent:<executionId>:<step>`), so a retried step never asks twice.
 */
@Entity({ tableName: 'payment_intents' })
@Unique({ properties: ['tenant', 'idempotencyKey'] })
@Unique({ properties: ['provider', 'providerReference'] })
@Index({ properties: ['invoice'] })
@Index({ properties: ['tenant', 'status', 'createdAt'] })
@Check({ name: 'payment_intents_amount_check', expression: 'amount > 0' })
@Check({ name: 'payment_intents_currency_check', expression: currencyCheck() })
export class PaymentIntent {
  @PrimaryKey({ type: 'uuid' })
  id: string & Opt = randomUUID();

  @ManyToOne(() => Tenant, { ref: true, fieldName: 'tenant_id' })
  tenant!: Ref<Tenant>;

  @ManyToOne(() => Customer, { ref: true, fieldName: 'customer_id' })
  customer!: Ref<Customer>;

  @ManyToOne(() => Invoice, { ref: true, fieldName: 'invoice_id', deleteRule: 'restrict' })
  invoice!: Ref<Invoice>;

  @Property({ type: moneyType() })
  amount!: number;

  @Property({ type: 'text' })
  currency!: string;

  @Property({ type: 'text' })
  method!: string;

  /** `ledger`, `stripe`… and the provider's id of the intent (`ldi_…`, `pi_…`): what its webhooks name. */
  @Property({ type: 'text' })
  provider!: string;

  @Property({ type: 'text' })
  providerReference!: string;

  @Property({ type: 'text' })
  idempotencyKey!: string;

  @Enum({ items: () => [...PAYMENT_INTENT_STATUSES], type: 'text' })
  status: PaymentIntentStatus & Opt = 'processing';

  @Property({ type: 'text', nullable: true })
  failureCode?: string;

  @Property({ type: 'text', nullable: true })
  failureMessage?: string;

  /** The provider event that settled it. */
  @Property({ type: 'text', nullable: true })
  providerEventId?: string;

  @Property({ type: 'datetime', columnType: 'timestamptz' })
  createdAt: Date & Opt = new Date();

  @Property({ type: 'datetime', columnType: 'timestamptz', nullable: true })
  settledAt?: Date;
}
