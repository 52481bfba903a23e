import { randomUUID } from 'node:crypto';
import { Entity, Index, ManyToOne, PrimaryKey, Property, type Opt, type Ref } from '@mikro-orm/core';
import { Tenant } from '../tenant.entity.js';
import { ServiceInstance } from './service-instance.entity.js';
import { VlanRange } from './vlan-range.entity.js';

/** A VLAN id of a range held by a service instance until `releasedAt`; live ids are unique per range. */
@Entity({ tableName: 'vlan_allocations' })
@Index({
  name: 'vlan_allocations_live_vlan_unique',
  expression:
    'create unique index "vlan_allocations_live_vlan_unique" on "vlan_allocations" ("range_id", "vlan_id") where "released_at" is null',
})
export class VlanAllocation {
  @PrimaryKey({ type: 'uuid' })
  id: string & Opt = randomUUID();

  @ManyToOne(() => Tenant, { ref: true, fieldName: 'tenant_id' })
  tenant!: Ref<Tenant>;

  @ManyToOne(() => VlanRange, { ref: true, fieldName: 'range_id' })
  range!: Ref<VlanRange>;

  @Property({ type: 'integer' })
  vlanId!: number;

  @ManyToOne(() => ServiceInstance, { ref: true, fieldName: 'service_instance_id' })
  @Index()
  serviceInstance!: Ref<ServiceInstance>;

  @Property({ type: 'datetime', columnType: 'timestamptz' })
  allocatedAt: Date & Opt = new Date();

  @Property({ type: 'datetime', columnType: 'timestamptz', nullable: true })
  releasedAt?: Date;
}
