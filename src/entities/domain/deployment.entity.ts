import { randomUUID } from 'node:crypto';
import { Check, Entity, Enum, Index, ManyToOne, PrimaryKey, Property, type Opt, type Ref } from '@mikro-orm/core';
import type { JsonObject } from '../json.js';
import { Customer } from '../customer.entity.js';
import { Tenant } from '../tenant.entity.js';
import { User } from '../user.entity.js';
import { License } from './license.entity.js';
import { Order } from './order.entity.js';
import { Partner } from './partner.entity.js';

/** `shared`: a tenant on the multi-tenant cluster; `dedicated`: a single-tenant installation. */
export const DEPLOYMENT_TYPES = ['shared', 'dedicated'] as const;
export type DeploymentType = (typeof DEPLOYMENT_TYPES)[number];

export const DEPLOYMENT_STATUSES = ['scheduled', 'provisioned', 'cancelled'] as const;
export type DeploymentStatus = (typeof DEPLOYMENT_STATUSES)[number];

export const DEPLOYMENT_PRIORITIES = ['low', 'normal', 'high', 'urgent'] as const;
export type DeploymentPriority = (typeof DEPLOYMENT_PRIORITIES)[number];

/**
 * A deployment of the product for a customer: either a slot booked for an order (`scheduled`, at most
 * one per order) or a tenant provisioned under a license (`provisioned`, at most one per license).
 */
@Entity({ tableName: 'deployments' })
@Index({ properties: ['tenant', 'customer'] })
@Index({ properties: ['tenant', 'scheduledFor'] })
@Check({
  name: 'deployments_provisioned_check',
  expression: `status <> 'provisioned' or (provisioned_tenant_id is not null and tenant_url is not null and type is not null)`,
})
@Check({ name: 'deployments_scheduled_check', expression: `status <> 'scheduled' or (scheduled_for is not null and priority is not null)` })
export class Deployment {
  @PrimaryKey({ type: 'uuid' })
  id: string & Opt = randomUUID();

  /** The tenant that sold it (the acting tenant), not the one provisioned. */
  @ManyToOne(() => Tenant, { ref: true, fieldName: 'tenant_id' })
  tenant!: Ref<Tenant>;

  @ManyToOne(() => Customer, { ref: true, fieldName: 'customer_id' })
  customer!: Ref<Customer>;

  @ManyToOne(() => License, { ref: true, fieldName: 'license_id', nullable: true, unique: true, deleteRule: 'restrict' })
  license?: Ref<License>;

  @ManyToOne(() => Order, { ref: true, fieldName: 'order_id', nullable: true, unique: true, deleteRule: 'restrict' })
  order?: Ref<Order>;

  @ManyToOne(() => Partner, { ref: true, fieldName: 'partner_id', nullable: true })
  partner?: Ref<Partner>;

  @Enum({ items: () => [...DEPLOYMENT_TYPES], type: 'text', nullable: true })
  type?: DeploymentType;

  @Enum({ items: () => [...DEPLOYMENT_STATUSES], type: 'text' })
  status!: DeploymentStatus;

  @Enum({ items: () => [...DEPLOYMENT_PRIORITIES], type: 'text', nullable: true })
  priority?: DeploymentPriority;

  /** The day asked for and the day booked (later when the asked day was full). */
  @Property({ type: 'date', nullable: true })
  requestedFor?: string;

  @Property({ type: 'date', nullable: true })
  scheduledFor?: string;

  @ManyToOne(() => Tenant, { ref: true, fieldName: 'provisioned_tenant_id', nullable: true, unique: true })
  provisionedTenant?: Ref<Tenant>;

  /** Unique: a custom domain cannot serve two tenants. */
  @Property({ type: 'text', nullable: true, unique: true })
  tenantUrl?: string;

  @ManyToOne(() => User, { ref: true, fieldName: 'admin_user_id', nullable: true })
  adminUser?: Ref<User>;

  /** Validated white-label branding (partner tenants). */
  @Property({ type: 'json', columnType: 'jsonb', nullable: true })
  whiteLabel?: JsonObject;

  @Property({ type: 'datetime', columnType: 'timestamptz' })
  createdAt: Date & Opt = new Date();

  @Property({ type: 'datetime', columnType: 'timestamptz', nullable: true })
  provisionedAt?: Date;
}
