import { randomUUID } from 'node:crypto';
import { Entity, Enum, Index, ManyToOne, PrimaryKey, Property, Unique, type Opt, type Ref } from '@mikro-orm/core';
import { Customer } from '../customer.entity.js';
import { Tenant } from '../tenant.entity.js';

export const TICKET_KINDS = ['support', 'onboarding', 'installation'] as const;
export type TicketKind = (typeof TICKET_KINDS)[number];

export const TICKET_PRIORITIES = ['low', 'medium', 'high', 'urgent'] as const;
export type TicketPriority = (typeof TICKET_PRIORITIES)[number];

export const TICKET_STATUSES = ['open', 'scheduled', 'in_progress', 'resolved', 'closed'] as const;
export type TicketStatus = (typeof TICKET_STATUSES)[number];

/** A ticket; `number` is sequential per tenant (see TicketCounter) and shown as `TCK-000123`. */
@Entity({ tableName: 'tickets' })
@Unique({ properties: ['tenant', 'number'] })
@Index({ properties: ['tenant', 'customer'] })
export class Ticket {
  @PrimaryKey({ type: 'uuid' })
  id: string & Opt = randomUUID();

  @ManyToOne(() => Tenant, { ref: true, fieldName: 'tenant_id' })
  tenant!: Ref<Tenant>;

  @Property({ type: 'integer' })
  number!: number;

  @Enum({ items: () => [...TICKET_KINDS], type: 'text' })
  kind: TicketKind & Opt = 'support';

  @Property({ type: 'text' })
  title!: string;

  @Property({ type: 'text' })
  description: string & Opt = '';

  @ManyToOne(() => Customer, { ref: true, fieldName: 'customer_id', nullable: true })
  customer?: Ref<Customer>;

  @Enum({ items: () => [...TICKET_PRIORITIES], type: 'text' })
  priority: TicketPriority & Opt = 'medium';

  @Enum({ items: () => [...TICKET_STATUSES], type: 'text' })
  status: TicketStatus & Opt = 'open';

  @Property({ type: 'text', nullable: true })
  assignedTeam?: string;

  @Property({ type: 'text', nullable: true })
  installationAddress?: string;

  @Property({ type: 'datetime', columnType: 'timestamptz' })
  createdAt: Date & Opt = new Date();

  @Property({ type: 'datetime', columnType: 'timestamptz', onUpdate: () => new Date() })
  updatedAt: Date & Opt = new Date();
}

export function ticketReference(number: number): string {
  return `TCK-${String(number).padStart(6, '0')}`;
}
