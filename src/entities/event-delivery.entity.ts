import { randomUUID } from 'node:crypto';
import { Entity, Enum, Index, ManyToOne, PrimaryKey, Property, Unique, type Opt, type Ref } from '@mikro-orm/core';
import { DomainEvent } from './domain-event.entity.js';
import type { RecordedError } from './json.js';
import { Tenant } from './tenant.entity.js';
import { Workflow } from './workflow.entity.js';

export const EVENT_DELIVERY_STATUSES = ['started', 'failed'] as const;
export type EventDeliveryStatus = (typeof EVENT_DELIVERY_STATUSES)[number];

/**
 * What one domain event did to one workflow's trigger: the execution it started, or why it could not
 * (the trigger's context failed the workflow's input schema, its filter did not evaluate…). Filters that
 * simply said no leave no row. Answers "event → executions" and "execution → triggering event".
 */
@Entity({ tableName: 'event_deliveries' })
@Unique({ properties: ['event', 'workflow'] })
export class EventDelivery {
  @PrimaryKey({ type: 'uuid' })
  id: string & Opt = randomUUID();

  @ManyToOne(() => Tenant, { ref: true, fieldName: 'tenant_id' })
  tenant!: Ref<Tenant>;

  @ManyToOne(() => DomainEvent, { ref: true, fieldName: 'event_id', deleteRule: 'cascade' })
  event!: Ref<DomainEvent>;

  @ManyToOne(() => Workflow, { ref: true, fieldName: 'workflow_id', deleteRule: 'cascade' })
  workflow!: Ref<Workflow>;

  /** Kept as well as the workflow: the name the trigger matched when the event was delivered. */
  @Property({ type: 'text' })
  workflowName!: string;

  @Index()
  @Property({ type: 'uuid', nullable: true })
  executionId?: string;

  @Enum({ items: () => [...EVENT_DELIVERY_STATUSES], type: 'text' })
  status!: EventDeliveryStatus;

  @Property({ type: 'json', columnType: 'jsonb', nullable: true })
  error?: RecordedError;

  @Property({ type: 'datetime', columnType: 'timestamptz' })
  createdAt: Date & Opt = new Date();
}
