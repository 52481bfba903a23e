import { randomUUID } from 'node:crypto';
import { Entity, Enum, Index, ManyToOne, PrimaryKey, Property, Unique, type Opt, type Ref } from '@mikro-orm/core';
import { Tenant } from './tenant.entity.js';

export const CUSTOMER_STATUSES = ['active', 'inactive'] as const;
export type CustomerStatus = (typeof CUSTOMER_STATUSES)[number];

export const CUSTOMER_SOURCES = ['lead', 'partner', 'direct'] as const;
export type CustomerSource = (typeof CUSTOMER_SOURCES)[number];

/**
 * A customer of a tenant. Shared by every domain service; `leadId` and `partnerId` point at the lead it
 * was converted from and the partner that owns it (their foreign keys come with those tables).
 */
@Entity({ tableName: 'customers' })
@Unique({ properties: ['tenant', 'email'] })
export class Customer {
  @PrimaryKey({ type: 'uuid' })
  id: string & Opt = randomUUID();

  @ManyToOne(() => Tenant, { ref: true, fieldName: 'tenant_id' })
  tenant!: Ref<Tenant>;

  @Property({ type: 'text' })
  name!: string;

  /** Lower-cased; unique per tenant. */
  @Property({ type: 'text' })
  email!: string;

  @Property({ type: 'text', nullable: true })
  company?: string;

  @Property({ type: 'text', nullable: true })
  phone?: string;

  @Enum({ items: () => [...CUSTOMER_STATUSES], type: 'text' })
  status: CustomerStatus & Opt = 'active';

  @Enum({ items: () => [...CUSTOMER_SOURCES], type: 'text' })
  source: CustomerSource & Opt = 'direct';

  @Index()
  @ManyToOne({ entity: 'Lead', fieldName: 'lead_id', mapToPk: true, nullable: true, deleteRule: 'restrict' })
  leadId?: string;

  @Index()
  @ManyToOne({ entity: 'Partner', fieldName: 'partner_id', mapToPk: true, nullable: true, deleteRule: 'restrict' })
  partnerId?: string;

  @Property({ type: 'datetime', columnType: 'timestamptz' })
  createdAt: Date & Opt = new Date();
}
