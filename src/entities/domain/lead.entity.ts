import { randomUUID } from 'node:crypto';
import { Check, Entity, Enum, Index, ManyToOne, PrimaryKey, Property, type Opt, type Ref } from '@mikro-orm/core';
import { Tenant } from '../tenant.entity.js';

export const LEAD_STATUSES = ['new', 'contacted', 'qualified', 'converted', 'lost'] as const;
export type LeadStatus = (typeof LEAD_STATUSES)[number];

/** A prospective customer. Converting it creates a `Customer` whose `leadId` points back here. */
@Entity({ tableName: 'leads' })
@Index({ properties: ['tenant', 'status'] })
@Check({ name: 'leads_converted_at_check', expression: `status <> 'converted' or converted_at is not null` })
export class Lead {
  @PrimaryKey({ type: 'uuid' })
  id: string & Opt = randomUUID();

  @ManyToOne(() => Tenant, { ref: true, fieldName: 'tenant_id' })
  tenant!: Ref<Tenant>;

  @Property({ type: 'text' })
  name!: string;

  /** Lower-cased. */
  @Property({ type: 'text' })
  email!: string;

  @Property({ type: 'text', nullable: true })
  company?: string;

  @Property({ type: 'text', nullable: true })
  phone?: string;

  /** Where it came from: `web`, `referral`, `event`… */
  @Property({ type: 'text', nullable: true })
  source?: string;

  @Enum({ items: () => [...LEAD_STATUSES], type: 'text' })
  status: LeadStatus & Opt = 'new';

  @Property({ type: 'datetime', columnType: 'timestamptz', nullable: true })
  qualifiedAt?: Date;

  @Property({ type: 'datetime', columnType: 'timestamptz', nullable: true })
  convertedAt?: Date;

  @Property({ type: 'datetime', columnType: 'timestamptz' })
  createdAt: Date & Opt = new Date();
}
