import { randomUUID } from 'node:crypto';
import { Entity, Index, ManyToOne, PrimaryKey, Property, Unique, type Opt, type Ref } from '@mikro-orm/core';
import { Tenant } from '../tenant.entity.js';

/**
 * IPv4 addresses a service location hands out. Assignable: the prefix's hosts (network and broadcast
 * address excluded), narrowed to [rangeStart, rangeEnd] when given, minus the gateway. With the NetBox
 * IPAM adapter, `netboxPrefixId` names the prefix NetBox allocates from instead.
 */
@Entity({ tableName: 'ip_pools' })
@Unique({ properties: ['tenant', 'name'] })
@Index({ properties: ['tenant', 'location'] })
export class IpPool {
  @PrimaryKey({ type: 'uuid' })
  id: string & Opt = randomUUID();

  @ManyToOne(() => Tenant, { ref: true, fieldName: 'tenant_id' })
  tenant!: Ref<Tenant>;

  @Property({ type: 'text' })
  name!: string;

  @Property({ type: 'text' })
  location!: string;

  /** e.g. `100.64.0.0/24` */
  @Property({ type: 'string', columnType: 'cidr' })
  cidr!: string;

  @Property({ type: 'string', columnType: 'inet', nullable: true })
  gateway?: string;

  @Property({ type: 'string', columnType: 'inet', nullable: true })
  rangeStart?: string;

  @Property({ type: 'string', columnType: 'inet', nullable: true })
  rangeEnd?: string;

  @Property({ type: 'integer', nullable: true })
  netboxPrefixId?: number;

  @Property({ type: 'datetime', columnType: 'timestamptz' })
  createdAt: Date & Opt = new Date();
}
