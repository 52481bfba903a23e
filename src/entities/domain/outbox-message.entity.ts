import { randomUUID } from 'node:crypto';
import { Entity, Enum, Index, ManyToOne, PrimaryKey, Property, type Opt, type Ref } from '@mikro-orm/core';
import { Tenant } from '../tenant.entity.js';

export const OUTBOX_KINDS = ['email', 'webhook'] as const;
export type OutboxKind = (typeof OUTBOX_KINDS)[number];

export const OUTBOX_STATUSES = ['pending', 'sent', 'failed'] as const;
export type OutboxStatus = (typeof OUTBOX_STATUSES)[number];

export interface EmailAttachment {
  filename: string;
  contentType: string;
  /** The file, base64: the message carries what it sends, so a resend sends the same bytes. */
  contentBase64: string;
}

export interface EmailOutboxPayload {
  attachments?: EmailAttachment[];
  to: string;
  toName?: string;
  subject: string;
  text: string;
  html?: string;
  template: string;
  /** What listings show instead of `text` when it holds a one-time token (the token left out). */
  shownText?: string;
  /** The W3C trace context of the step (or request) that queued it, when traced: the sending joins that trace. */
  traceParent?: string;
}

export interface WebhookOutboxPayload {
  webhookId: string;
  event: string;
  /** The exact JSON text posted (and signed), so every retry sends the same bytes. */
  body: string;
  /** The W3C trace context of the step that queued it, when traced: the delivery joins that trace. */
  traceParent?: string;
}

/**
 * A provider's event for one of our inbound webhook sources (the built-in ledger confirming a payment
 * intent): POSTed to our own `/webhooks/<inboundSource>`, signed at send time with the tenant's live
 * secret of that source, exactly as the provider outside would.
 */
export interface InboundWebhookOutboxPayload {
  inboundSource: string;
  event: string;
  body: string;
  /** The W3C trace context of the step that created the intent, when traced: the delivery, and what it starts, join that trace. */
  traceParent?: string;
}

export type OutboxPayload = EmailOutboxPayload | WebhookOutboxPayload | InboundWebhookOutboxPayload;

/**
 * A message to leave the system (an e-mail, a webhook delivery), written in the transaction that
 * decided to send it and delivered afterwards by the outbox dispatcher. The id is the message's
 * identity outside too (Message-ID, `Switchyard-Delivery`), so a receiver can drop a resend.
 */
@Entity({ tableName: 'outbox_messages' })
@Index({
  name: 'outbox_messages_pending_index',
  expression: `create index "outbox_messages_pending_index" on "outbox_messages" ("next_attempt_at") where "status" = 'pending'`,
})
export class OutboxMessage {
  @PrimaryKey({ type: 'uuid' })
  id: string & Opt = randomUUID();

  @ManyToOne(() => Tenant, { ref: true, fieldName: 'tenant_id' })
  tenant!: Ref<Tenant>;

  @Enum({ items: () => [...OUTBOX_KINDS], type: 'text' })
  kind!: OutboxKind;

  @Property({ type: 'json', columnType: 'jsonb' })
  payload!: OutboxPayload;

  @Enum({ items: () => [...OUTBOX_STATUSES], type: 'text' })
  status: OutboxStatus & Opt = 'pending';

  @Property({ type: 'integer' })
  attempts: number & Opt = 0;

  @Property({ type: 'datetime', columnType: 'timestamptz' })
  nextAttemptAt: Date & Opt = new Date();

  @Property({ type: 'text', nullable: true })
  lastError?: string;

  @Property({ type: 'datetime', columnType: 'timestamptz', nullable: true })
  sentAt?: Date;

  @Property({ type: 'datetime', columnType: 'timestamptz' })
  createdAt: Date & Opt = new Date();
}
