import { randomUUID } from 'node:crypto';
import { Entity, Enum, Index, ManyToOne, PrimaryKey, Property, type Opt, type Ref } from '@mikro-orm/core';
import { Customer } from '../customer.entity.js';
import { Tenant } from '../tenant.entity.js';

export const SERVICE_INSTANCE_STATUSES = ['provisioning', 'active', 'suspended', 'released'] as const;
export type ServiceInstanceStatus = (typeof SERVICE_INSTANCE_STATUSES)[number];

/**
 * A customer's access service at a location: its address, VLAN and PPPoE username. Born `provisioning`
 * by network.allocateResources, `active` from billing.activateService (billing starts then), `released`
 * when its resources are given back.
 */
@Entity({ tableName: 'service_instances' })
@Index({
  name: 'service_instances_live_idempotency_key_unique',
  expression: `create unique index "service_instances_live_idempotency_key_unique" on "service_instances" ("tenant_id", "idempotency_key") where "status" <> 'released'`,
})
@Index({ properties: ['tenant', 'customer'] })
export class ServiceInstance {
  @PrimaryKey({ type: 'uuid' })
  id: string & Opt = randomUUID();

  @ManyToOne(() => Tenant, { ref: true, fieldName: 'tenant_id' })
  tenant!: Ref<Tenant>;

  @ManyToOne(() => Customer, { ref: true, fieldName: 'customer_id' })
  customer!: Ref<Customer>;

  @Property({ type: 'text' })
  location!: string;

  @Property({ type: 'text' })
  bandwidthPlan!: string;

  @Enum({ items: () => [...SERVICE_INSTANCE_STATUSES], type: 'text' })
  status: ServiceInstanceStatus & Opt = 'provisioning';

  @Property({ type: 'string', columnType: 'inet' })
  ipAddress!: string;

  @Property({ type: 'integer' })
  vlanId!: number;

  /** The subscriber's PPPoE/RADIUS name: unique across tenants, as a NAS asks by name alone. */
  @Property({ type: 'text', unique: true })
  username!: string;

  /**
   * The call that created it: a retried allocation finds its first result here while the instance is
   * not released. Releasing it (the allocation's compensation) retires the key for new allocations.
   */
  @Property({ type: 'text' })
  idempotencyKey!: string;

  @Property({ type: 'datetime', columnType: 'timestamptz', nullable: true })
  activatedAt?: Date;

  @Property({ type: 'datetime', columnType: 'timestamptz', nullable: true })
  billingStartsAt?: Date;

  @Property({ type: 'datetime', columnType: 'timestamptz', nullable: true })
  releasedAt?: Date;

  @Property({ type: 'datetime', columnType: 'timestamptz' })
  createdAt: Date & Opt = new Date();

  @Property({ type: 'datetime', columnType: 'timestamptz', onUpdate: () => new Date() })
  updatedAt: Date & Opt = new Date();
}
