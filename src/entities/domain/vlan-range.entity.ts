import { randomUUID } from 'node:crypto';
import { Entity, Index, ManyToOne, PrimaryKey, Property, Unique, type Opt, type Ref } from '@mikro-orm/core';
import { Tenant } from '../tenant.entity.js';

/** The VLAN ids [firstVlan, lastVlan] a service location gives its subscribers (one per service). */
@Entity({ tableName: 'vlan_ranges' })
@Unique({ properties: ['tenant', 'name'] })
@Index({ properties: ['tenant', 'location'] })
export class VlanRange {
  @PrimaryKey({ type: 'uuid' })
  id: string & Opt = randomUUID();

  @ManyToOne(() => Tenant, { ref: true, fieldName: 'tenant_id' })
  tenant!: Ref<Tenant>;

  @Property({ type: 'text' })
  name!: string;

  @Property({ type: 'text' })
  location!: string;

  @Property({ type: 'integer' })
  firstVlan!: number;

  @Property({ type: 'integer' })
  lastVlan!: number;

  @Property({ type: 'datetime', columnType: 'timestamptz' })
  createdAt: Date & Opt = new Date();
}
