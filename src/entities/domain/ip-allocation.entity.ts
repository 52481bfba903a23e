import { randomUUID } from 'node:crypto';
import { Entity, Index, ManyToOne, PrimaryKey, Property, type Opt, type Ref } from '@mikro-orm/core';
import { Tenant } from '../tenant.entity.js';
import { IpPool } from './ip-pool.entity.js';
import { ServiceInstance } from './service-instance.entity.js';

/**
 * An address of a pool held by a service instance until `releasedAt`. The partial unique index is the
 * last word on "never the same address twice": two live allocations of one address cannot both commit.
 */
@Entity({ tableName: 'ip_allocations' })
@Index({
  name: 'ip_allocations_live_address_unique',
  expression:
    'create unique index "ip_allocations_live_address_unique" on "ip_allocations" ("pool_id", "address") where "released_at" is null',
})
export class IpAllocation {
  @PrimaryKey({ type: 'uuid' })
  id: string & Opt = randomUUID();

  @ManyToOne(() => Tenant, { ref: true, fieldName: 'tenant_id' })
  tenant!: Ref<Tenant>;

  @ManyToOne(() => IpPool, { ref: true, fieldName: 'pool_id' })
  pool!: Ref<IpPool>;

  @Property({ type: 'string', columnType: 'inet' })
  address!: string;

  @ManyToOne(() => ServiceInstance, { ref: true, fieldName: 'service_instance_id' })
  @Index()
  serviceInstance!: Ref<ServiceInstance>;

  /** The IPAM's own id of the address (NetBox's ip-address id), to release it there. */
  @Property({ type: 'text', nullable: true })
  externalId?: string;

  @Property({ type: 'datetime', columnType: 'timestamptz' })
  allocatedAt: Date & Opt = new Date();

  @Property({ type: 'datetime', columnType: 'timestamptz', nullable: true })
  releasedAt?: Date;
}
