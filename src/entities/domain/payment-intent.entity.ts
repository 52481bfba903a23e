import { Check, Entity, Enum, Index, ManyToOne, Property, Unique, type Opt, type Ref } from '@mikro-orm/core';
import { Invoice } from './invoice.entity.js';
import { currencyCheck } from './money.js';
import { ProviderTransaction } from './provider-transaction.js';

/**
 * `processing` (the provider has it; its webhook will say how it ended) → `succeeded` | `failed`, or
 * `canceled` (we gave up on it: the confirmation did not come in time, or a later step failed) →
 * `refunded` (it was captured all the same after we gave up, and the money went back: payment_refund).
 */
export const PAYMENT_INTENT_STATUSES = ['processing', 'succeeded', 'failed', 'canceled', 'refunded'] as const;
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
export class PaymentIntent extends ProviderTransaction {
  @ManyToOne(() => Invoice, { ref: true, fieldName: 'invoice_id', deleteRule: 'restrict' })
  invoice!: Ref<Invoice>;

  @Enum({ items: () => [...PAYMENT_INTENT_STATUSES], type: 'text' })
  status: PaymentIntentStatus & Opt = 'processing';

  @Property({ type: 'text', nullable: true })
  failureCode?: string;

  @Property({ type: 'text', nullable: true })
  failureMessage?: string;

  /** The provider event that settled it. */
  @Property({ type: 'text', nullable: true })
  providerEventId?: string;

  @Property({ type: 'datetime', columnType: 'timestamptz', nullable: true })
  settledAt?: Date;

  /** The provider's refund (`re_…`, `ldr_…`) of a capture that came after we gave up. */
  @Property({ type: 'text', nullable: true })
  refundReference?: string;

  @Property({ type: 'datetime', columnType: 'timestamptz', nullable: true })
  refundedAt?: Date;
}
