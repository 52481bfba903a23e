import { randomUUID } from 'node:crypto';
import { Entity, Enum, Index, ManyToOne, PrimaryKey, Property, type Opt, type Ref } from '@mikro-orm/core';
import type { JsonObject } from '../json.js';
import { Tenant } from '../tenant.entity.js';
import { Quote } from './quote.entity.js';
import { Subscription } from './subscription.entity.js';

export const SUBSCRIPTION_EVENT_TYPES = ['created', 'extended', 'cancelled'] as const;
export type SubscriptionEventType = (typeof SUBSCRIPTION_EVENT_TYPES)[number];

/** The subscription's history. A renewal quote extends its subscription once (the partial unique index). */
@Entity({ tableName: 'subscription_events' })
@Index({ properties: ['subscription', 'occurredAt'] })
@Index({
  name: 'subscription_events_subscription_id_quote_id_extended_unique',
  expression: `create unique index "subscription_events_subscription_id_quote_id_extended_unique" on "subscription_events" ("subscription_id", "quote_id") where "type" = 'extended' and "quote_id" is not null`,
})
export class SubscriptionEvent {
  @PrimaryKey({ type: 'uuid' })
  id: string & Opt = randomUUID();

  @ManyToOne(() => Tenant, { ref: true, fieldName: 'tenant_id' })
  tenant!: Ref<Tenant>;

  @ManyToOne(() => Subscription, { ref: true, fieldName: 'subscription_id', deleteRule: 'cascade' })
  subscription!: Ref<Subscription>;

  @Enum({ items: () => [...SUBSCRIPTION_EVENT_TYPES], type: 'text' })
  type!: SubscriptionEventType;

  @Property({ type: 'datetime', columnType: 'timestamptz', nullable: true })
  periodEndBefore?: Date;

  @Property({ type: 'datetime', columnType: 'timestamptz', nullable: true })
  periodEndAfter?: Date;

  /** The renewal quote an extension was paid by, if any. */
  @ManyToOne(() => Quote, { ref: true, fieldName: 'quote_id', nullable: true, deleteRule: 'restrict' })
  quote?: Ref<Quote>;

  @Property({ type: 'json', columnType: 'jsonb' })
  data: JsonObject & Opt = {};

  @Property({ type: 'datetime', columnType: 'timestamptz' })
  occurredAt: Date & Opt = new Date();
}
