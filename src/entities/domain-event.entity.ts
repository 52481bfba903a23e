import { randomUUID } from 'node:crypto';
import { Entity, Index, ManyToOne, PrimaryKey, Property, type Opt, type Ref } from '@mikro-orm/core';
import type { JsonObject } from './json.js';
import { Tenant } from './tenant.entity.js';

/**
 * The outbox of domain events (`quote.accepted`, `lead.qualified`…): written in the same transaction as
 * the change that caused them, delivered afterwards by the engine's dispatcher to workflow triggers and
 * waiting steps. The id is the event's identity: the same id delivered twice starts one execution.
 */
@Entity({ tableName: 'domain_events' })
@Index({ properties: ['dispatchedAt', 'occurredAt'] })
// A tenant's events by name since a time (a wait looking back, the API's filter), and newest first.
@Index({ properties: ['tenant', 'name', 'occurredAt'] })
@Index({ properties: ['tenant', 'occurredAt'] })
export class DomainEvent {
  @PrimaryKey({ type: 'uuid' })
  id: string & Opt = randomUUID();

  @ManyToOne(() => Tenant, { ref: true, fieldName: 'tenant_id' })
  tenant!: Ref<Tenant>;

  @Property({ type: 'text' })
  name!: string;

  @Property({ type: 'json', columnType: 'jsonb' })
  payload!: JsonObject;

  /** Who or what caused it: `user:<id>`, `execution:<id>`, `api-key:<id>`… */
  @Property({ type: 'text', nullable: true })
  source?: string;

  @Property({ type: 'datetime', columnType: 'timestamptz' })
  occurredAt: Date & Opt = new Date();

  /** The W3C trace context of whoever recorded it, when tracing was on: the runs it starts join that trace. */
  @Property({ type: 'text', nullable: true })
  traceParent?: string;

  /** Set by the dispatcher once every trigger and waiting step has been handled. */
  @Property({ type: 'datetime', columnType: 'timestamptz', nullable: true })
  dispatchedAt?: Date;
}
